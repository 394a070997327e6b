"""The end-to-end operations behind the commands: load, read live state, plan.

Each function takes values and returns values (a Plan, with what it was made from); the CLI
decides what to print. Progress is reported through an optional callback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.api.client import LinkedInClient
from reconciler.errors import NotFound, PlanError
from reconciler.live import LiveAccount, read_accounts
from reconciler.manifest import DesiredState, load_project
from reconciler.plan import Plan
from reconciler.planner import PlanOptions, make_plan

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanResult:
    """A plan and what it was made from."""

    plan: Plan
    desired: DesiredState
    live: Mapping[int, LiveAccount]
    calls: int


def read_live(
    client: LinkedInClient, desired: DesiredState, progress: Progress | None = None
) -> dict[int, LiveAccount]:
    """Read every account the manifests name; refuse an account whose currency differs."""
    ids = [account.id for account in desired.accounts]
    try:
        live = read_accounts(client, ids, progress=progress)
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


def build_plan(
    paths: Sequence[str | Path],
    client: LinkedInClient,
    *,
    target: str,
    options: PlanOptions | None = None,
    progress: Progress | None = None,
) -> PlanResult:
    """Load and validate the manifests, read the live accounts, and plan."""
    desired = load_project(paths)
    if progress:
        progress(f"read {len(desired.files)} manifest file(s)")
    before = client.stats.calls
    live = read_live(client, desired, progress)
    plan = make_plan(
        desired.accounts,
        live,
        target=target,
        api_version=client.version,
        manifest_checksum=desired.checksum,
        options=options,
    )
    return PlanResult(plan, desired, live, client.stats.calls - before)
