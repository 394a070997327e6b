"""Enumerations of the Advertising API as the emulator accepts them (reference §3–§5)."""

from __future__ import annotations

from typing import Any

# objectiveType: the live API takes singular forms; the doc tables' plurals are normalised (§3.3).
OBJECTIVES = frozenset(
    {
        "BRAND_AWARENESS",
        "ENGAGEMENT",
        "VIDEO_VIEW",
        "LEAD_GENERATION",
        "WEBSITE_VISIT",
        "WEBSITE_CONVERSION",
        "JOB_APPLICANT",
        "TALENT_LEAD",
        "CREATIVE_ENGAGEMENT",
    }
)
_PLURALS = {
    "WEBSITE_VISITS": "WEBSITE_VISIT",
    "VIDEO_VIEWS": "VIDEO_VIEW",
    "JOB_APPLICANTS": "JOB_APPLICANT",
    "WEBSITE_CONVERSIONS": "WEBSITE_CONVERSION",
    "TALENT_LEADS": "TALENT_LEAD",
}


def singular_objective(value: Any) -> Any:
    """Normalise a plural objectiveType to the singular the API returns; other values unchanged."""
    return _PLURALS.get(value, value) if isinstance(value, str) else value


ACCOUNT_TYPES = frozenset({"BUSINESS", "ENTERPRISE"})
CAMPAIGN_TYPES = frozenset({"TEXT_AD", "SPONSORED_UPDATES", "SPONSORED_INMAILS", "DYNAMIC"})
COST_TYPES = frozenset({"CPM", "CPC", "CPV"})
CREATIVE_SELECTIONS = frozenset({"ROUND_ROBIN", "OPTIMIZED"})
PACING = frozenset({"LIFETIME", "ACCELERATED"})
POLITICAL_INTENTS = frozenset({"POLITICAL", "NOT_POLITICAL", "NOT_DECLARED"})
BID_STRATEGIES = frozenset({"MAXIMUM_DELIVERY", "MANUAL", "COST_CAP"})
BUDGET_OPTIMIZATION = frozenset({"DYNAMIC"})
OPTIMIZATION_TARGETS = frozenset(
    {
        "NONE",
        "MAX_IMPRESSION",
        "MAX_CLICK",
        "MAX_CONVERSION",
        "ENHANCED_CONVERSION",
        "MAX_LEAD",
        "MAX_QUALIFIED_LEAD",
        "MAX_VIDEO_VIEW",
        "MAX_REACH",
        "TARGET_COST_PER_CLICK",
        "TARGET_COST_PER_IMPRESSION",
        "TARGET_COST_PER_VIDEO_VIEW",
        "CAP_COST_AND_MAXIMIZE_CLICKS",
        "CAP_COST_AND_MAXIMIZE_IMPRESSIONS",
        "CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS",
        "CAP_COST_AND_MAXIMIZE_LEADS",
    }
)
CTA_LABELS = frozenset(
    {
        "APPLY",
        "DOWNLOAD",
        "VIEW_QUOTE",
        "LEARN_MORE",
        "SIGN_UP",
        "SUBSCRIBE",
        "REGISTER",
        "REQUEST_DEMO",
        "JOIN",
        "ATTEND",
        "UNLOCK_FULL_DOCUMENT",
    }
)
# Creative content union members (§3.4, §5); dynamic ads' member is ``follow`` (not ``follower``).
CONTENT_KINDS = frozenset(
    {
        "reference",
        "textAd",
        "eventAd",
        "thirdPartyVastTagVideoAd",
        "follow",
        "jobs",
        "spotlight",
        "documentAd",
    }
)
REFERENCE_PREFIXES = (
    "urn:li:share:",
    "urn:li:ugcPost:",
    "urn:li:adInMailContent:",
    "urn:li:post:",
    "urn:li:sponsoredConversation:",
)
