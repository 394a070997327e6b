"""Shared pieces of the commands: output formats, the target option, problem and error reporting,
progress spinners and file writing. Part of the CLI, so it may print.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer
from rich.console import Console

from reconciler.errors import (
    ConfigError,
    Problem,
)
from reconciler.planner.scope import Scope
from reconciler.render import color_wanted as render_color_wanted
from reconciler.target import Target


class PlanFormat(StrEnum):
    """How a plan is shown."""

    human = "human"
    markdown = "markdown"
    json = "json"


class OutputFormat(StrEnum):
    """How a command reports: for people, or as one JSON document for machines."""

    human = "human"
    json = "json"


TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        "-t",
        help="Where to read and write: 'emulator' (the embedded emulator, .reconciler/emulator.sqlite), "
        "'https://api.linkedin.com/rest', or any URL such as a served emulator. Default: LinkedIn when "
        "credentials are set (LINKEDIN_ACCESS_TOKEN, or the refresh-token trio), else the embedded "
        "emulator. Also RECONCILER_TARGET.",
        show_default=False,
    ),
]


TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="The most one API request may take, its retries and whole answer included (default 120). "
        "Also RECONCILER_TIMEOUT.",
        show_default=False,
    ),
]


PROCESSING_VAR = "RECONCILER_PROCESSING_TIMEOUT"

ProcessingTimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--processing-timeout",
        metavar="SECONDS",
        help="The most apply waits for LinkedIn to process the videos, images and documents it uploads "
        "(default 600). A file still processing then fails its creative, nothing else is held back, and "
        f"the next apply reuses the upload. Also {PROCESSING_VAR}.",
        show_default=False,
    ),
]


def processing_timeout(option: float | None, env: Mapping[str, str]) -> float | None:
    """``--processing-timeout`` if given, else ``RECONCILER_PROCESSING_TIMEOUT``, else None (the
    default wait); ConfigError unless a number of seconds from 0 (look once) to a day."""
    if option is not None:
        value, source = option, "--processing-timeout"
    elif env.get(PROCESSING_VAR, "").strip():
        source = PROCESSING_VAR
        try:
            value = float(env[PROCESSING_VAR].strip())
        except ValueError:
            raise ConfigError(f"{PROCESSING_VAR}: give a number of seconds, e.g. 1800") from None
    else:
        return None
    if not 0 <= value <= 86_400:
        raise ConfigError(f"{source}: give a number of seconds from 0 to a day (86400)")
    return value


OnlyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        metavar="ADDRESS",
        help="Plan only this campaign group, campaign or creative (its path as the plan prints it, "
        "e.g. '500000001 / Brand / Brand — US'; the account id may be left out), what is below it and "
        "the parents it needs; repeat for several. The plan says it is partial and prunes nothing "
        "outside them.",
        show_default=False,
    ),
]


AccountOption = Annotated[
    list[int] | None,
    typer.Option(
        "--account",
        metavar="ID",
        help="Only this ad account of the manifests (its id); repeat for several. Every file is "
        "still validated. 'reconciler accounts PATH...' lists them.",
        show_default=False,
    ),
]


ParallelAccountsOption = Annotated[
    int | None,
    typer.Option(
        "--parallel-accounts",
        metavar="N",
        min=1,
        help="Read this many ad accounts at once while one is loaded and planned (default: the CPUs, "
        "at least 3). Memory grows with it: each holds its live state until it is planned.",
        show_default=False,
    ),
]


def accounts_of(account: list[int] | None) -> frozenset[int] | None:
    """The ``--account`` selection: None (every account) when none was given."""
    return frozenset(account) if account else None


def scope_of(only: list[str] | None) -> Scope:
    """The scope of ``--only`` values; exits with one line for a value that is not an address."""
    try:
        return Scope.parse(only or ())
    except ValueError as err:
        exit_with(ConfigError(str(err)))


def warn_partial(scope: Scope) -> None:
    """Say on stderr that a plan is partial."""
    if scope.partial:
        typer.echo(
            f"warning: partial plan (--only {scope.describe()}): everything else is left out", err=True
        )


class _Style:
    """What this run's --no-color said (set while the command's options are parsed)."""

    no_color = False


def _no_color(value: bool) -> bool:
    _Style.no_color = value
    return value


NoColorOption = Annotated[
    bool,
    typer.Option(
        "--no-color",
        callback=_no_color,
        help="No colour and no animation (also when NO_COLOR is set or TERM=dumb).",
    ),
]


def color_wanted(stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream``: a terminal, and neither --no-color, NO_COLOR
    nor TERM=dumb."""
    return not _Style.no_color and render_color_wanted(stream.isatty(), os.environ)


def interactive() -> bool:
    """Whether stderr may show spinners and progress bars: a terminal that is not TERM=dumb,
    without --no-color."""
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb" and not _Style.no_color


def report_problems(problems: tuple[Problem, ...], output: OutputFormat) -> None:
    if output is OutputFormat.json:
        echo_json({"valid": False, "problems": [p.to_dict() for p in problems]})
        return
    for problem in problems:
        typer.echo(str(problem))
    files = {p.position.file for p in problems if p.position}
    where = f" in {len(files)} file{'s' if len(files) != 1 else ''}" if files else ""
    typer.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}{where}: invalid", err=True)


def api_usage(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The API calls a command made (``ClientStats.snapshot()``), as the ``api`` field of its JSON:
    logical calls in all, per Rest.li method and per resource (LinkedIn's daily quotas are per
    endpoint), retries and 429 answers."""
    return {key: stats[key] for key in ("calls", "by_method", "by_resource", "retries", "throttles")}


def report_api_usage(stats: Mapping[str, Any]) -> None:
    """One line on stderr: ``API calls: 7 (1 GET, 6 FINDER), 0 retries.``"""
    calls, retries = stats["calls"], stats["retries"]
    methods = ", ".join(f"{n:,} {method}" for method, n in stats["by_method"].items())
    typer.echo(
        f"API calls: {calls:,}{f' ({methods})' if methods else ''}, "
        f"{retries:,} retr{'ies' if retries != 1 else 'y'}.",
        err=True,
    )


def echo_json(document: dict[str, object]) -> None:
    typer.echo(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))


def announce(target: Target) -> None:
    typer.echo(f"Target: {target.description} (LinkedIn-Version {target.version})", err=True)
    for notice in target.notices:
        typer.echo(f"warning: {notice}", err=True)


@contextmanager
def spinner(title: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr while long work runs, when stderr is a terminal; silent otherwise."""
    if not interactive():
        yield lambda _message: None
        return
    console = Console(stderr=True)
    with console.status(f"{title}…") as status:
        yield lambda message: status.update(f"{title}: {message}")


def exit_with(err: Exception, *, code: int = 1) -> NoReturn:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(code)


def write_file(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        exit_with(ConfigError(f"cannot write {path}: {err.strerror}"))
