"""The apply progress bar: one line on stderr that fits the terminal (80 columns included).

``phase  ━━━━━━━━━━━━━━  1,200/1,700  85/s  3 retries  0:00:14`` — the phase is cut with an
ellipsis rather than pushing the rest off the line; the bar takes whatever width is left; the
retry count is read from the client's counters at every refresh, so retries show while a request
is still being retried, not only when a change finishes.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Column
from rich.text import Text

from reconciler.api.stats import ClientStats

PHASE_WIDTH = 24  # "update 1,000 campaigns" fits; longer phases are cut with "…"


def _cell() -> Column:
    return Column(no_wrap=True, overflow="ellipsis")


class _CountColumn(ProgressColumn):
    """``1,200/1,700``."""

    def render(self, task: Task) -> Text:
        total = int(task.total) if task.total is not None else 0
        return Text(f"{int(task.completed):,}/{total:,}", style="progress.download")


class _RateColumn(ProgressColumn):
    """Changes per second since the bar started: ``85/s``."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.0f}/s" if rate >= 10 else f"{rate:.1f}/s", style="progress.data.speed")


class _RetriesColumn(ProgressColumn):
    """``3 retries`` (429s and 5xx retried so far), read live from the client's counters."""

    def __init__(self, stats: ClientStats) -> None:
        super().__init__(table_column=_cell())
        self.stats = stats

    def render(self, task: Task) -> Text:
        retries = self.stats.retries
        return Text(f"{retries:,} retr{'y' if retries == 1 else 'ies'}", style="yellow" if retries else "dim")


def apply_progress(console: Console, stats: ClientStats) -> Progress:
    """A progress bar for an apply on ``console``; its task's description is the phase."""
    phase = Column(width=PHASE_WIDTH, no_wrap=True, overflow="ellipsis")
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", table_column=phase),
        BarColumn(bar_width=None, table_column=Column(ratio=1, min_width=4)),
        _CountColumn(table_column=_cell()),
        _RateColumn(table_column=_cell()),
        _RetriesColumn(stats),
        TimeElapsedColumn(table_column=_cell()),
        console=console,
        expand=True,
        get_time=time.monotonic,
    )


def phase_text(step: str, count: int, kind: str) -> str:
    """``create 500 creatives``."""
    noun = {"campaignGroup": "group", "campaign": "campaign", "creative": "creative"}.get(kind, kind)
    return f"{step} {count:,} {noun}{'' if count == 1 else 's'}"
