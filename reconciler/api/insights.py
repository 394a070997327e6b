"""What LinkedIn says about a plan's campaigns: audience size, bid and budget limits and recent spend
(reference §4 "Audience size", §12.2; the reporting page).

- ``GET /audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:(and:List(...)))``:
  ``elements[0].total`` (0 below LinkedIn's 300-member minimum).
- ``GET /adBudgetPricing?q=criteriaV2&account=…&campaignType=…&bidType=…&matchType=EXACT&
  objectiveType=…&optimizationTargetType=…&targetingCriteria=(…)``: ``elements[0]`` with
  ``bidLimits``, ``suggestedBid``, ``dailyBudgetLimits`` (Money ``min``/``max``/``default``).
  GUESS: the docs list the criteriaV2 parameters only in part; ``dailyBudget`` is not sent (the
  limits asked for here do not depend on the campaign's own budget, and leaving it out lets
  campaigns that differ only in budget share one answer).
- ``GET /adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange=(start:(…),end:(…))&
  accounts=List(urn:li:sponsoredAccount:N)&fields=costInLocalCurrency,impressions,pivotValues``:
  one element per campaign that had activity (none for those without).

Each answer is cached for the life of the :class:`Insights` (one per client, so one per run): the
same question is never asked twice. Elements that cannot be read are skipped, never an abort.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from reconciler.api.restli import Method, Request, encode_query
from reconciler.api.wire import Wire
from reconciler.errors import BadAnswer

T = TypeVar("T")


class Insights:
    """The read-only helper endpoints a plan's review asks, each answer cached."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()

    def audience_count(self, criteria: Mapping[str, Any]) -> int:
        """The audience ``total`` LinkedIn counts for a targetingCriteria (0: under 300 members)."""
        query = encode_query({"q": "targetingCriteriaV2", "targetingCriteria": _ordered(criteria)})
        return self._cached("audience " + query, lambda: _total(self._get("audienceCounts", query)))

    def budget_pricing(
        self,
        account_id: int,
        *,
        campaign_type: str,
        bid_type: str,
        objective: str | None,
        optimization: str | None,
        criteria: Mapping[str, Any],
    ) -> dict[str, Any]:
        """The pricing element for a campaign of these settings in the account (its currency):
        ``bidLimits``, ``suggestedBid``, ``dailyBudgetLimits``, as LinkedIn sends them."""
        params = {
            "q": "criteriaV2",
            "account": f"urn:li:sponsoredAccount:{int(account_id)}",
            "campaignType": campaign_type,
            "bidType": bid_type,
            "matchType": "EXACT",
            "objectiveType": objective,
            "optimizationTargetType": optimization,
            "targetingCriteria": _ordered(criteria),
        }
        query = encode_query(params)
        return self._cached("pricing " + query, lambda: _first(self._get("adBudgetPricing", query)))

    def campaign_spend(self, account_id: int, start: date, end: date) -> dict[int, tuple[Decimal, int]]:
        """Campaign id -> (cost in the account's currency, impressions) from ``start`` to ``end``
        (both days included) for the campaigns of the account that had activity."""
        params = {
            "q": "analytics",
            "pivot": "CAMPAIGN",
            "timeGranularity": "ALL",
            "dateRange": {"start": _day(start), "end": _day(end)},
            "accounts": [f"urn:li:sponsoredAccount:{int(account_id)}"],
            "fields": ["costInLocalCurrency", "impressions", "pivotValues"],
        }
        query = encode_query(params)
        return self._cached("spend " + query, lambda: _spend(self._get("adAnalytics", query)))

    # -- plumbing ------------------------------------------------------------------------------

    def _get(self, resource: str, query: str) -> dict[str, Any]:
        request = Request(Method.FINDER, resource, f"/{resource}", query)
        return self.wire.json(request, self.wire.call(request))

    def _cached(self, key: str, ask: Callable[[], T]) -> T:
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[no-any-return]
        value = ask()
        with self._lock:
            self._cache[key] = value
        return value


def _ordered(criteria: Mapping[str, Any]) -> dict[str, Any]:
    """The criteria with ``include`` before ``exclude`` and keys in a stable order (the encoder keeps
    insertion order), so equal targeting is one question."""
    canonical: dict[str, Any] = json.loads(json.dumps(criteria, sort_keys=True))
    return {k: canonical[k] for k in ("include", "exclude") if k in canonical}


def _day(when: date) -> dict[str, int]:
    return {"year": when.year, "month": when.month, "day": when.day}


def _elements(answer: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    elements = answer.get("elements")
    return [e for e in elements if isinstance(e, Mapping)] if isinstance(elements, list) else []


def _total(answer: Mapping[str, Any]) -> int:
    for element in _elements(answer):
        total = element.get("total")
        if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
            return total
    raise BadAnswer("audienceCounts answered without an audience total")


def _first(answer: Mapping[str, Any]) -> dict[str, Any]:
    elements = _elements(answer)
    return dict(elements[0]) if elements else {}


def _spend(answer: Mapping[str, Any]) -> dict[int, tuple[Decimal, int]]:
    out: dict[int, tuple[Decimal, int]] = {}
    for element in _elements(answer):
        pivots = element.get("pivotValues")
        urn = pivots[0] if isinstance(pivots, list) and pivots else None
        if not isinstance(urn, str) or not urn.startswith("urn:li:sponsoredCampaign:"):
            continue
        try:
            campaign = int(urn.rsplit(":", 1)[1])
            cost = Decimal(str(element.get("costInLocalCurrency", "0")))
        except (ValueError, InvalidOperation):
            continue
        impressions = element.get("impressions", 0)
        if not cost.is_finite() or cost < 0 or not isinstance(impressions, int) or impressions < 0:
            continue  # not a spend a plan can show (and its schema refuses)
        spent, seen = out.get(campaign, (Decimal(0), 0))
        out[campaign] = (spent + cost, seen + impressions)
    return out
