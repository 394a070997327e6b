"""Serving state, computed at read time: ``servingStatuses`` of accounts, groups and campaigns, and
``isServing``/``servingHoldReasons`` of creatives, with holds cascading down the hierarchy.

Owns: the documented symbol lists (one per kind, in the docs' order, which is the order answers
list them in), what the emulator derives from status, schedule, review and the parents, and which
holds it keeps as stored because it cannot derive them (billing, spend, audience size, media
processing: they come only from seed files). Sources and guesses: docs/emulator.md, "Serving
state". Must not: write anything.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from reconciler.emulator.store import Entity, Kind, Store, urn_id

# The docs' lists: ad accounts, campaign groups, campaigns ("servingStatuses"), creatives
# ("servingHoldReasons"; a serving creative has none and isServing true).
ACCOUNT_STATUSES = (
    "RUNNABLE",
    "STOPPED",
    "BILLING_HOLD",
    "ACCOUNT_TOTAL_BUDGET_HOLD",
    "ACCOUNT_END_DATE_HOLD",
    "RESTRICTED_HOLD",
    "INTERNAL_HOLD",
)
GROUP_STATUSES = (
    "RUNNABLE",
    "STOPPED",
    "BILLING_HOLD",
    "ACCOUNT_TOTAL_BUDGET_HOLD",
    "ACCOUNT_END_DATE_HOLD",
    "CAMPAIGN_GROUP_TOTAL_BUDGET_HOLD",
    "CAMPAIGN_GROUP_START_DATE_HOLD",
    "CAMPAIGN_GROUP_END_DATE_HOLD",
)
CAMPAIGN_STATUSES = (
    "RUNNABLE",
    "STOPPED",
    "ACCOUNT_TOTAL_BUDGET_HOLD",
    "ACCOUNT_END_DATE_HOLD",
    "CAMPAIGN_START_DATE_HOLD",
    "CAMPAIGN_END_DATE_HOLD",
    "CAMPAIGN_TOTAL_BUDGET_HOLD",
    "CAMPAIGN_AUDIENCE_COUNT_HOLD",
    "CAMPAIGN_GROUP_START_DATE_HOLD",
    "CAMPAIGN_GROUP_END_DATE_HOLD",
    "CAMPAIGN_GROUP_TOTAL_BUDGET_HOLD",
    "CAMPAIGN_GROUP_STATUS_HOLD",
    "ACCOUNT_SERVING_HOLD",
)
CREATIVE_HOLDS = (
    "STOPPED",
    "UNDER_REVIEW",
    "REJECTED",
    "FORM_HOLD",
    "PROCESSING",
    "PROCESSING_FAILED",
    "REFERRED_CONTENT_QUALITY_HOLD",
    "JOB_POSTING_ON_HOLD",
    "JOB_POSTING_INVALID",
    "CAMPAIGN_STOPPED",
    *CAMPAIGN_STATUSES[2:],
)
LISTS = {
    Kind.ACCOUNT: ACCOUNT_STATUSES,
    Kind.GROUP: GROUP_STATUSES,
    Kind.CAMPAIGN: CAMPAIGN_STATUSES,
    Kind.CREATIVE: CREATIVE_HOLDS,
}
# The field each kind answers its holds in.
FIELD = {kind: "servingHoldReasons" if kind is Kind.CREATIVE else "servingStatuses" for kind in LISTS}
# Each kind's symbols by their place in its list (answers list holds in the docs' order).
ORDER = {kind: {name: n for n, name in enumerate(names)} for kind, names in LISTS.items()}
# What the emulator derives for each kind; any other documented hold an entity was stored with (from
# a seed file) is kept: the emulator has no billing, spend, audience or media processing to derive
# it from.
DERIVED = {
    Kind.ACCOUNT: frozenset({"RUNNABLE", "STOPPED"}),
    Kind.GROUP: frozenset(
        {"RUNNABLE", "STOPPED", "CAMPAIGN_GROUP_START_DATE_HOLD", "CAMPAIGN_GROUP_END_DATE_HOLD"}
    ),
    Kind.CAMPAIGN: frozenset(
        {
            "RUNNABLE",
            "STOPPED",
            "CAMPAIGN_START_DATE_HOLD",
            "CAMPAIGN_END_DATE_HOLD",
            "CAMPAIGN_GROUP_STATUS_HOLD",
            "ACCOUNT_SERVING_HOLD",
        }
    ),
    Kind.CREATIVE: frozenset({"STOPPED", "UNDER_REVIEW", "REJECTED", "CAMPAIGN_STOPPED"}),
}
# Account holds a campaign shows under their own name; any other account hold reaches campaigns
# (and their creatives) as ACCOUNT_SERVING_HOLD (GUESS: the docs list the symbol, not its cause).
ACCOUNT_HOLDS_SHOWN = frozenset({"ACCOUNT_TOTAL_BUDGET_HOLD", "ACCOUNT_END_DATE_HOLD"})
GROUP_HOLDS_SHOWN = frozenset(
    {"CAMPAIGN_GROUP_START_DATE_HOLD", "CAMPAIGN_GROUP_END_DATE_HOLD", "CAMPAIGN_GROUP_TOTAL_BUDGET_HOLD"}
)
GROUP_FROM_ACCOUNT = frozenset({"BILLING_HOLD", "ACCOUNT_TOTAL_BUDGET_HOLD", "ACCOUNT_END_DATE_HOLD"})
RUNNABLE = ["RUNNABLE"]
REVIEW_HOLDS = {"PENDING": "UNDER_REVIEW", "NEEDS_REVIEW": "UNDER_REVIEW", "REJECTED": "REJECTED"}


class Lineage:
    """The serving holds of the parents (accounts, groups, campaigns) of what one request answers.

    Parents' holds are cached per store across requests: an entry holds until the store's
    :meth:`~reconciler.emulator.store.Store.generation` changes (any write) or the clock reaches the
    first start or end date in its chain (or goes back before it was computed). A page of creatives
    otherwise reads and judges each one's campaign and group again. A parent judged because it is
    answered (a page of campaigns) is kept too, so the searches of its creatives that follow read
    it no more.
    """

    def __init__(self, store: Store, now_ms: int) -> None:
        self.store = store
        self.now_ms = now_ms
        self._holds = _cache_of(store)
        # The parents named by URNs, as the children of this lineage's reads spell them: one parse
        # and one cache check per parent rather than per child.
        self._named: dict[tuple[Kind, str, str], tuple[str | None, list[str]]] = {}

    def parent(self, kind: Kind, account: int | None, key: int | None) -> tuple[str | None, list[str]]:
        """(status, holds) of a stored parent; ``(None, [])`` when it cannot be found."""
        if account is None or key is None:
            return None, []
        found = self._held((kind, account, key))
        if found is None:
            entity = self.store.get(kind, account, key)
            found = _Judged(None, [], self.now_ms, _NEVER) if entity is None else self._judge(kind, entity)
            self._holds[(kind, account, key)] = found
        return found.status, found.holds

    def named(self, kind: Kind, account: object, urn: object) -> tuple[str | None, list[str]]:
        """:meth:`parent` of the parent a child's ``account`` and parent URN fields name."""
        if type(account) is not str or type(urn) is not str:
            return self.parent(kind, urn_id(account), urn_id(urn))
        found = self._named.get((kind, account, urn))
        if found is None:
            found = self._named[(kind, account, urn)] = self.parent(kind, urn_id(account), urn_id(urn))
        return found

    def holds(self, kind: Kind, entity: Entity, at: tuple[int, int] | None = None) -> list[str]:
        """:func:`holds` of ``entity``; an account, group or campaign answered from where it is
        stored, ``at`` (its account and id), is kept as a parent for the reads that follow."""
        if at is None or kind not in _PARENT_KINDS:
            return holds(kind, entity, self)
        key = (kind, *at)
        found = self._held(key)  # judged from this same stored entity, as a parent read before
        if found is None:
            found = self._holds[key] = self._judge(kind, entity)
        return list(found.holds)

    def _held(self, key: _Key) -> _Judged | None:
        """The cached judgement of the parent at ``key``, if it still holds at this lineage's time."""
        found = self._holds.get(key)
        return found if found is not None and found.since <= self.now_ms < found.until else None

    def _judge(self, kind: Kind, entity: Entity) -> _Judged:
        found = holds(kind, entity, self)  # judges (and caches) its parents first
        until = _next_change(entity, self.now_ms)
        for parent in _parents(kind, entity):
            above = self._holds.get(parent)
            if above is not None:
                until = min(until, above.until)
        return _Judged(entity.get("status"), found, self.now_ms, until)


