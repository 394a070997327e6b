"""Campaign rules (reference §3.3, §4, §6).

Two levels of validation, as LinkedIn postpones some checks until a campaign leaves DRAFT:

* always — field types and enums, required identity fields (account, group, name, type, costType,
  status, locale, runSchedule), budgets and currency, targeting structure, group coupling;
* on create and whenever not DRAFT — offsiteDeliveryEnabled and politicalIntent;
* always — format and the type x format x objective x optimization target x cost type
  configuration (``configuration``);
* when not DRAFT — a budget, targetingCriteria with a location facet, associatedEntity for
  sponsored-content and dynamic campaigns, and (on the first activation only) a start date that
  is not in the past.
"""

from __future__ import annotations

import re
from typing import Any

from reconciler.emulator.errors import Problems, refusal
from reconciler.emulator.rules import limits
from reconciler.emulator.rules import status as st
from reconciler.emulator.rules.accounts import default_group_id
from reconciler.emulator.rules.common import (
    Ctx,
    apply_patch,
    changed,
    check_bool,
    check_enum,
    check_fields,
    check_money,
    check_passed_start,
    check_schedule,
    check_start_not_past,
    check_text,
    check_urn,
    numeric_urn,
    require,
)
from reconciler.emulator.rules.configuration import check_configuration, check_format
from reconciler.emulator.rules.enums import (
    CAMPAIGN_TYPES,
    COST_TYPES,
    CREATIVE_SELECTIONS,
    OBJECTIVES,
    OPTIMIZATION_TARGETS,
    PACING,
    POLITICAL_INTENTS,
    singular_objective,
)
from reconciler.emulator.rules.targeting import LOCATION_FACETS, check_targeting
from reconciler.emulator.store import Entity, Kind

WRITABLE = frozenset(
    [
        "account",
        "campaignGroup",
        "associatedEntity",
        "audienceExpansionEnabled",
        "costType",
        "creativeSelection",
        "dailyBudget",
        "totalBudget",
        "unitCost",
        "locale",
        "name",
        "objectiveType",
        "offsiteDeliveryEnabled",
        "offsitePreferences",
        "runSchedule",
        "targetingCriteria",
        "targeting",
        "type",
        "status",
        "optimizationTargetType",
        "format",
        "pacingStrategy",
        "connectedTelevisionOnly",
        "optimizationPreference",
        "politicalIntent",
        "storyDeliveryEnabled",
    ]
)
READ_ONLY = frozenset(
    {
        "id",
        "accountInfo",
        "campaignGroupInfo",
        "associatedEntityInfo",
        "test",
        "servingStatuses",
        "version",
        "changeAuditStamps",
    }
)
# Frozen once the campaign leaves DRAFT (INFERRED set, reference §3.3); objectiveType and
# associatedEntity have codes of their own.
DRAFT_ONLY = ("type", "costType", "format", "pacingStrategy", "campaignGroup")
GROUP_PREFIX = "urn:li:sponsoredCampaignGroup:"
CREATE_STATUSES = ("ACTIVE", "PAUSED", "DRAFT")


def build(ctx: Ctx, account: Entity, body: Entity) -> Entity:
    """Validate a create body for ``account``; the campaign to store (no id or stamps yet)."""
    problems = Problems()
    check_fields(problems, body.keys(), WRITABLE, READ_ONLY)
    entity = {k: v for k, v in body.items() if k in WRITABLE}
    if "objectiveType" in entity:
        entity["objectiveType"] = singular_objective(entity["objectiveType"])
    if "campaignGroup" not in entity:
        _default_group(problems, ctx, account, entity)
    _validate(problems, ctx, account, entity, None)
    if entity.get("status") in st.CAMPAIGN_STATUSES - set(CREATE_STATUSES):
        problems.add("INVALID_VALUE_FOR_FIELD", "status", "a campaign is created ACTIVE, PAUSED or DRAFT")
    if not problems:
        limits.check_campaign(
            problems, ctx, int(account["id"]), entity, None, default_group_id(ctx.store, int(account["id"]))
        )
    problems.raise_if_any()
    return entity


def merge(ctx: Ctx, account: Entity, current: Entity, patch: Any) -> Entity:
    """Validate a patch against ``current``; the campaign to store."""
    problems = Problems()
    if st.check_frozen(problems, current.get("status"), "Campaign", current.get("id")):
        problems.raise_if_any()
    after, touched = apply_patch(current, patch)
    check_fields(problems, touched, WRITABLE, READ_ONLY)
    if "objectiveType" in after:
        after["objectiveType"] = singular_objective(after["objectiveType"])
    _validate(problems, ctx, account, after, current)
    _check_immutables(problems, current, after)
    st.check_move(problems, st.CAMPAIGN, current.get("status"), after.get("status"))
    check_passed_start(problems, ctx, current, after)
    if not problems:
        limits.check_campaign(
            problems, ctx, int(account["id"]), after, current, default_group_id(ctx.store, int(account["id"]))
        )
    problems.raise_if_any()
    return after


