"""What a caller may choose about planning."""

from __future__ import annotations

from dataclasses import dataclass, field

from reconciler.guardrails import Thresholds
from reconciler.planner.scope import Scope


@dataclass(frozen=True)
class PlanOptions:
    """Choices that change what the planner may propose."""

    allow_replace: bool = False
    thresholds: Thresholds = field(default_factory=Thresholds)
    explain: str | None = None  # a field name: say, per matched resource, why it is equal or not
    only: Scope = field(default_factory=Scope)  # --only: plan these addresses and what they need
