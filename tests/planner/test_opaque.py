"""Live entities holding values the model does not know: read, listed, left alone, never written."""

from __future__ import annotations

import pytest

from reconciler.model import Campaign, CampaignGroup, Creative, review_state, status_of, unknown_values
from reconciler.model.enums import CampaignStatus, CampaignType, CostType, CreativeStatus, GroupStatus
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


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "ON_HOLD"),
        ("status", "CANCELLED"),  # the spelling one docs table uses
        ("type", "SPONSORED_CONVERSATIONS_V2"),
        ("costType", "CPA"),
        ("format", "IMMERSIVE_VIDEO"),
        ("objectiveType", "APP_INSTALLS"),
        ("optimizationTargetType", "MAX_APP_INSTALL"),
        ("dailyBudget", {"value": "50"}),  # a shape we cannot read
        ("creativeSelection", "LATER_ROTATION"),
        ("pacingStrategy", "EVEN"),
        ("politicalIntent", "ISSUE_BASED"),
        ("politicalIntent", {"declared": True}),  # an object where a symbol was: opaque, not a bad answer
        ("associatedEntity", "urn:li:organizationBrand:5"),
    ],
)
def test_a_campaign_with_an_unknown_value_is_read_as_opaque(field: str, value: object) -> None:
    live = live_campaign(20, 10, "Brand US", **{field: value, "someFieldOfLater": {"x": 1}})
    assert live.id == 20 and live.name == "Brand US"
    assert live.meta is not None and live.meta.opaque
    assert field in unknown_values(live)


@pytest.mark.parametrize(
    "value",
    [{"bidStrategy": "TARGET_LATER"}, {"budgetOptimizationStrategy": "LATER"}, {"laterStrategy": {"k": 1}}],
)
def test_a_group_budget_optimization_of_a_later_version_is_read_as_opaque(value: object) -> None:
    live = live_group(10, "Brand", budgetOptimization=value)
    assert live.budget_optimization is None and "budgetOptimization" in unknown_values(live)


def test_a_known_or_empty_budget_optimization_is_read() -> None:
    known = live_group(10, "Brand", budgetOptimization={"bidStrategy": "MANUAL", "laterKey": 1})
    assert known.budget_optimization is not None and known.budget_optimization.bid_strategy == "MANUAL"
    empty = live_group(10, "Brand", budgetOptimization={})
    assert empty.budget_optimization is None and not unknown_values(empty) and not unknown_values(known)


def test_unknown_statuses_of_every_kind_are_kept_as_sent() -> None:
    group_ = live_group(10, "Brand", status="CANCELLED")
    creative_ = live_creative(30, 20, "Hero", status="ON_REVIEW_HOLD")
    assert isinstance(group_, CampaignGroup) and isinstance(creative_, Creative)
    assert (status_of(group_), status_of(creative_)) == ("CANCELLED", "ON_REVIEW_HOLD")
    assert group_.status is None and creative_.intended_status is None


def test_an_unknown_content_kind_makes_a_creative_opaque() -> None:
    found = live_creative(30, 20, "Hero", content={"immersiveAd": {"x": 1}})
    assert found.content is None and "content '{immersiveAd}'" in unknown_values(found)


def test_known_values_are_not_opaque() -> None:
    read = live_campaign(20, 10, "Brand US", objectiveType="WEBSITE_VISITS", format="SINGLE_VIDEO")
    assert isinstance(read, Campaign) and read.meta is not None and not read.meta.opaque
    assert read.objective_type == "WEBSITE_VISIT"


def test_a_matched_opaque_campaign_is_left_alone_and_the_rest_of_the_plan_goes_on() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US", status="ON_HOLD"), live_campaign(21, 10, "Brand DE")],
        [live_creative(30, 20, "Hero", status="PAUSED")],
    )
    desired = account(
        group(
            "Brand",
            campaign("Brand US", creative("Hero", 30), daily="99 USD"),
            campaign("Brand DE", daily="60 USD"),
        )
    )
    p = plan(desired, live)
    # The opaque campaign is neither updated nor re-created; its creative and its sibling are planned.
    assert actions(p) == [
        ("update", "campaign", "500000001 / Brand / Brand DE"),
        ("update", "creative", "500000001 / Brand / Brand US / Hero"),
    ]
    assert any("Brand US (id 20): unknown status 'ON_HOLD': not managed" in n for n in p.notes)


