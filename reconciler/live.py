"""The live state of the managed accounts, read through the client by paged search.

It owns :class:`LiveAccount` (what one account holds right now, as model entities with their
``LiveMeta``) and the reader that fills it: paged searches, never one call per entity, read
concurrently. It does not compare or decide anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from threading import Lock
from typing import Protocol

from reconciler.gcpause import paused_gc
from reconciler.model import Campaign, CampaignGroup, Creative, Urn, campaign_urn, group_urn

# Statuses of entities that are gone for every practical purpose: they keep their history but
# cannot serve again, so identity-by-name and "unmanaged" listings pass over them.
GONE = frozenset({"REMOVED", "CANCELED", "PENDING_DELETION"})

# Creatives are read per set of this many campaigns, the sets concurrently, each set as soon as the
# pages of campaigns naming it arrive: one search over the account would page 150 times one after
# the other at LinkedIn's limits (15,000 creatives, 100 a page). Each set costs at most one page
# more than the minimum (its last, partly filled page): 20 sets at the limits, about 5 % more calls.
CAMPAIGNS_PER_QUERY = 250
# Campaigns are read per set of this many groups, the sets concurrently, once an account has more
# groups than that: at the limits (101 groups, 5,000 campaigns, 1,000 a page) one search pages 5
# times one after the other, a few hundred milliseconds each, and every set of creatives waits for
# its page; 6 sets read them at once, for at most one page more per set (and one more call for the
# DRAFTs, below). Smaller accounts read their campaigns in one search, at the fewest calls.
# GUESS: LinkedIn documents campaignGroup as a campaign search criterion taking a list; it does
# not say how many values it takes. 20 URNs keep the query far below the URL limit.
# A campaign moved between groups while the sets are read could be missed by both; only DRAFT
# campaigns may move, so the DRAFTs are read once more at the end (one call, off the critical path).
GROUPS_PER_QUERY = 20
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

    def campaign_pages(
        self, account_id: int, groups: Sequence[Urn] | None = None, statuses: Sequence[str] | None = None
    ) -> Iterable[list[Campaign]]:
        """Every campaign of the account, or of these groups only, or in these statuses only, page
        by page."""
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
        jobs = {}
        for account_id in ids:
            groups = pages.submit(reader.search_groups, account_id)
            jobs[account_id] = (
                pages.submit(reader.get_account_currency, account_id),
                groups,
                drivers.submit(_campaigns_and_creatives, reader, account_id, groups, pages),
            )
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
    reader: AccountReader,
    account_id: int,
    groups: Future[list[CampaignGroup]],
    pages: ThreadPoolExecutor,
) -> tuple[list[Campaign], list[Creative]]:
    """Page through the campaigns (by sets of groups once there are many); hand each full set of
    campaigns to ``pages`` for its creatives at once, and what remains at the end.

    Runs in a pool of its own: it waits on ``pages``, whose tasks never wait on anything.
    """
    found = groups.result()
    urns = [group_urn(g.id) for g in found if g.id is not None]
    group_sets: list[list[Urn] | None] = [None]  # one search over the account
    if len(urns) > GROUPS_PER_QUERY:
        group_sets = [urns[i : i + GROUPS_PER_QUERY] for i in range(0, len(urns), GROUPS_PER_QUERY)]
    sets = _CreativeSets(reader, account_id, pages)
    readers = [pages.submit(sets.read_campaigns, group_set) for group_set in group_sets]
    for done in readers:
        done.result()
    if len(group_sets) > 1:
        # Only a DRAFT campaign may change group. One moved, while the sets were read, from a set
        # not read yet into one already read was seen by neither; every DRAFT, read once more
        # now, catches it (its creatives are read with the rest).
        sets.read_campaigns(None, ["DRAFT"])
    return sets.finish()


def _modified(campaign: Campaign) -> int:
    return (campaign.meta.last_modified_at if campaign.meta else None) or 0


class _CreativeSets:
    """Campaign pages in, from several threads; sets of CAMPAIGNS_PER_QUERY campaigns out, each
    handed to ``pages`` to read its creatives as soon as it is full."""

    def __init__(self, reader: AccountReader, account_id: int, pages: ThreadPoolExecutor) -> None:
        self.reader, self.account_id, self.pages = reader, account_id, pages
        self.lock = Lock()
        self.campaigns: dict[int, Campaign] = {}
        self.waiting: list[Urn] = []
        self.reads: list[Future[list[Creative]]] = []

    def read_campaigns(self, groups: list[Urn] | None, statuses: list[str] | None = None) -> None:
        """Page through the campaigns of ``groups`` (None: of the account), of every status or of
        ``statuses`` only."""
        for page in self.reader.campaign_pages(self.account_id, groups, statuses):
            with self.lock:
                for campaign in page:
                    if campaign.id is None:
                        continue
                    seen = self.campaigns.get(campaign.id)
                    if seen is None:
                        self.campaigns[campaign.id] = campaign
                        self.waiting.append(campaign_urn(campaign.id))
                    elif _modified(campaign) > _modified(seen):
                        # Moved to another group while the sets were read: the later reading wins.
                        self.campaigns[campaign.id] = campaign
                while len(self.waiting) >= CAMPAIGNS_PER_QUERY:
                    self._send(self.waiting[:CAMPAIGNS_PER_QUERY])
                    del self.waiting[:CAMPAIGNS_PER_QUERY]

    def finish(self) -> tuple[list[Campaign], list[Creative]]:
        """Every campaign and creative read (each in id order, as one search gives them); call once
        every :meth:`read_campaigns` has returned."""
        if self.waiting:
            self._send(self.waiting)
            self.waiting = []
        creatives = [creative for found in self.reads for creative in found.result()]
        creatives.sort(key=lambda creative: creative.id or 0)
        return sorted(self.campaigns.values(), key=lambda c: c.id or 0), creatives

    def _send(self, campaigns: list[Urn]) -> None:
        self.reads.append(self.pages.submit(self.reader.search_creatives, self.account_id, list(campaigns)))
