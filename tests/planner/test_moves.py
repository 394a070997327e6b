"""Moves are replaces (issue 12 item 4): a campaign or creative whose manifest parent differs from its
live parent is planned as a replace (refused without --allow-replace), whether pinned by id or found
as the one live sibling of that name left over under another managed parent ("looks like a move");
after the replace, a pin to the retired entity is followed by name, so the next plan converges."""

from __future__ import annotations

from reconciler.plan import Action
from tests.planner.builders import (
    account,
    campaign,
    creative,
    group,
    live_account,
    live_campaign,
    live_creative,
    live_group,
)
from tests.planner.test_planner import actions, plan


def two_groups(*campaigns, creatives=()):  # type: ignore[no-untyped-def]
    return live_account([live_group(10, "Brand"), live_group(11, "Demand")], campaigns, creatives)


def test_an_unpinned_campaign_moved_to_another_group_looks_like_a_move() -> None:
    live = two_groups(live_campaign(20, 10, "Brand US"), creatives=[live_creative(30, 20, "Hero")])
    desired = account(group("Brand"), group("Demand", campaign("Brand US", creative("Hero", 30))))
    p = plan(desired, live)
    assert actions(p) == [
        ("replace", "campaign", "500000001 / Demand / Brand US"),
        ("create", "creative", "500000001 / Demand / Brand US / Hero"),
    ]
    move = p.changes[0]
    assert (move.id, move.parent_id, move.activate) == (20, 11, True)
    assert move.reason.startswith(
        "looks like a move from 500000001 / Brand / Brand US (id 20) to 500000001 / Demand / Brand US: "
    )
    assert "campaignGroup can't change once a campaign left DRAFT" in move.reason
    moved = next(f for f in move.fields if f.field == "campaignGroup")
    assert (moved.old, moved.new) == ("urn:li:sponsoredCampaignGroup:10", "urn:li:sponsoredCampaignGroup:11")
    assert p.unmanaged == ()  # the old one is retired by the replace, not left ACTIVE and unmanaged
    assert [v.guard for v in p.violations] == ["replace"]


def test_a_move_with_prune_on_is_a_replace_not_a_prune_and_a_create() -> None:
    live = two_groups(live_campaign(20, 10, "Brand US"))
    desired = account(group("Brand"), group("Demand", campaign("Brand US")), prune=True)
    assert actions(plan(desired, live)) == [("replace", "campaign", "500000001 / Demand / Brand US")]


def test_a_campaign_moved_to_a_new_group_looks_like_a_move_too() -> None:
    live = two_groups(live_campaign(20, 10, "Brand US"))
    desired = account(group("Brand"), group("Demand"), group("New", campaign("Brand US")))
    p = plan(desired, live)
    assert actions(p) == [
        ("create", "campaignGroup", "500000001 / New"),
        ("replace", "campaign", "500000001 / New / Brand US"),
    ]
    assert (p.changes[1].id, p.changes[1].parent_id) == (20, None)


def test_an_unpinned_draft_campaign_moves_to_an_existing_group_by_update() -> None:
    live = two_groups(live_campaign(20, 10, "Brand US", status="DRAFT"))
    desired = account(group("Brand"), group("Demand", campaign("Brand US", status="DRAFT")))
    p = plan(desired, live)
    assert actions(p) == [("update", "campaign", "500000001 / Demand / Brand US")]
    assert p.changes[0].body == {"campaignGroup": "urn:li:sponsoredCampaignGroup:11"}


def test_a_creative_moved_to_another_campaign_looks_like_a_move() -> None:
    live = two_groups(
        live_campaign(20, 10, "Brand US"),
        live_campaign(21, 10, "Brand UK"),
        creatives=[live_creative(30, 20, "Hero")],
    )
    desired = account(
        group("Brand", campaign("Brand US"), campaign("Brand UK", creative("Hero", 30))), group("Demand")
    )
    p = plan(desired, live)
    assert actions(p) == [("replace", "creative", "500000001 / Brand / Brand UK / Hero")]
    move = p.changes[0]
    assert (move.id, move.parent_id) == (30, 21)
    assert (
        "move from 500000001 / Brand / Brand US / Hero (id 30) to 500000001 / Brand / Brand UK / Hero"
        in move.reason
    )
    assert "a creative can't move to another campaign" in move.reason


def test_no_move_is_guessed_when_the_name_is_not_unique() -> None:
    live = two_groups(live_campaign(20, 10, "Brand US"), live_campaign(21, 11, "Brand US"))
    desired = account(group("Brand"), group("Demand"), group("New", campaign("Brand US")))
    p = plan(desired, live)
    assert [c.action for c in p.changes] == [Action.CREATE, Action.CREATE]
    assert sorted(u.id for u in p.unmanaged) == [20, 21]


def test_an_archived_stray_is_not_a_move() -> None:
    live = two_groups(live_campaign(20, 10, "Brand US", status="ARCHIVED"))
    desired = account(group("Brand"), group("Demand", campaign("Brand US")))
    assert [c.action for c in plan(desired, live).changes] == [Action.CREATE]


def test_after_a_pinned_move_was_applied_the_pin_is_followed_by_name() -> None:
    # What apply leaves: the old campaign renamed and archived, the new one under Demand.
    live = two_groups(
        live_campaign(20, 10, "Brand US (replaced 2027-01-05)", status="ARCHIVED"),
        live_campaign(21, 11, "Brand US"),
        creatives=[live_creative(30, 20, "Hero"), live_creative(31, 21, "Hero")],
    )
    desired = account(
        group("Brand"), group("Demand", campaign("Brand US", creative("Hero", 31, id=30), id=20))
    )
    p = plan(desired, live)
    assert p.empty and p.changes == ()
    assert p.notes == (
        "500000001 / Demand / Brand US: pinned id 20 is the entity a replace retired "
        "('Brand US (replaced 2027-01-05)'); matched by name instead: update the `id:` pin to the new "
        "entity's id",
        "500000001 / Demand / Brand US / Hero: pinned id 30 is the entity a replace retired ('Hero'); "
        "matched by name instead: update the `id:` pin to the new entity's id",
    )
