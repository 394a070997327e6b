"""The import's own check: the written manifests are valid, and planning them against the live
account they came from changes nothing.

Runs the manifest pipeline and the planner on what was written, against the live state already
read (no further API call). A plan that is not empty is not an error, but the CLI says so: names
the manifest rules forced to change are renamed by the next apply, for instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.errors import ManifestError, Problem
from reconciler.live import LiveAccount
from reconciler.manifest import load_project
from reconciler.plan import Plan
from reconciler.planner import make_plan


@dataclass(frozen=True)
class Verification:
    """``problems`` of the written manifests (none when valid); ``plan`` against the live account
    (None when the manifests are invalid)."""

    problems: tuple[Problem, ...] = ()
    plan: Plan | None = None

    @property
    def exact(self) -> bool:
        """Valid, and a plan would change nothing."""
        return not self.problems and self.plan is not None and self.plan.empty


def verify(paths: Sequence[Path], live: LiveAccount, *, target: str, api_version: str) -> Verification:
    """Validate ``paths`` and plan them against ``live``."""
    try:
        desired = load_project(list(paths))
    except ManifestError as err:
        return Verification(problems=err.problems)
    plan = make_plan(
        desired.accounts,
        {live.id: live},
        target=target,
        api_version=api_version,
        manifest_checksum=desired.checksum,
    )
    return Verification(plan=plan)
