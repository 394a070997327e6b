"""``reconciler lock``: pin the targeting names of the manifests to URNs in the lock file."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from reconciler.cli.app import app
from reconciler.cli.common import (
    OutputFormat,
    TargetOption,
    TimeoutOption,
    announce,
    exit_with,
    report_api_usage,
    report_problems,
    spinner,
)
from reconciler.errors import ManifestError, ReconcilerError
from reconciler.target import resolve_target
from reconciler.targeting.lock import LockResult, Pinned, lock_targeting


@app.command()
def lock(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    target: TargetOption = None,
    timeout: TimeoutOption = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Look every name up again, not only those the lock does not pin yet "
            "(a name no longer found exactly once keeps its pin, and is reported).",
        ),
    ] = False,
) -> None:
    """Pin every targeting name of the manifests to its URN in reconciler.lock.yaml.

    Manifests may write targeting values by name ('seniorities: [Director, VP]',
    'locations: [United States]'). This looks each name the lock file does not pin yet up in
    LinkedIn's targeting catalog (adTargetingEntities: a closed list such as seniorities is read
    once, an open one such as titles is searched once per name), writes name -> URN into the
    'targeting' section of reconciler.lock.yaml in the first PATH's directory (sorted, one name
    per line), and drops names no manifest uses any more (when that directory is given, not only
    some of its files). Commit the lock with the manifests:
    validate, plan and apply read it offline, and refuse names it does not pin.

    A name must match one entry exactly (case aside). When several match, or none, it is not
    pinned: each place it is written is reported with the candidates and their URNs; write one
    of those names exactly as shown, or the URN itself. Names that did resolve are still written.

    Exit status: 0 every name pinned, 1 a name could not be pinned, or another error.

    Example: reconciler lock examples/quickstart
    """
    try:
        target_obj = resolve_target(target, os.environ, timeout=timeout)
        announce(target_obj)
        with target_obj.client() as client, spinner("Looking names up") as progress:
            client.wire.on_retry = progress
            result = lock_targeting(paths, client.targeting, refresh=refresh)
            stats = client.stats.snapshot()
    except ManifestError as err:
        report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        exit_with(err)
    _lock_summary(result)
    report_api_usage(stats)
    if result.problems:
        report_problems(tuple(result.problems), OutputFormat.human)
        raise typer.Exit(1)


def _lock_summary(result: LockResult) -> None:
    for sign, pins in (("+", result.added), ("-", result.removed)):
        for facet, names in sorted(pins.items()):
            for name, urn in sorted(names.items()):
                typer.echo(f"  {sign} {facet}: {name} = {urn}")
    what = f"{result.count:,} name{'s' if result.count != 1 else ''} pinned"
    changes = f" ({_count(result.added, 'added')}, {_count(result.removed, 'removed')})"
    if result.written:
        typer.echo(f"Wrote {result.lock.path}: {what}{changes}.")
    else:
        typer.echo(f"{result.lock.path} is up to date: {what}.")


def _count(pins: Pinned, verb: str) -> str:
    return f"{sum(len(n) for n in pins.values()):,} {verb}"
