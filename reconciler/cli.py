"""The command-line interface: the only module that prints.

It parses options, calls the core, picks a renderer and maps exceptions to exit codes:
0 success, 1 error (user error or API failure), 2 "changes present" where a command documents it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from reconciler import __version__
from reconciler.errors import ConfigError, ManifestError, Problem, ReconcilerError
from reconciler.manifest import load_project
from reconciler.planner import PlanOptions
from reconciler.render import color_wanted as render_color_wanted
from reconciler.render import render
from reconciler.target import Target, resolve_target
from reconciler.workflow import PlanResult, build_plan

app = typer.Typer(
    name="reconciler",
    help="LinkedIn Ads campaign-as-code: validate manifests, plan against the live account, apply.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reconciler {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """LinkedIn Ads campaign-as-code."""


# -- validate --------------------------------------------------------------------------------


class OutputFormat(StrEnum):
    """How a command reports: for people, or as one JSON document for machines."""

    human = "human"
    json = "json"


@app.command()
def validate(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Manifest files, or directories searched recursively for *.yaml and *.yml files.",
            show_default=False,
        ),
    ],
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="human: a summary line, or one 'file:line:col: field: message' line per problem. "
            "json: one JSON document with the counts, or the problems.",
        ),
    ] = OutputFormat.human,
) -> None:
    """Check manifests offline against the manifest schema and LinkedIn's rules.

    Every problem is reported at once, as file:line:col: field.path: message. Nothing is sent to LinkedIn.

    Exit status: 0 when the manifests are valid, 1 when there is any problem.

    Example: reconciler validate examples/quickstart
    """
    try:
        state = load_project(paths)
    except ManifestError as err:
        _report_problems(err.problems, output)
        raise typer.Exit(1) from None
    if output is OutputFormat.json:
        _echo_json({"valid": True, "counts": state.counts(), "files": list(state.files), "problems": []})
    else:
        typer.echo(f"{state.summary()}: valid")


def _report_problems(problems: tuple[Problem, ...], output: OutputFormat) -> None:
    if output is OutputFormat.json:
        _echo_json({"valid": False, "problems": [p.to_dict() for p in problems]})
        return
    for problem in problems:
        typer.echo(str(problem))
    files = {p.position.file for p in problems if p.position}
    where = f" in {len(files)} file{'s' if len(files) != 1 else ''}" if files else ""
    typer.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}{where}: invalid", err=True)


def _echo_json(document: dict[str, object]) -> None:
    typer.echo(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))


# -- plan ------------------------------------------------------------------------------------


class PlanFormat(StrEnum):
    """How a plan is shown."""

    human = "human"
    markdown = "markdown"
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


@app.command()
def plan(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    target: TargetOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Save the plan as JSON, for 'apply --plan' or review.", show_default=False
        ),
    ] = None,
    output: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="human (Terraform-like), markdown (for a pull request) or json."),
    ] = PlanFormat.human,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 when there are no changes, 2 when there are, 1 on error."
        ),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="FIELD",
            help="Say, for every resource, why FIELD (API name, e.g. dailyBudget) is judged equal or not.",
            show_default=False,
        ),
    ] = None,
    allow_replace: Annotated[
        bool,
        typer.Option("--allow-replace", help="Accept replacing resources whose immutable fields changed."),
    ] = False,
) -> None:
    """Show what apply would change: read the live account, compare, and print the plan.

    Nothing is written to LinkedIn. Live entities that no manifest mentions are listed as
    unmanaged and left alone (unless 'prune: true'). A plan that would break an account limit
    is shown and refused (exit 1).

    Exit status: 0 success (or no changes with --detailed-exitcode), 2 changes present with
    --detailed-exitcode, 1 error.

    Example: reconciler plan examples/quickstart --out plan.json
    """
    try:
        result = _make_plan(paths, target, PlanOptions(allow_replace=allow_replace, explain=explain))
    except ManifestError as err:
        _report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        _fail(err)
    the_plan = result.plan
    color = output is PlanFormat.human and render_color_wanted(sys.stdout.isatty(), os.environ)
    typer.echo(render(the_plan.to_dict(), output.value, color=color), nl=False)
    if out is not None:
        _write(out, the_plan.to_json())
        typer.echo(f"Saved the plan to {out}.", err=True)
    if any(v.guard == "limit" for v in the_plan.violations):
        typer.echo("Plan refused: it would break LinkedIn account limits.", err=True)
        raise typer.Exit(1)
    if detailed_exitcode and not the_plan.empty:
        raise typer.Exit(2)


def _make_plan(paths: list[str], target_name: str | None, options: PlanOptions) -> PlanResult:
    target = resolve_target(target_name, os.environ)
    _announce(target)
    with target.client() as client, _progress("Reading live state") as progress:
        return build_plan(paths, client, target=target.description, options=options, progress=progress)


def _announce(target: Target) -> None:
    typer.echo(f"Target: {target.description} (LinkedIn-Version {target.version})", err=True)
    for notice in target.notices:
        typer.echo(f"warning: {notice}", err=True)


@contextmanager
def _progress(title: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr while long work runs, when stderr is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield lambda _message: None
        return
    console = Console(stderr=True)
    with console.status(f"{title}…") as status:
        yield lambda message: status.update(f"{title}: {message}")


def _fail(err: Exception) -> NoReturn:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(1)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        _fail(ConfigError(f"cannot write {path}: {err.strerror}"))


def main() -> None:
    """Console-script entry point."""
    app()
