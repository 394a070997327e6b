"""The apply progress bar fits an 80-column terminal and shows retries as they happen."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from reconciler.api.stats import ClientStats
from reconciler.cli.progress import apply_progress, phase_text


def frame(width: int, stats: ClientStats, description: str, done: int, total: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None)
    bar = apply_progress(console, stats)
    task = bar.add_task(description, total=total)
    bar.update(task, completed=done)
    console.print(bar.get_renderable())
    return console.file.getvalue().rstrip("\n").split("\n")  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [80, 100, 160])
def test_one_line_that_fits_the_terminal(width: int) -> None:
    stats = ClientStats()
    lines = frame(width, stats, phase_text("update", 1_000, "campaign"), 1_200, 15_000)
    assert len(lines) == 1
    assert len(lines[0]) <= width
    assert "update 1,000 campaigns" in lines[0]
    assert "0 retries" in lines[0]
    assert "1,200/15,000" in lines[0]


def test_a_long_phase_is_cut_not_the_counts() -> None:
    (line,) = frame(80, ClientStats(), phase_text("archive", 15_000, "campaignGroup"), 3, 15_000)
    assert len(line) <= 80
    assert "3/15,000" in line and "0 retries" in line


def test_retries_show_as_they_are_counted() -> None:
    stats = ClientStats()
    stats.record_retry()
    stats.record_retry()
    (line,) = frame(80, stats, phase_text("create", 500, "creative"), 10, 500)
    assert "2 retries" in line and len(line) <= 80
    stats.record_retry()
    (line,) = frame(80, stats, phase_text("create", 1, "creative"), 0, 1)
    assert "3 retries" in line and "create 1 creative " in line
