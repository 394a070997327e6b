"""Lifecycle state machines (reference §3.1–§3.4; the exact tables are INFERRED, see docs/emulator.md).

A status may stay as it is; any other move must be listed. Statuses the system sets (COMPLETED,
CANCELED, REMOVED) are never client-settable, nothing returns to DRAFT, and an entity in a
terminal status (CANCELED, PENDING_DELETION, REMOVED) accepts no further change at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from reconciler.emulator.errors import Problems

TERMINAL = frozenset({"CANCELED", "PENDING_DELETION", "REMOVED"})

ACCOUNT: Mapping[str, frozenset[str]] = {
    "DRAFT": frozenset({"ACTIVE", "CANCELED"}),
    "ACTIVE": frozenset({"CANCELED"}),
}
# Groups and campaigns share one machine; campaigns also know COMPLETED (end date reached).
_LIVE = frozenset({"ACTIVE", "PAUSED", "ARCHIVED", "PENDING_DELETION"})
GROUP: Mapping[str, frozenset[str]] = {
    "DRAFT": _LIVE,
    "ACTIVE": _LIVE,
    "PAUSED": _LIVE,
    "ARCHIVED": _LIVE,
}
CAMPAIGN: Mapping[str, frozenset[str]] = {**GROUP, "COMPLETED": frozenset({"ARCHIVED", "PENDING_DELETION"})}
CREATIVE: Mapping[str, frozenset[str]] = GROUP

ACCOUNT_STATUSES = frozenset({"ACTIVE", "CANCELED", "DRAFT", "PENDING_DELETION", "REMOVED"})
GROUP_STATUSES = frozenset(
    {"ACTIVE", "ARCHIVED", "CANCELED", "DRAFT", "PAUSED", "PENDING_DELETION", "REMOVED"}
)
CAMPAIGN_STATUSES = GROUP_STATUSES | {"COMPLETED"}
CREATIVE_STATUSES = GROUP_STATUSES


def check_frozen(problems: Problems, status: str | None, entity: str, key: object) -> bool:
    """ACTION_NOT_ALLOWED_FOR_CANCELLED_STATUS when the entity is terminal; True when it is."""
    if status in TERMINAL:
        problems.add(
            "ACTION_NOT_ALLOWED_FOR_CANCELLED_STATUS",
            "status",
            f"{entity} {key} is {status}; no further changes are allowed",
        )
        return True
    return False


def check_move(
    problems: Problems,
    table: Mapping[str, frozenset[str]],
    before: str | None,
    after: str | None,
    *,
    field: str = "status",
    code: str = "STATUS_CHANGE_NOT_ALLOWED",
) -> None:
    """Refuse a status move the table does not list."""
    if before == after or before is None or after is None:
        return
    if after not in table.get(before, frozenset()):
        if code == "INVALID_STATUS_TRANSITION":
            message = f"The status can't be updated to {after} if the previous status is {before}."
        else:
            message = f"{field} can't be changed from {before} to {after}"
        problems.add(code, field, message)
