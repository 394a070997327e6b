"""Recomputing a saved plan's limits and guardrails from its own changes and the live accounts.

A plan file's ``budgets``, ``headroom`` and ``violations`` are only what it says about itself: an
edited plan (a changed amount, an appended create) can say anything there and recompute its checksum.
:func:`recheck` plays the plan's changes — what apply would write — on the live accounts as read now,
and evaluates the guardrails on the result, exactly as the planner does for a fresh plan.

Removal thresholds count, per kind, against the live entities the manifests manage (as a fresh plan
of them counts); without the manifests (``managed`` not given) against every live entity of the
kind that is not archived or removed.
Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from reconciler.guardrails import (
    Baseline,
    CampaignState,
    CreativeState,
    GroupState,
    Thresholds,
    evaluate,
)
from reconciler.live import GONE, LiveAccount
from reconciler.plan import Action, BudgetImpact, Headroom, Kind, Plan, ResourceChange, Violation
from reconciler.planner.rules import ARCHIVED
from reconciler.planner.state import StateBuilder, path_key

_PREFIX = {Kind.GROUP: "g", Kind.CAMPAIGN: "c", Kind.CREATIVE: "r"}
_REMOVING = (Action.ARCHIVE, Action.DELETE, Action.REPLACE)


def recheck(
    plan: Plan,
    live: Mapping[int, LiveAccount],
    *,
    thresholds: Mapping[int, Thresholds] | None = None,
    managed: Mapping[int, Mapping[str, int]] | None = None,
    baselines: Mapping[int, Baseline] | None = None,
) -> Plan:
    """``plan`` with its budgets, headroom and violations recomputed from its changes on ``live``.

    The file's own violations are kept beside the recomputed ones (a plan never gets less guarded
    than it says it is). ``thresholds`` and ``managed`` per account default to the project defaults
    and to every countable live entity; give ``managed`` only for a plan whose changes were found
    equal to a fresh plan's (its duplicate removals are then taken at their word). ``baselines``
    per account: where an interrupted apply this plan finishes began (from the local journal, never
    from the file), so its thresholds judge from there as a fresh plan's would. Raises KeyError
    for an account of the plan not in ``live``.
    """
    budgets: list[BudgetImpact] = []
    headroom: list[Headroom] = []
    violations: list[Violation] = []
    for account in accounts_of(plan):
        changes = [c for c in plan.changes if int(c.path[0]) == account]
        state = _Replay(live[account])
        for change in changes:
            state.play(change)
        counts = managed.get(account) if managed is not None else None
        # With the manifests, the changes are a fresh plan's (checked before this), so a removal of a
        # duplicate two applies at once left is one: like the planner, it counts as no removal.
        # Without them the file's word is all there is, and every removal counts.
        removing = [
            c
            for c in changes
            if c.action in _REMOVING and not (managed is not None and _duplicate_removal(c))
        ]
        verdict = evaluate(
            str(account),
            live[account].currency,
            state.builder.before(),
            state.builder.after(),
            managed=counts if counts is not None else _countable(live[account]),
            removed=Counter(c.kind.value for c in removing),
            thresholds=(thresholds or {}).get(account, Thresholds()),
            baseline=(baselines or {}).get(account),
        )
        budgets.append(verdict.budget)
        headroom.extend(verdict.headroom)
        violations.extend(verdict.violations)
    kept = [v for v in plan.violations if v not in violations and v.guard != "replace"]
    return replace(
        plan,
        budgets=tuple(budgets),
        headroom=tuple(headroom),
        violations=(*violations, *kept),
    )


def recheck_account(
    plan: Plan,
    account: int,
    live: LiveAccount,
    *,
    thresholds: Thresholds,
    managed: Mapping[str, int],
    baselines: Mapping[int, Baseline] | None = None,
) -> Plan:
    """:func:`recheck` of the changes ``plan`` makes to one ``account`` (only its budgets, headroom
    and recomputed violations), so that each account can be rechecked while its live state is at
    hand; :func:`combine` draws them together."""
    mine = replace(plan, changes=tuple(c for c in plan.changes if int(c.path[0]) == account), violations=())
    return recheck(
        mine,
        {account: live},
        thresholds={account: thresholds},
        managed={account: managed},
        baselines=baselines,
    )


def combine(plan: Plan, parts: Iterable[Plan]) -> Plan:
    """``plan`` with the budgets, headroom and violations of :func:`recheck_account` of each of its
    accounts (``parts``, in account order), and its own violations kept, as :func:`recheck` keeps them."""
    done = list(parts)
    violations = [v for p in done for v in p.violations]
    kept = [v for v in plan.violations if v not in violations and v.guard != "replace"]
    return replace(
        plan,
        budgets=tuple(b for p in done for b in p.budgets),
        headroom=tuple(h for p in done for h in p.headroom),
        violations=(*violations, *kept),
    )


def accounts_of(plan: Plan) -> list[int]:
    """The ad accounts a plan changes, in order."""
    return sorted({int(c.path[0]) for c in plan.changes})


def _duplicate_removal(change: ResourceChange) -> bool:
    """Whether ``change`` removes a later duplicate of a same-name entity, as the planner plans it:
    its address names the entity with its id (``… / Brand US (id 42)``)."""
    return (
        change.action in (Action.ARCHIVE, Action.DELETE)
        and change.id is not None
        and change.path[-1].endswith(f" (id {change.id})")
    )


def _countable(live: LiveAccount) -> Counter[str]:
    def serving(entities: Iterable[Any], attr: str) -> int:
        return sum(str(getattr(e, attr)) not in GONE | {ARCHIVED} for e in entities)

    return Counter(
        campaignGroup=serving((g for g in live.groups if not g.is_default), "status"),
        campaign=serving(live.campaigns, "status"),
        creative=serving(live.creatives, "intended_status"),
    )


class _Replay:
    """The after-state of one account, built by playing changes on the live one."""

    def __init__(self, live: LiveAccount) -> None:
        self.builder = StateBuilder(live)

    def play(self, change: ResourceChange) -> None:
        if change.action is Action.DELETE:
            self.builder.delete(self._key(change))
            return
        if change.action is Action.REPLACE:
            self.builder.archive(self._key(change))
        if change.action in (Action.CREATE, Action.REPLACE):
            self._create(change)
        else:
            self._update(change)

    def _key(self, change: ResourceChange) -> str:
        return f"{_PREFIX[change.kind]}:{change.id}"

    def _parent(self, change: ResourceChange) -> str:
        if change.parent_id is not None:
            return f"{'g' if change.kind is Kind.CAMPAIGN else 'c'}:{change.parent_id}"
        return path_key(change.path[:-1])

    def _create(self, change: ResourceChange) -> None:
        body, key = change.body, path_key(change.path)
        b = self.builder
        if change.kind is Kind.GROUP:
            status = str(body.get("status", "ACTIVE"))
            b.groups[key] = GroupState(
                key, status, _amount(body, "totalBudget"), False, _amount(body, "dailyBudget")
            )
            b.names[key] = change.name
        elif change.kind is Kind.CAMPAIGN:
            status = "ACTIVE" if change.activate else str(body.get("status", "DRAFT"))
            group = self._parent(change)
            daily, total = _amount(body, "dailyBudget"), _amount(body, "totalBudget")
            b.campaigns[key] = CampaignState(key, group, status, daily, total)
            b.names[key] = f"{b.names.get(group, '?')} / {change.name}"
        else:
            b.creatives[key] = CreativeState(self._parent(change), str(body.get("intendedStatus", "DRAFT")))

    def _update(self, change: ResourceChange) -> None:
        key, body, cleared = self._key(change), change.body, set(change.delete_fields)
        b = self.builder
        if change.kind is Kind.GROUP and key in b.groups:
            g = b.groups[key]
            b.names[key] = str(body.get("name", b.names.get(key, "")))
            b.groups[key] = replace(
                g,
                status=str(body.get("status", g.status)),
                total_budget=_amount(body, "totalBudget", g.total_budget, cleared),
                daily_budget=_amount(body, "dailyBudget", g.daily_budget, cleared),
            )
        elif change.kind is Kind.CAMPAIGN and key in b.campaigns:
            c = b.campaigns[key]
            status = "ACTIVE" if change.activate else str(body.get("status", c.status))
            group = body.get("campaignGroup")
            if "name" in body:
                b.names[key] = f"{b.names.get(c.group, '?')} / {body['name']}"
            b.campaigns[key] = replace(
                c,
                group=f"g:{str(group).rsplit(':', 1)[-1]}" if group else c.group,
                status=status,
                daily_budget=_amount(body, "dailyBudget", c.daily_budget, cleared),
                total_budget=_amount(body, "totalBudget", c.total_budget, cleared),
            )
        elif change.kind is Kind.CREATIVE and key in b.creatives:
            r = b.creatives[key]
            b.creatives[key] = CreativeState(r.campaign, str(body.get("intendedStatus", r.status)))


def _amount(
    body: Mapping[str, Any], name: str, current: Decimal | None = None, cleared: set[str] | None = None
) -> Decimal | None:
    """The amount of money field ``name`` after the change: set, cleared, or as it was."""
    if cleared and name in cleared:
        return None
    money = body.get(name)
    if money is None:
        return current
    try:
        amount = Decimal(str(money["amount"])) if isinstance(money, Mapping) else None
    except (KeyError, InvalidOperation):
        return current
    return amount if amount is not None and amount.is_finite() else current
