"""Value types: URNs, money, instants, schedules, locales, targeting and creative content.

All canonical on construction, so equal values mean "no change".
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NewType, TypeAlias

from reconciler.model.content import ManagedContent
from reconciler.model.enums import facet_urn

Urn = NewType("Urn", str)
JSON: TypeAlias = dict[str, Any]

ACCOUNT_URN = "urn:li:sponsoredAccount:"
GROUP_URN = "urn:li:sponsoredCampaignGroup:"
CAMPAIGN_URN = "urn:li:sponsoredCampaign:"
CREATIVE_URN = "urn:li:sponsoredCreative:"


def account_urn(account_id: int) -> Urn:
    """``urn:li:sponsoredAccount:{id}``."""
    return Urn(f"{ACCOUNT_URN}{account_id}")


def group_urn(group_id: int) -> Urn:
    """``urn:li:sponsoredCampaignGroup:{id}``."""
    return Urn(f"{GROUP_URN}{group_id}")


def campaign_urn(campaign_id: int) -> Urn:
    """``urn:li:sponsoredCampaign:{id}``."""
    return Urn(f"{CAMPAIGN_URN}{campaign_id}")


def creative_urn(creative_id: int) -> Urn:
    """``urn:li:sponsoredCreative:{id}``."""
    return Urn(f"{CREATIVE_URN}{creative_id}")


def urn_id(urn: str) -> int:
    """The numeric id at the end of an entity URN (``urn:li:sponsoredCampaign:42`` -> 42).

    Raises ValueError when the URN does not end in a number.
    """
    return int(urn.rsplit(":", 1)[-1])


def format_decimal(value: Decimal) -> str:
    """A decimal as the API writes it: plain notation, no trailing zeros (``150.00`` -> ``150``)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Money:
    """An amount in a currency. The amount is a Decimal: money is never a float."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        # Canonical form: "150.00" and "150" are the same money.
        object.__setattr__(self, "amount", Decimal(format_decimal(self.amount)))

    @classmethod
    def parse(cls, text: str) -> Money:
        """``"150 USD"`` or ``"150.50 EUR"``; raises ValueError with a readable reason."""
        parts = text.split()
        if len(parts) != 2:
            raise ValueError(f"money must be written as '<amount> <CURRENCY>', e.g. '150 USD', not {text!r}")
        amount, currency = parts
        if cls is Money:  # the same few amounts recur on thousands of campaigns
            return _money(amount, currency)
        return cls(parse_amount(amount), currency)

    def to_api(self) -> JSON:
        """``{"amount": "150", "currencyCode": "USD"}``."""
        return {"amount": format_decimal(self.amount), "currencyCode": self.currency}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Money:
        """Read the API's money object."""
        if cls is Money:  # the same few amounts recur on thousands of campaigns
            return _money(str(data["amount"]), str(data["currencyCode"]))
        return cls(parse_amount(str(data["amount"])), str(data["currencyCode"]))

    def __str__(self) -> str:
        return f"{format_decimal(self.amount)} {self.currency}"


@functools.lru_cache(maxsize=4096)
def _money(amount: str, currency: str) -> Money:
    return Money(parse_amount(amount), currency)


def parse_amount(text: str) -> Decimal:
    """A non-negative decimal amount; raises ValueError for anything else."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a decimal amount") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{text!r} is not a non-negative amount")
    return value


def to_epoch_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("a datetime needs an explicit time zone")
    return int(moment.timestamp() * 1000)


def from_epoch_ms(ms: int) -> datetime:
    """The UTC datetime of epoch milliseconds."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def parse_instant(text: str) -> int:
    """An ISO 8601 date (midnight UTC) or datetime with an explicit zone, as epoch milliseconds."""
    if len(text) == 10:
        day = date.fromisoformat(text)
        return to_epoch_ms(datetime(day.year, day.month, day.day, tzinfo=UTC))
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone; add one, e.g. 'Z' or '+01:00'")
    return to_epoch_ms(moment)


def format_instant(ms: int) -> str:
    """Epoch milliseconds as ISO 8601 in UTC: a date when at midnight, else a datetime."""
    moment = from_epoch_ms(ms)
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return moment.date().isoformat()
    return moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Schedule:
    """A run schedule: start inclusive, end exclusive (optional), in epoch milliseconds."""

    start: int
    end: int | None = None

    def to_api(self) -> JSON:
        """``{"start": ms, "end": ms}`` (end omitted when open)."""
        out: JSON = {"start": self.start}
        if self.end is not None:
            out["end"] = self.end
        return out

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Schedule:
        """Read the API's runSchedule object."""
        end = data.get("end")
        return cls(int(data["start"]), int(end) if end is not None else None)


@dataclass(frozen=True)
class Locale:
    """A campaign locale: ISO-3166 country (upper case) and ISO-639 language (lower case)."""

    country: str
    language: str

    def to_api(self) -> JSON:
        """``{"country": "US", "language": "en"}``."""
        return {"country": self.country, "language": self.language}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Locale:
        """Read the API's locale object."""
        if cls is Locale:  # the same few locales recur on thousands of campaigns
            return _locale(str(data["country"]), str(data["language"]))
        return cls(str(data["country"]), str(data["language"]))

    @classmethod
    def parse(cls, text: str) -> Locale:
        """``"en_US"`` -> Locale("US", "en")."""
        language, _, country = text.partition("_")
        return cls(country, language)

    def __str__(self) -> str:
        return f"{self.language}_{self.country}"


@functools.lru_cache(maxsize=1024)
def _locale(country: str, language: str) -> Locale:
    return Locale(country, language)


