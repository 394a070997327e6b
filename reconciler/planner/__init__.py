"""The planner: desired accounts + live accounts -> an inert Plan.

It matches identities (``id`` pin first, then name within the parent), classifies each resource
(create, update, archive, delete, replace, no-op), orders work so parents exist before children
and campaigns go live only after their creatives, lists unmanaged live entities (or prunes them
where a manifest opts in), and runs the guardrails on the whole plan. It does no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from reconciler.errors import PlanError
from reconciler.gcpause import paused_gc
from reconciler.live import LiveAccount
from reconciler.model import Account
from reconciler.plan import (
    BudgetImpact,
    Headroom,
    Plan,
    ResourceChange,
    Unmanaged,
    Violation,
    loses_history,
    sort_changes,
)
from reconciler.planner.account import AccountPlanner
from reconciler.planner.facets import with_facet_diff
from reconciler.planner.options import PlanOptions
from reconciler.planner.scope import Scope

__all__ = [
    "AccountPlan",
    "PlanOptions",
    "Scope",
    "assemble",
    "make_plan",
    "make_plan_counted",
    "plan_account",
]

# The one "replace" violation of a plan starts so, then names every replace (see planner.merge).
REPLACE_VIOLATION = "replacing loses reporting history; needs --allow-replace: "
PARTIAL_NOTE = "Partial plan (--only "


def make_plan(
    accounts: Sequence[Account],
    live: Mapping[int, LiveAccount],
    *,
    target: str,
    api_version: str,
    manifest_checksum: str,
    options: PlanOptions | None = None,
) -> Plan:
    """Plan every account of the manifests against its live state.

    Raises AmbiguousLiveState when two live siblings share a name the manifests use, and
    PlanError when an ``id`` pin names an entity the account does not have.
    """
    return make_plan_counted(
        accounts,
        live,
        target=target,
        api_version=api_version,
        manifest_checksum=manifest_checksum,
        options=options,
    )[0]


@paused_gc()
def make_plan_counted(
    accounts: Sequence[Account],
    live: Mapping[int, LiveAccount],
    *,
    target: str,
    api_version: str,
    manifest_checksum: str,
    options: PlanOptions | None = None,
) -> tuple[Plan, dict[int, dict[str, int]]]:
    """:func:`make_plan`, and per account the live entities the manifests manage, per kind (what the
    removal thresholds count against; a saved plan's guardrails are recomputed with them)."""
    opts = options or PlanOptions()
    planned = [plan_account(account, live[account.id], opts) for account in accounts]
    return assemble(
        planned, target=target, api_version=api_version, manifest_checksum=manifest_checksum, options=opts
    )


@dataclass(frozen=True)
class AccountPlan:
    """What a plan keeps of one account once it is planned: its changes, unmanaged entities, notes,
    guardrail verdict, managed counts per kind, and which ``--only`` addresses name one of its
    resources. It holds neither the account's live state nor its model."""

    account: int
    changes: tuple[ResourceChange, ...]
    unmanaged: tuple[Unmanaged, ...]
    notes: tuple[str, ...]
    budget: BudgetImpact
    headroom: tuple[Headroom, ...]
    violations: tuple[Violation, ...]
    managed: Mapping[str, int]
    named: frozenset[tuple[str, ...]] = frozenset()


def plan_account(account: Account, live: LiveAccount, options: PlanOptions) -> AccountPlan:
    """Plan one account against its live state (see :func:`make_plan` for what it raises)."""
    planner = AccountPlanner(account, live, options)
    planner.run()
    verdict = planner.verdict()
    named = frozenset(a for a in options.only.addresses if any(Scope((a,)).names(p) for p in planner.seen))
    return AccountPlan(
        account.id,
        sort_changes([with_facet_diff(c) for c in planner.changes]),
        tuple(planner.unmanaged),
        tuple(planner.notes),
        verdict.budget,
        tuple(verdict.headroom),
        tuple(verdict.violations),
        dict(planner.managed),
        named,
    )


def assemble(
    planned: Sequence[AccountPlan],
    *,
    target: str,
    api_version: str,
    manifest_checksum: str,
    options: PlanOptions,
) -> tuple[Plan, dict[int, dict[str, int]]]:
    """The plan of the accounts ``planned`` (in this order), and their managed counts per kind.

    PlanError when an ``--only`` address names no resource of any of them.
    """
    changes = [c for p in planned for c in p.changes]
    notes = [n for p in planned for n in p.notes]
    violations = [v for p in planned for v in p.violations]
    if options.only.partial:
        notes.insert(0, _partial(options.only, {a for p in planned for a in p.named}))
    if options.explain and not notes:
        notes.append(
            f"--explain {options.explain}: no managed resource sets or has this field; use the API's "
            "field names, e.g. dailyBudget, status, runSchedule, targetingCriteria, intendedStatus"
        )
    replaces = [c for c in changes if loses_history(c)]
    if replaces and not options.allow_replace:
        names = ", ".join(c.address for c in replaces)
        violations.append(Violation("replace", f"{REPLACE_VIOLATION}{names}"))
    made = Plan(
        target=target,
        api_version=api_version,
        manifest_checksum=manifest_checksum,
        changes=sort_changes(changes),
        unmanaged=tuple(sorted((u for p in planned for u in p.unmanaged), key=lambda u: (u.path, u.id))),
        budgets=tuple(p.budget for p in planned),
        headroom=tuple(h for p in planned for h in p.headroom),
        violations=tuple(violations),
        notes=tuple(notes),
    )
    return made, {p.account: dict(p.managed) for p in planned}


def _partial(scope: Scope, named: Collection[tuple[str, ...]]) -> str:
    """The note that opens a partial plan; PlanError when an address names no resource."""
    unknown = [a for a in scope.addresses if a not in named]
    if unknown:
        shown = ", ".join(repr(" / ".join(a)) for a in unknown)
        raise PlanError(
            f"--only {shown}: no campaign group, campaign or creative of the manifests or the account "
            "has this address; write it as the plan prints it, e.g. '500000001 / Brand / Brand — US'"
        )
    return (
        f"{PARTIAL_NOTE}{scope.describe()}): only these resources, what is below them and the "
        "parents they need are planned; everything else is left out and nothing outside them is pruned."
    )