class _Judged(NamedTuple):  # a tuple: one is made for every campaign a page answers
    status: str | None
    holds: list[str]
    since: int
    until: int


_NEVER = 2**63
_PARENT_KINDS = frozenset({Kind.ACCOUNT, Kind.GROUP, Kind.CAMPAIGN})
_Key = tuple[Kind, int, int]  # kind, account, id
_CACHES: WeakKeyDictionary[Any, tuple[Hashable, dict[_Key, _Judged]]] = WeakKeyDictionary()


def _cache_of(store: Store) -> dict[_Key, _Judged]:
    """The store's cache of judged parents, emptied when the store was written since."""
    generation = store.generation()
    held = _CACHES.get(store)
    if held is None or held[0] != generation:
        held = (generation, {})
        _CACHES[store] = held
    return held[1]


def _next_change(entity: Entity, now_ms: int) -> int:
    """The first start or end of ``entity``'s schedule after ``now_ms`` (when a date hold changes)."""
    schedule = entity.get("runSchedule")
    if not isinstance(schedule, dict):
        return _NEVER
    dates = [d for d in (schedule.get("start"), schedule.get("end")) if isinstance(d, int) and d > now_ms]
    return min(dates, default=_NEVER)


def _parents(kind: Kind, entity: Entity) -> list[_Key]:
    account = urn_id(entity.get("account"))
    if account is None or kind is Kind.ACCOUNT:
        return []
    group = urn_id(entity.get("campaignGroup")) if kind is Kind.CAMPAIGN else None
    out = [(Kind.ACCOUNT, account, account)]
    return out if group is None else [*out, (Kind.GROUP, account, group)]


