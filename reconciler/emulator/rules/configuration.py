"""Campaign configuration: format, and objective x optimization target x cost type (reference §3.3, §12.3).

What LinkedIn refuses as ``INVALID_CAMPAIGN_CONFIGURATION`` ("invalid combinations of objectiveType/
format/type/optimizationTargetType/costType", error-responses page). Built from the docs, on its own
(the client's ``validate`` has its own copy; docs/emulator.md lists the sources):

* formats: campaign-formats page (view 2024-04); "campaignFormat is a required field when
  campaign.type=DYNAMIC" and "Dynamic, Carousel, and Video Ad Campaigns must have their format set
  during creation" (campaigns page). The type each format belongs to is INFERRED from the names.
* targets per objective: "Ad Budget Type Allowable Combinations" (views 2022-11, 2023-11) for
  BRAND_AWARENESS, CREATIVE_ENGAGEMENT, ENGAGEMENT and JOB_APPLICANT (NONE, MAX_CLICK, ...); the
  other rows, and every cost-type rule, are GUESSES (Campaign Manager's objective table).
"""

from __future__ import annotations

from reconciler.emulator.errors import Problems
from reconciler.emulator.store import Entity

CONFIGURATION = "INVALID_CAMPAIGN_CONFIGURATION"

# campaign-formats page; UNSUPPORTED is what LinkedIn reports for formats the API can't manage and
# is never accepted on a write.
FORMATS = frozenset(
    {
        "CAROUSEL",
        "FOLLOW_COMPANY",
        "JOBS",
        "SINGLE_VIDEO",
        "SPONSORED_INMAIL",
        "SPONSORED_MESSAGE",
        "SPONSORED_UPDATE_EVENT",
        "SPONSORED_UPDATE_NATIVE_DOCUMENT",
        "SPOTLIGHT",
        "STANDARD_UPDATE",
        "TEXT_AD",
    }
)
TYPE_OF_FORMAT = {
    "TEXT_AD": "TEXT_AD",
    "STANDARD_UPDATE": "SPONSORED_UPDATES",
    "SINGLE_VIDEO": "SPONSORED_UPDATES",
    "CAROUSEL": "SPONSORED_UPDATES",
    "SPONSORED_UPDATE_EVENT": "SPONSORED_UPDATES",
    # Document ads' format as live accounts report it (not on the 2024-04 formats page: GUESS).
    "SPONSORED_UPDATE_NATIVE_DOCUMENT": "SPONSORED_UPDATES",
    "SPONSORED_INMAIL": "SPONSORED_INMAILS",
    "SPONSORED_MESSAGE": "SPONSORED_INMAILS",
    "FOLLOW_COMPANY": "DYNAMIC",
    "JOBS": "DYNAMIC",
    "SPOTLIGHT": "DYNAMIC",
}
# Formats that must be given in the create body, never added later.
SET_AT_CREATION = frozenset({"CAROUSEL", "SINGLE_VIDEO", "FOLLOW_COMPANY", "JOBS", "SPOTLIGHT"})

