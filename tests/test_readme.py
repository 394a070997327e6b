"""The README's quick start shows real output: its commands are run against a fresh embedded
emulator in a temporary directory, and what they print must be what the README shows.

``UPDATE_README=1 python -m pytest tests/test_readme.py`` writes the outputs into the README
instead (review the diff). Each command's stderr comes first (it is the target line, printed
before anything else), then its stdout through the ``| head -N``, ``| tail -N`` or
``| grep -E PATTERN`` the README gives. Every command must exit 0. Durations (``in 0.1 s``) are
the only part not compared.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- quickstart:.*?-->\n```console\n)(.*?)(```\n<!-- /quickstart -->)", re.DOTALL)
DURATION = re.compile(r"\bin \d+(?:\.\d+)? s\b")


def run(line: str) -> list[str]:
    """What ``$ line`` prints: stderr, then stdout through its pipes."""
    command, *pipes = _stages(line)
    result = CliRunner().invoke(app, command[1:], env={"LINKEDIN_ACCESS_TOKEN": "", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output  # every quick-start command succeeds
    lines = result.stdout.splitlines()
    for pipe in pipes:
        lines = _filter(pipe, lines)
    return result.stderr.splitlines() + lines


def _stages(line: str) -> list[list[str]]:
    words = shlex.split(line, comments=True)
    stages: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            stages.append([])
        else:
            stages[-1].append(word)
    assert stages[0][0] == "reconciler", line
    return stages


def _filter(pipe: list[str], lines: list[str]) -> list[str]:
    match pipe:
        case ["head", count]:
            return lines[: int(count.lstrip("-"))]
        case ["tail", count]:
            return lines[-int(count.lstrip("-")) :]
        case ["grep", "-E", pattern]:
            return [x for x in lines if re.search(pattern, x)]
    raise AssertionError(f"the README uses a pipe this test does not know: {' '.join(pipe)}")


def transcript(block: str) -> str:
    """The block with every command's output produced again."""
    out: list[str] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(line)
            out.extend(run(line[2:]))
    return "\n".join(out) + "\n"


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "examples" / "quickstart")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    return tmp_path


def test_the_quick_start_shows_what_the_commands_print(fresh: Path) -> None:
    text = README.read_text(encoding="utf-8")
    found = BLOCK.search(text)
    assert found is not None, "README.md has no quickstart block"
    shown = found.group(2)
    real = transcript(shown)
    if os.environ.get("UPDATE_README"):
        README.write_text(text[: found.start(2)] + real + text[found.end(2) :], encoding="utf-8")
        return
    assert DURATION.sub("in … s", shown) == DURATION.sub("in … s", real)
