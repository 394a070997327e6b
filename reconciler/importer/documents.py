"""Live model entities -> manifest mappings, in the manifest's own terms and key order.

Money reads ``"150 USD"``, instants ISO dates at midnight UTC and datetimes with ``Z`` otherwise,
locales ``en_US``, targeting facets by their short names. Keys follow the order of the manifest
schema's properties (the order the README's reference uses); ``tests/importer`` holds them to it.
Statuses only LinkedIn sets (COMPLETED, …) are left out: a manifest cannot ask for them, and a
field a manifest leaves out is not managed.

Pure functions: no I/O, no YAML (``yamlout`` writes what these build).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.importer.yamlout import Flow, FlowMap
from reconciler.model import (
    CAMPAIGN_FIELDS,
    GROUP_FIELDS,
    BudgetOptimization,
    Campaign,
    CampaignGroup,
    Clause,
    Creative,
    LeadgenCallToAction,
    Locale,
    Money,
    PostReference,
    Schedule,
    Targeting,
    TextAd,
    facet_name,
)

# Key orders, as the manifest schema lists the properties.
FILE_KEYS = ("version", "account", "defaults", "audiences", "campaignGroups")
ACCOUNT_KEYS = ("id", "currency", "name", "prune", "safety")
AUDIENCE_KEYS = ("description", "include", "exclude")
GROUP_KEYS = (
    "name",
    "id",
    "status",
    "runSchedule",
    "totalBudget",
    "dailyBudget",
    "budgetOptimization",
    "prune",
    "ignoreChanges",
    "campaigns",
)
CAMPAIGN_KEYS = (
    "name",
    "id",
    "status",
    "type",
    "costType",
    "objectiveType",
    "optimizationTargetType",
    "dailyBudget",
    "totalBudget",
    "unitCost",
    "locale",
    "runSchedule",
    "offsiteDeliveryEnabled",
    "audienceExpansionEnabled",
    "creativeSelection",
    "format",
    "pacingStrategy",
    "politicalIntent",
    "associatedEntity",
    "connectedTelevisionOnly",
    "targeting",
    "ignoreChanges",
    "creatives",
)
CREATIVE_KEYS = (
    "name",
    "localName",
    "id",
    "intendedStatus",
    "content",
    "leadgenCallToAction",
    "ignoreChanges",
)

# Statuses a manifest may ask for; any other live status is left out of the manifest.
SETTABLE_STATUSES = frozenset({"ACTIVE", "PAUSED", "ARCHIVED", "DRAFT"})
DAY_MS = 86_400_000
FLOW_MAX_VALUES = 6  # facet value lists up to this long (and without commas) are written on one line

Doc = dict[str, Any]


def ordered(values: Mapping[str, Any], keys: tuple[str, ...]) -> Doc:
    """``values`` in the order of ``keys``, without the unset ones (None)."""
    return {key: values[key] for key in keys if values.get(key) is not None}


def iso_instant(ms: int) -> str:
    """Epoch milliseconds as the manifest writes them: ``2027-01-04`` at midnight UTC, else
    ``2027-01-04T09:30:00Z`` (with milliseconds only when there are some)."""
    from datetime import UTC, datetime

    moment = datetime.fromtimestamp(ms // 1000, tz=UTC).replace(microsecond=(ms % 1000) * 1000)
    if ms % DAY_MS == 0:
        return moment.date().isoformat()
    spec = "seconds" if ms % 1000 == 0 else "milliseconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def value(item: Any) -> Any:
    """One model value in manifest form."""
    if isinstance(item, Money):
        return str(item)
    if isinstance(item, Schedule):
        out = {"start": iso_instant(item.start)}
        if item.end is not None:
            out["end"] = iso_instant(item.end)
        return FlowMap(out)
    if isinstance(item, Locale):
        return str(item)
    if isinstance(item, BudgetOptimization | LeadgenCallToAction):
        return FlowMap(item.to_api())
    if isinstance(item, PostReference):
        return FlowMap({"reference": item.reference})
    if isinstance(item, TextAd):
        ad = {"headline": item.headline, "description": item.description}
        ad.update({k: v for k, v in (("landingPage", item.landing_page), ("image", item.image)) if v})
        return {"textAd": ad}
    if isinstance(item, str):
        return str(item)  # plain str, also for StrEnum members
    return item


def status(item: Any) -> str | None:
    """A live status when a manifest may ask for it, else None (left out)."""
    return str(item) if item is not None and str(item) in SETTABLE_STATUSES else None


def group_doc(group: CampaignGroup, name: str, campaigns: list[Doc]) -> Doc:
    """A campaign group with its id pin and its campaigns."""
    fields: Doc = {"name": name, "id": group.id}
    for key, attr in GROUP_FIELDS.items():
        fields[key] = value(getattr(group, attr))
    fields["status"] = status(group.status)
    fields["campaigns"] = campaigns or None
    return ordered(fields, GROUP_KEYS)


def campaign_fields(campaign: Campaign) -> Doc:
    """A campaign's settable fields (not name, id, targeting or creatives) in manifest form."""
    fields: Doc = {key: value(getattr(campaign, attr)) for key, attr in CAMPAIGN_FIELDS.items()}
    fields.pop("targetingCriteria", None)
    fields["status"] = status(campaign.status)
    return {k: v for k, v in fields.items() if v is not None}


def campaign_doc(campaign: Campaign, name: str, fields: Doc, targeting: Any, creatives: list[Doc]) -> Doc:
    """A campaign with its id pin, its (possibly reduced) fields, targeting and creatives."""
    doc: Doc = {**fields, "name": name, "id": campaign.id, "targeting": targeting}
    doc["creatives"] = creatives or None
    return ordered(doc, CAMPAIGN_KEYS)


def creative_doc(creative: Creative, name: str) -> Doc:
    """A creative with its id pin; one LinkedIn holds without a name gets ``name`` as a local label."""
    doc: Doc = {
        "name": name,
        "localName": True if not creative.name else None,
        "id": creative.id,
        "intendedStatus": status(creative.intended_status),
        "content": value(creative.content) if creative.content is not None else None,
        "leadgenCallToAction": value(creative.leadgen_call_to_action),
    }
    return ordered(doc, CREATIVE_KEYS)


def targeting_doc(targeting: Targeting, names: Mapping[str, Mapping[str, str]] | None = None) -> Doc:
    """``{include: [clause, …], exclude: clause}`` with facets by short name, and each value by
    its name where ``names`` (facet short name -> URN -> name) has one."""
    doc: Doc = {}
    if targeting.include:
        doc["include"] = [clause_doc(clause, names) for clause in targeting.include]
    if targeting.exclude:
        doc["exclude"] = clause_doc(targeting.exclude, names)
    return doc


def clause_doc(clause: Clause, names: Mapping[str, Mapping[str, str]] | None = None) -> Doc:
    """One OR clause: facet short name -> its values (as the model keeps them, sorted by URN),
    written by name where ``names`` has one."""
    out: Doc = {}
    for facet, values in sorted(clause, key=lambda item: facet_name(item[0])):
        by_urn = (names or {}).get(facet_name(facet), {})
        items = [by_urn.get(value, value) for value in values]
        short = len(items) <= FLOW_MAX_VALUES and not any("," in item for item in items)
        out[facet_name(facet)] = Flow(items) if short else items
    return out


def is_empty(targeting: Targeting | None) -> bool:
    """Whether there is no targeting to write."""
    return targeting is None or (not targeting.include and not targeting.exclude)
