"""What the applier reports: one :class:`ChangeResult` per change, progress events, the final report.

The applier never prints. It hands these values to a listener (a plain callable); the CLI turns
them into a progress bar, human lines or JSON events. Everything here is inert data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reconciler.errors import ApiError, TemporaryApiError, UnknownOutcome
from reconciler.plan import Action, Kind


class Status(StrEnum):
    """How one change ended."""

    APPLIED = "applied"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ErrorInfo:
    """An API failure as the user sees it: LinkedIn's code and the field paths it blamed."""

    message: str
    code: str | None = None
    http_status: int | None = None
    fields: tuple[str, ...] = ()
    temporary: bool = False

    @classmethod
    def of(cls, error: Exception) -> ErrorInfo:
        """The user-facing facts of an exception (API errors keep their code, status and fields)."""
        if isinstance(error, ApiError):
            return cls(
                str(error),
                error.code,
                error.status,
                error.field_paths,
                isinstance(error, TemporaryApiError | UnknownOutcome),
            )
        return cls(str(error))

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "message": self.message,
            "code": self.code,
            "status": self.http_status,
            "fields": list(self.fields),
        }


@dataclass(frozen=True)
class ChangeResult:
    """The final outcome of one change of the plan.

    ``id`` is the entity's live id (the new id for a create or replace); ``note`` says what the
    user should know beyond the status (adopted after an unknown outcome, already gone, why skipped).
    """

    address: str
    kind: Kind
    action: Action
    status: Status
    id: int | None = None
    error: ErrorInfo | None = None
    note: str = ""

    def to_event(self) -> dict[str, Any]:
        """The ``--format json`` line for this change."""
        return {
            "event": "change",
            "address": self.address,
            "kind": self.kind.value,
            "action": self.action.value,
            "status": self.status.value,
            "id": self.id,
            "error": self.error.to_dict() if self.error else None,
            "note": self.note or None,
        }


@dataclass(frozen=True)
class PhaseStarted:
    """A phase begins: ``step`` (create, update, …) of ``count`` resources of ``kind``."""

    step: str
    kind: Kind
    count: int


@dataclass(frozen=True)
class Notice:
    """Something worth telling while applying (an adoption, a lookup) that is not a final result."""

    message: str


Event = ChangeResult | PhaseStarted | Notice
Listener = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """A listener that drops every event."""


@dataclass(frozen=True)
class ApplyReport:
    """Every change's result, in plan order, whether ``--fail-fast`` stopped the run, and why it
    was ``interrupted`` (a signal, LinkedIn's daily quota; empty when it ran to its end)."""

    results: tuple[ChangeResult, ...]
    stopped: bool = False
    seconds: float = 0.0
    interrupted: str = ""

    def count(self, status: Status) -> int:
        """How many changes ended with ``status``."""
        return sum(r.status is status for r in self.results)

    @property
    def ok(self) -> bool:
        """True when every change was applied (and the run was not interrupted)."""
        return not self.interrupted and all(r.status is Status.APPLIED for r in self.results)

    def summary(self) -> dict[str, Any]:
        """The ``--format json`` summary event (the CLI adds the call counters)."""
        return {
            "event": "summary",
            "applied": self.count(Status.APPLIED),
            "failed": self.count(Status.FAILED),
            "skipped": self.count(Status.SKIPPED),
            "stopped": self.stopped,
            "interrupted": self.interrupted or None,
            "seconds": round(self.seconds, 3),
        }
