"""Planner behaviour: identity, classification, ordering, unmanaged entities, replace, prune."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.errors import AmbiguousLiveState, PlanError, UnsafePlan
from reconciler.live import LiveAccount
from reconciler.model import Account, CostType, Money, PostReference, Safety, Targeting
from reconciler.plan import Action, Kind, Plan
from reconciler.planner import PlanOptions, make_plan
from tests.planner.builders import (
    ACCOUNT,
    account,
    campaign,
    creative,
    group,
    live_account,
    live_campaign,
    live_creative,
    live_group,
)


def plan(desired: Account, live: LiveAccount, **options: object) -> Plan:
    return make_plan(
        [desired],
        {ACCOUNT: live},
        target="test",
        api_version="202610",
        manifest_checksum="sha256:x",
        options=PlanOptions(**options),  # type: ignore[arg-type]
    )


def actions(p: Plan) -> list[tuple[str, str, str]]:
    return [(c.action.value, c.kind.value, c.address) for c in p.changes]


def matching_live() -> LiveAccount:
    return live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US")],
        [live_creative(30, 20, "Hero")],
    )


def matching_desired() -> Account:
    return account(group("Brand", campaign("Brand US", creative("Hero", 30))))


def test_new_account_creates_parents_first_and_activates_campaigns_after_creatives() -> None:
    p = plan(matching_desired(), live_account())
    assert actions(p) == [
        ("create", "campaignGroup", "500000001 / Brand"),
        ("create", "campaign", "500000001 / Brand / Brand US"),
        ("create", "creative", "500000001 / Brand / Brand US / Hero"),
    ]
    new_campaign = p.changes[1]
    assert new_campaign.activate is True
    assert new_campaign.body["status"] == "DRAFT"
    assert p.summary()["create"] == 3


def test_a_new_campaign_is_created_with_the_fields_linkedin_requires_and_the_plan_shows_them() -> None:
    p = plan(account(group("Brand", campaign("Brand US"))), live_account())
    new_campaign = p.changes[1]
    assert new_campaign.body["offsiteDeliveryEnabled"] is False
    assert new_campaign.body["politicalIntent"] == "NOT_DECLARED"
    shown = {change.field: change.new for change in new_campaign.fields}
    assert shown["offsiteDeliveryEnabled"] is False and shown["politicalIntent"] == "NOT_DECLARED"


def test_a_create_linkedin_refuses_for_its_status_is_refused_before_any_write() -> None:
    expected = "500000001 / Brand: not live yet, and LinkedIn creates a campaignGroup only ACTIVE or DRAFT, "
    expected += "not PAUSED; create it ACTIVE or DRAFT and set PAUSED in a later apply"
    with pytest.raises(PlanError, match=expected):
        plan(account(group("Brand", status="PAUSED")), live_account())
    live = live_account([live_group(10, "Brand")])
    with pytest.raises(PlanError, match="not ARCHIVED; there is nothing to archive"):
        plan(account(group("Brand", campaign("Old", status="ARCHIVED"))), live)


def test_pausing_a_live_group_is_an_update() -> None:
    p = plan(account(group("Brand", status="PAUSED")), live_account([live_group(10, "Brand")]))
    assert [(c.action, c.body) for c in p.changes] == [(Action.UPDATE, {"status": "PAUSED"})]


def test_live_state_with_server_defaults_gives_an_empty_plan() -> None:
    p = plan(matching_desired(), matching_live())
    assert p.empty
    assert p.unmanaged == ()


def test_money_and_targeting_are_compared_canonically() -> None:
    targeting = {
        "include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:2", "urn:li:geo:1"]}}]}
    }
    live = live_account(
        [live_group(10, "Brand")], [live_campaign(20, 10, "Brand US", targetingCriteria=targeting)]
    )
    desired = account(
        group(
            "Brand",
            campaign(
                "Brand US",
                daily="50.000 USD",
                targeting=Targeting.build([{"locations": ["urn:li:geo:1", "urn:li:geo:2"]}]),
            ),
        )
    )
    assert plan(desired, live).empty


def test_update_carries_only_the_fields_that_differ() -> None:
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30), daily="75 USD")))
    p = plan(desired, matching_live())
    assert actions(p) == [("update", "campaign", "500000001 / Brand / Brand US")]
    change = p.changes[0]
    assert change.body == {"dailyBudget": {"amount": "75", "currencyCode": "USD"}}
    assert change.id == 20 and change.version_tag == "4" and change.last_modified == 2
    assert [(f.field, f.old, f.new) for f in change.fields] == [
        ("dailyBudget", {"amount": "50", "currencyCode": "USD"}, {"amount": "75", "currencyCode": "USD"})
    ]


def test_removing_a_clearable_budget_deletes_the_field() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US", totalBudget={"amount": "900", "currencyCode": "USD"})],
    )
    p = plan(account(group("Brand", campaign("Brand US"))), live)
    assert p.changes[0].delete_fields == ("totalBudget",)
    assert p.changes[0].body == {}


def test_status_archived_in_the_manifest_is_an_archive() -> None:
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30), status="ARCHIVED")))
    p = plan(desired, matching_live())
    assert actions(p) == [("archive", "campaign", "500000001 / Brand / Brand US")]
    assert p.changes[0].body == {"status": "ARCHIVED"}


def test_unmanaged_entities_are_listed_and_left_alone() -> None:
    live = live_account(
        [live_group(10, "Brand"), live_group(11, "Someone else's")],
        [live_campaign(20, 10, "Brand US"), live_campaign(21, 10, "Hand made")],
        [live_creative(30, 20, "Hero"), live_creative(31, 20, "Extra")],
    )
    p = plan(matching_desired(), live)
    assert p.empty
    # Sorted by path, so each entity stands next to its relatives.
    assert [(u.kind, u.id) for u in p.unmanaged] == [
        (Kind.CREATIVE, 31),
        (Kind.CAMPAIGN, 21),
        (Kind.GROUP, 11),
    ]


def test_archived_and_removed_live_entities_are_not_listed_as_unmanaged() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [
            live_campaign(20, 10, "Brand US"),
            live_campaign(21, 10, "Old", status="ARCHIVED"),
            live_campaign(22, 10, "Gone", status="REMOVED"),
        ],
        [live_creative(30, 20, "Hero")],
    )
    assert plan(matching_desired(), live).unmanaged == ()


def test_prune_archives_served_entities_children_first_and_deletes_drafts() -> None:
    live = live_account(
        [live_group(10, "Brand"), live_group(11, "Stale")],
        [
            live_campaign(20, 10, "Brand US"),
            live_campaign(21, 10, "Draft idea", status="DRAFT"),
            live_campaign(22, 11, "Stale US"),
        ],
        [live_creative(30, 20, "Hero")],
    )
    p = plan(account(group("Brand", campaign("Brand US", creative("Hero", 30))), prune=True), live)
    assert actions(p) == [
        ("delete", "campaign", "500000001 / Brand / Draft idea"),
        ("archive", "campaign", "500000001 / Stale / Stale US"),
        ("archive", "campaignGroup", "500000001 / Stale"),
    ]
    assert p.unmanaged == ()


def test_group_level_prune_only_prunes_that_group() -> None:
    live = live_account(
        [live_group(10, "Brand"), live_group(11, "Other")],
        [
            live_campaign(20, 10, "Brand US"),
            live_campaign(21, 10, "Extra"),
            live_campaign(22, 11, "Other US"),
        ],
        [live_creative(30, 20, "Hero")],
    )
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30)), prune=True))
    p = plan(desired, live)
    assert actions(p) == [("archive", "campaign", "500000001 / Brand / Extra")]
    assert [u.id for u in p.unmanaged] == [11]


def test_two_live_siblings_with_one_name_is_an_error_naming_both() -> None:
    live = live_account(
        [live_group(10, "Brand")], [live_campaign(20, 10, "Brand US"), live_campaign(21, 10, "Brand US")]
    )
    with pytest.raises(AmbiguousLiveState, match=r"ids 20, 21"):
        plan(matching_desired(), live)


def test_a_pinned_resource_is_renamed_not_recreated() -> None:
    desired = account(group("Brand", campaign("Brand United States", creative("Hero", 30), id=20)))
    p = plan(desired, matching_live())
    assert actions(p) == [("update", "campaign", "500000001 / Brand / Brand United States")]
    assert p.changes[0].body == {"name": "Brand United States"}


def test_a_pin_to_a_missing_entity_is_an_error() -> None:
    desired = account(group("Brand", campaign("Brand US", id=999)))
    with pytest.raises(PlanError, match="pinned id 999"):
        plan(desired, matching_live())


def test_immutable_change_on_a_live_campaign_is_a_replace_refused_without_allow_replace() -> None:
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30), cost_type=CostType.CPC)))
    p = plan(desired, matching_live())
    assert [c.action for c in p.changes] == [Action.REPLACE, Action.CREATE]
    assert "costType" in p.changes[0].reason
    assert p.changes[1].parent_id is None  # the creative goes under the new campaign
    assert [v.guard for v in p.violations] == ["replace"]
    allowed = plan(desired, matching_live(), allow_replace=True)
    assert allowed.violations == ()


def test_immutable_change_on_a_draft_campaign_is_an_update() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20, 10, "Brand US", status="DRAFT")])
    desired = account(group("Brand", campaign("Brand US", status="DRAFT", cost_type=CostType.CPC)))
    p = plan(desired, live)
    assert actions(p) == [("update", "campaign", "500000001 / Brand / Brand US")]
    assert p.changes[0].body == {"costType": "CPC"}


def test_draft_campaign_going_active_waits_for_new_creatives() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20, 10, "Brand US", status="DRAFT")])
    p = plan(matching_desired(), live)
    update, create = p.changes
    assert (update.action, update.activate, update.body) == (Action.UPDATE, True, {})
    assert (create.action, create.kind, create.parent_id) == (Action.CREATE, Kind.CREATIVE, 20)


def test_creative_content_change_is_a_replace() -> None:
    desired = account(
        group("Brand", campaign("Brand US", creative("Hero", content=PostReference("urn:li:share:99"))))
    )
    p = plan(desired, matching_live(), allow_replace=True)
    assert actions(p) == [("replace", "creative", "500000001 / Brand / Brand US / Hero")]


def test_a_pinned_campaign_that_must_be_replaced_is_a_replace_that_names_the_pin() -> None:
    live = live_account(
        [live_group(10, "Brand"), live_group(11, "Demand")],
        [live_campaign(20, 10, "Brand US")],
    )
    desired = account(group("Brand"), group("Demand", campaign("Brand US", id=20)))
    p = plan(desired, live)
    assert actions(p) == [("replace", "campaign", "500000001 / Demand / Brand US")]
    (change,) = p.changes
    assert (change.id, change.parent_id) == (20, 11)
    assert "campaignGroup can't change once a campaign left DRAFT" in change.reason
    assert "pinned by id ('Brand US': 20): after the replace, update those `id:` lines" in change.reason
    assert [v.guard for v in p.violations] == ["replace"]
    with pytest.raises(UnsafePlan, match="--allow-replace"):
        p.check_guardrails(force=True)
    assert plan(desired, live, allow_replace=True).violations == ()


def test_a_campaign_with_pinned_creatives_names_their_pins_too() -> None:
    desired = account(
        group("Brand", campaign("Brand US", creative("Hero", 30, id=30), cost_type=CostType.CPC))
    )
    p = plan(desired, matching_live(), allow_replace=True)
    assert [c.action for c in p.changes] == [Action.REPLACE, Action.CREATE]
    assert "'Brand US'" not in p.changes[0].reason and "'Hero': 30" in p.changes[0].reason


def test_a_pinned_draft_campaign_moves_to_an_existing_group_by_update() -> None:
    live = live_account(
        [live_group(10, "Brand"), live_group(11, "Demand")],
        [live_campaign(20, 10, "Brand US", status="DRAFT")],
    )
    desired = account(group("Brand"), group("Demand", campaign("Brand US", id=20, status="DRAFT")))
    p = plan(desired, live)
    assert actions(p) == [("update", "campaign", "500000001 / Demand / Brand US")]
    assert p.changes[0].body == {"campaignGroup": "urn:li:sponsoredCampaignGroup:11"}
    assert p.unmanaged == ()  # not also listed as unmanaged in its old group


def test_ignored_fields_are_reported_but_not_written() -> None:
    desired = account(
        group(
            "Brand",
            campaign("Brand US", creative("Hero", 30), daily="75 USD", ignore_changes=("dailyBudget",)),
        )
    )
    p = plan(desired, matching_live())
    (change,) = p.changes
    assert change.body == {}
    assert change.fields[0].ignored is True


def test_guardrail_limit_counts_unmanaged_campaigns() -> None:
    # In the default group, which has no per-group cap of its own.
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(1000 + i, 1, f"Hand {i}", status="ARCHIVED") for i in range(4_999)],
    )
    desired = account(group("Brand", campaign("New 1", status="DRAFT"), campaign("New 2", status="DRAFT")))
    p = plan(desired, live)
    campaigns = next(h for h in p.headroom if h.limit == "campaigns")
    assert (campaigns.before, campaigns.after, campaigns.maximum) == (4_999, 5_001, 5_000)
    assert [v.guard for v in p.violations] == ["limit"]


def test_guardrail_active_creatives_per_campaign() -> None:
    creatives = [creative(f"Ad {i}", i) for i in range(16)]
    p = plan(account(group("Brand", campaign("Busy", *creatives))), live_account())
    assert any("active creatives per campaign" in v.message for v in p.violations)


def test_guardrail_campaigns_per_non_default_group() -> None:
    live = live_account(
        [live_group(10, "Brand")], [live_campaign(1000 + i, 10, f"H{i}", "ARCHIVED") for i in range(2_000)]
    )
    p = plan(account(group("Brand", campaign("One more", status="DRAFT"))), live)
    assert [v.message for v in p.violations] == [
        "account 500000001: campaigns per group in Brand would be 2,001, over LinkedIn's limit of 2,000"
    ]


def test_threshold_on_archiving_many_managed_entities_needs_force() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20 + i, 10, f"C{i}") for i in range(10)])
    desired = account(
        group("Brand", *[campaign(f"C{i}", status="ARCHIVED" if i < 4 else "ACTIVE") for i in range(10)])
    )
    p = plan(desired, live)
    assert [v.guard for v in p.violations] == ["threshold"]
    with pytest.raises(UnsafePlan):
        p.check_guardrails()
    p.check_guardrails(force=True)


def test_threshold_on_daily_budget_increase() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20, 10, "C")])
    p = plan(account(group("Brand", campaign("C", daily="100 USD"))), live)
    budget = p.budgets[0]
    assert (budget.daily_before, budget.daily_after) == ("50", "100")
    assert [v.guard for v in p.violations] == ["threshold"]


def test_first_apply_to_an_empty_account_crosses_no_threshold() -> None:
    assert plan(matching_desired(), live_account()).violations == ()


def test_budget_impact_counts_active_campaigns_only() -> None:
    live = live_account(
        [live_group(10, "Brand")], [live_campaign(20, 10, "C"), live_campaign(21, 10, "P", status="PAUSED")]
    )
    p = plan(account(group("Brand", campaign("C", daily="60 USD"), campaign("P", status="PAUSED"))), live)
    assert (p.budgets[0].daily_before, p.budgets[0].daily_after) == ("50", "60")


def test_money_in_plan_bodies_is_a_decimal_string() -> None:
    p = plan(account(group("Brand", campaign("C", daily="12.50 USD"))), live_account())
    assert p.changes[1].body["dailyBudget"] == {"amount": "12.5", "currencyCode": "USD"}
    assert Money.from_api(p.changes[1].body["dailyBudget"]) == Money.parse("12.5 USD")


def test_explain_says_why_a_field_is_equal_or_different() -> None:
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30), daily="50.00 USD")))
    p = plan(desired, matching_live(), explain="dailyBudget")
    assert p.notes == (
        "500000001 / Brand / Brand US: dailyBudget: equal after normalisation "
        '({"amount": "50", "currencyCode": "USD"})',
    )
    changed = account(group("Brand", campaign("Brand US", creative("Hero", 30), daily="60 USD")))
    (note,) = plan(changed, matching_live(), explain="dailyBudget").notes
    assert "dailyBudget: different" in note and "values_changed" in note


def test_ignored_fields_keep_their_live_value_in_the_budget_impact() -> None:
    desired = account(
        group(
            "Brand",
            campaign("Brand US", creative("Hero", 30), daily="75 USD", ignore_changes=("dailyBudget",)),
        )
    )
    p = plan(desired, matching_live())
    assert (p.budgets[0].daily_before, p.budgets[0].daily_after) == ("50", "50")
    assert p.empty and p.summary()["ignored"] == 1


def test_an_account_may_set_its_own_thresholds() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20, 10, "C")])
    desired = replace(
        account(group("Brand", campaign("C", daily="100 USD"))), safety=Safety(max_daily_budget_increase=1.0)
    )
    assert plan(desired, live).violations == ()
    stricter = replace(desired, safety=Safety(max_daily_budget_increase=0.1))
    assert [v.guard for v in plan(stricter, live).violations] == ["threshold"]


def test_a_group_daily_budget_counts_in_the_budget_impact_and_threshold() -> None:
    live = live_account(
        [live_group(10, "Brand", dailyBudget={"amount": "100", "currencyCode": "USD"})],
        [live_campaign(20, 10, "C")],
    )
    desired = account(group("Brand", campaign("C"), daily_budget=Money.parse("100000 USD")))
    p = plan(desired, live)
    assert (p.budgets[0].daily_before, p.budgets[0].daily_after) == ("150", "100050")
    assert [v.guard for v in p.violations] == ["threshold"]


def test_explain_of_a_field_no_resource_has_says_so() -> None:
    (note,) = plan(matching_desired(), matching_live(), explain="dailyBudgett").notes
    assert note.startswith("--explain dailyBudgett: no managed resource sets or has this field")


def test_explain_of_a_plan_that_only_creates_says_what_is_created() -> None:
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30), daily="50.00 USD")))
    p = plan(desired, live_account(), explain="dailyBudget")
    assert p.notes == (
        '500000001 / Brand / Brand US: dailyBudget: not live yet: created with {"amount": "50", '
        '"currencyCode": "USD"}',
    )