def check_delete(current: Entity) -> None:
    """Only DRAFT campaigns can be deleted."""
    if current.get("status") != "DRAFT":
        raise refusal(
            "DELETE_ALLOWED_ONLY_FOR_DRAFT_STATUS", "status", "Delete is allowed only in draft state"
        )


def _default_group(problems: Problems, ctx: Ctx, account: Entity, entity: Entity) -> None:
    """Without campaignGroup, an account with exactly one group uses it (reference §6)."""
    groups = ctx.store.scan(Kind.GROUP, int(account["id"]), limit=2)
    if len(groups) == 1:
        entity["campaignGroup"] = f"{GROUP_PREFIX}{groups[0][0]}"
    else:
        problems.add("MISSING_CAMPAIGN_GROUP_ID", "campaignGroup", "campaignGroup is required but missing")


def _validate(problems: Problems, ctx: Ctx, account: Entity, entity: Entity, before: Entity | None) -> None:
    currency = str(account.get("currency", "USD"))
    if (
        require(problems, entity, "account")
        and entity["account"] != f"urn:li:sponsoredAccount:{account['id']}"
    ):
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "account", "account must be the ad account of the request path"
        )
    group = _check_group(problems, ctx, account, entity, before)
    if require(problems, entity, "name"):
        check_text(problems, entity["name"], "name")
    for name, allowed in (
        ("type", CAMPAIGN_TYPES),
        ("costType", COST_TYPES),
        ("status", st.CAMPAIGN_STATUSES),
    ):
        if require(problems, entity, name):
            check_enum(problems, entity[name], name, allowed)
    if require(problems, entity, "locale"):
        _check_locale(problems, entity["locale"])
    start = (
        check_schedule(problems, entity.get("runSchedule"))[0]
        if require(problems, entity, "runSchedule")
        else None
    )
    _check_budgets(problems, ctx, entity, currency)
    _check_options(problems, entity)
    before_targeting = len(problems.items)
    facets = check_targeting(problems, entity.get("targetingCriteria"))
    targeting_ok = len(problems.items) == before_targeting
    if "targeting" in entity:
        problems.add(
            "TARGETING_FIELD_DEPRECATED", "targeting", "targeting is deprecated; use targetingCriteria"
        )
    if group is not None:
        _check_group_coupling(problems, entity, group)
    check_format(problems, entity, before)
    check_configuration(problems, entity)
    if before is None or entity.get("status") not in (None, "DRAFT"):
        # Required on create (campaigns page, current versions), and kept outside DRAFT.
        require(problems, entity, "offsiteDeliveryEnabled")
        require(problems, entity, "politicalIntent")
    if entity.get("status") not in (None, "DRAFT"):
        _check_activation(problems, entity, facets if targeting_ok else None)
        if before is None or before.get("status") == "DRAFT":
            check_start_not_past(problems, ctx, start, "Campaign")


def _check_group(
    problems: Problems, ctx: Ctx, account: Entity, entity: Entity, before: Entity | None
) -> Entity | None:
    if entity.get("campaignGroup") is None:
        if not any(p.code == "MISSING_CAMPAIGN_GROUP_ID" for p in problems.items):
            require(problems, entity, "campaignGroup")
        return None
    group_id = numeric_urn(GROUP_PREFIX, entity["campaignGroup"])
    if group_id is None:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "campaignGroup", "campaignGroup must be a sponsoredCampaignGroup URN"
        )
        return None
    group = ctx.store.get(Kind.GROUP, int(account["id"]), group_id)
    if group is None:
        problems.add(
            "FIELD_VALUE_DOES_NOT_EXIST",
            "campaignGroup",
            f"campaign group {group_id} does not exist in this account",
        )
        return None
    joining = before is None or before.get("campaignGroup") != entity["campaignGroup"]
    if joining and group.get("status") in ("ARCHIVED", *st.TERMINAL):
        problems.add(
            "FIELD_VALUE_NOT_ACTIVE", "campaignGroup", f"campaign group {group_id} is {group.get('status')}"
        )
    return group


def _check_group_coupling(problems: Problems, entity: Entity, group: Entity) -> None:
    status = entity.get("status")
    if group.get("status") == "DRAFT" and status not in (None, "DRAFT"):
        problems.add(
            "ONLY_DRAFT_CAMPAIGNS_ALLOWED_IN_DRAFT_CAMPAIGN_GROUPS",
            "status",
            f"/Campaign/status cannot be set to {status} if /CampaignGroup/status is set to DRAFT",
            conditional=True,
        )
    objective = group.get("objectiveType")
    if objective is not None:
        if entity.get("objectiveType") is None:
            entity["objectiveType"] = objective
        elif entity["objectiveType"] != objective:
            problems.add(
                "CONDITIONAL_INVALID_VALUE",
                "objectiveType",
                f"/Campaign/objectiveType must be {objective} as set by /CampaignGroup/objectiveType",
                conditional=True,
            )


