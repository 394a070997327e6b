"""Finishing an interrupted apply without ``--force``: where each account's run began.

An apply stopped half-way (killed, interrupted, out of quota) has already written part of its plan:
judged from the live state, the rerun would count those writes as a new change (55 of 100 new
campaigns live make the last 45 look like an 82% budget rise). So every run records in its journal,
per account, the :class:`~reconciler.guardrails.Baseline` it began from — or, when it finishes an
earlier run, that run's — and the rerun's thresholds judge from it. Pure functions, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal

from reconciler.guardrails import Baseline
from reconciler.plan import Action, Plan

REMOVALS = (Action.ARCHIVE, Action.DELETE, Action.REPLACE)


def baselines_for(
    plan: Plan, accounts: Sequence[int], carried: Mapping[int, Baseline], forced: bool
) -> dict[int, Baseline]:
    """Per account of ``plan`` (``accounts`` in the order of ``plan.budgets``): the baseline this
    run records — the one ``carried`` over from the run it finishes, else its own starting point.
    A run approved with ``--force`` approves what its plan reaches (in place of what an earlier
    forced run approved)."""
    out: dict[int, Baseline] = {}
    for account, budget in zip(accounts, plan.budgets, strict=False):
        after = Decimal(budget.daily_after)
        removed = dict(
            Counter(c.kind.value for c in plan.changes if c.action in REMOVALS and c.path[0] == str(account))
        )
        earlier = carried.get(account)
        if earlier is None:
            out[account] = Baseline("", Decimal(budget.daily_before), forced, after, removed)
        elif forced:  # approved now, with --force, up to what this plan reaches
            out[account] = Baseline(earlier.run, earlier.daily_before, True, after, removed)
        else:
            out[account] = earlier
    return out


def describe(carried: Mapping[int, Baseline]) -> str:
    """``the guardrails judge this plan from where the interrupted run … began (…)``."""
    runs = sorted({b.run for b in carried.values()})
    budgets = ", ".join(f"account {a}: {b.daily_before}" for a, b in sorted(carried.items()))
    forced = any(b.forced for b in carried.values())
    approval = "; that run was approved with --force up to what it planned" if forced else ""
    return (
        f"this apply finishes the interrupted run {', '.join(runs)}: the guardrails judge it from the "
        f"state before that run began (total daily budget {budgets}){approval}"
    )
