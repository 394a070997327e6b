"""``reconciler import``: write manifests for an ad account that already exists."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from reconciler.api import LinkedInClient
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
from reconciler.errors import (
    ApiError,
    ConfigError,
    ManifestError,
    NotFound,
    ReconcilerError,
)
from reconciler.importer import (
    SCHEMA_FILE,
    ImportOptions,
    ImportResult,
    Verification,
    build_manifests,
    schema_file,
    schema_reference,
    verify,
    write_files,
)
from reconciler.importer.targeting_names import targeting_urns
from reconciler.live import LiveAccount, read_accounts
from reconciler.manifest.lockfile import LOCK_NAME, load_lock, save_lock
from reconciler.plan import Action
from reconciler.target import resolve_target


@app.command("import")
def import_(
    account: Annotated[
        int,
        typer.Option(
            "--account", "-a", metavar="ID", help="The ad account id to import.", show_default=False
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="The directory to write the manifests into.",
            show_default=False,
        ),
    ],
    target: TargetOption = None,
    timeout: TimeoutOption = None,
    groups: Annotated[
        list[str] | None,
        typer.Option(
            "--group",
            "-g",
            metavar="NAME",
            help="Import only this campaign group (its name or id); repeat for several. Default: all.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
) -> None:
    """Write manifests for an ad account that already exists, so it can be managed as code.

    Writes OUT/account.yaml (the account, campaign settings every campaign shares as defaults, and
    the targeting two or more campaigns share as named audiences) and one OUT/groups/<name>.yaml
    per campaign group, every group, campaign and creative pinned by id. Targeting values are
    written by the names LinkedIn gives them (adTargetingEntities), each pinned to its URN in
    OUT/reconciler.lock.yaml; a value without a name of its own stays a URN. Entities LinkedIn removed
    (REMOVED, CANCELED, PENDING_DELETION) are skipped and counted. Existing files are never
    overwritten without --force. The result is checked: valid manifests, and a plan against the
    account shows no changes.

    Exit status: 0 imported, 1 error (nothing written when the account cannot be read or a file
    exists; files written but invalid).

    Example: reconciler import --account 500000001 --out manifests/
    """
    if out.exists() and not out.is_dir():
        exit_with(ConfigError(f"--out {out} is a file; give the directory to write the manifests into"))
    try:
        target_obj = resolve_target(target, os.environ, timeout=timeout)
        announce(target_obj)
        with target_obj.client() as client, spinner("Reading the ad account") as progress:
            client.wire.on_retry = progress
            live = read_accounts(client, [account], progress=progress)[account]
            named = _targeting_names(client, live)
            stats = client.stats.snapshot()
        reference = schema_reference(out)
        options = ImportOptions(tuple(groups or ()), reference or SCHEMA_FILE, named)
        result = build_manifests(live, options)
        extra = () if reference else (schema_file(),)
        written = write_files(out, (*result.files, *extra), force=force)
        manifests = written[: len(result.files)]
        _pin_names(out, result.pins)
        check = verify(manifests, live, target=target_obj.description, api_version=target_obj.version)
    except NotFound:
        exit_with(
            ConfigError(f"ad account {account} does not exist at this target, or this token cannot see it")
        )
    except ManifestError as err:  # a lock file already in OUT that cannot be read
        report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        exit_with(err)
    _import_summary(result, out)
    if result.pins:
        pinned = sum(len(names) for names in result.pins.values())
        typer.echo(
            f"Pinned {_count(pinned, 'targeting name')} in {out / LOCK_NAME}; commit it with the manifests."
        )
    report_api_usage(stats)
    if not reference:
        typer.echo(f"Wrote the manifest schema for editors to {out / SCHEMA_FILE}; keep it with them.")
    _import_check(check, out)


def _targeting_names(client: LinkedInClient, live: LiveAccount) -> dict[str, str]:
    """URN -> name of every targeting value of the account (``q=urns``); none when LinkedIn does
    not answer, so the manifests keep URNs rather than the import failing."""
    urns = {u for values in targeting_urns(c.targeting for c in live.campaigns).values() for u in values}
    try:
        return {urn: entity.name for urn, entity in client.targeting.by_urns(urns).items()}
    except ApiError as err:
        typer.echo(f"warning: targeting kept as URNs: LinkedIn did not name them ({err})", err=True)
        return {}


def _pin_names(out: Path, pins: Mapping[str, Mapping[str, str]]) -> None:
    """Pin the names the manifests were written with in OUT's lock file (other pins kept)."""
    if not pins:
        return
    lock = load_lock([out])
    for facet, names in pins.items():
        lock.targeting.setdefault(facet, {}).update(names)
    save_lock(lock)


def _import_summary(result: ImportResult, out: Path) -> None:
    counts = result.counts
    typer.echo(
        f"Imported ad account {result.account} ({result.currency}) into {out}: "
        f"{_count(counts['groups'], 'campaign group')}, {_count(counts['campaigns'], 'campaign')}, "
        f"{_count(counts['creatives'], 'creative')}, {_count(counts['audiences'], 'audience')}; "
        f"{_count(len(result.files), 'file')} written."
    )
    if result.skipped:
        parts = ", ".join(_count(n, kind.removesuffix("s")) for kind, n in sorted(result.skipped.items()))
        typer.echo(f"Skipped {parts} that LinkedIn removed (REMOVED, CANCELED or PENDING_DELETION).")
    for note in result.notes[:10]:
        typer.echo(f"note: {note}")
    if len(result.notes) > 10:
        typer.echo(f"note: … and {len(result.notes) - 10:,} more notes like these")


def _import_check(check: Verification, out: Path) -> None:
    if check.problems:
        report_problems(check.problems, OutputFormat.human)
        typer.echo(f"The imported manifests in {out} are not valid: fix the problems above.", err=True)
        raise typer.Exit(1)
    assert check.plan is not None
    if check.plan.empty:
        typer.echo(
            f"Check: valid, and a plan against the account shows no changes. Next: reconciler plan {out}"
        )
        return
    changes = sum(check.plan.summary()[a.value] for a in Action)
    typer.echo(
        f"Check: valid, but a plan against the account shows {_count(changes, 'change')} (see the notes "
        f"above; review them with: reconciler plan {out})"
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