def _check_locale(problems: Problems, locale: Any) -> None:
    ok = (
        isinstance(locale, dict)
        and set(locale) == {"country", "language"}
        and isinstance(locale["country"], str)
        and re.fullmatch(r"[A-Z]{2}", locale["country"]) is not None
        and isinstance(locale["language"], str)
        and re.fullmatch(r"[a-z]{2}", locale["language"]) is not None
    )
    if not ok:
        problems.add("INVALID_VALUE_FOR_FIELD", "locale", "locale must be {country: 'US', language: 'en'}")


def _check_budgets(problems: Problems, ctx: Ctx, entity: Entity, currency: str) -> None:
    minimum = ctx.settings.min_daily_budget.get(currency)
    daily = check_money(problems, entity.get("dailyBudget"), "dailyBudget", currency, minimum=minimum)
    total = check_money(problems, entity.get("totalBudget"), "totalBudget", currency)
    check_money(problems, entity.get("unitCost"), "unitCost", currency)
    if daily is not None and total is not None and total < daily:
        problems.add(
            "CONDITIONAL_VALUE_TOO_LOW",
            "totalBudget",
            f"/totalBudget/amount cannot be set to {total}; "
            f"it cannot be lower than /dailyBudget/amount {daily}",
            conditional=True,
        )


def _check_options(problems: Problems, entity: Entity) -> None:
    check_enum(problems, entity.get("objectiveType"), "objectiveType", OBJECTIVES)
    check_enum(problems, entity.get("optimizationTargetType"), "optimizationTargetType", OPTIMIZATION_TARGETS)
    check_enum(problems, entity.get("creativeSelection"), "creativeSelection", CREATIVE_SELECTIONS)
    check_enum(problems, entity.get("pacingStrategy"), "pacingStrategy", PACING)
    check_enum(problems, entity.get("politicalIntent"), "politicalIntent", POLITICAL_INTENTS)
    check_urn(
        problems,
        entity.get("associatedEntity"),
        "associatedEntity",
        ("urn:li:organization:", "urn:li:person:"),
    )
    for flag in (
        "audienceExpansionEnabled",
        "offsiteDeliveryEnabled",
        "connectedTelevisionOnly",
        "storyDeliveryEnabled",
    ):
        check_bool(problems, entity.get(flag), flag)
    for name in ("offsitePreferences", "optimizationPreference"):
        if entity.get(name) is not None and not isinstance(entity[name], dict):
            problems.add("INVALID_VALUE_FOR_FIELD", name, f"{name} must be an object")
    if entity.get("type") == "SPONSORED_INMAILS" and entity.get("creativeSelection") == "OPTIMIZED":
        problems.add(
            "INVALID_CAMPAIGN_CONFIGURATION",
            "creativeSelection",
            "OPTIMIZED is not available for SPONSORED_INMAILS",
        )
    if entity.get("connectedTelevisionOnly") is True and entity.get("offsiteDeliveryEnabled") is not True:
        problems.add(
            "CONDITIONAL_INVALID_VALUE",
            "offsiteDeliveryEnabled",
            "offsiteDeliveryEnabled must be true when connectedTelevisionOnly is true",
            conditional=True,
        )


def _check_activation(problems: Problems, entity: Entity, facets: set[str] | None) -> None:
    """What a campaign outside DRAFT must have (checks DRAFT postpones); ``facets`` None when
    the targeting is already known to be invalid (one problem is enough)."""
    if entity.get("dailyBudget") is None and entity.get("totalBudget") is None:
        problems.add(
            "CONDITIONAL_MISSING_FIELD", "dailyBudget", "dailyBudget or totalBudget is required but missing"
        )
    if require(problems, entity, "targetingCriteria") and facets is not None and not facets & LOCATION_FACETS:
        problems.add(
            "MISSING_FIELD",
            "targetingCriteria/include",
            "targetingCriteria/include needs a locations or profileLocations facet",
        )
    if entity.get("type") in ("SPONSORED_UPDATES", "DYNAMIC") and entity.get("associatedEntity") is None:
        problems.add(
            "CONDITIONAL_MISSING_FIELD",
            "associatedEntity",
            f"associatedEntity is required for {entity.get('type')} campaigns",
        )


def _check_immutables(problems: Problems, before: Entity, after: Entity) -> None:
    if changed(before, after, "account"):
        problems.add("FIELD_NOT_ALLOWED", "account", "account can only be set at creation")
    if before.get("status") == "DRAFT":
        return
    for name in DRAFT_ONLY:
        if changed(before, after, name):
            problems.add(
                "FIELD_IMMUTABLE_FOR_NON_DRAFT_CAMPAIGNS",
                name,
                f"{name} can't be updated unless in draft state",
            )
    if changed(before, after, "objectiveType"):
        problems.add(
            "IMMUTABLE_CAMPAIGN_OBJECTIVE_TYPE",
            "objectiveType",
            "objectiveType can't be updated unless in draft state",
        )
    if changed(before, after, "associatedEntity"):
        problems.add(
            "IMMUTABLE_ASSOCIATED_ENTITY",
            "associatedEntity",
            "associatedEntity can't be updated unless in draft state",
        )
