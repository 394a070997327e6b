"""The sentences a change's review adds beside it: audience size, bid and budget limits, and what a
campaign the plan stops or re-budgets spent lately ("pausing a campaign that spent 1,234 USD in the
last 7 days"). Pure functions over a change's dict form; nothing when the plan carries no review."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from reconciler.render.values import amount, label

MIN_AUDIENCE = 300


def review_notes(change: Mapping[str, Any]) -> list[str]:
    """The review's sentences for one change, in a fixed order (spend, audience, pricing)."""
    notes = []
    spend = change.get("recentSpend")
    if isinstance(spend, Mapping):
        notes.append(_spend(change, spend))
    size = change.get("audienceSize")
    if isinstance(size, int) and not isinstance(size, bool):
        if size == 0:
            notes.append(f"audience: fewer than {MIN_AUDIENCE} members, under LinkedIn's minimum to run")
        else:
            notes.append(f"audience: {size:,} members")
    pricing = change.get("pricing")
    if isinstance(pricing, Mapping):
        line = _pricing(pricing)
        if line:
            notes.append(line)
    return notes


def _spend(change: Mapping[str, Any], spend: Mapping[str, Any]) -> str:
    money = f"{amount(spend.get('amount', '0'))} {label(spend.get('currencyCode', ''))}".strip()
    impressions = spend.get("impressions", 0)
    shown = f"{impressions:,}" if isinstance(impressions, int) else label(impressions)
    days = spend.get("days", 7)
    verb = _verb(change)
    return f"{verb} a campaign that spent {money} and had {shown} impressions in the last {label(days)} days"


def _verb(change: Mapping[str, Any]) -> str:
    action = str(change.get("action"))
    if action in ("archive", "delete", "replace"):
        return {"archive": "archiving", "delete": "deleting", "replace": "replacing"}[action]
    for field in change.get("fields", ()):
        if field.get("field") == "status" and field.get("new") == "PAUSED" and not field.get("ignored"):
            return "pausing"
    return "re-budgeting"


def _pricing(pricing: Mapping[str, Any]) -> str:
    parts = []
    suggested = _money(pricing, "suggestedBid", "default")
    if suggested:
        low, high = _money(pricing, "suggestedBid", "min"), _money(pricing, "suggestedBid", "max")
        span = f" ({low} to {high})" if low and high else ""
        parts.append(f"LinkedIn suggests a bid of {suggested}{span}")
    floor = _money(pricing, "bidLimits", "min")
    if floor:
        parts.append(f"bid floor {floor}")
    daily = _money(pricing, "dailyBudgetLimits", "min")
    if daily:
        parts.append(f"minimum daily budget {daily}")
    return "; ".join(parts)


def _money(pricing: Mapping[str, Any], *path: str) -> str:
    value: Any = pricing
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    if not isinstance(value, Mapping) or "amount" not in value:
        return ""
    return f"{amount(_trimmed(value['amount']))} {label(value.get('currencyCode', ''))}".strip()


def _trimmed(text: Any) -> Any:
    """``5.00`` -> ``5``, ``7.50`` -> ``7.5`` (as the plan writes money); other text as it is."""
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return text
    if not value.is_finite():
        return text
    plain = format(value, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain
