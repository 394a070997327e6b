"""``reconciler validate``: check manifests offline."""

from __future__ import annotations

from typing import Annotated

import typer

from reconciler.cli.app import app
from reconciler.cli.common import (
    AccountOption,
    OutputFormat,
    accounts_of,
    echo_json,
    exit_with,
    report_problems,
)
from reconciler.errors import (
    ConfigError,
    ManifestError,
)
from reconciler.manifest import load_project


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
    account: AccountOption = None,
) -> None:
    """Check manifests offline against the manifest schema and LinkedIn's rules.

    Every problem is reported at once, as file:line:col: field.path: message. Nothing is sent to LinkedIn.
    Targeting names are read from the lock file (reconciler.lock.yaml) beside the manifests; a name it
    does not pin is a problem: run 'reconciler lock PATH' to pin it.

    Exit status: 0 when the manifests are valid, 1 when there is any problem.

    Example: reconciler validate examples/quickstart
    """
    try:
        state = load_project(paths, accounts=accounts_of(account))
    except ManifestError as err:
        report_problems(err.problems, output)
        raise typer.Exit(1) from None
    except ConfigError as err:
        exit_with(err)
    if output is OutputFormat.json:
        echo_json({"valid": True, "counts": state.counts(), "files": list(state.files), "problems": []})
    else:
        typer.echo(f"{state.summary()}: valid")
