"""The Plan: inert, frozen, serialisable data describing what an apply would do.

A Plan is made by the planner and drawn by the renderers from ``Plan.to_dict()``; the applier
executes it. It holds no clients, no model objects and no behaviour beyond (de)serialisation,
its checksum and the guardrail check. The JSON form is documented in ``schemas/plan.schema.json``.

Values inside field changes are in API form (the JSON LinkedIn sends and accepts), so a saved plan
can be applied without the manifests and rendered without the model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from enum import StrEnum
from typing import Any, TypeVar

from reconciler.errors import AccessDenied, BelowMinimum, LimitExceeded, UnsafePlan

PLAN_FORMAT_VERSION = 1
# Violations of LinkedIn's minimums (reconciler.review): refused outright, like limits.
MINIMUM_GUARDS = ("audience", "pricing")


class Action(StrEnum):
    """What happens to one resource."""

    CREATE = "create"
    UPDATE = "update"
    ARCHIVE = "archive"
    DELETE = "delete"
    REPLACE = "replace"


class Kind(StrEnum):
    """The kind of a resource."""

    GROUP = "campaignGroup"
    CAMPAIGN = "campaign"
    CREATIVE = "creative"


# Rendering and application order of kinds (parents first).
KIND_ORDER = {Kind.GROUP: 0, Kind.CAMPAIGN: 1, Kind.CREATIVE: 2}


@dataclass(frozen=True)
class FieldChange:
    """One field of one resource: its live value and its desired value, in API form.

    ``old`` is None for a create; ``ignored`` marks drift that an ``ignoreChanges`` rule keeps.
    """

    field: str
    old: Any
    new: Any
    ignored: bool = False


@dataclass(frozen=True)
class ResourceChange:
    """A change to one resource.

    ``path`` is the resource path in manifest terms: (account id, group, campaign, creative), as
    long as the kind needs. ``id`` is the live id (None for a create); ``parent_id`` the live id of
    the parent (None while the parent is still to be created). ``body`` is the create body without
    the parent references, or for an update the ``$set`` map; ``delete_fields`` the ``$delete``
    list. ``activate`` marks a campaign created (or kept) as DRAFT and switched to ACTIVE only once
    its creatives exist. ``version_tag`` / ``last_modified`` are the live entity's at plan time,
    so a saved plan can be refused once the entity moved.
    """

    kind: Kind
    action: Action
    path: tuple[str, ...]
    id: int | None = None
    parent_id: int | None = None
    fields: tuple[FieldChange, ...] = ()
    body: Mapping[str, Any] = field(default_factory=dict)
    delete_fields: tuple[str, ...] = ()
    activate: bool = False
    reason: str = ""
    version_tag: str | None = None
    last_modified: int | None = None
    # What the plan's review found (reconciler.review); each is left out of the JSON form when unset.
    # The per-facet difference of a targetingCriteria field change: [{section, facet, added, removed}].
    targetingDiff: tuple[Mapping[str, Any], ...] | None = None
    # LinkedIn's audienceCounts total for the campaign's targeting (0: under 300 members).
    audienceSize: int | None = None
    # adBudgetPricing's answer for the campaign: bidLimits, suggestedBid, dailyBudgetLimits (Money).
    pricing: Mapping[str, Any] | None = None
    # The last 7 days of the campaign (adAnalytics): {amount, currencyCode, impressions, days}.
    recentSpend: Mapping[str, Any] | None = None

    @property
    def address(self) -> str:
        """The path joined for people: ``500000001 / Q1 Brand / Q1 Brand — US``."""
        return " / ".join(self.path)

    @property
    def name(self) -> str:
        """The resource's name (the last path element)."""
        return self.path[-1]


@dataclass(frozen=True)
class Unmanaged:
    """A live entity that no manifest mentions: shown, left alone."""

    kind: Kind
    path: tuple[str, ...]
    id: int
    status: str


@dataclass(frozen=True)
class BudgetImpact:
    """Budget totals of one currency before and after the plan, as decimal strings.

    ``daily`` sums the daily budgets of campaigns that can spend (ACTIVE) and of ACTIVE groups;
    ``lifetime`` sums the total budgets of such campaigns and groups.
    """

    currency: str
    daily_before: str
    daily_after: str
    lifetime_before: str
    lifetime_after: str


