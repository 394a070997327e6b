"""Judging a campaign's bid and daily budget against LinkedIn's ``adBudgetPricing`` answer: the
floors that refuse a plan (``bidLimits.min``, ``dailyBudgetLimits.min``) and the distance from the
suggested bid that only warns. Pure functions over API-form values."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from reconciler.plan import Violation

FAR = Decimal(2)  # a bid more than twice, or less than half, the suggested one is far from it


def floors(where: str, after: Mapping[str, Any], pricing: Mapping[str, Any]) -> list[Violation]:
    """A ``pricing`` violation for a ``unitCost`` under the bid floor and one for a ``dailyBudget``
    under the minimum daily budget (same currency; an unset or zero bid is LinkedIn's to set)."""
    out = []
    bid, floor = money(after.get("unitCost")), money(at(pricing, "bidLimits", "min"))
    if bid is not None and floor is not None and 0 < bid[0] < floor[0] and bid[1] == floor[1]:
        out.append(
            Violation(
                "pricing",
                f"{where}: unitCost {text(bid)} is below LinkedIn's bid floor of {text(floor)} "
                "(adBudgetPricing bidLimits.min) for this campaign type, bid type and targeting",
            )
        )
    daily = money(after.get("dailyBudget"))
    least = money(at(pricing, "dailyBudgetLimits", "min"))
    if daily is not None and least is not None and 0 < daily[0] < least[0] and daily[1] == least[1]:
        out.append(
            Violation(
                "pricing",
                f"{where}: dailyBudget {text(daily)} is below LinkedIn's minimum daily budget of "
                f"{text(least)} (adBudgetPricing dailyBudgetLimits.min)",
            )
        )
    return out


def far_from_suggestion(where: str, after: Mapping[str, Any], pricing: Mapping[str, Any]) -> str | None:
    """A warning when the bid is outside the suggested range (else under half or over twice the
    suggested bid); None when it is near, or cannot be judged."""
    bid = money(after.get("unitCost"))
    suggested = money(at(pricing, "suggestedBid", "default"))
    if bid is None or suggested is None or bid[0] <= 0 or suggested[0] <= 0 or bid[1] != suggested[1]:
        return None
    low, high = money(at(pricing, "suggestedBid", "min")), money(at(pricing, "suggestedBid", "max"))
    below = bid[0] < (low[0] if low else suggested[0] / FAR)
    above = bid[0] > (high[0] if high else suggested[0] * FAR)
    if not (below or above):
        return None
    side = "below" if below else "above"
    if low and high:
        return (
            f"{where}: unitCost {text(bid)} is {side} the range of bids LinkedIn suggests, {text(low)} "
            f"to {text(high)} (suggested {text(suggested)})"
        )
    half = "less than half" if below else "more than twice"
    return f"{where}: unitCost {text(bid)} is {half} the bid LinkedIn suggests, {text(suggested)}"


def at(data: Mapping[str, Any], *path: str) -> Any:
    value: Any = data
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def money(value: Any) -> tuple[Decimal, str] | None:
    if not isinstance(value, Mapping):
        return None
    try:
        amount = Decimal(str(value.get("amount")))
    except InvalidOperation:
        return None
    currency = value.get("currencyCode")
    return (amount, currency) if amount.is_finite() and isinstance(currency, str) else None


def text(money: tuple[Decimal, str] | None) -> str:
    return f"{plain(money[0])} {money[1]}" if money else "?"


def plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
