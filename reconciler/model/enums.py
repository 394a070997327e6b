"""Enumerations and facet names: the values the API accepts for fields a user sets."""

from __future__ import annotations

from enum import StrEnum

FACET_URN = "urn:li:adTargetingFacet:"


class GroupStatus(StrEnum):
    """Campaign group statuses (the last three are set by LinkedIn only)."""

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    ARCHIVED = "ARCHIVED"
    DRAFT = "DRAFT"
    PENDING_DELETION = "PENDING_DELETION"
    # Set by LinkedIn, never by a user; present so live entities can be read.
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"
    REMOVED = "REMOVED"


class CampaignStatus(StrEnum):
    """Campaign statuses (the last three are set by LinkedIn only)."""

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    ARCHIVED = "ARCHIVED"
    DRAFT = "DRAFT"
    PENDING_DELETION = "PENDING_DELETION"
    # Set by LinkedIn, never by a user; present so live entities can be read.
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"
    REMOVED = "REMOVED"


class CreativeStatus(StrEnum):
    """Creative ``intendedStatus`` values (the last three are set by LinkedIn only)."""

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    ARCHIVED = "ARCHIVED"
    DRAFT = "DRAFT"
    PENDING_DELETION = "PENDING_DELETION"
    # Set by LinkedIn, never by a user; present so live entities can be read.
    COMPLETED = "COMPLETED"
    CANCELED = "CANCELED"
    REMOVED = "REMOVED"


class CampaignType(StrEnum):
    """Campaign ``type``."""

    TEXT_AD = "TEXT_AD"
    SPONSORED_UPDATES = "SPONSORED_UPDATES"
    SPONSORED_INMAILS = "SPONSORED_INMAILS"
    DYNAMIC = "DYNAMIC"


class CostType(StrEnum):
    """Campaign ``costType``."""

    CPM = "CPM"
    CPC = "CPC"
    CPV = "CPV"


OBJECTIVE_TYPES = (
    "BRAND_AWARENESS",
    "ENGAGEMENT",
    "VIDEO_VIEW",
    "LEAD_GENERATION",
    "WEBSITE_VISIT",
    "WEBSITE_CONVERSION",
    "JOB_APPLICANT",
    "TALENT_LEAD",
    "CREATIVE_ENGAGEMENT",
)
# The docs' tables spell some objectives in the plural; the live API returns the singular
# (reference §3.3). Accept both, keep the singular.
OBJECTIVE_ALIASES = {
    "WEBSITE_VISITS": "WEBSITE_VISIT",
    "VIDEO_VIEWS": "VIDEO_VIEW",
    "JOB_APPLICANTS": "JOB_APPLICANT",
    "WEBSITE_CONVERSIONS": "WEBSITE_CONVERSION",
}
OPTIMIZATION_TARGET_TYPES = (
    "NONE",
    "MAX_IMPRESSION",
    "MAX_CLICK",
    "MAX_CONVERSION",
    "MAX_LEAD",
    "MAX_QUALIFIED_LEAD",
    "MAX_VIDEO_VIEW",
    "MAX_REACH",
    "ENHANCED_CONVERSION",
    "TARGET_COST_PER_CLICK",
    "TARGET_COST_PER_IMPRESSION",
    "TARGET_COST_PER_VIDEO_VIEW",
    "CAP_COST_AND_MAXIMIZE_CLICKS",
    "CAP_COST_AND_MAXIMIZE_IMPRESSIONS",
    "CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS",
    "CAP_COST_AND_MAXIMIZE_LEADS",
)
CREATIVE_SELECTIONS = ("ROUND_ROBIN", "OPTIMIZED")
PACING_STRATEGIES = ("LIFETIME", "ACCELERATED")
POLITICAL_INTENTS = ("POLITICAL", "NOT_POLITICAL", "NOT_DECLARED")
BID_STRATEGIES = ("MAXIMUM_DELIVERY", "MANUAL", "COST_CAP")
BUDGET_OPTIMIZATION_STRATEGIES = ("DYNAMIC",)
# The campaign-formats page (view 2024-04) lists these; there is no DOCUMENT or EVENT format (document
# ads are STANDARD_UPDATE, event ads SPONSORED_UPDATE_EVENT). UNSUPPORTED is read-only.
CAMPAIGN_FORMATS = (
    "STANDARD_UPDATE",
    "TEXT_AD",
    "SINGLE_VIDEO",
    "CAROUSEL",
    "SPOTLIGHT",
    "FOLLOW_COMPANY",
    "JOBS",
    "SPONSORED_INMAIL",
    "SPONSORED_MESSAGE",
    "SPONSORED_UPDATE_EVENT",
)
LEADGEN_LABELS = (
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
)

# Targeting facets by their short manifest name; the API key is FACET_URN + name.
TARGETING_FACETS = (
    "genders",
    "industries",
    "jobFunctions",
    "seniorities",
    "ageRanges",
    "locations",
    "profileLocations",
    "staffCountRanges",
    "employers",
    "employersPast",
    "employersAll",
    "groups",
    "titles",
    "titlesPast",
    "titlesAll",
    "skills",
    "schools",
    "interfaceLocales",
    "followedCompanies",
    "degrees",
    "fieldsOfStudy",
    "yearsOfExperienceRanges",
    "firstDegreeConnectionCompanies",
    "audienceMatchingSegments",
    "dynamicSegments",
    "interests",
    "memberBehaviors",
    "companyCategory",
    "growthRate",
    "revenue",
)
# Facets allowed 200 values instead of 100 (reference §4.4).
WIDE_FACETS = frozenset({"employers", "employersPast", "employersAll", "locations", "profileLocations"})


def facet_limit(facet: str) -> int:
    """How many values one facet may hold (short name or facet URN)."""
    return 200 if facet_name(facet) in WIDE_FACETS else 100


def facet_urn(name: str) -> str:
    """The API key of a facet given its short name; a full facet URN is returned unchanged."""
    return name if name.startswith(FACET_URN) else FACET_URN + name


def facet_name(key: str) -> str:
    """The short name of a facet given its URN; a short name is returned unchanged."""
    return key.removeprefix(FACET_URN)


def normalise_objective(value: str) -> str:
    """The singular spelling of an objective type (``WEBSITE_VISITS`` -> ``WEBSITE_VISIT``)."""
    return OBJECTIVE_ALIASES.get(value, value)
