"""What a caller may choose about planning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reconciler.guardrails import Baseline, Thresholds
from reconciler.planner.scope import Scope


@dataclass(frozen=True)
class PlanOptions:
    """Choices that change what the planner may propose."""

    allow_replace: bool = False
    thresholds: Thresholds = field(default_factory=Thresholds)
    explain: str | None = None  # a field name: say, per matched resource, why it is equal or not
    only: Scope = field(default_factory=Scope)  # --only: plan these addresses and what they need
    # account id -> where an interrupted apply of it began: the thresholds judge from there
    baselines: Mapping[int, Baseline] = field(default_factory=dict)
    # targeting value URN -> name (the lock file's): what --explain shows a targeting by
    names: Mapping[str, str] = field(default_factory=dict)
    # The lock file's uploaded files: sha256 -> owner URN -> asset URN (managed content's files)
    assets: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # What the lock file recorded of each upload: sha256 -> (file, size), to name old files in plans
    asset_files: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    # Uploads the lock records but LinkedIn cannot serve: sha256 -> owner URN -> why they are made again
    reuploads: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
