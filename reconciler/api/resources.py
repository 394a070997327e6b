"""What differs between the four collections: path, finder, page size, key form, model type.

A :class:`ResourceSpec` is inert data; :mod:`reconciler.api.collection` does the work for all four.
Keys are ``int`` ids at the client's boundary (as in the model); creatives travel as URNs on the wire.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from reconciler.api.restli import Key
from reconciler.api.shapes import checked
from reconciler.model import Account, Campaign, CampaignGroup, Creative, creative_urn, urn_id

E = TypeVar("E")

_SETS = (list, tuple, set, frozenset)

# The intended statuses the creatives finder documents (reference §3.4, the creatives page's
# parameter table). Rest.li refuses a value that is not a symbol of the parameter's enum (400
# PARAM_INVALID): a search names only these (creatives have no COMPLETED). Reading everything names
# none (see finder_params) and reads the CANCELED ones, which LinkedIn hides then, by themselves.
CREATIVE_SEARCH_STATUSES = (
    "ACTIVE",
    "ARCHIVED",
    "CANCELED",
    "DRAFT",
    "PAUSED",
    "PENDING_DELETION",
    "REMOVED",
)


@dataclass(frozen=True)
class ResourceSpec(Generic[E]):
    """One collection. ``finder`` is ``search`` (criteria in one ``search=(...)`` record) or ``criteria``
    (criteria as top-level parameters); ``page_size`` is the largest the API allows."""

    name: str
    label: str
    finder: str
    page_size: int
    parse: Callable[[Mapping[str, Any]], E]
    urn_keys: bool = False
    max_entities: int = 10_000

    @property
    def max_pages(self) -> int:
        """The most pages one search may take: what ``max_entities`` fills, twice over (paging
        mid-change repeats some; a server may fill pages less than asked), and one more."""
        return -(-2 * self.max_entities // self.page_size) + 1

    def key(self, entity_id: int) -> Key:
        """The wire key for an id (a URN for creatives)."""
        return creative_urn(entity_id) if self.urn_keys else entity_id

    def entity_id(self, key: str | int) -> int:
        """The id in a wire key (``"123"``, ``123`` or ``urn:li:sponsoredCreative:123``)."""
        return urn_id(key) if isinstance(key, str) else int(key)

    def finder_params(self, criteria: Mapping[str, Any] | None) -> dict[str, Any]:
        """``q`` plus the criteria, in this finder's shape.

        For ``search`` finders a collection value means "any of these" and becomes
        ``field:(values:List(...))``; other values (``test: False``) go as they are. ``None`` means
        no criteria at all (no criteria, no filter), so an entity in a status of a later API version
        is read too; a status list would leave it out. LinkedIn hides CANCELED creatives from a
        creatives query that names no status: ``LinkedInClient.search_canceled_creatives`` reads them.
        """
        criteria = criteria or {}
        if self.finder != "search":
            return {"q": self.finder, **criteria}
        search = {k: {"values": list(v)} if isinstance(v, _SETS) else v for k, v in criteria.items()}
        return {"q": "search", "search": search or None}


# The ad accounts one member may see have no documented limit: 10,000 (the default) is a guess.
ACCOUNTS: ResourceSpec[Account] = ResourceSpec(
    "adAccounts", "ad account", "search", 1000, checked(Account.from_api)
)
GROUPS: ResourceSpec[CampaignGroup] = ResourceSpec(
    "adCampaignGroups",
    "campaign group",
    "search",
    1000,
    checked(CampaignGroup.from_api),
    max_entities=10_000,  # no documented limit on groups: a guess, far above what accounts hold
)
CAMPAIGNS: ResourceSpec[Campaign] = ResourceSpec(
    "adCampaigns",
    "campaign",
    "search",
    1000,
    checked(Campaign.from_api),
    max_entities=5_000,  # LinkedIn's limit of campaigns per account
)
CREATIVES: ResourceSpec[Creative] = ResourceSpec(
    "creatives",
    "creative",
    "criteria",
    100,
    checked(Creative.from_api),
    urn_keys=True,
    max_entities=15_000,  # LinkedIn's limit of creatives per account
)
