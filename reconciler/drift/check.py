"""The drift check end to end: load the manifests, read the live accounts, plan, classify.

Account by account (see :mod:`reconciler.drift.pipeline`): memory follows the largest account.
Takes values and returns values (the report, and the plan that would revert the drift); the CLI
decides what to print and whether to save the plan.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.api.client import LinkedInClient
from reconciler.drift.pipeline import drift_step
from reconciler.drift.report import DriftReport, sort_items
from reconciler.plan import Plan
from reconciler.planner import PlanOptions
from reconciler.workflow import Progress, build_plan


@dataclass(frozen=True)
class DriftResult:
    """A drift report, the plan that brings the live accounts back to the manifests, and the
    accounts checked (in order).

    The plan is an ordinary plan: applying it reverts the drift and also creates what was never
    applied (the report tells the two apart).
    """

    report: DriftReport
    plan: Plan
    accounts: tuple[int, ...] = ()


def check_drift(
    paths: Sequence[str | Path],
    client: LinkedInClient,
    *,
    target: str,
    options: PlanOptions | None = None,
    count_unmanaged: bool = True,
    progress: Progress | None = None,
    accounts: Collection[int] | None = None,
    parallel_accounts: int | None = None,
) -> DriftResult:
    """Compare the live accounts with the manifests at ``paths`` (only ``accounts``, when given),
    reading ``parallel_accounts`` accounts at once (see :func:`~reconciler.workflow.build_plan`,
    whose errors it raises, in its order).

    Makes only the reads: the revert plan is neither reviewed nor access-checked."""
    result = build_plan(
        paths,
        client,
        target=target,
        options=options,
        progress=progress,
        accounts=accounts,
        parallel_accounts=parallel_accounts,
        step=drift_step(progress),
    )
    plan = result.plan
    report = DriftReport(
        target=plan.target,
        api_version=plan.api_version,
        manifest_checksum=plan.manifest_checksum,
        items=sort_items([item for account in result.accounts for item in result.visited[account]]),
        count_unmanaged=count_unmanaged,
    )
    return DriftResult(report, plan, result.accounts)
