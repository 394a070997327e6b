"""``GET /rest/adAnalytics?q=analytics|statistics``: deterministic reporting for campaigns that served.

Parameters: ``pivot`` (the Analytics finder: one pivot) or ``pivots=List(…)`` (the Statistics
finder: one to three pivots, each row's ``pivotValues`` in the order asked; ads-reporting page).
CAMPAIGN, CAMPAIGN_GROUP and ACCOUNT are modelled; a request with any of LinkedIn's other pivots
answers no rows (GUESS). ``timeGranularity`` (DAILY, MONTHLY, YEARLY, ALL), ``dateRange=(start:
(year:…,month:…,day:…),end:(…))`` (end inclusive, optional: up to today), at least one of
``accounts``, ``campaignGroups``, ``campaigns``, ``creatives`` (``List(...)`` of URNs; a creatives
facet reports only those creatives' share of their campaigns), and ``fields`` (the metrics; without
it ``impressions`` and ``clicks``, plus ``pivotValues`` and ``dateRange``; the documented metrics
the model has no activity for answer 0).

The model (docs/emulator.md, "Ad analytics"): a campaign served on a UTC day from the later of its
creation and its ``runSchedule.start`` through its ``runSchedule.end``, up to today when it serves
now (``servingStatuses`` RUNNABLE, ``serving``) or up to the day of its last change when it was
stopped (PAUSED, ARCHIVED, CANCELED, COMPLETED: GUESS, the stop is taken as its last change); a
DRAFT campaign never served. On each day served it spends 55-95 % of its daily budget (else of 50
USD), at its CPM ``unitCost`` (else 24-36 USD), with a click-through rate of 0.3-0.9 %, the shares
drawn from a hash of account, campaign and day: the same request always gets the same answer.
Only accounts the caller holds a role on are reported ("An empty response is returned if … you do
not have read access", ads-reporting page). The adAnalytics endpoint does not page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reconciler.emulator import money, revenue, users
from reconciler.emulator.errors import classic, missing_param, param_invalid
from reconciler.emulator.finders import list_param
from reconciler.emulator.restli import Params, Value, parse_projection
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.serving import Lineage, holds
from reconciler.emulator.store import Entity, Kind, urn_id

PIVOTS = frozenset(
    {
        "COMPANY",
        "ACCOUNT",
        "SHARE",
        "CAMPAIGN",
        "CREATIVE",
        "CAMPAIGN_GROUP",
        "CONVERSION",
        "CONVERSATION_NODE",
        "CONVERSATION_NODE_OPTION_INDEX",
        "SERVING_LOCATION",
        "CARD_INDEX",
        "MEMBER_COMPANY_SIZE",
        "MEMBER_INDUSTRY",
        "MEMBER_SENIORITY",
        "MEMBER_JOB_TITLE",
        "MEMBER_JOB_FUNCTION",
        "MEMBER_COUNTRY_V2",
        "MEMBER_REGION_V2",
        "MEMBER_COMPANY",
        "PLACEMENT_NAME",
        "IMPRESSION_DEVICE_TYPE",
    }
)
GRANULARITIES = frozenset({"DAILY", "MONTHLY", "YEARLY", "ALL"})
FINDERS = frozenset({"analytics", "statistics"})  # attributedRevenueMetrics: revenue.py
MAX_PIVOTS = 3  # "The Statistics Finder should be used when grouping by up to three elements"
METRICS = ("impressions", "clicks", "landingPageClicks", "costInLocalCurrency", "costInUsd")
# Metrics of the docs' list the model has no activity for: answered 0 when asked for (GUESS: no
# conversions, leads, video or social actions happen here).
ZERO_METRICS = (
    "externalWebsiteConversions",
    "externalWebsitePostClickConversions",
    "externalWebsitePostViewConversions",
    "oneClickLeads",
    "oneClickLeadFormOpens",
    "videoViews",
    "videoStarts",
    "videoCompletions",
    "likes",
    "comments",
    "shares",
    "follows",
    "reactions",
    "otherEngagements",
    "totalEngagements",
    "opens",
    "sends",
)
DEFAULT_FIELDS = ("pivotValues", "dateRange", "impressions", "clicks")
MAX_FIELDS = 20  # "up to 20 metrics" per request (GUESS: the docs' limit as the emulator read it)
STOPPED = frozenset({"PAUSED", "ARCHIVED", "CANCELED", "COMPLETED"})
DAY_MS = 86_400_000
_PIVOT_URN = {
    "CREATIVE": "{}",  # the creative's own id is its URN
    "CAMPAIGN": "urn:li:sponsoredCampaign:{}",
    "CAMPAIGN_GROUP": "urn:li:sponsoredCampaignGroup:{}",
    "ACCOUNT": "urn:li:sponsoredAccount:{}",
}

# Facet parameter -> URN type of its values.
_FACETS = {
    "accounts": "sponsoredAccount",
    "campaignGroups": "sponsoredCampaignGroup",
    "campaigns": "sponsoredCampaign",
    "creatives": "sponsoredCreative",
}


@dataclass
class _Row:
    """Metrics of one pivot value over one period."""

    pivot: tuple[str, ...]
    start: dt.date
    end: dt.date
    impressions: int = 0
    clicks: int = 0
    cost: Decimal = Decimal(0)
    cost_usd: Decimal = Decimal(0)

    def add(self, other: _Row, sign: int = 1) -> None:
        """Add (or, ``sign`` -1, take away) the metrics of ``other``."""
        self.impressions += sign * other.impressions
        self.clicks += sign * other.clicks
        self.cost += sign * other.cost
        self.cost_usd += sign * other.cost_usd


def analytics(ctx: Ctx, params: Params) -> dict[str, Any]:
    """The finder's answer: one element per combination of pivot values and period with activity."""
    today = dt.datetime.fromtimestamp(ctx.now_ms / 1000, dt.UTC).date()
    if params.get("q") == "attributedRevenueMetrics":
        return revenue.answer(params, *_date_range(params.get("dateRange"), today))
    pivots = _pivots(params)
    granularity = _symbol(params, "timeGranularity", GRANULARITIES)
    start, end = _date_range(params.get("dateRange"), today)
    fields = _fields(params)
    campaigns = _campaigns(ctx, params)
    only = _urn_ids(params, "creatives", "sponsoredCreative")
    rows: dict[tuple[tuple[str, ...], dt.date], _Row] = {}
    lineage = Lineage(ctx.store, ctx.now_ms)
    if all(pivot in _PIVOT_URN or pivot == "CREATIVE" for pivot in pivots):
        for account, campaign in campaigns:
            currency = str(account.get("currency", "USD"))
            creatives: list[Entity | None] = [None]
            if "CREATIVE" in pivots or only is not None:
                creatives = _creatives(ctx, account, campaign)
            for day in _days_served(lineage, campaign, max(start, _first(campaign)), end, today):
                period = _period(granularity, day, start, end)
                day_total = _delivered(account, campaign, day, currency)
                for creative, share in _split(day_total, creatives, day, currency):
                    if only is not None and urn_id((creative or {}).get("id")) not in only:
                        continue  # the creatives facet: only the creatives it names
                    value = tuple(_pivot_value(p, account, campaign, creative) for p in pivots)
                    row = rows.setdefault((value, period[0]), _Row(value, *period))
                    row.add(share)
    elements = [_element(row, fields) for _, row in sorted(rows.items())]
    return {"elements": elements, "paging": {"start": 0, "count": 10, "links": []}}


