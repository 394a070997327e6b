"""Plans of disjoint ad accounts of one project -> the one plan a single run would have made.

A repository of many accounts may be planned one account per process (a CI matrix job each, with
``plan --account ID``); :func:`merge_plans` draws them together for one review. The plans must be
of the same manifests (checksum), target and API version, and no account may be in two of them.
Changes, unmanaged entities, budgets, headroom, violations and notes are gathered in account order,
as a single run orders them; the one "replace" violation a single run makes is made again from
theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.errors import PlanError
from reconciler.plan import Plan, Violation, sort_changes
from reconciler.planner import PARTIAL_NOTE, REPLACE_VIOLATION


def plan_accounts(plan: Plan) -> set[str]:
    """The ad accounts (ids as text) a plan covers: every planned account has headroom rows."""
    return (
        {h.account for h in plan.headroom}
        | {c.path[0] for c in plan.changes}
        | {u.path[0] for u in plan.unmanaged}
    )


def merge_plans(plans: Sequence[Plan], names: Sequence[str] | None = None) -> Plan:
    """One plan of every account of ``plans`` (``names`` label them in errors, e.g. file names).

    PlanError when they are of different manifests, targets or API versions, or share an account.
    """
    if not plans:
        raise PlanError("no plans to merge")
    labels = list(names) if names is not None else [f"plan {n + 1}" for n in range(len(plans))]
    _check_same_origin(plans, labels)
    keyed = sorted(zip(plans, labels, strict=True), key=lambda pair: _first_account(pair[0]))
    _check_disjoint(keyed)
    ordered = [plan for plan, _ in keyed]
    first = ordered[0]
    return Plan(
        target=first.target,
        api_version=first.api_version,
        manifest_checksum=first.manifest_checksum,
        changes=sort_changes([c for p in ordered for c in p.changes]),
        unmanaged=tuple(sorted((u for p in ordered for u in p.unmanaged), key=lambda u: (u.path, u.id))),
        budgets=tuple(b for p in ordered for b in p.budgets),
        headroom=tuple(h for p in ordered for h in p.headroom),
        violations=_violations(ordered),
        notes=_notes(ordered),
        names=dict(sorted({k: v for p in ordered for k, v in p.names.items()}.items())),
    )


def _check_same_origin(plans: Sequence[Plan], labels: Sequence[str]) -> None:
    first = plans[0]
    for plan, label in zip(plans[1:], labels[1:], strict=True):
        for what, mine, theirs in (
            ("manifests (checksum)", plan.manifest_checksum, first.manifest_checksum),
            ("target", plan.target, first.target),
            ("LinkedIn-Version", plan.api_version, first.api_version),
        ):
            if mine != theirs:
                raise PlanError(
                    f"{label} and {labels[0]} were made from different {what}: {mine!r} and {theirs!r}; "
                    "merge only plans of one commit, made against one target"
                )


def _check_disjoint(keyed: Sequence[tuple[Plan, str]]) -> None:
    seen: dict[str, str] = {}
    for plan, label in keyed:
        for account in sorted(plan_accounts(plan)):
            if account in seen:
                raise PlanError(f"ad account {account} is in both {seen[account]} and {label}")
            seen[account] = label


def _first_account(plan: Plan) -> int:
    accounts = plan_accounts(plan)
    return min((int(a) for a in accounts), default=0)


def _violations(plans: Sequence[Plan]) -> tuple[Violation, ...]:
    kept = [v for p in plans for v in p.violations if v.guard != "replace"]
    replaced = [
        v.message.removeprefix(REPLACE_VIOLATION) for p in plans for v in p.violations if v.guard == "replace"
    ]
    if replaced:
        kept.append(Violation("replace", REPLACE_VIOLATION + ", ".join(replaced)))
    return tuple(kept)


def _notes(plans: Sequence[Plan]) -> tuple[str, ...]:
    """Each note once, in order; the partial-plan note, which every run of ``--only`` opens with, first."""
    notes = list(dict.fromkeys(n for p in plans for n in p.notes))
    partial = [n for n in notes if n.startswith(PARTIAL_NOTE)]
    return tuple(partial + [n for n in notes if not n.startswith(PARTIAL_NOTE)])
