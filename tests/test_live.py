"""The live reader: campaigns by sets of groups, creatives by sets of campaigns, each entity once."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence

from reconciler.live import CAMPAIGNS_PER_QUERY, GROUPS_PER_QUERY, read_accounts
from reconciler.model import (
    Campaign,
    CampaignGroup,
    CampaignStatus,
    Creative,
    Urn,
    campaign_urn,
    group_urn,
    urn_id,
)

ACCOUNT = 500000001


class FakeReader:
    """An account of ``groups`` groups with ``per_group`` campaigns each and 2 creatives per
    campaign; campaign 1 of group 1 is also listed under group 2 (as if moved mid-read)."""

    def __init__(self, groups: int, per_group: int) -> None:
        self.groups = [CampaignGroup(name=f"G{g}", id=g) for g in range(1, groups + 1)]
        self.campaigns = {
            g.id: [Campaign(name=f"C{g.id}-{i}", id=g.id * 1000 + i) for i in range(per_group)]
            for g in self.groups
            if g.id is not None
        }
        self.campaign_queries: list[list[Urn] | None] = []
        self.status_queries: list[list[str] | None] = []
        self.creative_queries: list[list[str]] = []
        # Moved between groups while the sets were read: in no set's answer, only a status search's.
        self.unseen: list[Campaign] = []
        self.lock = threading.Lock()

    def get_account_currency(self, account_id: int) -> tuple[str, str]:
        return "USD", "Fake"

    def search_groups(self, account_id: int) -> list[CampaignGroup]:
        return list(self.groups)

    def campaign_pages(
        self, account_id: int, groups: Sequence[Urn] | None = None, statuses: Sequence[str] | None = None
    ) -> Iterator[list[Campaign]]:
        with self.lock:
            self.campaign_queries.append(None if groups is None else list(groups))
            self.status_queries.append(None if statuses is None else list(statuses))
        if statuses is not None:
            yield [c for c in self.unseen if str(c.status) in statuses]
            return
        ids = [urn_id(u) for u in groups] if groups is not None else list(self.campaigns)
        found = [c for gid in ids for c in self.campaigns[gid]]
        if groups is not None and group_urn(2) in groups and 1 in self.campaigns:
            found.append(self.campaigns[1][1])  # the moved campaign, listed twice
        for start in range(0, len(found), 1000):
            yield found[start : start + 1000]

    def search_creatives(self, account_id: int, campaigns: Sequence[str] | None = None) -> list[Creative]:
        assert campaigns is not None
        with self.lock:
            self.creative_queries.append(list(campaigns))
        return [
            Creative(name=f"R{urn_id(c)}-{k}", id=urn_id(c) * 10 + k) for c in campaigns for k in range(2)
        ]


def test_many_groups_read_by_sets_every_campaign_and_creative_once() -> None:
    reader = FakeReader(groups=3 * GROUPS_PER_QUERY + 5, per_group=30)
    live = read_accounts(reader, [ACCOUNT])[ACCOUNT]
    expected = sorted(c.id for cs in reader.campaigns.values() for c in cs if c.id is not None)
    assert [c.id for c in live.campaigns] == expected  # once each, in id order
    assert len(reader.campaign_queries) == 5  # 4 sets of groups, then the DRAFTs once more
    assert all(q is not None and len(q) <= GROUPS_PER_QUERY for q in reader.campaign_queries[:4])
    assert reader.status_queries[4] == ["DRAFT"] and reader.campaign_queries[4] is None
    sets = reader.creative_queries
    assert sorted(u for s in sets for u in s) == sorted(campaign_urn(i) for i in expected)
    assert len(sets) == math.ceil(len(expected) / CAMPAIGNS_PER_QUERY)
    assert all(len(s) <= CAMPAIGNS_PER_QUERY for s in sets)
    assert [r.id for r in live.creatives] == sorted(i * 10 + k for i in expected for k in range(2))


def test_a_draft_moved_between_group_sets_during_the_read_is_still_read() -> None:
    reader = FakeReader(groups=2 * GROUPS_PER_QUERY, per_group=2)
    moved = Campaign(name="Moved", status=CampaignStatus.DRAFT, id=999_999)
    reader.unseen.append(moved)
    live = read_accounts(reader, [ACCOUNT])[ACCOUNT]
    assert moved.id in [c.id for c in live.campaigns]
    assert campaign_urn(999_999) in [u for s in reader.creative_queries for u in s]
    assert len(live.campaigns) == 2 * GROUPS_PER_QUERY * 2 + 1


def test_few_groups_read_their_campaigns_in_one_search() -> None:
    reader = FakeReader(groups=GROUPS_PER_QUERY, per_group=3)
    live = read_accounts(reader, [ACCOUNT])[ACCOUNT]
    assert reader.campaign_queries == [None] and reader.status_queries == [None]
    assert len(live.campaigns) == GROUPS_PER_QUERY * 3
    assert len(reader.creative_queries) == 1