def _pivots(params: Params) -> tuple[str, ...]:
    """The pivots of the finder ``q`` names: ``pivot`` (analytics) or ``pivots`` (statistics)."""
    q = params.get("q")
    if q is None:
        raise missing_param("q")
    if q not in FINDERS:
        raise param_invalid("q", q if isinstance(q, str) else None)
    if q == "analytics":
        return (_symbol(params, "pivot", PIVOTS),)
    if params.get("pivots") is None:
        raise missing_param("pivots")
    names = list_param(params, "pivots") or []
    if not 1 <= len(names) <= MAX_PIVOTS or len(set(names)) != len(names):
        raise param_invalid("pivots")  # GUESS: a repeated pivot is refused like a fourth one
    for name in names:
        if name not in PIVOTS:
            raise param_invalid("pivots", name)
    return tuple(names)


def _symbol(params: Params, name: str, symbols: frozenset[str]) -> str:
    value = params.get(name)
    if value is None:
        raise missing_param(name)
    if not isinstance(value, str) or value not in symbols:
        raise param_invalid(name, value if isinstance(value, str) else None)
    return value


def _date_range(value: Value | None, today: dt.date) -> tuple[dt.date, dt.date]:
    if value is None:
        raise missing_param("dateRange")
    if not isinstance(value, dict) or "start" not in value or not set(value) <= {"start", "end"}:
        raise param_invalid("dateRange")
    start = _date(value["start"], "dateRange/start")
    end = _date(value["end"], "dateRange/end") if "end" in value else today
    if end < start:
        raise classic(400, "dateRange end must not be before its start")
    return start, end