def holds(kind: Kind, entity: Entity, lineage: Lineage) -> list[str]:
    """Every hold of ``entity`` (RUNNABLE when an account, group or campaign has none), in the
    docs' order. Called for every entity a search pages through (and its parents): kept flat."""
    found = _JUDGES[kind](entity, lineage)
    stored = entity.get(FIELD[kind])
    known = ORDER[kind]
    other: list[str] = []
    if stored and isinstance(stored, list):
        derived = DERIVED[kind]
        stated = [h for h in stored if isinstance(h, str)]  # a seed checks this; older stores did not
        found += [h for h in stated if h in known and h not in derived]
        # A hold the docs do not list for this kind (a seed is a snapshot of a real account, which may
        # hold a symbol of another version) is kept as given, after the ones in the docs' order.
        other = [h for h in stated if h not in known]
    if not found:
        return other or ([] if kind is Kind.CREATIVE else ["RUNNABLE"])
    if len(found) == 1 and not other:
        return found
    # A campaign's hold outside the creatives' list (one a seed stated) reaches its creatives as given too.
    listed = sorted({h for h in found if h in known}, key=known.__getitem__)
    unlisted = [h for h in dict.fromkeys(found) if h not in known and h not in other]
    return listed + unlisted + other


def _dates(entity: Entity, prefix: str, now_ms: int, out: list[str]) -> None:
    schedule = entity.get("runSchedule")
    if not isinstance(schedule, dict):
        return
    start, end = schedule.get("start"), schedule.get("end")
    if isinstance(start, int) and start > now_ms:
        out.append(f"{prefix}_START_DATE_HOLD")
    if isinstance(end, int) and end <= now_ms:
        out.append(f"{prefix}_END_DATE_HOLD")


def _group(entity: Entity, lineage: Lineage) -> list[str]:
    out = [] if entity.get("status") == "ACTIVE" else ["STOPPED"]
    _dates(entity, "CAMPAIGN_GROUP", lineage.now_ms, out)
    account = entity.get("account")
    _, above = lineage.named(Kind.ACCOUNT, account, account)
    out += [h for h in above if h in GROUP_FROM_ACCOUNT]
    return out


def _campaign(entity: Entity, lineage: Lineage) -> list[str]:
    out = [] if entity.get("status") == "ACTIVE" else ["STOPPED"]
    _dates(entity, "CAMPAIGN", lineage.now_ms, out)
    account = entity.get("account")
    _, above = lineage.named(Kind.ACCOUNT, account, account)
    if above != RUNNABLE:
        out += [h if h in ACCOUNT_HOLDS_SHOWN else "ACCOUNT_SERVING_HOLD" for h in above if h != "RUNNABLE"]
    status, above = lineage.named(Kind.GROUP, account, entity.get("campaignGroup"))
    if above != RUNNABLE:
        out += [h for h in above if h in GROUP_HOLDS_SHOWN]
    if status is not None and status != "ACTIVE":
        out.append("CAMPAIGN_GROUP_STATUS_HOLD")
    return out


def _creative(entity: Entity, lineage: Lineage) -> list[str]:
    out = [] if entity.get("intendedStatus") == "ACTIVE" else ["STOPPED"]
    review = entity.get("review")
    verdict = review.get("status") if isinstance(review, dict) else None
    if isinstance(verdict, str) and verdict in REVIEW_HOLDS:
        out.append(REVIEW_HOLDS[verdict])
    status, above = lineage.named(Kind.CAMPAIGN, entity.get("account"), entity.get("campaign"))
    if above != RUNNABLE:
        out += [h for h in above if h != "RUNNABLE" and h != "STOPPED"]
    if status is not None and status != "ACTIVE":
        out.append("CAMPAIGN_STOPPED")
    return out


def _account(entity: Entity, lineage: Lineage) -> list[str]:
    return [] if entity.get("status") == "ACTIVE" else ["STOPPED"]


# Each kind's own holds, by kind (a lookup, not a chain of comparisons: called for every entity paged).
_JUDGES = {Kind.ACCOUNT: _account, Kind.GROUP: _group, Kind.CAMPAIGN: _campaign, Kind.CREATIVE: _creative}


def add_serving_fields(
    kind: Kind, entity: Entity, lineage: Lineage, at: tuple[int, int] | None = None
) -> None:
    """Set the read-time fields of ``entity`` (stored ``at``, see :meth:`Lineage.holds`), in place:
    ``servingStatuses``, or a creative's ``isServing`` and (when it does not serve)
    ``servingHoldReasons``."""
    found = lineage.holds(kind, entity, at)
    field = FIELD[kind]
    if field == "servingStatuses":
        entity[field] = found
        return
    entity["isServing"] = not found
    if found:
        entity[field] = found
