"""Serving state, computed at read time: ``servingStatuses`` of accounts, groups and campaigns, and
``isServing``/``servingHoldReasons`` of creatives, with holds cascading down the hierarchy.

Owns: the documented symbol lists (one per kind, in the docs' order, which is the order answers
list them in), what the emulator derives from status, schedule, review and the parents, and which
holds it keeps as stored because it cannot derive them (billing, spend, audience size, media
processing: they come only from seed files). Sources and guesses: docs/emulator.md, "Serving
state". Must not: write anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
REVIEW_HOLDS = {"PENDING": "UNDER_REVIEW", "NEEDS_REVIEW": "UNDER_REVIEW", "REJECTED": "REJECTED"}


class Lineage:
    """The serving holds of the parents of the entities one request answers with, each computed
    once (a page of 100 creatives usually shares a few campaigns, and they one group)."""

    def __init__(self, store: Store, now_ms: int) -> None:
        self.store = store
        self.now_ms = now_ms
        self._holds: dict[tuple[Kind, int], tuple[str | None, list[str]]] = {}

    def parent(self, kind: Kind, account: int | None, key: int | None) -> tuple[str | None, list[str]]:
        """(status, holds) of a stored parent; ``(None, [])`` when it cannot be found."""
        if account is None or key is None:
            return None, []
        found = self._holds.get((kind, key))
        if found is None:
            entity = self.store.get(kind, account, key)
            found = (None, []) if entity is None else (entity.get("status"), holds(kind, entity, self))
            self._holds[(kind, key)] = found
        return found


def holds(kind: Kind, entity: Entity, lineage: Lineage) -> list[str]:
    """Every hold of ``entity`` (RUNNABLE when an account, group or campaign has none), in the
    docs' order."""
    found = (
        set(_kept(kind, entity))
        | set(_own(kind, entity, lineage.now_ms))
        | set(_inherited(kind, entity, lineage))
    )
    if kind is not Kind.CREATIVE:
        found.discard("RUNNABLE")
        if not found:
            return ["RUNNABLE"]
    return [name for name in LISTS[kind] if name in found]


def _kept(kind: Kind, entity: Entity) -> Iterable[str]:
    stored = entity.get("servingHoldReasons" if kind is Kind.CREATIVE else "servingStatuses")
    if not isinstance(stored, list):
        return ()
    return [h for h in stored if h in LISTS[kind] and h not in DERIVED[kind]]


def _own(kind: Kind, entity: Entity, now_ms: int) -> Iterable[str]:
    if kind is Kind.CREATIVE:
        out = [] if entity.get("intendedStatus") == "ACTIVE" else ["STOPPED"]
        review = entity.get("review")
        status = review.get("status") if isinstance(review, dict) else None
        if status in REVIEW_HOLDS:
            out.append(REVIEW_HOLDS[status])
        return out
    out = [] if entity.get("status") == "ACTIVE" else ["STOPPED"]
    if kind is Kind.ACCOUNT:
        return out
    prefix = "CAMPAIGN_GROUP" if kind is Kind.GROUP else "CAMPAIGN"
    schedule = entity.get("runSchedule") or {}
    start, end = schedule.get("start"), schedule.get("end")
    if isinstance(start, int) and start > now_ms:
        out.append(f"{prefix}_START_DATE_HOLD")
    if isinstance(end, int) and end <= now_ms:
        out.append(f"{prefix}_END_DATE_HOLD")
    return out


def _inherited(kind: Kind, entity: Entity, lineage: Lineage) -> Iterable[str]:
    account = urn_id(entity.get("account"))
    if kind is Kind.GROUP:
        _, above = lineage.parent(Kind.ACCOUNT, account, account)
        return [h for h in above if h in GROUP_STATUSES and h not in ("RUNNABLE", "STOPPED")]
    if kind is Kind.CAMPAIGN:
        return _from_account(lineage, account) + _from_group(lineage, account, entity)
    if kind is Kind.CREATIVE:
        status, above = lineage.parent(Kind.CAMPAIGN, account, urn_id(entity.get("campaign")))
        out = [h for h in above if h not in ("RUNNABLE", "STOPPED")]
        if status is not None and status != "ACTIVE":
            out.append("CAMPAIGN_STOPPED")
        return out
    return ()


def _from_account(lineage: Lineage, account: int | None) -> list[str]:
    _, above = lineage.parent(Kind.ACCOUNT, account, account)
    if above == ["RUNNABLE"]:
        return []
    return [h if h in ACCOUNT_HOLDS_SHOWN else "ACCOUNT_SERVING_HOLD" for h in above if h != "RUNNABLE"]


def _from_group(lineage: Lineage, account: int | None, campaign: Entity) -> list[str]:
    status, above = lineage.parent(Kind.GROUP, account, urn_id(campaign.get("campaignGroup")))
    out = [h for h in above if h in GROUP_HOLDS_SHOWN]
    if status is not None and status != "ACTIVE":
        out.append("CAMPAIGN_GROUP_STATUS_HOLD")
    return out


def serving_fields(kind: Kind, entity: Entity, lineage: Lineage) -> dict[str, Any]:
    """The read-time fields of ``entity``: ``servingStatuses``, or a creative's ``isServing`` and
    (when it does not serve) ``servingHoldReasons``."""
    found = holds(kind, entity, lineage)
    if kind is not Kind.CREATIVE:
        return {"servingStatuses": found}
    return {"isServing": not found, **({"servingHoldReasons": found} if found else {})}