def _date(value: Value, path: str) -> dt.date:
    parts = value if isinstance(value, dict) else {}
    try:
        return dt.date(*(int(str(parts[k])) for k in ("year", "month", "day")))
    except (KeyError, ValueError):
        raise param_invalid(path) from None


def _fields(params: Params) -> tuple[str, ...]:
    raw = params.get("fields")
    if raw is None:
        return DEFAULT_FIELDS
    if not isinstance(raw, str):
        raise param_invalid("fields")
    names = tuple(parse_projection(raw))
    if len(names) > MAX_FIELDS:
        raise classic(400, f"At most {MAX_FIELDS} fields may be requested")
    return names


def _campaigns(ctx: Ctx, params: Params) -> list[tuple[Entity, Entity]]:
    """(account, campaign) of every campaign the facets name, on accounts the caller holds a role on."""
    facets = {name: _urn_ids(params, name, kind) for name, kind in _FACETS.items()}
    if all(ids is None for ids in facets.values()):
        raise missing_param("accounts")
    accounts, groups, campaigns = facets["accounts"], facets["campaignGroups"], facets["campaigns"]
    owners = None if facets["creatives"] is None else _campaigns_of(ctx, facets["creatives"])
    out = []
    for key, account in ctx.store.scan(Kind.ACCOUNT, None):
        if (accounts is not None and key not in accounts) or users.role_of(ctx, account) is None:
            continue
        for _, campaign in ctx.store.scan(Kind.CAMPAIGN, key):
            if campaigns is not None and campaign.get("id") not in campaigns:
                continue
            if groups is not None and urn_id(campaign.get("campaignGroup")) not in groups:
                continue
            if owners is not None and campaign.get("id") not in owners:
                continue
            out.append((account, campaign))
    return out


def _campaigns_of(ctx: Ctx, creatives: set[int]) -> set[int]:
    """Ids of the campaigns that own any of ``creatives``."""
    owners = set()
    for key, _ in ctx.store.scan(Kind.ACCOUNT, None):
        for _, creative in ctx.store.scan(Kind.CREATIVE, key):
            if urn_id(creative.get("id")) in creatives:
                owners.add(urn_id(creative.get("campaign")))
    return {owner for owner in owners if owner is not None}


def _urn_ids(params: Params, name: str, kind: str) -> set[int] | None:
    values = list_param(params, name)
    if values is None:
        return None
    ids = set()
    for value in values:
        tail = value.removeprefix(f"urn:li:{kind}:")
        if tail == value or not tail.isdigit():
            raise param_invalid(name, value)
        ids.add(int(tail))
    return ids


def _pivot_value(pivot: str, account: Entity, campaign: Entity, creative: Entity | None) -> str:
    key = {
        "ACCOUNT": account.get("id"),
        "CAMPAIGN_GROUP": urn_id(campaign.get("campaignGroup")),
        "CREATIVE": (creative or {}).get("id"),
    }
    return _PIVOT_URN[pivot].format(key.get(pivot, campaign.get("id")))


def _creatives(ctx: Ctx, account: Entity, campaign: Entity) -> list[Entity | None]:
    """The creatives of ``campaign`` that left DRAFT: those its serving is split among (GUESS)."""
    urn = f"urn:li:sponsoredCampaign:{campaign.get('id')}"
    return [
        creative
        for _, creative in ctx.store.scan(Kind.CREATIVE, int(account["id"]))
        if creative.get("campaign") == urn and creative.get("intendedStatus") != "DRAFT"
    ]


