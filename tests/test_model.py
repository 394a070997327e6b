"""The model: API JSON shapes, and model -> API JSON -> model round trips for every entity and value."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reconciler.manifest import load_project
from reconciler.model import (
    Account,
    BudgetOptimization,
    Campaign,
    CampaignGroup,
    CampaignStatus,
    CampaignType,
    CostType,
    Creative,
    CreativeStatus,
    GroupStatus,
    LeadgenCallToAction,
    LiveMeta,
    Locale,
    Money,
    PostReference,
    Schedule,
    Targeting,
    TextAd,
    Urn,
    account_urn,
    campaign_urn,
    content_from_api,
    creative_urn,
    format_instant,
    group_urn,
    parse_instant,
)

EXAMPLES = Path(__file__).parents[1] / "examples"
ACCOUNT = account_urn(500000001)

TARGETING = Targeting.build(
    [
        {"locations": ["urn:li:geo:103644278"]},
        {"interfaceLocales": ["urn:li:locale:en_US"]},
        {"seniorities": ["urn:li:seniority:6", "urn:li:seniority:5"], "titles": ["urn:li:title:9"]},
    ],
    {"employers": ["urn:li:organization:2414183"]},
)
CAMPAIGN = Campaign(
    name="Q1 Brand — US",
    status=CampaignStatus.ACTIVE,
    type=CampaignType.SPONSORED_UPDATES,
    cost_type=CostType.CPM,
    objective_type="WEBSITE_VISITS",
    optimization_target_type="MAX_CLICK",
    daily_budget=Money(Decimal("50.00"), "USD"),
    total_budget=Money(Decimal("1500"), "USD"),
    unit_cost=Money(Decimal("4.5"), "USD"),
    locale=Locale("US", "en"),
    run_schedule=Schedule(parse_instant("2027-01-04"), parse_instant("2027-04-01T12:30:00+02:00")),
    targeting=TARGETING,
    offsite_delivery_enabled=False,
    audience_expansion_enabled=True,
    creative_selection="ROUND_ROBIN",
    format="STANDARD_UPDATE",
    pacing_strategy="LIFETIME",
    political_intent="NOT_POLITICAL",
    associated_entity="urn:li:organization:2414183",
    connected_television_only=False,
)
GROUP = CampaignGroup(
    name="Q1 Brand",
    status=GroupStatus.ACTIVE,
    run_schedule=Schedule(parse_instant("2027-01-04")),
    total_budget=Money(Decimal("5000"), "USD"),
    daily_budget=Money(Decimal("100"), "USD"),
    budget_optimization=BudgetOptimization("MAXIMUM_DELIVERY", "DYNAMIC"),
)
CREATIVES = (
    Creative(
        name="Hero video",
        content=PostReference("urn:li:ugcPost:7012345678901234567"),
        intended_status=CreativeStatus.ACTIVE,
        leadgen_call_to_action=LeadgenCallToAction("urn:li:adForm:123", "SIGN_UP"),
    ),
    Creative(
        name="Text",
        content=TextAd(
            "Ship 2x faster", "One pipeline.", "https://www.example.com/", "urn:li:image:C4D10AQH"
        ),
        intended_status=CreativeStatus.PAUSED,
    ),
    Creative(name="Bare text", content=TextAd("Hi", "There")),
)


def as_read(body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What GET returns for a created entity: the body plus server-owned fields."""
    return {**body, "version": {"versionTag": "3"}, "servingStatuses": ["RUNNABLE"], **extra}


def test_a_create_sends_what_linkedin_requires_on_create_even_when_the_manifest_leaves_it_out() -> None:
    bare = Campaign(name="Bare", status=CampaignStatus.DRAFT)
    body = bare.to_api(ACCOUNT, group_urn(612345678))
    assert body["offsiteDeliveryEnabled"] is False and body["politicalIntent"] == "NOT_DECLARED"
    assert "offsiteDeliveryEnabled" not in bare.api_fields()  # never diffed against live
    own = dataclasses.replace(bare, offsite_delivery_enabled=True, political_intent="POLITICAL")
    assert own.create_fields()["offsiteDeliveryEnabled"] is True
    assert own.create_fields()["politicalIntent"] == "POLITICAL"