def test_an_opaque_creative_pinned_by_id_is_not_diffed() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US")],
        [live_creative(30, 20, "Hero", status="CANCELLED")],
    )
    desired = account(group("Brand", campaign("Brand US", creative("Renamed", 30, id=30))))
    p = plan(desired, live)
    assert p.empty and any("unknown intendedStatus 'CANCELLED'" in n for n in p.notes)


def test_an_unmanaged_opaque_entity_is_listed_and_never_pruned() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US"), live_campaign(21, 10, "Stray", type="NEW_TYPE")],
        [live_creative(30, 20, "Hero")],
    )
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30)), prune=True))
    p = plan(desired, live)
    assert not [c for c in p.changes if c.action in (Action.ARCHIVE, Action.DELETE)]
    assert [(u.id, u.status) for u in p.unmanaged] == [(21, "ACTIVE")]
    assert any("Stray (id 21): unknown type 'NEW_TYPE'" in n for n in p.notes)


@pytest.mark.parametrize(
    ("extra", "state"),
    [
        ({"review": {"status": "APPROVED", "rejectionReasons": []}}, ""),
        (
            {"review": {"status": "PENDING"}, "isServing": False, "servingHoldReasons": ["UNDER_REVIEW"]},
            "UNDER_REVIEW",
        ),
        ({"review": {"status": "NEEDS_REVIEW"}}, "UNDER_REVIEW"),
        ({"review": {"status": "REJECTED", "rejectionReasons": ["OTHER"]}}, "REJECTED"),
        ({"isServing": False, "servingHoldReasons": ["REJECTED", "CAMPAIGN_STOPPED"]}, "REJECTED"),
        ({"review": {"status": "SOME_LATER_STATE"}}, ""),
    ],
)
def test_review_state_is_read_from_review_and_hold_reasons(extra: dict[str, object], state: str) -> None:
    assert review_state(live_creative(30, 20, "Hero", **extra)) == state


def test_creatives_under_review_or_rejected_are_noted_not_changed() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US")],
        [
            live_creative(30, 20, "Hero", review={"status": "REJECTED"}),
            live_creative(31, 20, "Side", review={"status": "PENDING"}),
        ],
    )
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30), creative("Side", 31))))
    p = plan(desired, live)
    assert p.empty
    assert p.notes == (
        "500000001 / Brand / Brand US / Hero (id 30): REJECTED in LinkedIn's review, so it does not serve; "
        "give it new content (a new creative) or archive it",
        "1 creative is UNDER_REVIEW at LinkedIn: serving once approved",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", ["ACTIVE"]),  # a list or an object where a symbol belongs: no symbol's key
        ("type", {"SPONSORED_UPDATES": True}),
        ("costType", ["CPM"]),
        ("format", {"STANDARD_UPDATE": 1}),
        ("objectiveType", ["WEBSITE_VISIT"]),
        ("optimizationTargetType", True),
        ("pacingStrategy", 1.5),
    ],
)
def test_a_symbol_field_holding_no_symbol_at_all_is_opaque_too(field: str, value: object) -> None:
    live = live_campaign(20, 10, "Brand US", **{field: value})
    assert live.meta is not None and live.meta.opaque and field in unknown_values(live)
    creative_ = live_creative(30, 20, "Hero", status=value)  # type: ignore[arg-type]
    group_ = live_group(10, "Brand", status=value)  # type: ignore[arg-type]
    assert creative_.intended_status is None and "intendedStatus" in unknown_values(creative_)
    assert group_.status is None and "status" in unknown_values(group_)


def test_known_symbols_are_read_as_the_enums_members() -> None:
    read = live_campaign(20, 10, "Brand US", type="DYNAMIC", costType="CPC", status="PAUSED")
    assert (read.status, read.type, read.cost_type) == (
        CampaignStatus.PAUSED,
        CampaignType.DYNAMIC,
        CostType.CPC,
    )
    assert type(read.status) is CampaignStatus and type(read.cost_type) is CostType
    found = live_creative(30, 20, "Hero", status="ARCHIVED")
    assert type(found.intended_status) is CreativeStatus and found.intended_status is CreativeStatus.ARCHIVED
    assert live_group(10, "Brand", status="DRAFT").status is GroupStatus.DRAFT
