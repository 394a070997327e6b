"""Entities: Account, CampaignGroup, Campaign, Creative, with their API conversions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Self

from reconciler.model.enums import (
    CampaignStatus,
    CampaignType,
    CostType,
    CreativeStatus,
    GroupStatus,
    normalise_objective,
)
from reconciler.model.values import (
    JSON,
    BudgetOptimization,
    CreativeContent,
    LeadgenCallToAction,
    Locale,
    Money,
    Schedule,
    Targeting,
    Urn,
    account_urn,
    content_from_api,
    urn_id,
)

DEFAULT_GROUP_NAME = "Default Campaign Group"


@dataclass(frozen=True)
class LiveMeta:
    """What the API says about an entity beyond its settable fields. Not part of equality."""

    id: int
    parent: Urn | None = None
    version_tag: str | None = None
    created_at: int | None = None
    last_modified_at: int | None = None
    last_modified_by: Urn | None = None
    status_detail: tuple[str, ...] = ()
    backfilled: bool = False


def _meta_from_audit(entity_id: int, parent: str | None, data: Mapping[str, Any]) -> LiveMeta:
    stamps = data.get("changeAuditStamps") or {}
    created = stamps.get("created") or {}
    modified = stamps.get("lastModified") or {}
    actor = modified.get("actor")
    meta: LiveMeta = _made(
        LiveMeta,
        {},
        {
            "id": entity_id,
            "parent": Urn(parent) if parent else None,
            "version_tag": (data.get("version") or {}).get("versionTag"),
            "created_at": created.get("time"),
            "last_modified_at": modified.get("time"),
            "last_modified_by": Urn(actor) if actor else None,
            "status_detail": tuple(data.get("servingStatuses") or ()),
            "backfilled": bool(data.get("backfilled", False)),
        },
    )
    return meta


def _put(out: JSON, key: str, value: Any) -> None:
    """Set ``out[key]`` to the API form of value, leaving unset (None) fields out."""
    if value is None:
        return
    to_api = getattr(value, "to_api", None)
    out[key] = to_api() if callable(to_api) else value


def _read(
    data: Mapping[str, Any], plan: tuple[tuple[str, str, Any], ...], out: dict[str, Any]
) -> dict[str, Any]:
    """Put each ``(API key, attribute, reader)`` of ``plan`` that ``data`` sets into ``out`` (read
    by ``reader``, or as it is when that is None)."""
    get = data.get
    for key, attr, reader in plan:
        value = get(key)
        if value is not None:
            out[attr] = value if reader is None else reader(value)
    return out


def _made(cls: type[Any], defaults: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
    """An instance of the frozen dataclass ``cls`` with its ``defaults`` and ``values``, as its
    ``__init__`` would make it but without a ``setattr`` per field (those cost a campaign 11 µs,
    of the account read's CPU at the limits a tenth). For ``from_api`` only: the values are checked
    there, and ``cls`` must not need its ``__post_init__``."""
    made = object.__new__(cls)
    made.__dict__.update(defaults)
    made.__dict__.update(values)
    return made


def _defaults(cls: type[Any]) -> dict[str, Any]:
    """Every field of a dataclass with a plain default, and its default."""
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


@dataclass(frozen=True)
class Creative:
    """A creative (ad). Identity: ``id`` when pinned, else ``name`` within its campaign."""

    name: str
    content: CreativeContent | None = None
    intended_status: CreativeStatus | None = None
    leadgen_call_to_action: LeadgenCallToAction | None = None
    id: int | None = None
    ignore_changes: tuple[str, ...] = ()
    meta: LiveMeta | None = field(default=None, compare=False, repr=False)

    def api_fields(self) -> JSON:
        """The settable fields in API form, unset ones left out (no campaign reference)."""
        out: JSON = {"name": self.name}
        for key, attr in CREATIVE_FIELDS.items():
            _put(out, key, getattr(self, attr))
        return out

    def to_api(self, campaign: Urn) -> JSON:
        """The create body (``account`` is implied by the account-scoped path)."""
        return {"campaign": campaign, **self.api_fields()}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Read a creative as GET returns it; ``meta.parent`` is its campaign URN."""
        creative_id = urn_id(str(data["id"]))
        actor = data.get("lastModifiedBy")
        meta = _made(
            LiveMeta,
            _META_DEFAULTS,
            {
                "id": creative_id,
                "parent": Urn(str(data["campaign"])),
                "version_tag": (data.get("version") or {}).get("versionTag"),
                "created_at": data.get("createdAt"),
                "last_modified_at": data.get("lastModifiedAt"),
                "last_modified_by": Urn(actor) if actor else None,
                "status_detail": tuple(data.get("servingHoldReasons") or ()),
            },
        )
        values = {"name": str(data.get("name") or ""), "id": creative_id, "meta": meta}
        made: Self = _made(cls, _CREATIVE_DEFAULTS, _read(data, _CREATIVE_READ, values))
        return made


@dataclass(frozen=True)
class Campaign:
    """A campaign. Identity: ``id`` when pinned, else ``name`` within its group."""

    name: str
    status: CampaignStatus | None = None
    type: CampaignType | None = None
    cost_type: CostType | None = None
    objective_type: str | None = None
    optimization_target_type: str | None = None
    daily_budget: Money | None = None
    total_budget: Money | None = None
    unit_cost: Money | None = None
    locale: Locale | None = None
    run_schedule: Schedule | None = None
    targeting: Targeting | None = None
    offsite_delivery_enabled: bool | None = None
    audience_expansion_enabled: bool | None = None
    creative_selection: str | None = None
    format: str | None = None
    pacing_strategy: str | None = None
    political_intent: str | None = None
    associated_entity: str | None = None
    connected_television_only: bool | None = None
    creatives: tuple[Creative, ...] = ()
    id: int | None = None
    ignore_changes: tuple[str, ...] = ()
    meta: LiveMeta | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.objective_type is not None:
            object.__setattr__(self, "objective_type", normalise_objective(self.objective_type))

    def api_fields(self) -> JSON:
        """The settable fields in API form, unset ones left out (no account, group or children)."""
        out: JSON = {"name": self.name}
        for key, attr in CAMPAIGN_FIELDS.items():
            _put(out, key, getattr(self, attr))
        return out

    def to_api(self, account: Urn, group: Urn) -> JSON:
        """The create body."""
        return {"account": account, "campaignGroup": group, **self.api_fields()}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Read a campaign as GET returns it; ``meta.parent`` is its group URN."""
        campaign_id = int(data["id"])
        meta = _meta_from_audit(campaign_id, data.get("campaignGroup"), data)
        values = _read(
            data, _CAMPAIGN_READ, {"name": str(data.get("name", "")), "id": campaign_id, "meta": meta}
        )
        objective = values.get("objective_type")
        if objective is not None:  # what __post_init__ does
            values["objective_type"] = normalise_objective(objective)
        made: Self = _made(cls, _CAMPAIGN_DEFAULTS, values)
        return made


@dataclass(frozen=True)
class CampaignGroup:
    """A campaign group. Identity: ``id`` when pinned, else ``name`` within its account."""

    name: str
    status: GroupStatus | None = None
    run_schedule: Schedule | None = None
    total_budget: Money | None = None
    daily_budget: Money | None = None
    budget_optimization: BudgetOptimization | None = None
    campaigns: tuple[Campaign, ...] = ()
    id: int | None = None
    prune: bool = False
    ignore_changes: tuple[str, ...] = ()
    meta: LiveMeta | None = field(default=None, compare=False, repr=False)

    def api_fields(self) -> JSON:
        """The settable fields in API form, unset ones left out."""
        out: JSON = {"name": self.name}
        for key, attr in GROUP_FIELDS.items():
            _put(out, key, getattr(self, attr))
        return out

    def to_api(self, account: Urn) -> JSON:
        """The create body."""
        return {"account": account, **self.api_fields()}

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Read a campaign group as GET returns it; ``meta.parent`` is its account URN."""
        group_id = int(data["id"])
        meta = _meta_from_audit(group_id, data.get("account"), data)
        return cls(
            **_read(data, _GROUP_READ, {"name": str(data.get("name", "")), "id": group_id, "meta": meta})
        )

    @property
    def is_default(self) -> bool:
        """Whether LinkedIn created this group itself (the account's default group).

        GUESS: the API has no documented "default" flag. LinkedIn marks groups it created with
        ``backfilled: true`` and names the account's first group "Default Campaign Group"; either counts.
        """
        if self.meta is None:
            return False
        return self.meta.backfilled or self.name == DEFAULT_GROUP_NAME


@dataclass(frozen=True)
class Safety:
    """An account's own safety thresholds (unset ones take the defaults)."""

    max_removal_fraction: float | None = None
    max_daily_budget_increase: float | None = None
    min_managed_entities: int | None = None
    max_daily_budget_decrease: float | None = None


@dataclass(frozen=True)
class Account:
    """An ad account as the manifests describe it (or as read from the API, without children)."""

    id: int
    currency: str
    name: str | None = None
    groups: tuple[CampaignGroup, ...] = ()
    prune: bool = False
    safety: Safety | None = None

    @property
    def urn(self) -> Urn:
        """``urn:li:sponsoredAccount:{id}``."""
        return account_urn(self.id)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Read an ad account as GET returns it (id, currency, name; no children)."""
        return cls(id=int(data["id"]), currency=str(data.get("currency") or "USD"), name=data.get("name"))

    def campaigns(self) -> Iterable[tuple[CampaignGroup, Campaign]]:
        """Every campaign with its group."""
        for group in self.groups:
            for campaign in group.campaigns:
                yield group, campaign

    def creatives(self) -> Iterable[tuple[CampaignGroup, Campaign, Creative]]:
        """Every creative with its group and campaign."""
        for group, campaign in self.campaigns():
            for creative in campaign.creatives:
                yield group, campaign, creative


# API field name -> attribute name, for the settable fields beyond ``name``.
CAMPAIGN_FIELDS = {
    "status": "status",
    "type": "type",
    "costType": "cost_type",
    "objectiveType": "objective_type",
    "optimizationTargetType": "optimization_target_type",
    "dailyBudget": "daily_budget",
    "totalBudget": "total_budget",
    "unitCost": "unit_cost",
    "locale": "locale",
    "runSchedule": "run_schedule",
    "targetingCriteria": "targeting",
    "offsiteDeliveryEnabled": "offsite_delivery_enabled",
    "audienceExpansionEnabled": "audience_expansion_enabled",
    "creativeSelection": "creative_selection",
    "format": "format",
    "pacingStrategy": "pacing_strategy",
    "politicalIntent": "political_intent",
    "associatedEntity": "associated_entity",
    "connectedTelevisionOnly": "connected_television_only",
}
CAMPAIGN_READERS: dict[str, Any] = {
    "status": CampaignStatus,
    "type": CampaignType,
    "costType": CostType,
    "dailyBudget": Money.from_api,
    "totalBudget": Money.from_api,
    "unitCost": Money.from_api,
    "locale": Locale.from_api,
    "runSchedule": Schedule.from_api,
    "targetingCriteria": Targeting.from_api,
}
GROUP_FIELDS = {
    "status": "status",
    "runSchedule": "run_schedule",
    "totalBudget": "total_budget",
    "dailyBudget": "daily_budget",
    "budgetOptimization": "budget_optimization",
}
GROUP_READERS: dict[str, Any] = {
    "status": GroupStatus,
    "runSchedule": Schedule.from_api,
    "totalBudget": Money.from_api,
    "dailyBudget": Money.from_api,
    "budgetOptimization": BudgetOptimization.from_api,
}
CREATIVE_FIELDS = {
    "content": "content",
    "intendedStatus": "intended_status",
    "leadgenCallToAction": "leadgen_call_to_action",
}
CREATIVE_READERS: dict[str, Any] = {
    "content": content_from_api,
    "intendedStatus": CreativeStatus,
    "leadgenCallToAction": LeadgenCallToAction.from_api,
}
# What from_api reads: (API key, attribute, reader or None), and the defaults it starts from.
_GROUP_READ = tuple((key, attr, GROUP_READERS.get(key)) for key, attr in GROUP_FIELDS.items())
_CAMPAIGN_READ = tuple((key, attr, CAMPAIGN_READERS.get(key)) for key, attr in CAMPAIGN_FIELDS.items())
_CREATIVE_READ = tuple((key, attr, CREATIVE_READERS.get(key)) for key, attr in CREATIVE_FIELDS.items())
_CAMPAIGN_DEFAULTS = _defaults(Campaign)
_CREATIVE_DEFAULTS = _defaults(Creative)
_META_DEFAULTS = _defaults(LiveMeta)


def status_of(entity: CampaignGroup | Campaign | Creative | None, default: str = "") -> str:
    """An entity's status as text (a creative's ``intendedStatus``); ``default`` when unset."""
    if entity is None:
        return default
    value = entity.intended_status if isinstance(entity, Creative) else entity.status
    return str(value) if value is not None else default