@dataclass(frozen=True)
class Headroom:
    """One account limit: how much is used before and after the plan, and the maximum."""

    account: str
    limit: str
    scope: str
    before: int
    after: int
    maximum: int

    @property
    def exceeded(self) -> bool:
        """Whether the plan would leave this limit broken (and made it worse)."""
        return self.after > self.maximum and self.after > self.before


@dataclass(frozen=True)
class Violation:
    """A guardrail the plan crosses: a hard ``limit`` or a ``threshold`` that needs ``--force``."""

    guard: str
    message: str


@dataclass(frozen=True)
class Plan:
    """Everything an apply needs and a reviewer wants to see, as frozen data."""

    target: str
    api_version: str
    manifest_checksum: str
    changes: tuple[ResourceChange, ...] = ()
    unmanaged: tuple[Unmanaged, ...] = ()
    budgets: tuple[BudgetImpact, ...] = ()
    headroom: tuple[Headroom, ...] = ()
    violations: tuple[Violation, ...] = ()
    notes: tuple[str, ...] = ()
    format_version: int = PLAN_FORMAT_VERSION
    # Targeting value URN -> name, for the values the changes show (left out of the JSON when empty).
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when applying would change nothing (ignored drift writes nothing)."""
        return not any(writes(change) for change in self.changes)

    def summary(self) -> dict[str, int]:
        """Counts per action of the changes that write, plus ``ignored`` and ``unmanaged``."""
        counts = {action.value: 0 for action in Action}
        for change in self.changes:
            if writes(change):
                counts[change.action.value] += 1
        counts["ignored"] = sum(not writes(change) for change in self.changes)
        counts["unmanaged"] = len(self.unmanaged)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``schemas/plan.schema.json``), with ``summary`` and ``checksum``."""
        body: dict[str, Any] = _plain(self)
        body["summary"] = self.summary()
        body["checksum"] = checksum_of(body)
        return body

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        """Rebuild a plan from its JSON form; raises ValueError when the checksum does not match."""
        if not isinstance(data, Mapping):
            raise ValueError("not a plan: the file must hold a JSON object made by 'reconciler plan --out'")
        version = data.get("format_version")
        if version != PLAN_FORMAT_VERSION:
            raise ValueError(
                f"plan format version {version!r} is not supported (this reconciler reads "
                f"{PLAN_FORMAT_VERSION})"
            )
        expected = data.get("checksum")
        # ``api`` (the calls the run made, in 'plan --format json') is about the run, not the plan.
        body = {k: v for k, v in data.items() if k not in ("checksum", "api")}
        if expected != checksum_of(body):
            raise ValueError("plan checksum does not match its content (the file was edited or damaged)")
        plan = _build(cls, body)
        if "summary" in data and data["summary"] != plan.summary():
            raise ValueError("plan summary does not match its changes (the file was edited)")
        return plan

    def to_json(self) -> str:
        """The JSON form as text: sorted keys, stable across runs."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @property
    def checksum(self) -> str:
        """sha256 of the plan's content."""
        return str(self.to_dict()["checksum"])

    def check_guardrails(self, *, force: bool = False, allow_replace: bool = False) -> None:
        """Refuse the plan before any write: AccessDenied for a change the token or the member's roles
        forbids; LimitExceeded for a broken limit; BelowMinimum for a campaign under LinkedIn's
        audience, bid or daily-budget minimum; UnsafePlan for
        replaces without ``allow_replace`` and for a crossed threshold without ``force``.

        Replaces are counted from the changes themselves, not from the violations recorded when
        the plan was made, so the flag given at apply time is the one that decides.
        """
        access = [v.message for v in self.violations if v.guard == "access"]
        if access:
            raise AccessDenied(
                "plan refused, the token or the member's roles forbid it: " + "; ".join(access)
            )
        limits = [v.message for v in self.violations if v.guard == "limit"]
        if limits:
            raise LimitExceeded("plan refused, it would break account limits: " + "; ".join(limits))
        minimums = [v.message for v in self.violations if v.guard in MINIMUM_GUARDS]
        if minimums:
            raise BelowMinimum("plan refused, under LinkedIn's minimums: " + "; ".join(minimums))
        replaces = [c.address for c in self.changes if loses_history(c)]
        if replaces and not allow_replace:
            raise UnsafePlan(
                "plan needs --allow-replace: replacing loses reporting history: " + ", ".join(replaces)
            )
        thresholds = [v.message for v in self.violations if v.guard == "threshold"]
        if thresholds and not force:
            raise UnsafePlan("plan needs --force: " + "; ".join(thresholds))


