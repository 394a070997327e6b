"""The end-to-end operations behind the commands: load, read live state, plan.

Each function takes values and returns values (a Plan, with what it was made from); the CLI
decides what to print. Progress is reported through an optional callback.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reconciler.adcontent.reader import fetch_all, read_content, recover_assets
from reconciler.api.client import LinkedInClient
from reconciler.errors import NotFound, PermanentApiError, PlanError
from reconciler.gcpause import paused_gc
from reconciler.live import LiveAccount, read_accounts
from reconciler.manifest import DesiredState, load_project
from reconciler.manifest.lockfile import load_lock
from reconciler.plan import Plan
from reconciler.planner import PlanOptions, make_plan_counted
from reconciler.planner.access import access_violations

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanResult:
    """A plan and what it was made from."""

    plan: Plan
    desired: DesiredState
    live: Mapping[int, LiveAccount]
    calls: int
    managed: Mapping[int, Mapping[str, int]] = field(default_factory=dict)  # per account and kind


def read_live(
    client: LinkedInClient,
    desired: DesiredState,
    progress: Progress | None = None,
    started: Mapping[int, Future[dict[int, LiveAccount]]] | None = None,
) -> dict[int, LiveAccount]:
    """Read every account the manifests name (taking those in ``started``, reads already under way,
    from there); refuse an account whose currency differs."""
    ids = [account.id for account in desired.accounts]
    started = started or {}
    try:
        live = read_accounts(client, [i for i in ids if i not in started], progress=progress)
        for account_id in ids:
            if account_id in started:
                live.update(started[account_id].result())
    except NotFound as exc:
        raise PlanError(f"an ad account of the manifests does not exist at this target: {exc}") from exc
    for account in desired.accounts:
        currency = live[account.id].currency
        if currency != account.currency:
            raise PlanError(
                f"ad account {account.id} is in {currency}, but the manifests say {account.currency}; "
                "fix account.currency"
            )
    return live


@paused_gc()  # across the three steps: the collector would otherwise run after each, over all of it
def build_plan(
    paths: Sequence[str | Path],
    client: LinkedInClient,
    *,
    target: str,
    options: PlanOptions | None = None,
    progress: Progress | None = None,
    accounts: Collection[int] | None = None,
) -> PlanResult:
    """Load and validate the manifests, read the live accounts, and plan (only ``accounts``, when
    given: see :func:`~reconciler.manifest.load_project`).

    An account is read from the moment a manifest file naming it has been read without a problem,
    while the other files load: reading is mostly waiting on the network, loading mostly CPU (a
    no-op plan at LinkedIn's limits: 5.1-5.5 s one after the other, 4.3-4.9 s side by side). So a
    plan that fails on a problem found later may have read an account first (never written to one),
    and reports it once that read ends.
    """
    before = client.stats.calls
    options = with_assets(options or PlanOptions(), paths)
    # A project whose lock file records uploads manages ad content: the posts behind the account's
    # creatives are read as soon as the account is, while the manifests still load.
    early_content = bool(options.assets)
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="reconciler-read") as pool:
        started: dict[int, Future[dict[int, LiveAccount]]] = {}
        fetched: dict[int, Future[dict[str, dict[str, Any]]]] = {}

        def read_early(account_id: int) -> None:
            if account_id not in started:
                read = pool.submit(read_accounts, client, [account_id], progress=progress)
                started[account_id] = read
                if early_content:
                    fetched[account_id] = pool.submit(lambda: fetch_all(client, read.result()[account_id]))

        desired = load_project(paths, on_account=read_early, accounts=accounts)
        if progress:
            progress(f"read {len(desired.files)} manifest file(s)")
        live = read_live(client, desired, progress, started)
        live = read_content(client, desired.accounts, live, {a: f.result() for a, f in fetched.items()})
    options = with_recovered(client, desired, live, options)
    plan, managed = make_plan_counted(
        desired.accounts,
        live,
        target=target,
        api_version=client.version,
        manifest_checksum=desired.checksum,
        options=options,
    )
    plan = check_access(plan, client)
    return PlanResult(plan, desired, live, client.stats.calls - before, managed)


def with_assets(options: PlanOptions, paths: Sequence[str | Path]) -> PlanOptions:
    """``options`` with the uploaded files the lock file of ``paths`` records (sha256 -> owner ->
    asset URN), unless the caller gave them."""
    if options.assets or not paths:
        return options
    lock = load_lock([Path(p) for p in paths])
    return replace(options, assets={sha: dict(pin.urns) for sha, pin in lock.assets.items()})


def with_recovered(
    client: LinkedInClient, desired: DesiredState, live: Mapping[int, LiveAccount], options: PlanOptions
) -> PlanOptions:
    """``options`` with the uploads the lock file misses but LinkedIn holds (see
    :func:`~reconciler.adcontent.reader.recover_assets`); no call when the lock has them all."""
    found = recover_assets(client, desired.accounts, live, options.assets)
    if not found:
        return options
    merged = {key: dict(owners) for key, owners in options.assets.items()}
    for key, owners in found.items():
        merged.setdefault(key, {}).update(owners)
    return replace(options, assets=merged)


def check_access(plan: Plan, client: LinkedInClient) -> Plan:
    """``plan`` with a violation for each account whose changes the member's role forbids.

    No call when the plan has no changes; otherwise one ``adAccountUsers`` finder (a few pages at
    most), read once per client. A server that cannot answer it leaves a note, not a failure: the
    apply then learns the role from LinkedIn's first refusal.
    """
    if not plan.changes:
        return plan
    try:
        roles = client.member_roles()
    except PermanentApiError as exc:
        note = f"the member's account roles could not be read ({exc}); a write may be refused"
        return replace(plan, notes=(*plan.notes, note))
    found = access_violations(plan.changes, roles)
    return replace(plan, violations=(*plan.violations, *found)) if found else plan
