"""The limits' headroom counts the state after a plan as it is, when only some kinds change."""

from __future__ import annotations

from reconciler.guardrails import AccountState, CampaignState, CreativeState, GroupState, Thresholds, evaluate

GROUPS = (GroupState("g:1", "ACTIVE"), GroupState("g:9", "ACTIVE", default=True))
CAMPAIGNS = (
    CampaignState("c:1", "g:1", "ACTIVE"),
    CampaignState("c:2", "g:1", "PAUSED"),
    CampaignState("c:3", "g:9", "ACTIVE"),
)
CREATIVES = (*(CreativeState("c:1", "ACTIVE") for _ in range(15)), CreativeState("c:2", "PAUSED"))
NAMES = {"g:1": "G", "c:1": "G / One", "c:2": "G / Two"}


def headroom(after: AccountState) -> dict[str, tuple[str, int, int]]:
    before = AccountState(GROUPS, CAMPAIGNS, CREATIVES, NAMES)
    verdict = evaluate("1", "USD", before, after, managed={}, removed={}, thresholds=Thresholds())
    return {h.limit: (h.scope, h.before, h.after) for h in verdict.headroom}


def test_creatives_changed_campaigns_not() -> None:
    more = (*CREATIVES[:-1], CreativeState("c:2", "ACTIVE"), CreativeState("c:1", "ACTIVE"))
    found = headroom(AccountState(GROUPS, CAMPAIGNS, more, NAMES))
    assert found["creatives"] == ("account", 16, 17)
    assert found["creatives per campaign"] == ("G / One", 15, 16)
    assert found["active creatives per campaign"] == ("G / One", 15, 16)
    assert found["campaigns"] == ("account", 3, 3)
    assert found["active campaigns"] == ("account", 3, 3)


def test_campaigns_changed_creatives_not() -> None:
    fewer = (CampaignState("c:1", "g:1", "ARCHIVED"), CampaignState("c:2", "g:1", "REMOVED"), CAMPAIGNS[2])
    found = headroom(AccountState(GROUPS, fewer, CREATIVES, NAMES))
    assert found["campaigns"] == ("account", 3, 2)
    assert found["active campaigns"] == ("account", 3, 1)
    assert found["campaigns per group"] == ("G", 2, 1)
    assert found["creatives per campaign"] == ("G / One", 15, 15)


def test_nothing_changed() -> None:
    found = headroom(AccountState(GROUPS, CAMPAIGNS, CREATIVES, NAMES))
    assert found["creatives"] == ("account", 16, 16)
    assert found["active creatives per campaign"] == ("G / One", 15, 15)
    assert found["campaigns per group"] == ("G", 2, 2)