def _split(
    total: _Row, creatives: list[Entity | None], day: dt.date, currency: str
) -> Iterator[tuple[Entity | None, _Row]]:
    """``total`` shared among ``creatives`` by weights drawn per creative and day; the shares sum
    to the total (the last takes the remainder). No creative: no rows (GUESS: a campaign serves
    through its creatives)."""
    if creatives == [None]:
        yield None, total
        return
    weights = [0.5 + _draw(f"{(c or {}).get('id')}:{day}")[0] for c in creatives]
    left = dataclasses.replace(total)
    for index, creative in enumerate(creatives):
        if index == len(creatives) - 1:
            yield creative, left
            return
        part = weights[index] / sum(weights[index:])
        cost = money.quantize(float(left.cost) * part, currency)
        usd = Decimal(str(money.to_usd(float(cost), currency)))
        share = dataclasses.replace(total, impressions=int(left.impressions * part))
        share.clicks = int(left.clicks * part)
        share.cost, share.cost_usd = cost, usd
        left.add(share, sign=-1)
        yield creative, share


def _first(campaign: Entity) -> dt.date:
    """The first day a campaign could serve: the later of its creation and its schedule start."""
    stamps = campaign.get("changeAuditStamps") or {}
    created = (stamps.get("created") or {}).get("time", 0)
    schedule = campaign.get("runSchedule") or {}
    start = max(int(created or 0), int(schedule.get("start") or 0))
    return _day(start)


def _day(ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).date()


def _days_served(
    lineage: Lineage, campaign: Entity, start: dt.date, end: dt.date, today: dt.date
) -> Iterator[dt.date]:
    status = campaign.get("status")
    if status == "DRAFT":
        return
    if holds(Kind.CAMPAIGN, campaign, lineage) == ["RUNNABLE"]:
        last = today
    elif status in STOPPED:
        stamps = campaign.get("changeAuditStamps") or {}
        last = _day(int((stamps.get("lastModified") or {}).get("time", 0) or 0))
    else:
        return
    schedule_end = (campaign.get("runSchedule") or {}).get("end")
    if isinstance(schedule_end, int):
        last = min(last, _day(schedule_end - 1))
    day = start
    while day <= min(end, last, today):
        yield day
        day += dt.timedelta(days=1)


def _period(granularity: str, day: dt.date, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The reporting period of ``day``, clipped to the requested range."""
    if granularity == "DAILY":
        return day, day
    if granularity == "ALL":
        return start, end
    if granularity == "YEARLY":
        first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    else:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return max(first, start), min(last, end)


def _draw(text: str) -> tuple[float, float, float]:
    """Three stable shares in [0, 1) drawn from ``text``."""
    draw = hashlib.blake2b(text.encode(), digest_size=12).digest()
    h1, h2, h3 = (int.from_bytes(draw[i : i + 4], "big") / 2**32 for i in (0, 4, 8))
    return h1, h2, h3


def _delivered(account: Entity, campaign: Entity, day: dt.date, currency: str) -> _Row:
    """What ``campaign`` delivered on ``day``."""
    h1, h2, h3 = _draw(f"{account.get('id')}:{campaign.get('id')}:{day}")
    row = _Row((), day, day)
    budget = _amount(campaign.get("dailyBudget")) or money.local(50, currency)
    cost = money.quantize(budget * (0.55 + 0.4 * h1), currency)
    unit = campaign.get("unitCost") if campaign.get("costType") == "CPM" else None
    cpm = _amount(unit) or money.local(24 + 12 * h2, currency)
    impressions = int(float(cost) / cpm * 1000)
    row.impressions = impressions
    row.clicks = int(impressions * (0.003 + 0.006 * h3))
    row.cost = cost
    row.cost_usd = Decimal(str(money.to_usd(float(cost), currency)))
    return row


def _amount(value: Any) -> float | None:
    try:
        amount = float(value["amount"]) if isinstance(value, dict) else None
    except (KeyError, TypeError, ValueError):
        return None
    return amount if amount and amount > 0 else None


def _element(row: _Row, fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "pivotValues": list(row.pivot),
        "dateRange": {"start": _date_json(row.start), "end": _date_json(row.end)},
        "impressions": row.impressions,
        "clicks": row.clicks,
        "landingPageClicks": int(row.clicks * 0.8),
        "costInLocalCurrency": str(row.cost),
        "costInUsd": str(row.cost_usd.quantize(Decimal("0.01"))),
        "totalEngagements": row.clicks,  # GUESS: clicks are the only engagement modelled
        "conversionValueInLocalCurrency": "0",
        **{name: 0 for name in ZERO_METRICS if name != "totalEngagements"},
    }
    return {name: values[name] for name in fields if name in values}


def _date_json(day: dt.date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}
