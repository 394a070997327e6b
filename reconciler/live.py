"""The live state of the managed accounts, read through the client by paged search.

It owns :class:`LiveAccount` (what one account holds right now, as model entities with their
``LiveMeta``) and the reader that fills it: paged searches, never one call per entity, read
concurrently. It does not compare or decide anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from reconciler.gcpause import paused_gc
from reconciler.model import Campaign, CampaignGroup, Creative, Urn, campaign_urn

# Statuses of entities that are gone for every practical purpose: they keep their history but
# cannot serve again, so identity-by-name and "unmanaged" listings pass over them.
GONE = frozenset({"REMOVED", "CANCELED", "PENDING_DELETION"})

# Creatives are read per set of this many campaigns, the sets concurrently, each set as soon as the
# pages of campaigns naming it arrive: one search over the account would page 150 times one after
# the other at LinkedIn's limits (15,000 creatives, 100 a page). Each set costs at most one page
# more than the minimum (its last, partly filled page): 20 sets at the limits, about 5 % more calls.
# Campaigns are read in one search over the account (5 pages at the limits, each asked for before
# the one before it is turned into entities): reading them by sets of groups at once was 0.1-0.2 s
# faster there, but a DRAFT campaign moved between groups mid-read could then be missed, and made
# again by the plan; one search cannot miss it.
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
    # What LinkedIn holds behind managed creatives, by URN: posts, InMail contents, conversations
    # (read by reconciler.adcontent.reader only when the manifests manage content).
    content: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)

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
        """Every creative of the account, or of these campaigns only, all pages, in every intended
        status (later ones too) but CANCELED."""
        ...

    def search_canceled_creatives(self, account_id: int) -> list[Creative]:
        """The CANCELED creatives of the account, all pages."""
        ...


@paused_gc()
def read_accounts(
    reader: AccountReader,
    account_ids: Iterable[int],
    *,
    progress: Callable[[str], None] | None = None,
    pages: ThreadPoolExecutor | None = None,
) -> dict[int, LiveAccount]:
    """Read every account's groups, campaigns and creatives, kinds and accounts concurrently.

    ``pages``, when given, is the pool that reads the pages (several reads at once may share one:
    each thread that reads keeps buffers of its own, so fewer threads hold less memory); by default
    a pool of READERS threads per account, for this call.
    """
    ids = list(account_ids)
    with (
        ThreadPoolExecutor(max_workers=max(1, len(ids))) as drivers,
        _own(pages, READERS * max(1, len(ids))) as pages,
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


@contextmanager
def _own(shared: ThreadPoolExecutor | None, workers: int) -> Iterator[ThreadPoolExecutor]:
    """``shared``, or a pool of ``workers`` threads for the block."""
    if shared is not None:
        yield shared
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield pool


def _campaigns_and_creatives(
    reader: AccountReader, account_id: int, pages: ThreadPoolExecutor
) -> tuple[list[Campaign], list[Creative]]:
    """Page through the campaigns; hand each full set of them to ``pages`` for its creatives at
    once, and what remains at the end.

    Runs in a pool of its own: it waits on ``pages``, whose tasks never wait on anything.
    """
    sets = _CreativeSets(reader, account_id, pages)
    sets.read_campaigns()
    return sets.finish()


class _CreativeSets:
    """Campaign pages in; sets of CAMPAIGNS_PER_QUERY campaigns out, each handed to ``pages`` to
    read its creatives as soon as it is full."""

    def __init__(self, reader: AccountReader, account_id: int, pages: ThreadPoolExecutor) -> None:
        self.reader, self.account_id, self.pages = reader, account_id, pages
        self.campaigns: dict[int, Campaign] = {}
        self.waiting: list[Urn] = []
        self.reads: list[Future[list[Creative]]] = []

    def read_campaigns(self) -> None:
        """Page through the campaigns of the account."""
        for page in self.reader.campaign_pages(self.account_id):
            for campaign in page:
                if campaign.id is None:
                    continue
                if campaign.id not in self.campaigns:
                    self.waiting.append(campaign_urn(campaign.id))
                self.campaigns[campaign.id] = campaign  # listed twice (paging mid-change): the later reading
            while len(self.waiting) >= CAMPAIGNS_PER_QUERY:
                self._send(self.waiting[:CAMPAIGNS_PER_QUERY])
                del self.waiting[:CAMPAIGNS_PER_QUERY]

    def finish(self) -> tuple[list[Campaign], list[Creative]]:
        """Every campaign and creative read (each in id order, as one search gives them); call once
        every :meth:`read_campaigns` has returned."""
        if self.waiting:
            self._send(self.waiting)
            self.waiting = []
        # LinkedIn hides CANCELED creatives from the sets' searches (which name no status, so that a
        # status of a later version is read too): one search of the account reads them, once the
        # campaigns are read (a failed campaign read starts nothing more), beside the last sets.
        self.reads.append(self.pages.submit(self.reader.search_canceled_creatives, self.account_id))
        # A creative canceled mid-read may come from both kinds of search: the later change is kept
        # (the later read when the stamps are equal).
        creatives: dict[int | None, Creative] = {}
        for found in self.reads:
            for creative in found.result():
                kept = creatives.get(creative.id)
                if kept is None or _modified(creative) >= _modified(kept):
                    creatives[creative.id] = creative
        ordered = sorted(creatives.values(), key=lambda creative: creative.id or 0)
        return sorted(self.campaigns.values(), key=lambda c: c.id or 0), ordered

    def _send(self, campaigns: list[Urn]) -> None:
        self.reads.append(self.pages.submit(self.reader.search_creatives, self.account_id, list(campaigns)))


def _modified(creative: Creative) -> int:
    meta = creative.meta
    return meta.last_modified_at or 0 if meta is not None else 0
