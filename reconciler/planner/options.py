"""What a caller may choose about planning."""

from __future__ import annotations

from dataclasses import dataclass, field

from reconciler.guardrails import Thresholds


@dataclass(frozen=True)
class PlanOptions:
    """Choices that change what the planner may propose."""

    allow_replace: bool = False
    thresholds: Thresholds = field(default_factory=Thresholds)
    explain: str | None = None  # a field name: say, per matched resource, why it is equal or not