# A clause maps facet URNs to values; stored sorted so equal sets compare equal.
Clause: TypeAlias = tuple[tuple[str, tuple[str, ...]], ...]


def make_clause(facets: Mapping[str, Iterable[str]]) -> Clause:
    """A canonical OR clause from facet names or URNs to values (sorted, de-duplicated, no empties)."""
    merged: dict[str, set[str]] = {}
    for key, values in facets.items():
        urn = facet_urn(key)
        if urn in merged:  # a short name and its URN both given
            merged[urn].update(values)
        else:
            merged[urn] = set(values)
    return tuple([(key, tuple(sorted(vals))) for key, vals in sorted(merged.items()) if vals])


@dataclass(frozen=True)
class Targeting:
    """targetingCriteria: an AND of OR clauses to include, and one OR clause to exclude.

    Canonical: clauses sorted, values sorted and de-duplicated, so set-equal targeting compares equal.
    """

    include: tuple[Clause, ...] = ()
    exclude: Clause = ()

    @classmethod
    def build(
        cls,
        include: Iterable[Mapping[str, Iterable[str]]] = (),
        exclude: Mapping[str, Iterable[str]] | None = None,
    ) -> Targeting:
        """Targeting from plain mappings, with facet short names or URNs as keys."""
        clauses = {make_clause(item) for item in include}
        clauses.discard(())
        return cls(tuple(sorted(clauses)), make_clause(exclude or {}))

    def to_api(self) -> JSON:
        """The API's ``targetingCriteria`` object (``exclude`` omitted when empty)."""
        out: JSON = {"include": {"and": [{"or": {k: list(v) for k, v in c}} for c in self.include]}}
        if self.exclude:
            out["exclude"] = {"or": {k: list(v) for k, v in self.exclude}}
        return out

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Targeting:
        """Read the API's ``targetingCriteria`` object."""
        # What build does, without its lists (once a campaign: 5,000 times at LinkedIn's limits).
        clauses = {make_clause(item.get("or", {})) for item in data.get("include", {}).get("and", [])}
        clauses.discard(())
        return cls(tuple(sorted(clauses)), make_clause(data.get("exclude", {}).get("or") or {}))

    def facets(self) -> dict[str, set[str]]:
        """Every included value per facet URN (for limits and overlap checks)."""
        out: dict[str, set[str]] = {}
        for clause in self.include:
            for key, values in clause:
                out.setdefault(key, set()).update(values)
        return out


@dataclass(frozen=True)
class BudgetOptimization:
    """A campaign group's ``budgetOptimization``."""

    bid_strategy: str | None = None
    budget_optimization_strategy: str | None = None

    def to_api(self) -> JSON:
        """The API's object, without unset members."""
        out: JSON = {}
        if self.bid_strategy is not None:
            out["bidStrategy"] = self.bid_strategy
        if self.budget_optimization_strategy is not None:
            out["budgetOptimizationStrategy"] = self.budget_optimization_strategy
        return out

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> BudgetOptimization:
        """Read the API's object."""
        return cls(data.get("bidStrategy"), data.get("budgetOptimizationStrategy"))


@dataclass(frozen=True)
class PostReference:
    """Creative content that sponsors an existing post (share, ugcPost or InMail content)."""

    reference: str

    def to_api(self) -> JSON:
        """``{"reference": urn}``."""
        return {"reference": self.reference}


@dataclass(frozen=True)
class TextAd:
    """Creative content of a text ad (headline ≤ 25, description ≤ 75 characters)."""

    headline: str
    description: str
    landing_page: str | None = None
    image: str | None = None

    def to_api(self) -> JSON:
        """``{"textAd": {...}}``."""
        body: JSON = {"headline": self.headline, "description": self.description}
        if self.landing_page is not None:
            body["landingPage"] = self.landing_page
        if self.image is not None:
            body["image"] = self.image
        return {"textAd": body}


@dataclass(frozen=True)
class DynamicContent:
    """A dynamic ad's content as LinkedIn returns it: ``{"follow"|"spotlight"|"jobs": {...}}``.

    Read so that such a creative is managed (its content compared with the manifest's), not opaque.
    """

    key: str
    body: Mapping[str, Any]

    def __hash__(self) -> int:
        return hash((self.key, json.dumps(self.body, sort_keys=True, default=str)))

    def to_api(self) -> JSON:
        """``{key: body}``."""
        return {self.key: dict(self.body)}


DYNAMIC_CONTENT_KEYS = ("follow", "spotlight", "jobs")

# Content the manifests make from files and text (image, video, carousel, …): see model/content.py.
CreativeContent: TypeAlias = PostReference | TextAd | ManagedContent | DynamicContent


def content_from_api(data: Mapping[str, Any]) -> CreativeContent:
    """Read a creative's ``content`` union (post reference or text ad)."""
    if "textAd" in data:
        ad = data["textAd"]
        return TextAd(ad["headline"], ad["description"], ad.get("landingPage"), ad.get("image"))
    if "reference" in data:
        return PostReference(str(data["reference"]))
    for key in DYNAMIC_CONTENT_KEYS:
        if isinstance(data.get(key), Mapping):
            return DynamicContent(key, dict(data[key]))
    raise ValueError(f"unsupported creative content: {sorted(data)}")


@dataclass(frozen=True)
class LeadgenCallToAction:
    """A lead-gen creative's call to action: the form (adForm URN) and the button label."""

    destination: str
    label: str

    def to_api(self) -> JSON:
        """``{"destination": urn, "label": LABEL}``."""
        return {"destination": self.destination, "label": self.label}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> LeadgenCallToAction:
        """Read the API's object."""
        return cls(str(data["destination"]), str(data["label"]))
