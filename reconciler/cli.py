"""The command-line interface: the only module that prints.

It parses options, calls the core, picks a renderer and maps exceptions to exit codes:
0 success, 1 error (user error or API failure), 2 "changes present" where a command documents it.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from reconciler import __version__
from reconciler.errors import ManifestError, Problem
from reconciler.manifest import load_project

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


def main() -> None:
    """Console-script entry point."""
    app()
