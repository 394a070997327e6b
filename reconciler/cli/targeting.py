"""``reconciler targeting search``: find targeting names and their URNs in LinkedIn's catalog."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from reconciler.api.targeting import TargetingEntity
from reconciler.cli.app import PlainCommand, PlainGroup, app
from reconciler.cli.common import (
    OutputFormat,
    TargetOption,
    TimeoutOption,
    announce,
    echo_json,
    exit_with,
    report_api_usage,
)
from reconciler.errors import ConfigError, ReconcilerError
from reconciler.model.enums import TARGETING_FACETS
from reconciler.target import resolve_target
from reconciler.targeting.resolve import candidates

targeting_app = typer.Typer(
    cls=PlainGroup,
    name="targeting",
    help="Look up LinkedIn's targeting catalog: the names and URNs manifests can target.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(targeting_app, name="targeting")


@targeting_app.command("search", cls=PlainCommand)
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="A name or part of one.", show_default=False)],
    facet: Annotated[
        str,
        typer.Option(
            "--facet",
            metavar="FACET",
            help="The facet, by its manifest name: titles, skills, employers, locations, seniorities, "
            "jobFunctions, industries, staffCountRanges, …",
            show_default=False,
        ),
    ],
    target: TargetOption = None,
    timeout: TimeoutOption = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="human: one 'name  URN' line per candidate; json: a list."),
    ] = OutputFormat.human,
) -> None:
    """Show the targeting entries whose name matches TEXT in a facet: name and URN.

    Open facets (titles, skills, employers, schools, locations…) are searched with LinkedIn's
    typeahead; closed lists (seniorities, jobFunctions, staffCountRanges…) are read
    whole and filtered by TEXT ('' lists them all). An exact name comes first. Write the name as
    shown in a manifest and run 'reconciler lock', or write the URN.

    Exit status: 0 candidates found, 1 none, or an error.

    Example: reconciler targeting search 'Chief Technology' --facet titles
    """
    if facet not in TARGETING_FACETS:
        exit_with(ConfigError(f"unknown facet '{facet}'; facets: {', '.join(TARGETING_FACETS)}"))
    try:
        target_obj = resolve_target(target, os.environ, timeout=timeout)
        announce(target_obj)
        with target_obj.client() as client:
            found = candidates(client.targeting, facet, text)
            stats = client.stats.snapshot()
    except LookupError as err:
        exit_with(ConfigError(str(err.args[0])))
    except ReconcilerError as err:
        exit_with(err)
    _show(found, facet, output)
    report_api_usage(stats)
    if not found:
        typer.echo(f"No {facet} entry matches '{text}'.", err=True)
        raise typer.Exit(1)


def _show(found: list[TargetingEntity], facet: str, output: OutputFormat) -> None:
    if output is OutputFormat.json:
        echo_json({"facet": facet, "candidates": [{"name": e.name, "urn": e.urn} for e in found]})
        return
    width = max((len(e.name) for e in found), default=0)
    for entity in found:
        typer.echo(f"{entity.name.ljust(width)}  {entity.urn}")