def test_campaign_api_shape() -> None:
    body = CAMPAIGN.to_api(ACCOUNT, group_urn(612345678))
    assert body["account"] == "urn:li:sponsoredAccount:500000001"
    assert body["campaignGroup"] == "urn:li:sponsoredCampaignGroup:612345678"
    assert body["dailyBudget"] == {"amount": "50", "currencyCode": "USD"}
    assert body["unitCost"] == {"amount": "4.5", "currencyCode": "USD"}
    assert body["runSchedule"] == {"start": 1799020800000, "end": 1806575400000}
    assert body["locale"] == {"country": "US", "language": "en"}
    assert body["objectiveType"] == "WEBSITE_VISIT"
    assert body["status"] == "ACTIVE" and body["type"] == "SPONSORED_UPDATES" and body["costType"] == "CPM"
    assert body["targetingCriteria"] == {
        "include": {
            "and": [
                {"or": {"urn:li:adTargetingFacet:interfaceLocales": ["urn:li:locale:en_US"]}},
                {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}},
                {
                    "or": {
                        "urn:li:adTargetingFacet:seniorities": ["urn:li:seniority:5", "urn:li:seniority:6"],
                        "urn:li:adTargetingFacet:titles": ["urn:li:title:9"],
                    }
                },
            ]
        },
        "exclude": {"or": {"urn:li:adTargetingFacet:employers": ["urn:li:organization:2414183"]}},
    }


def test_unset_fields_are_left_out_of_the_api_form() -> None:
    assert Campaign(name="Only a name").api_fields() == {"name": "Only a name"}
    assert CampaignGroup(name="G").api_fields() == {"name": "G"}
    assert Creative(name="R").api_fields() == {"name": "R"}
    assert Schedule(5).to_api() == {"start": 5}
    assert Targeting.build([{"locations": ["urn:li:geo:1"]}]).to_api() == {
        "include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:1"]}}]}
    }


def test_campaign_round_trip() -> None:
    read = as_read(CAMPAIGN.to_api(ACCOUNT, group_urn(612345678)), id=712345678)
    back = Campaign.from_api(read)
    assert back == dataclasses.replace(CAMPAIGN, id=712345678)
    assert back.meta is not None and back.meta.parent == group_urn(612345678) and back.meta.version_tag == "3"


def test_group_round_trip() -> None:
    back = CampaignGroup.from_api(as_read(GROUP.to_api(ACCOUNT), id=612345678))
    assert back == dataclasses.replace(GROUP, id=612345678)
    assert back.meta is not None and back.meta.parent == ACCOUNT


@pytest.mark.parametrize("creative", CREATIVES, ids=lambda c: c.name)
def test_creative_round_trip(creative: Creative) -> None:
    body = creative.to_api(campaign_urn(712345678))
    assert body["campaign"] == "urn:li:sponsoredCampaign:712345678"
    read = {**body, "id": str(creative_urn(99)), "account": str(ACCOUNT), "isServing": True}
    back = Creative.from_api(read)
    assert back == dataclasses.replace(creative, id=99)
    assert back.meta is not None and back.meta.parent == campaign_urn(712345678)


def test_account_round_trip() -> None:
    account = Account(500000001, "USD", "Main")
    read = {"id": 500000001, "currency": "USD", "name": "Main", "type": "BUSINESS", "status": "ACTIVE"}
    assert Account.from_api(read) == account
    assert account.urn == "urn:li:sponsoredAccount:500000001"


@pytest.mark.parametrize(
    "value",
    [
        Money(Decimal("150"), "USD"),
        Money(Decimal("0.05"), "EUR"),
        Schedule(parse_instant("2027-01-01"), None),
        Schedule(parse_instant("2027-01-01"), parse_instant("2027-02-01T00:00:01.250Z")),
        Locale("DE", "de"),
        TARGETING,
        Targeting(),
        BudgetOptimization("COST_CAP", None),
        BudgetOptimization(),
        LeadgenCallToAction("urn:li:adForm:1", "DOWNLOAD"),
    ],
    ids=repr,
)
def test_value_round_trip(value: Any) -> None:
    assert type(value).from_api(value.to_api()) == value


@pytest.mark.parametrize("content", [c.content for c in CREATIVES], ids=repr)
def test_content_round_trip(content: PostReference | TextAd) -> None:
    assert content_from_api(content.to_api()) == content


