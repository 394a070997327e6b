"""The planner: desired accounts + live accounts -> an inert Plan.

It matches identities (``id`` pin first, then name within the parent), classifies each resource
(create, update, archive, delete, replace, no-op), orders work so parents exist before children
and campaigns go live only after their creatives, lists unmanaged live entities (or prunes them
where a manifest opts in), and runs the guardrails on the whole plan. It does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
from reconciler.planner.options import PlanOptions
from reconciler.planner.scope import Scope

__all__ = ["PlanOptions", "Scope", "make_plan", "make_plan_counted"]

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
    managed: dict[int, dict[str, int]] = {}
    changes: list[ResourceChange] = []
    unmanaged: list[Unmanaged] = []
    notes: list[str] = []
    budgets: list[BudgetImpact] = []
    headroom: list[Headroom] = []
    violations: list[Violation] = []
    seen: list[tuple[str, ...]] = []
    for account in accounts:
        planner = AccountPlanner(account, live[account.id], opts)
        planner.run()
        seen.extend(planner.seen)
        managed[account.id] = dict(planner.managed)
        changes.extend(planner.changes)
        unmanaged.extend(planner.unmanaged)
        notes.extend(planner.notes)
        verdict = planner.verdict()
        budgets.append(verdict.budget)
        headroom.extend(verdict.headroom)
        violations.extend(verdict.violations)
    if opts.only.partial:
        notes.insert(0, _partial(opts.only, seen))
    if opts.explain and not notes:
        notes.append(
            f"--explain {opts.explain}: no managed resource sets or has this field; use the API's "
            "field names, e.g. dailyBudget, status, runSchedule, targetingCriteria, intendedStatus"
        )
    replaces = [c for c in changes if loses_history(c)]
    if replaces and not opts.allow_replace:
        names = ", ".join(c.address for c in replaces)
        violations.append(Violation("replace", f"{REPLACE_VIOLATION}{names}"))
    made = Plan(
        target=target,
        api_version=api_version,
        manifest_checksum=manifest_checksum,
        changes=sort_changes(changes),
        unmanaged=tuple(sorted(unmanaged, key=lambda u: (u.path, u.id))),
        budgets=tuple(budgets),
        headroom=tuple(headroom),
        violations=tuple(violations),
        notes=tuple(notes),
    )
    return made, managed


def _partial(scope: Scope, seen: Sequence[tuple[str, ...]]) -> str:
    """The note that opens a partial plan; PlanError when an address names no resource."""
    unknown = [a for a in scope.addresses if not any(Scope((a,)).names(path) for path in seen)]
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
