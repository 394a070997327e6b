"""Campaign settings LinkedIn judges together: type x format, objective x optimization target x cost type.

Sources (see docs/emulator.md for the same table on the server side, encoded there on its own):

* formats: the campaign-formats page (view 2024-04) and the campaigns page ("campaignFormat is a
  required field when campaign.type=DYNAMIC"; "Dynamic, Carousel, and Video Ad Campaigns must have
  their format set during creation"). Which format goes with which type is read from the format
  names and the creatives page; GUESS where the docs give no table.
* optimization targets per objective: "Ad Budget Type Allowable Combinations" (views 2022-11 and
  2023-11) lists BRAND_AWARENESS, CREATIVE_ENGAGEMENT, ENGAGEMENT and the start of JOB_APPLICANT.
  The other rows are a GUESS from Campaign Manager's objective table; MAX_LEAD, MAX_QUALIFIED_LEAD,
  MAX_REACH, MAX_VIDEO_VIEW, TARGET_COST_PER_VIDEO_VIEW, CAP_COST_AND_MAXIMIZE_LEADS and
  CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS appear only in third-party code.
* cost types: GUESS from what each target bills for (a target cost per click bills clicks, ...);
  CPV only for VIDEO_VIEW campaigns.

Each check returns ``(message, field names)`` with the field to cite first; the caller places it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.model import normalise_objective

Finding = tuple[str, tuple[str, ...]]

FORMATS_BY_TYPE: Mapping[str, tuple[str, ...]] = {
    "TEXT_AD": ("TEXT_AD",),
    "SPONSORED_UPDATES": ("STANDARD_UPDATE", "SINGLE_VIDEO", "CAROUSEL", "SPONSORED_UPDATE_EVENT"),
    "SPONSORED_INMAILS": ("SPONSORED_INMAIL", "SPONSORED_MESSAGE"),
    "DYNAMIC": ("FOLLOW_COMPANY", "JOBS", "SPOTLIGHT"),
}

_CLICKS = ("MAX_CLICK", "TARGET_COST_PER_CLICK", "CAP_COST_AND_MAXIMIZE_CLICKS")
TARGETS_BY_OBJECTIVE: Mapping[str, tuple[str, ...]] = {
    # documented
    "BRAND_AWARENESS": (
        "NONE",
        "MAX_IMPRESSION",
        "TARGET_COST_PER_IMPRESSION",
        "CAP_COST_AND_MAXIMIZE_IMPRESSIONS",
        "MAX_REACH",  # third-party only (Campaign Manager's "Reach" goal)
    ),
    "CREATIVE_ENGAGEMENT": (
        "NONE",
        "MAX_CONVERSION",
        "MAX_IMPRESSION",
        "MAX_CLICK",
        "ENHANCED_CONVERSION",
        "TARGET_COST_PER_CLICK",
    ),
    "ENGAGEMENT": ("NONE", "ENHANCED_CONVERSION", *_CLICKS),
    "JOB_APPLICANT": ("NONE", "ENHANCED_CONVERSION", *_CLICKS),  # documented: NONE, MAX_CLICK, ...
    # GUESS from here on
    "LEAD_GENERATION": (
        "NONE",
        "MAX_LEAD",
        "MAX_QUALIFIED_LEAD",
        "CAP_COST_AND_MAXIMIZE_LEADS",
        "ENHANCED_CONVERSION",
        "MAX_CLICK",
        "TARGET_COST_PER_CLICK",
    ),
    "WEBSITE_VISIT": ("NONE", "ENHANCED_CONVERSION", *_CLICKS),
    "WEBSITE_CONVERSION": ("NONE", "MAX_CONVERSION", "ENHANCED_CONVERSION", *_CLICKS),
    "VIDEO_VIEW": (
        "NONE",
        "MAX_VIDEO_VIEW",
        "TARGET_COST_PER_VIDEO_VIEW",
        "CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS",
    ),
    "TALENT_LEAD": ("NONE", "MAX_LEAD", "MAX_CLICK", "ENHANCED_CONVERSION"),
}

# Targets that bill (or cap) one unit take only that unit's cost types; the others take any.
COST_TYPES_BY_TARGET: Mapping[str, tuple[str, ...]] = {
    "MAX_IMPRESSION": ("CPM",),
    "MAX_REACH": ("CPM",),
    "TARGET_COST_PER_IMPRESSION": ("CPM",),
    "CAP_COST_AND_MAXIMIZE_IMPRESSIONS": ("CPM",),
    "TARGET_COST_PER_CLICK": ("CPC",),
    "TARGET_COST_PER_VIDEO_VIEW": ("CPV",),
    "MAX_VIDEO_VIEW": ("CPM", "CPV"),
    "CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS": ("CPM", "CPV"),
}
VIDEO_FORMAT = "SINGLE_VIDEO"


def campaign_findings(get: Any) -> Iterable[Finding]:
    """Every disagreement among a campaign's type, format, objective, target and cost type;
    ``get(name)`` is the campaign's converted value of a manifest field (None when unset)."""
    kind, form = get("type"), get("format")
    objective, target, cost = get("objectiveType"), get("optimizationTargetType"), get("costType")
    kind, form, cost = (str(v) if v is not None else None for v in (kind, form, cost))
    objective = normalise_objective(str(objective)) if objective is not None else None
    if kind == "DYNAMIC" and form is None:
        allowed = _words(FORMATS_BY_TYPE["DYNAMIC"])
        yield f"a DYNAMIC campaign needs a format ({allowed}), set when it is created", ("type",)
    formats = FORMATS_BY_TYPE.get(kind or "")
    if form is not None and formats is not None and form not in formats:
        yield f"format {form} does not go with type {kind}, which takes {_words(formats)}", ("format", "type")
    targets = TARGETS_BY_OBJECTIVE.get(objective) if objective is not None else None
    if target is not None and targets is not None and target not in targets:
        message = f"optimizationTargetType {target} is not allowed with objectiveType {objective}"
        yield f"{message}, which takes {_words(targets)}", ("optimizationTargetType", "objectiveType")
    costs = COST_TYPES_BY_TARGET.get(str(target)) if target is not None else None
    if cost is not None and costs is not None and cost not in costs:
        message = (
            f"costType {cost} does not go with optimizationTargetType {target}, which takes {_words(costs)}"
        )
        yield message, ("costType", "optimizationTargetType")
    if cost == "CPV" and objective is not None and objective != "VIDEO_VIEW":
        yield f"costType CPV is only for VIDEO_VIEW campaigns, not {objective}", ("costType", "objectiveType")
    if cost == "CPV" and form != VIDEO_FORMAT:
        # Video campaigns set their format at creation; the first creative would make it another.
        yield f"costType CPV needs format {VIDEO_FORMAT}" + (f", not {form}" if form else ""), ("costType",)


def _words(values: Iterable[str]) -> str:
    items = list(values)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
