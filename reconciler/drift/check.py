"""The drift check end to end: load the manifests, read the live accounts, plan, classify.

Takes values and returns values (the report, and the plan that would revert the drift); the CLI
decides what to print and whether to save the plan.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.adcontent.reader import read_content
from reconciler.api.client import LinkedInClient
from reconciler.drift.detect import detect, unpin_missing
from reconciler.drift.report import DriftReport
from reconciler.manifest import DesiredState, load_project
from reconciler.plan import Plan
from reconciler.planner import PlanOptions, make_plan
from reconciler.workflow import Progress, read_live, with_assets, with_recovered


@dataclass(frozen=True)
class DriftResult:
    """A drift report, and the plan that brings the live accounts back to the manifests.

    The plan is an ordinary plan: applying it reverts the drift and also creates what was never
    applied (the report tells the two apart).
    """

    report: DriftReport
    plan: Plan
    desired: DesiredState


def check_drift(
    paths: Sequence[str | Path],
    client: LinkedInClient,
    *,
    target: str,
    options: PlanOptions | None = None,
    count_unmanaged: bool = True,
    progress: Progress | None = None,
    accounts: Collection[int] | None = None,
) -> DriftResult:
    """Compare the live accounts with the manifests at ``paths`` (only ``accounts``, when given)."""
    desired = load_project(paths, accounts=accounts)
    live = read_live(client, desired, progress)
    live = read_content(client, desired.accounts, live)  # the posts behind managed creatives
    options = with_recovered(client, desired.accounts, live, with_assets(options or PlanOptions(), paths))
    pinned, missing = unpin_missing(desired.accounts, live)
    plan = make_plan(
        pinned,
        live,
        target=target,
        api_version=client.version,
        manifest_checksum=desired.checksum,
        options=options,
    )
    scope = (options or PlanOptions()).only
    in_scope = {path: gone for path, gone in missing.items() if scope.covers(path)}
    report = detect(plan, live, desired, in_scope, count_unmanaged=count_unmanaged)
    return DriftResult(report, plan, desired)