_CLICK_TARGETS = {"MAX_CLICK", "TARGET_COST_PER_CLICK", "CAP_COST_AND_MAXIMIZE_CLICKS"}
ALLOWED_TARGETS: dict[str, frozenset[str]] = {
    "BRAND_AWARENESS": frozenset(
        {
            "NONE",
            "MAX_IMPRESSION",
            "TARGET_COST_PER_IMPRESSION",
            "CAP_COST_AND_MAXIMIZE_IMPRESSIONS",
            "MAX_REACH",
        }
    ),
    "CREATIVE_ENGAGEMENT": frozenset(
        {
            "NONE",
            "MAX_CONVERSION",
            "MAX_IMPRESSION",
            "MAX_CLICK",
            "ENHANCED_CONVERSION",
            "TARGET_COST_PER_CLICK",
        }
    ),
    "ENGAGEMENT": frozenset({"NONE", "ENHANCED_CONVERSION"} | _CLICK_TARGETS),
    "JOB_APPLICANT": frozenset({"NONE", "ENHANCED_CONVERSION"} | _CLICK_TARGETS),
    "LEAD_GENERATION": frozenset(
        {
            "NONE",
            "MAX_LEAD",
            "MAX_QUALIFIED_LEAD",
            "CAP_COST_AND_MAXIMIZE_LEADS",
            "ENHANCED_CONVERSION",
            "MAX_CLICK",
            "TARGET_COST_PER_CLICK",
        }
    ),
    "WEBSITE_VISIT": frozenset({"NONE", "ENHANCED_CONVERSION"} | _CLICK_TARGETS),
    "WEBSITE_CONVERSION": frozenset({"NONE", "MAX_CONVERSION", "ENHANCED_CONVERSION"} | _CLICK_TARGETS),
    "VIDEO_VIEW": frozenset(
        {"NONE", "MAX_VIDEO_VIEW", "TARGET_COST_PER_VIDEO_VIEW", "CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS"}
    ),
    "TALENT_LEAD": frozenset({"NONE", "MAX_LEAD", "MAX_CLICK", "ENHANCED_CONVERSION"}),
}
# GUESS: a target that bills or caps one unit takes only that unit's cost types.
TARGET_COSTS: dict[str, frozenset[str]] = {
    "MAX_IMPRESSION": frozenset({"CPM"}),
    "MAX_REACH": frozenset({"CPM"}),
    "TARGET_COST_PER_IMPRESSION": frozenset({"CPM"}),
    "CAP_COST_AND_MAXIMIZE_IMPRESSIONS": frozenset({"CPM"}),
    "TARGET_COST_PER_CLICK": frozenset({"CPC"}),
    "TARGET_COST_PER_VIDEO_VIEW": frozenset({"CPV"}),
    "MAX_VIDEO_VIEW": frozenset({"CPM", "CPV"}),
    "CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS": frozenset({"CPM", "CPV"}),
}


def check_format(problems: Problems, entity: Entity, before: Entity | None) -> None:
    """The format is a documented symbol, required at creation for DYNAMIC, and (for video,
    carousel and dynamic formats) never added after creation."""
    fmt = entity.get("format")
    if fmt is not None and fmt not in FORMATS:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "format", f"format value {fmt!r} is not one of {sorted(FORMATS)}"
        )
        return
    if before is None and fmt is None and entity.get("type") == "DYNAMIC":
        problems.add(
            "CONDITIONAL_MISSING_FIELD",
            "format",
            "campaignFormat is a required field when campaign.type=DYNAMIC",
        )
    if before is not None and before.get("format") is None and fmt in SET_AT_CREATION:
        problems.add(
            CONFIGURATION,
            "format",
            "Dynamic, Carousel, and Video Ad Campaigns must have their format set during creation",
        )


def check_configuration(problems: Problems, entity: Entity) -> None:
    """Type, format, objective, optimization target and cost type agree (unset ones are not judged;
    an unset optimizationTargetType is NONE, which every objective allows)."""
    kind, fmt, cost = entity.get("type"), entity.get("format"), entity.get("costType")
    objective, target = entity.get("objectiveType"), entity.get("optimizationTargetType")
    if fmt in TYPE_OF_FORMAT and kind is not None and TYPE_OF_FORMAT[fmt] != kind:
        _refuse(problems, "format", f"format {fmt} is not available for campaign type {kind}")
    allowed = ALLOWED_TARGETS.get(objective) if isinstance(objective, str) else None
    if allowed is not None and isinstance(target, str) and target not in allowed:
        _refuse(problems, "optimizationTargetType", f"{target} is not available for objective {objective}")
    costs = TARGET_COSTS.get(target) if isinstance(target, str) else None
    if costs is not None and isinstance(cost, str) and cost not in costs:
        _refuse(problems, "costType", f"costType {cost} is not available for {target}")
    if cost == "CPV" and objective is not None and objective != "VIDEO_VIEW":
        _refuse(problems, "costType", f"costType CPV is not available for objective {objective}")
    if cost == "CPV" and fmt != "SINGLE_VIDEO":
        # A video campaign sets its format at creation; without one the first creative makes it
        # STANDARD_UPDATE or TEXT_AD, which bill no views (INFERRED).
        _refuse(problems, "costType", f"costType CPV is available only for format SINGLE_VIDEO, not {fmt}")


def _refuse(problems: Problems, path: str, message: str) -> None:
    problems.add(CONFIGURATION, path, message)
