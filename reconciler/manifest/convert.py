"""Manifest values (already schema-valid) -> model values.

Each converter takes the plain value the schema accepted and returns the model's value, or raises
:class:`Invalid` for what the schema cannot see (a date that does not exist, for instance). It
knows nothing of positions: the caller cites the place, using ``Invalid.at`` for a sub-path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reconciler.model import (
    KINDS,
    BudgetOptimization,
    CampaignStatus,
    CampaignType,
    CostType,
    CreativeContent,
    CreativeStatus,
    GroupStatus,
    LeadgenCallToAction,
    Locale,
    ManagedContent,
    Money,
    PostReference,
    Schedule,
    TextAd,
    parse_amount,
    parse_instant,
)


class Invalid(ValueError):
    """A value the schema let through but the model cannot take; ``at`` is a sub-path of the value."""

    def __init__(self, message: str, *at: str | int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


Converter = Callable[[Any], Any]


def money(raw: Any) -> Money:
    """``"150 USD"`` or ``{amount: "150", currencyCode: USD}``."""
    if isinstance(raw, str):
        return Money.parse(raw)
    return Money(parse_amount(raw["amount"]), raw["currencyCode"])


def instant(raw: str) -> int:
    """An ISO 8601 date or zoned date-time as epoch milliseconds."""
    try:
        return parse_instant(raw)
    except ValueError as err:
        raise Invalid(f"'{raw}' is not a real date or time: {err}") from None


def schedule(raw: Mapping[str, Any]) -> Schedule:
    """``{start, end?}`` -> Schedule (start before end is a rule, not a conversion)."""
    start = _at("start", instant, raw["start"])
    end = _at("end", instant, raw["end"]) if raw.get("end") is not None else None
    return Schedule(start, end)


def _at(key: str, convert: Callable[[Any], Any], raw: Any) -> Any:
    try:
        return convert(raw)
    except Invalid as err:
        raise Invalid(err.message, key, *err.at) from None


def locale(raw: Any) -> Locale:
    """``en_US`` or ``{country: US, language: en}``."""
    if isinstance(raw, str):
        return Locale.parse(raw)
    return Locale(raw["country"], raw["language"])


def content(raw: Mapping[str, Any]) -> CreativeContent:
    """``{reference: urn}``, ``{textAd: {...}}`` or a body of one of :data:`KINDS` (its files, if any,
    are read by the builder, which replaces this value; see :mod:`reconciler.manifest.assets`)."""
    if "reference" in raw:
        return PostReference(raw["reference"])
    kind = next(iter(raw))
    if kind in KINDS:
        return ManagedContent(kind, raw[kind])
    ad = raw["textAd"]
    return TextAd(ad["headline"], ad["description"], ad.get("landingPage"), ad.get("image"))


def leadgen(raw: Mapping[str, Any]) -> LeadgenCallToAction:
    """``{destination, label}``."""
    return LeadgenCallToAction(raw["destination"], raw["label"])


def budget_optimization(raw: Mapping[str, Any]) -> BudgetOptimization:
    """``{bidStrategy?, budgetOptimizationStrategy?}``."""
    return BudgetOptimization(raw.get("bidStrategy"), raw.get("budgetOptimizationStrategy"))


def same(raw: Any) -> Any:
    """Values the model takes as they are (strings, booleans, ints)."""
    return raw


# Manifest field -> converter, per entity. ``targeting`` and ``creatives`` are handled by the builder.
GROUP_FIELDS: dict[str, Converter] = {
    "id": same,
    "status": GroupStatus,
    "runSchedule": schedule,
    "totalBudget": money,
    "dailyBudget": money,
    "budgetOptimization": budget_optimization,
    "prune": same,
    "ignoreChanges": tuple,
}
CAMPAIGN_SETTINGS: dict[str, Converter] = {
    "status": CampaignStatus,
    "type": CampaignType,
    "costType": CostType,
    "objectiveType": same,
    "optimizationTargetType": same,
    "dailyBudget": money,
    "totalBudget": money,
    "unitCost": money,
    "locale": locale,
    "runSchedule": schedule,
    "offsiteDeliveryEnabled": same,
    "audienceExpansionEnabled": same,
    "creativeSelection": same,
    "format": same,
    "pacingStrategy": same,
    "politicalIntent": same,
    "associatedEntity": same,
    "connectedTelevisionOnly": same,
}
CAMPAIGN_FIELDS: dict[str, Converter] = {"id": same, **CAMPAIGN_SETTINGS, "ignoreChanges": tuple}
CREATIVE_FIELDS: dict[str, Converter] = {
    "id": same,
    "intendedStatus": CreativeStatus,
    "content": content,
    "leadgenCallToAction": leadgen,
    "ignoreChanges": tuple,
    "localName": same,
}
