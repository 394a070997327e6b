"""The live state of the managed accounts, read through the client by paged search.

It owns :class:`LiveAccount` (what one account holds right now, as model entities with their
``LiveMeta``) and the reader that fills it: one paged search per entity kind, the three kinds read
concurrently, never one call per entity. It does not compare or decide anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from reconciler.model import Campaign, CampaignGroup, Creative, Urn

# Statuses of entities that are gone for every practical purpose: they keep their history but
# cannot serve again, so identity-by-name and "unmanaged" listings pass over them.
GONE = frozenset({"REMOVED", "CANCELED", "PENDING_DELETION"})


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

    def search_campaigns(self, account_id: int) -> list[Campaign]:
        """Every campaign of the account, all pages."""
        ...

    def search_creatives(self, account_id: int) -> list[Creative]:
        """Every creative of the account, all pages."""
        ...


def read_accounts(
    reader: AccountReader,
    account_ids: Iterable[int],
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[int, LiveAccount]:
    """Read every account's groups, campaigns and creatives, kinds and accounts concurrently."""
    ids = list(account_ids)
    with ThreadPoolExecutor(max_workers=max(1, 4 * len(ids))) as pool:
        jobs = {
            account_id: (
                pool.submit(reader.get_account_currency, account_id),
                pool.submit(reader.search_groups, account_id),
                pool.submit(reader.search_campaigns, account_id),
                pool.submit(reader.search_creatives, account_id),
            )
            for account_id in ids
        }
        out: dict[int, LiveAccount] = {}
        for account_id, (info, groups, campaigns, creatives) in jobs.items():
            currency, name = info.result()
            out[account_id] = LiveAccount(
                account_id,
                currency,
                name,
                tuple(groups.result()),
                tuple(campaigns.result()),
                tuple(creatives.result()),
            )
            if progress:
                progress(f"read account {account_id}")
    return out