NAME_LIMIT = 100


def duplicate_name(name: str, keep: int) -> str:
    """The name a removed duplicate keeps when it cannot be deleted: ``<name> (duplicate of <id>)``,
    at most 100 characters, so it never shares a name with the entity kept."""
    suffix = f" (duplicate of {keep})"
    room = NAME_LIMIT - len(suffix)
    return (name if len(name) <= room else name[: room - 1] + "…") + suffix


# Ends the reason of a replace whose old entity never served (a DRAFT creative): nothing is lost, so
# it needs no --allow-replace.
NO_HISTORY_LOST = "it never left DRAFT, so no reporting history is lost"


def loses_history(change: ResourceChange) -> bool:
    """Whether a change is a replace that loses the old entity's reporting history (needs
    ``--allow-replace``): every replace but one whose reason says the old one never served."""
    return change.action is Action.REPLACE and not change.reason.endswith(NO_HISTORY_LOST)


def writes(change: ResourceChange) -> bool:
    """Whether applying the change writes anything (a change of ignored drift only does not)."""
    return bool(
        change.body or change.delete_fields or change.activate or change.action is Action.DELETE
    ) or any(not f.ignored for f in change.fields)


def checksum_of(body: Mapping[str, Any]) -> str:
    """sha256 over the canonical JSON of a plan body (without its checksum)."""
    clean = {k: v for k, v in body.items() if k not in ("checksum", "summary")}
    text = json.dumps(clean, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


# Fields a plan of format version 1 may carry or not (docs/plan-format.md): left out when unset, so a
# plan without them keeps the form and checksum it always had.
OPTIONAL_FIELDS = frozenset({"targetingDiff", "audienceSize", "pricing", "recentSpend", "names"})


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if not (f.name in OPTIONAL_FIELDS and getattr(value, f.name) in (None, {}, ()))
        }
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


T = TypeVar("T")

_NESTED: dict[str, Any] = {}


def _build(cls: type[T], data: Mapping[str, Any]) -> T:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        kwargs[f.name] = _convert(f.name, data[f.name])
    return cls(**kwargs)


def _convert(name: str, value: Any) -> Any:
    nested = _NESTED.get(name)
    if nested is not None and isinstance(value, list):
        return tuple(_build(nested, item) for item in value)
    if name in ("kind",):
        return Kind(value)
    if name == "action":
        return Action(value)
    if name == "targetingDiff" and isinstance(value, list):
        return tuple(value)
    if isinstance(value, list) and name in _TUPLES:
        return tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return value


_TUPLES = {"path", "delete_fields", "notes"}
_NESTED.update(
    changes=ResourceChange,
    fields=FieldChange,
    unmanaged=Unmanaged,
    budgets=BudgetImpact,
    headroom=Headroom,
    violations=Violation,
)


def sort_changes(changes: Sequence[ResourceChange]) -> tuple[ResourceChange, ...]:
    """Deterministic order for display and application.

    Creates and updates parents first; archives and deletes children first; within a phase by
    path. The applier re-derives its phases from actions and kinds, so this order is for people.
    """

    def key(change: ResourceChange) -> tuple[int, int, tuple[str, ...]]:
        depth = KIND_ORDER[change.kind]
        if change.action in (Action.ARCHIVE, Action.DELETE):
            return (1, -depth, change.path)
        return (0, depth, change.path)

    return tuple(sorted(changes, key=key))
