"""``reconciler accounts``: the ad accounts of a project, for people or for a CI matrix."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from reconciler.cli.app import app
from reconciler.cli.common import OutputFormat, echo_json, report_problems
from reconciler.errors import ManifestError
from reconciler.manifest import DesiredState, load_project


@app.command()
def accounts(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="human: one line per account. json: {'ids': [...], 'accounts': [...]}, where 'ids' is "
            "ready for a CI matrix.",
        ),
    ] = OutputFormat.human,
) -> None:
    """List the ad accounts the manifests describe: id, currency, files, entity counts.

    The manifests are validated first (a problem anywhere is reported as by 'validate'). Nothing is
    sent to LinkedIn. Each id can be given to --account of validate, plan, apply and drift, e.g. one
    CI job per account (examples/github-actions/plan-matrix.yml).

    Exit status: 0 listed, 1 the manifests have a problem.

    Example: reconciler accounts examples/ --format json
    """
    try:
        state = load_project(paths)
    except ManifestError as err:
        report_problems(err.problems, output)
        raise typer.Exit(1) from None
    listed = describe(state)
    if output is OutputFormat.json:
        echo_json({"ids": [entry["id"] for entry in listed], "accounts": listed})
        return
    for entry in listed:
        counts = entry["counts"]
        name = f" {entry['name']!r}" if entry["name"] else ""
        typer.echo(
            f"{entry['id']}{name} {entry['currency']}: {_n(counts['groups'], 'group')}, "
            f"{_n(counts['campaigns'], 'campaign')}, {_n(counts['creatives'], 'creative')} "
            f"in {', '.join(entry['files'])}"
        )


def describe(state: DesiredState) -> list[dict[str, Any]]:
    """Each account of ``state`` as the JSON output lists it, by id."""
    return [
        {
            "id": account.id,
            "name": account.name,
            "currency": account.currency,
            "files": list(state.account_files.get(account.id, ())),
            "counts": {
                "groups": len(account.groups),
                "campaigns": sum(1 for _ in account.campaigns()),
                "creatives": sum(1 for _ in account.creatives()),
            },
        }
        for account in state.accounts
    ]


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' if count != 1 else ''}"
