"""The drift report: inert, frozen data saying how the live account departs from the manifests.

Built by :func:`reconciler.drift.detect.detect` from a plan and the live state; drawn by the
renderers in :mod:`reconciler.drift.render` from :meth:`DriftReport.to_dict` only. Field values
are in API form (as in a plan), so the renderers share the plan's value formatting.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from enum import StrEnum
from typing import Any


class DriftState(StrEnum):
    """How one resource stands against the manifests."""

    CHANGED = "changed"  # fields changed live (by hand, or by LinkedIn)
    MISSING = "missing"  # in the manifests and once live, now deleted or removed
    UNMANAGED = "unmanaged"  # live, and no manifest mentions it
    IGNORED = "ignored"  # changed live only in fields an ignoreChanges rule covers: not drift
    NOT_APPLIED = "not_applied"  # in the manifests, never created: not drift, just not applied yet
    REJECTED = "rejected"  # a managed creative LinkedIn's review rejected: it does not serve; not drift


# Display order; also the order of the summary.
STATE_ORDER = tuple(DriftState)
DRIFT_STATES = frozenset({DriftState.CHANGED, DriftState.MISSING, DriftState.UNMANAGED})


@dataclass(frozen=True)
class FieldDrift:
    """One field of one resource: what the manifests say and what is live, in API form."""

    field: str
    manifest: Any
    live: Any
    ignored: bool = False


@dataclass(frozen=True)
class DriftItem:
    """One resource that is not as the manifests say.

    ``path`` is the resource path in manifest terms (account id, group, campaign, creative);
    ``modified_at`` (epoch ms) and ``modified_by`` (a member URN) come from the live entity's
    audit stamps: who touched it last, and when. ``where`` is the manifest position, when the
    manifests define the resource; ``note`` says what the fix would do when that is not obvious.
    """

    state: DriftState
    kind: str
    path: tuple[str, ...]
    id: int | None = None
    fields: tuple[FieldDrift, ...] = ()
    status: str | None = None
    modified_at: int | None = None
    modified_by: str | None = None
    created_at: int | None = None
    where: str | None = None
    note: str = ""


@dataclass(frozen=True)
class DriftReport:
    """Every departure of the live accounts from the manifests, sorted for display.

    ``count_unmanaged`` False lists unmanaged entities without counting them as drift (for
    accounts only partly under management).
    """

    target: str
    api_version: str
    manifest_checksum: str
    items: tuple[DriftItem, ...] = ()
    count_unmanaged: bool = True

    @property
    def drifted(self) -> bool:
        """Whether anything counts as drift (the ``drift`` command then exits 2)."""
        return self.summary()["drift"] > 0

    def summary(self) -> dict[str, int]:
        """Resources per state, and ``drift``: the number that count as drift."""
        counts = {state.value: 0 for state in STATE_ORDER}
        for item in self.items:
            counts[item.state.value] += 1
        counted = DRIFT_STATES if self.count_unmanaged else DRIFT_STATES - {DriftState.UNMANAGED}
        counts["drift"] = sum(counts[state.value] for state in counted)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every field, plus ``summary`` and ``drifted``."""
        body: dict[str, Any] = _plain(self)
        body["summary"] = self.summary()
        body["drifted"] = self.drifted
        return body


def sort_items(items: list[DriftItem]) -> tuple[DriftItem, ...]:
    """Display order: by state (changed, missing, unmanaged, ignored, not applied), then path."""
    rank = {state: n for n, state in enumerate(STATE_ORDER)}
    return tuple(sorted(items, key=lambda i: (rank[i.state], i.path, i.id or 0, i.kind)))


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
