"""``GET /rest/adBudgetPricing?q=criteriaV2&…``: bid and daily budget limits and a suggested bid.

Parameters (criteriaV2): ``account`` (a sponsoredAccount URN of a stored account), ``campaignType``,
``bidType`` (CPM, CPC, CPV), ``matchType`` (EXACT, AUDIENCE_EXPANDED) and ``targetingCriteria`` are
required; ``objectiveType``, ``optimizationTargetType`` and ``dailyBudget=(amount:…,currencyCode:…)``
(in the account's currency) are optional (GUESS: which ones LinkedIn requires). The answer is one
element of money objects in the account's currency (docs/emulator.md, "Budget pricing"):

* ``bidLimits.min`` = the bid type's floor in US dollars (CPM 5, CPC 2, CPV 0.10) in local money;
  ``bidLimits.max`` = 1,000 times the floor;
* ``suggestedBid.default`` = the bid type's base (CPM 30, CPC 6, CPV 0.25 USD) times an audience
  factor (1 at a million members, +25 % per tenfold fewer, -25 % per tenfold more, within 0.7-2.5;
  the audience is ``audience``'s model, scaled like ``audienceCounts``), an objective factor and a
  match factor (0.9 for AUDIENCE_EXPANDED), never under the floor; ``min`` 0.75 and ``max`` 1.4
  times the default (``min`` never under the floor);
* ``dailyBudgetLimits.min`` = the currency's minimum daily budget (``money``); ``default`` = ten
  suggested bids (a hundred for CPV), at least the minimum; ``max`` = 1,000,000 USD in local money.

Every value is rounded to the currency's minor unit; the answer depends only on its inputs.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from reconciler.emulator import audience, money, users
from reconciler.emulator.errors import classic, missing_param, not_found, param_invalid
from reconciler.emulator.restli import Params
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.rules.enums import (
    CAMPAIGN_TYPES,
    OBJECTIVES,
    OPTIMIZATION_TARGETS,
    singular_objective,
)
from reconciler.emulator.store import Entity, Kind

FLOOR_USD = {"CPM": 5.0, "CPC": 2.0, "CPV": 0.10}
BASE_USD = {"CPM": 30.0, "CPC": 6.0, "CPV": 0.25}
BUDGET_BIDS = {"CPM": 10, "CPC": 10, "CPV": 100}
MATCH_TYPES = {"EXACT": 1.0, "AUDIENCE_EXPANDED": 0.9}
OBJECTIVE_FACTOR = {
    "BRAND_AWARENESS": 0.8,
    "ENGAGEMENT": 0.9,
    "CREATIVE_ENGAGEMENT": 0.9,
    "VIDEO_VIEW": 0.9,
    "WEBSITE_VISIT": 1.0,
    "JOB_APPLICANT": 1.1,
    "WEBSITE_CONVERSION": 1.2,
    "TALENT_LEAD": 1.2,
    "LEAD_GENERATION": 1.3,
}
MAX_DAILY_BUDGET_USD = 1_000_000
ACCOUNT_PREFIX = "urn:li:sponsoredAccount:"


def pricing(ctx: Ctx, params: Params) -> dict[str, Any]:
    """The finder's answer for the parameters of one campaign."""
    account = _account(ctx, params)
    currency = str(account.get("currency", "USD"))
    if currency not in money.RATES:
        raise classic(400, f"Ad account currency {currency} is not supported")
    _enum(params, "campaignType", CAMPAIGN_TYPES)
    bid_type = _enum(params, "bidType", frozenset(FLOOR_USD))
    match = _enum(params, "matchType", frozenset(MATCH_TYPES))
    objective = _optional(params, "objectiveType", OBJECTIVES)
    _optional(params, "optimizationTargetType", OPTIMIZATION_TARGETS)
    _daily_budget(params, currency)
    members = audience.audience_size(audience.targeting_param(params), ctx.settings.audience_scale)
    element = limits(currency, bid_type, match, objective, members)
    return {"elements": [element], "paging": {"start": 0, "count": 10, "links": []}}


def limits(currency: str, bid_type: str, match: str, objective: str | None, members: int) -> dict[str, Any]:
    """The three limit objects for one campaign (see the module docstring for the model)."""
    floor = money.local(FLOOR_USD[bid_type], currency)
    factor = audience_factor(members) * OBJECTIVE_FACTOR.get(objective or "", 1.0) * MATCH_TYPES[match]
    suggested = max(floor, money.local(BASE_USD[bid_type], currency) * factor)
    minimum = money.daily_minimum(currency)
    budget = max(float(minimum), suggested * BUDGET_BIDS[bid_type])

    def m(value: float | Decimal) -> dict[str, Any]:
        return money.money(value, currency)

    return {
        "bidLimits": {"max": m(floor * 1000), "min": m(floor)},
        "suggestedBid": {
            "default": m(suggested),
            "max": m(suggested * 1.4),
            "min": m(max(floor, suggested * 0.75)),
        },
        "dailyBudgetLimits": {
            "default": m(budget),
            "max": m(money.significant(money.local(MAX_DAILY_BUDGET_USD, currency))),
            "min": m(minimum),
        },
    }


def audience_factor(members: int) -> float:
    """1 at a million members, 25 % dearer per tenfold fewer (cheaper per tenfold more), 0.7-2.5;
    an audience under the minimum (answered 0) is priced as 300 members."""
    size = max(members, audience.MINIMUM)
    return min(2.5, max(0.7, 1 + 0.25 * (6 - math.log10(size))))


def _account(ctx: Ctx, params: Params) -> Entity:
    raw = params.get("account")
    if raw is None:
        raise missing_param("account")
    tail = raw.removeprefix(ACCOUNT_PREFIX) if isinstance(raw, str) else ""
    if not isinstance(raw, str) or not raw.startswith(ACCOUNT_PREFIX) or not tail.isdigit():
        raise param_invalid("account", raw if isinstance(raw, str) else None)
    account = ctx.store.get(Kind.ACCOUNT, int(tail), int(tail))
    if account is None:
        raise not_found(f"Ad account {tail}")
    if users.role_of(ctx, account) is None:
        # The docs ask for any role on the account (VIEWER included); the body is a GUESS.
        raise classic(
            403, f"Not enough permissions to access: GET /adBudgetPricing for {raw}", service_code=100
        )
    return account


def _enum(params: Params, name: str, symbols: frozenset[str]) -> str:
    """A required enum parameter."""
    value = _optional(params, name, symbols)
    if value is None:
        raise missing_param(name)
    return value


def _optional(params: Params, name: str, symbols: frozenset[str]) -> str | None:
    value = singular_objective(params.get(name))  # the plural objectives campaigns accept too
    if value is None:
        return None
    if not isinstance(value, str) or value not in symbols:
        raise param_invalid(name, value if isinstance(value, str) else None)
    return value


def _daily_budget(params: Params, currency: str) -> None:
    """``dailyBudget=(amount:…,currencyCode:…)``: a positive amount in the account's currency.

    It is checked, not used: the model's suggestion does not depend on it (GUESS)."""
    value = params.get("dailyBudget")
    if value is None:
        return
    if not isinstance(value, dict) or set(value) != {"amount", "currencyCode"}:
        raise param_invalid("dailyBudget")
    try:
        amount = Decimal(str(value["amount"]))
    except InvalidOperation:
        raise param_invalid("dailyBudget/amount") from None
    if not amount.is_finite() or amount <= 0:
        raise param_invalid("dailyBudget/amount")
    if value["currencyCode"] != currency:
        raise classic(400, f"dailyBudget currencyCode must be the ad account's currency {currency}")
