"""The live state of the managed accounts, read through the client by paged search.

It owns :class:`LiveAccount` (what one account holds right now, as model entities with their
``LiveMeta``) and the reader that fills it: paged searches, never one call per entity, read
concurrently. It does not compare or decide anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from reconciler.gcpause import paused_gc
from reconciler.model import Campaign, CampaignGroup, Creative, Urn, campaign_urn

# Statuses of entities that are gone for every practical purpose: they keep their history but
# cannot serve again, so identity-by-name and "unmanaged" listings pass over them.
GONE = frozenset({"REMOVED", "CANCELED", "PENDING_DELETION"})

# Creatives are read per set of this many campaigns, the sets concurrently, each set as soon as the
# page of campaigns naming it arrives: one search over the account would page 150 times one after
# the other at LinkedIn's limits (15,000 creatives, 100 a page). Each set costs at most one page
# more than the minimum (its last, partly filled page): 20 sets at the limits, about 5 % more calls.
CAMPAIGNS_PER_QUERY = 250
READERS = 16  # threads per account reading pages; the client bounds the requests in flight


@dataclass(frozen=True)
class LiveAccount:
    """Everything one ad account holds, as read at one moment."""

    id: int
    currency: str
    name: str = ""
    groups: tuple[CampaignGroup, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    creatives: tuple[Creative, ...] = ()
    calls: int = field(default=0, compare=False)

    by_group: dict[str, list[Campaign]] = field(default_factory=dict, init=False, compare=False, repr=False)
    by_campaign: dict[str, list[Creative]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for campaign in self.campaigns:
            if campaign.meta and campaign.meta.parent:
                self.by_group.setdefault(campaign.meta.parent, []).append(campaign)
        for creative in self.creatives:
            if creative.meta and creative.meta.parent:
                self.by_campaign.setdefault(creative.meta.parent, []).append(creative)

    def campaigns_of(self, group: Urn) -> list[Campaign]:
        """The campaigns whose parent is ``group``."""
        return self.by_group.get(group, [])

    def creatives_of(self, campaign: Urn) -> list[Creative]:
        """The creatives whose parent is ``campaign``."""
        return self.by_campaign.get(campaign, [])


class AccountReader(Protocol):
    """What the live reader needs from a client: three paged searches and an account lookup.

    A structural protocol, so this module does not depend on the client's concrete class.
    """

    def get_account_currency(self, account_id: int) -> tuple[str, str]:
        """(currency, name) of the account."""
        ...

    def search_groups(self, account_id: int) -> list[CampaignGroup]:
        """Every campaign group of the account, all pages."""
        ...

    def campaign_pages(self, account_id: int) -> Iterable[list[Campaign]]:
        """Every campaign of the account, page by page."""
        ...

    def search_creatives(self, account_id: int, campaigns: Sequence[Urn] | None = None) -> list[Creative]:
        """Every creative of the account, or of these campaigns only, all pages."""
        ...


@paused_gc()
def read_accounts(
    reader: AccountReader,
    account_ids: Iterable[int],
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[int, LiveAccount]:
    """Read every account's groups, campaigns and creatives, kinds and accounts concurrently."""
    ids = list(account_ids)
    with (
        ThreadPoolExecutor(max_workers=max(1, len(ids))) as drivers,
        ThreadPoolExecutor(max_workers=READERS * max(1, len(ids))) as pages,
    ):
        jobs = {
            account_id: (
                pages.submit(reader.get_account_currency, account_id),
                pages.submit(reader.search_groups, account_id),
                drivers.submit(_campaigns_and_creatives, reader, account_id, pages),
            )
            for account_id in ids
        }
        out: dict[int, LiveAccount] = {}
        for account_id, (info, groups, below) in jobs.items():
            currency, name = info.result()
            campaigns, creatives = below.result()
            out[account_id] = LiveAccount(
                account_id, currency, name, tuple(groups.result()), tuple(campaigns), tuple(creatives)
            )
            if progress:
                progress(f"read account {account_id}")
    return out


def _campaigns_and_creatives(
    reader: AccountReader, account_id: int, pages: ThreadPoolExecutor
) -> tuple[list[Campaign], list[Creative]]:
    """Page through the campaigns; hand the creatives of each set of them to ``pages`` at once.

    Runs in a pool of its own: it waits on ``pages``, whose tasks never wait on anything.
    """
    campaigns: list[Campaign] = []
    sets: list[Future[list[Creative]]] = []
    for page in reader.campaign_pages(account_id):
        campaigns.extend(page)
        urns = [campaign_urn(c.id) for c in page if c.id is not None]
        for start in range(0, len(urns), CAMPAIGNS_PER_QUERY):
            chunk = urns[start : start + CAMPAIGNS_PER_QUERY]
            sets.append(pages.submit(reader.search_creatives, account_id, chunk))
    creatives = [creative for found in sets for creative in found.result()]
    creatives.sort(key=lambda creative: creative.id or 0)  # id order, as one search gives them
    return campaigns, creatives