def test_values_are_canonical_so_equal_means_no_change() -> None:
    assert Money.from_api({"amount": "150.00", "currencyCode": "USD"}) == Money.parse("150 USD")
    shuffled = {
        "include": {
            "and": [
                {
                    "or": {
                        "urn:li:adTargetingFacet:titles": ["urn:li:title:9"],
                        "seniorities": ["urn:li:seniority:6"],
                    }
                },
                {
                    "or": {
                        "urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278", "urn:li:geo:103644278"]
                    }
                },
                {"or": {"urn:li:adTargetingFacet:interfaceLocales": ["urn:li:locale:en_US"]}},
                {"or": {"urn:li:adTargetingFacet:seniorities": ["urn:li:seniority:5"]}},
            ]
        },
        "exclude": {"or": {"urn:li:adTargetingFacet:employers": ["urn:li:organization:2414183"]}},
    }
    # Clause membership differs from TARGETING (seniorities split over two clauses): not equal.
    assert Targeting.from_api(shuffled) != TARGETING
    assert Targeting.from_api(TARGETING.to_api()) == TARGETING
    assert Campaign(name="x", objective_type="VIDEO_VIEWS").objective_type == "VIDEO_VIEW"


def test_instants_round_trip_through_epoch_milliseconds() -> None:
    for text in ("2027-01-04", "2027-01-04T09:30:00Z"):
        assert format_instant(parse_instant(text)) == text
    with_ms = parse_instant("2027-01-04T09:30:00.250Z")
    assert parse_instant(format_instant(with_ms)) == with_ms
    assert parse_instant("2027-01-04T10:30:00+01:00") == parse_instant("2027-01-04T09:30:00Z")
    with pytest.raises(ValueError, match="no time zone"):
        parse_instant("2027-01-04T09:30:00")


@pytest.mark.parametrize("example", ["quickstart", "b2b-saas"])
def test_every_example_entity_round_trips(example: str) -> None:
    (account,) = load_project([EXAMPLES / example]).accounts
    for group in account.groups:
        back = CampaignGroup.from_api(as_read(group.to_api(account.urn), id=1))
        assert back == dataclasses.replace(group, id=1, campaigns=(), prune=False, ignore_changes=())
        for campaign in group.campaigns:
            back_campaign = Campaign.from_api(as_read(campaign.to_api(account.urn, group_urn(1)), id=2))
            assert back_campaign == dataclasses.replace(campaign, id=2, creatives=(), ignore_changes=())
            for creative in campaign.creatives:
                read = {**creative.to_api(campaign_urn(2)), "id": str(creative_urn(3))}
                assert Creative.from_api(read) == dataclasses.replace(creative, id=3, ignore_changes=())


def test_from_api_makes_what_the_constructor_makes() -> None:
    data = {
        "id": 7,
        "name": "C",
        "campaignGroup": "urn:li:sponsoredCampaignGroup:3",
        "status": "ACTIVE",
        "type": "SPONSORED_UPDATES",
        "objectiveType": "WEBSITE_VISITS",
        "dailyBudget": {"amount": "50.00", "currencyCode": "USD"},
        "runSchedule": {"start": 1, "end": 2},
        "version": {"versionTag": "4"},
        "servingStatuses": ["RUNNABLE"],
    }
    made = Campaign.from_api(data)
    meta = LiveMeta(7, Urn("urn:li:sponsoredCampaignGroup:3"), "4", status_detail=("RUNNABLE",))
    expected = Campaign(
        name="C",
        status=CampaignStatus.ACTIVE,
        type=CampaignType.SPONSORED_UPDATES,
        objective_type="WEBSITE_VISIT",
        daily_budget=Money(Decimal(50), "USD"),
        run_schedule=Schedule(1, 2),
        id=7,
        meta=meta,
    )
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert made.meta == meta and made.total_budget is None and made.creatives == ()
    assert dataclasses.replace(made, name="D").name == "D"
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "E"  # type: ignore[misc]
    creative = Creative.from_api(
        {
            "id": "urn:li:sponsoredCreative:9",
            "name": "R",
            "campaign": "urn:li:sponsoredCampaign:7",
            "intendedStatus": "PAUSED",
            "content": {"reference": "urn:li:share:1"},
        }
    )
    assert creative == Creative(
        name="R", content=PostReference("urn:li:share:1"), intended_status=CreativeStatus.PAUSED, id=9
    )
    assert creative.meta is not None and creative.meta.parent == "urn:li:sponsoredCampaign:7"
