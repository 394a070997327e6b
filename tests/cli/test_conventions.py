"""CLI conventions: -h, plain help, shell completion, --no-color and TERM=dumb, --debug and
RECONCILER_LOG (the token never shown)."""

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from reconciler.cli import app
from tests.render.sample_plans import mixed_plan

ROOT = Path(__file__).parents[2]
COMMANDS = ["validate", "fmt", "plan", "show", "apply", "drift", "import", "emulator serve", "emulator seed"]
TOKEN = "AQX-secret-token-0123456789"
runner = CliRunner()


@pytest.fixture(autouse=True)
def quiet_logging() -> Iterator[None]:
    """Whatever a test's --debug did to the reconciler logger is undone after it."""
    yield
    logger = logging.getLogger("reconciler")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


def test_plan_dash_h_is_help_in_plain_words() -> None:
    result = runner.invoke(app, ["plan", "-h"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage: reconciler plan [OPTIONS] PATH..." in result.stdout
    assert "--out                -o      FILE" in result.stdout
    assert "--format             -f      human|markdown|json" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_no_help_shows_a_python_type(command: str) -> None:
    result = runner.invoke(app, [*command.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for python_word in ("<bool>", "<list[str]>", "<str>", "<int>", "<path>", "{PATH}", "<list"):
        assert python_word not in result.stdout, (command, python_word)


def _command_paths(group: TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, TyperGroup):
            yield from _command_paths(command, (*prefix, name))


def test_help_at_80_columns_wraps_paragraphs_at_the_width_not_at_docstring_breaks() -> None:
    width = 80 - 2  # rich pads the help text by one column each side
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    paths = list(_command_paths(root))
    assert ("plan",) in paths and ("emulator", "serve") in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
        assert result.exit_code == 0, (path, result.output)
        text = result.stdout.split("Usage:", 1)[1].split("\u256d", 1)[0]  # up to the first panel
        lines = [line.rstrip().removeprefix(" ") for line in text.splitlines()[1:]]
        kept = re.compile(r"\s|[-*] |\d+[.)] ")  # code lines and list items keep their breaks
        for line, following in itertools.pairwise(lines):
            if not line or not following or kept.match(line) or kept.match(following):
                continue
            # a wrapped prose line is full: the next line's first word would not have fitted
            assert len(line) + 1 + len(following.split()[0]) > width, (path, line, following)


def test_shell_completion_is_offered() -> None:
    result = runner.invoke(app, ["-h"], env={"COLUMNS": "200"})
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal; what it wrote there."""
    primary, secondary = os.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "reconciler", *args],
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=secondary,
            env={**os.environ, **env},
            timeout=60,
            check=False,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal is closed once everything is read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(primary)


@pytest.fixture(scope="module")
def saved_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(mixed_plan().to_json(), encoding="utf-8")
    return path


def test_colour_on_a_terminal_and_off_with_no_color_or_term_dumb(saved_plan: Path) -> None:
    env = {"TERM": "xterm-256color", "NO_COLOR": ""}
    assert "\x1b[" in on_a_terminal(["show", str(saved_plan)], env)
    plain = on_a_terminal(["show", str(saved_plan), "--no-color"], env)
    assert "\x1b[" not in plain and "~ update campaign 500000001 / Brand / Prospecting" in plain
    dumb = on_a_terminal(["show", str(saved_plan)], {**env, "TERM": "dumb"})
    assert "\x1b[" not in dumb and "~ update campaign 500000001 / Brand / Prospecting" in dumb


@pytest.fixture
def quickstart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "manifests")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["plan", "manifests"], {"RECONCILER_LOG": "debug"}),
        (["--debug", "plan", "manifests"], {}),
    ],
    ids=["RECONCILER_LOG", "--debug"],
)
def test_debug_logs_every_request_and_never_the_token(
    quickstart: Path, args: list[str], env: dict[str, str]
) -> None:
    env = {**env, "LINKEDIN_ACCESS_TOKEN": TOKEN, "RECONCILER_TARGET": "emulator"}
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert "DEBUG reconciler.api: GET /rest/adAccounts/500000001 -> 200 in " in result.stderr
    assert "DEBUG reconciler.api: GET /rest/adAccounts/500000001/adCampaigns?" in result.stderr
    assert "('authorization', 'Bearer ***')" in result.stderr
    assert TOKEN not in result.output and TOKEN[:12] not in result.stderr


def test_by_default_and_at_info_requests_are_not_logged(quickstart: Path) -> None:
    for env in ({}, {"RECONCILER_LOG": "info"}, {"RECONCILER_LOG": "warning"}):
        result = runner.invoke(app, ["plan", "manifests"], env={**env, "RECONCILER_TARGET": "emulator"})
        assert result.exit_code == 0, result.output
        assert "reconciler.api" not in result.stderr


def test_an_unknown_log_level_is_one_line(quickstart: Path) -> None:
    result = runner.invoke(app, ["plan", "manifests"], env={"RECONCILER_LOG": "verbose"})
    assert result.exit_code == 1
    assert result.stderr == "error: RECONCILER_LOG='verbose': choose one of debug, info, warning\n"
