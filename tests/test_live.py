"""The live reader: campaigns in one search, creatives by sets of campaigns, each entity once."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence

from reconciler.live import CAMPAIGNS_PER_QUERY, read_accounts
from reconciler.model import Campaign, CampaignGroup, Creative, LiveMeta, campaign_urn, urn_id

ACCOUNT = 500000001


class FakeReader:
    """An account of ``campaigns`` campaigns (1,000 a page) with 2 creatives each; campaign 7 is
    listed twice, the second time as modified later (as paging may do when it moves mid-read)."""

    def __init__(self, campaigns: int) -> None:
        self.campaigns = [
            Campaign(name=f"C{i}", id=i, meta=LiveMeta(i, last_modified_at=1)) for i in range(campaigns)
        ]
        self.again = Campaign(name="C7 renamed", id=7, meta=LiveMeta(7, last_modified_at=2))
        self.pages_read = 0
        self.creative_queries: list[list[str]] = []
        self.canceled_queries = 0
        self.canceled: list[Creative] = []
        self.lock = threading.Lock()

    def get_account_currency(self, account_id: int) -> tuple[str, str]:
        return "USD", "Fake"

    def search_groups(self, account_id: int) -> list[CampaignGroup]:
        return [CampaignGroup(name="G", id=1)]

    def campaign_pages(self, account_id: int) -> Iterator[list[Campaign]]:
        listed = [*self.campaigns, self.again]
        for start in range(0, len(listed), 1000):
            self.pages_read += 1
            yield listed[start : start + 1000]

    def search_creatives(self, account_id: int, campaigns: Sequence[str] | None = None) -> list[Creative]:
        assert campaigns is not None
        with self.lock:
            self.creative_queries.append(list(campaigns))
        return [
            Creative(name=f"R{urn_id(c)}-{k}", id=urn_id(c) * 10 + k) for c in campaigns for k in range(2)
        ]

    def search_canceled_creatives(self, account_id: int) -> list[Creative]:
        with self.lock:
            self.canceled_queries += 1
        return list(self.canceled)


def test_every_campaign_and_creative_once_creatives_by_sets_cut_across_pages() -> None:
    reader = FakeReader(2_600)
    live = read_accounts(reader, [ACCOUNT])[ACCOUNT]
    ids = list(range(2_600))
    assert [c.id for c in live.campaigns] == ids  # once each, in id order
    assert next(c for c in live.campaigns if c.id == 7).name == "C7 renamed"  # the later reading
    assert reader.pages_read == 3
    sets = reader.creative_queries
    assert sorted(u for s in sets for u in s) == sorted(campaign_urn(i) for i in ids)
    assert len(sets) == math.ceil(len(ids) / CAMPAIGNS_PER_QUERY)  # cut across pages, not per page
    assert all(len(s) <= CAMPAIGNS_PER_QUERY for s in sets)
    assert [r.id for r in live.creatives] == sorted(i * 10 + k for i in ids for k in range(2))


def test_a_small_account_reads_its_creatives_in_one_set() -> None:
    reader = FakeReader(30)
    live = read_accounts(reader, [ACCOUNT])[ACCOUNT]
    assert len(live.campaigns) == 30 and len(live.creatives) == 60
    assert len(reader.creative_queries) == 1


def test_canceled_creatives_are_read_once_by_a_search_of_their_own() -> None:
    """The sets' searches name no status (a status of a later version is read too), so LinkedIn
    hides CANCELED creatives from them: one more search reads those, and a creative both searches
    return (canceled mid-read) is kept once, as last modified."""
    reader = FakeReader(30)
    reader.canceled = [
        Creative(name="Gone", id=5_000, meta=LiveMeta(5_000, last_modified_at=3)),
        Creative(name="R3-1 canceled", id=31, meta=LiveMeta(31, last_modified_at=9)),
    ]
    live = read_accounts(reader, [ACCOUNT])[ACCOUNT]
    assert reader.canceled_queries == 1 and len(reader.creative_queries) == 1
    assert [r.id for r in live.creatives] == sorted(
        [*(i * 10 + k for i in range(30) for k in range(2)), 5_000]
    )
    assert next(r for r in live.creatives if r.id == 31).name == "R3-1 canceled"
