"""Drift account by account, on the plan's pipeline: memory follows the largest account, not the sum.

:func:`~reconciler.workflow.build_plan` loads each account's manifest files, reads the account (a
few ahead, ``--parallel-accounts``) and hands both to :func:`account_drift`, which unpins what is
gone, plans the account and finds its drift items; only the account's plan and items are kept, and
its model and live state are let go before the next account is taken. The report is drawn from the
items of every account: each account's items depend on that account alone (see
:func:`~reconciler.drift.detect.drift_items`), so it is the report one pass over all of them makes.
"""

from __future__ import annotations

from collections.abc import Callable

from reconciler.drift.detect import drift_items, unpin_missing
from reconciler.drift.report import DriftItem
from reconciler.live import LiveAccount
from reconciler.model import Account
from reconciler.planner import AccountPlan, PlanOptions, plan_account
from reconciler.workflow import Positions, Step

# Said through ``progress`` once an account's drift is found, while its state is still held.
CHECKED = "checked account {} for drift"


def account_drift(
    account: Account, live: LiveAccount, positions: Positions, options: PlanOptions
) -> tuple[AccountPlan, tuple[DriftItem, ...]]:
    """One account's revert plan and drift items (unsorted).

    Pins to entities that are gone are removed before planning, so the plan creates those resources
    again instead of refusing the pin; they are reported missing when ``options.only`` covers them.
    Raises what the planner raises (see :func:`~reconciler.planner.make_plan`).
    """
    pinned, missing = unpin_missing([account], {account.id: live})
    planned = plan_account(pinned[0], live, options)
    in_scope = {path: gone for path, gone in missing.items() if options.only.covers(path)}
    found = {account.id: live}
    items = drift_items(planned.changes, planned.unmanaged, found, [account], positions, in_scope)
    return planned, tuple(items)


def drift_step(progress: Callable[[str], None] | None = None) -> Step:
    """:func:`account_drift` as :func:`~reconciler.workflow.build_plan`'s step, saying
    :data:`CHECKED` through ``progress`` after each account."""

    def step(
        account: Account, live: LiveAccount, positions: Positions, options: PlanOptions
    ) -> tuple[AccountPlan, tuple[DriftItem, ...]]:
        done = account_drift(account, live, positions, options)
        if progress is not None:
            progress(CHECKED.format(account.id))
        return done

    return step
