"""Rules of campaigns (reference §3.3, §4, §6): status and error code of each."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.emulator import Emulator, generate_account
from reconciler.emulator.store import Kind
from tests.emulator.conftest import Tree
from tests.emulator.helpers import (
    DAY,
    NOW,
    call,
    campaign_body,
    code,
    coll,
    created_id,
    group_body,
    input_codes,
)

FACET = "urn:li:adTargetingFacet:"


def targeting(include: dict[str, list[str]], exclude: dict[str, list[str]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"include": {"and": [{"or": {FACET + k: v for k, v in include.items()}}]}}
    if exclude:
        out["exclude"] = {"or": {FACET + k: v for k, v in exclude.items()}}
    return out


def geos(n: int) -> list[str]:
    return [f"urn:li:geo:{100 + i}" for i in range(n)]


def create(emu: Emulator, body: dict[str, Any]) -> Any:
    return call(emu, "POST", coll("adCampaigns"), body, method="CREATE")


def patch(emu: Emulator, key: int, fields: dict[str, Any], deleted: list[str] | None = None) -> Any:
    body: dict[str, Any] = {"$set": fields}
    if deleted:
        body["$delete"] = deleted
    return call(emu, "POST", f"{coll('adCampaigns')}/{key}", {"patch": body}, method="PARTIAL_UPDATE")


CREATE_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("type missing", {"type": None}, "MISSING_FIELD"),
    ("costType unknown", {"costType": "CPA"}, "INVALID_VALUE_FOR_FIELD"),
    ("objective unknown", {"objectiveType": "FAME"}, "INVALID_VALUE_FOR_FIELD"),
    ("name missing", {"name": None}, "MISSING_FIELD"),
    ("locale missing", {"locale": None}, "MISSING_FIELD"),
    ("locale lower-case country", {"locale": {"country": "us", "language": "en"}}, "INVALID_VALUE_FOR_FIELD"),
    ("runSchedule missing", {"runSchedule": None}, "MISSING_FIELD"),
    ("start in the past", {"runSchedule": {"start": NOW - 5 * DAY}}, "DATE_TOO_EARLY"),
    ("created COMPLETED", {"status": "COMPLETED"}, "INVALID_VALUE_FOR_FIELD"),
    ("daily budget in EUR", {"dailyBudget": {"amount": "50", "currencyCode": "EUR"}}, "CURRENCY_MISMATCH"),
    (
        "daily budget below 10 USD",
        {"dailyBudget": {"amount": "9.99", "currencyCode": "USD"}},
        "FIELD_VALUE_TOO_LOW",
    ),
    ("negative bid", {"unitCost": {"amount": "-1", "currencyCode": "USD"}}, "FIELD_VALUE_TOO_LOW"),
    ("amount as a number", {"dailyBudget": {"amount": 50, "currencyCode": "USD"}}, "INVALID_VALUE_FOR_FIELD"),
    (
        "total below daily",
        {"totalBudget": {"amount": "40", "currencyCode": "USD"}},
        "CONDITIONAL_VALUE_TOO_LOW",
    ),
    ("no budget when active", {"dailyBudget": None}, "CONDITIONAL_MISSING_FIELD"),
    ("no politicalIntent when active", {"politicalIntent": None}, "MISSING_FIELD"),
    ("no offsiteDeliveryEnabled when active", {"offsiteDeliveryEnabled": None}, "MISSING_FIELD"),
    ("no targeting when active", {"targetingCriteria": None}, "MISSING_FIELD"),
    (
        "no location facet when active",
        {"targetingCriteria": targeting({"seniorities": ["urn:li:seniority:3"]})},
        "MISSING_FIELD",
    ),
    ("no associatedEntity for sponsored content", {"associatedEntity": None}, "CONDITIONAL_MISSING_FIELD"),
    ("read-only test", {"test": True}, "FIELD_NOT_ALLOWED"),
    ("read-only servingStatuses", {"servingStatuses": []}, "FIELD_NOT_ALLOWED"),
    ("read-only version", {"version": {"versionTag": "1"}}, "FIELD_NOT_ALLOWED"),
    ("legacy targeting", {"targeting": {"includedTargetingFacets": {}}}, "TARGETING_FIELD_DEPRECATED"),
    (
        "101 seniorities",
        {"targetingCriteria": targeting({"locations": geos(1), "seniorities": geos(101)})},
        "FIELD_VALUE_TOO_HIGH",
    ),
    ("201 locations", {"targetingCriteria": targeting({"locations": geos(201)})}, "FIELD_VALUE_TOO_HIGH"),
    (
        "duplicate values",
        {"targetingCriteria": targeting({"locations": ["urn:li:geo:1", "urn:li:geo:1"]})},
        "INVALID_VALUE_DUPLICATE_EXIST",
    ),
    (
        "included and excluded",
        {"targetingCriteria": targeting({"locations": geos(2)}, {"locations": geos(1)})},
        "FIELD_CANNOT_BE_BOTH_IN_INCLUDED_AND_EXCLUDED_TARGETING",
    ),
    (
        "facet not a URN",
        {"targetingCriteria": {"include": {"and": [{"or": {"locations": ["urn:li:geo:1"]}}]}}},
        "INVALID_VALUE_FOR_FIELD",
    ),
    (
        "InMail with OPTIMIZED",
        {"type": "SPONSORED_INMAILS", "creativeSelection": "OPTIMIZED"},
        "INVALID_CAMPAIGN_CONFIGURATION",
    ),
    ("CTV without offsite", {"connectedTelevisionOnly": True}, "CONDITIONAL_INVALID_VALUE"),
    ("pacing unknown", {"pacingStrategy": "FAST"}, "INVALID_VALUE_FOR_FIELD"),
    ("associatedEntity not a URN", {"associatedEntity": "acme"}, "INVALID_VALUE_FOR_FIELD"),
]


@pytest.mark.parametrize(("why", "over", "expected"), CREATE_CASES, ids=[c[0] for c in CREATE_CASES])
def test_campaign_create_is_refused(
    emu: Emulator, tree: Tree, why: str, over: dict[str, Any], expected: str
) -> None:
    response = create(emu, campaign_body(tree.group, **over))
    assert response.status == 400
    assert code(response) == expected


def test_unknown_group_does_not_exist(emu: Emulator) -> None:
    response = create(emu, campaign_body(1))
    assert (response.status, code(response)) == (400, "FIELD_VALUE_DOES_NOT_EXIST")


def test_draft_group_holds_only_draft_campaigns(emu: Emulator) -> None:
    draft = created_id(
        call(emu, "POST", coll("adCampaignGroups"), group_body(status="DRAFT"), method="CREATE")
    )
    response = create(emu, campaign_body(draft))
    assert (response.status, code(response)) == (400, "ONLY_DRAFT_CAMPAIGNS_ALLOWED_IN_DRAFT_CAMPAIGN_GROUPS")
    assert response.json()["errorDetails"]["conditionalInputErrors"][0]["description"] == (
        "/Campaign/status cannot be set to ACTIVE if /CampaignGroup/status is set to DRAFT"
    )
    assert create(emu, campaign_body(draft, status="DRAFT")).status == 201


def test_group_objective_forces_the_campaign_objective(emu: Emulator) -> None:
    group = created_id(
        call(emu, "POST", coll("adCampaignGroups"), group_body(objectiveType="ENGAGEMENT"), method="CREATE")
    )
    response = create(emu, campaign_body(group))
    assert (response.status, code(response)) == (400, "CONDITIONAL_INVALID_VALUE")
    inherited = created_id(create(emu, campaign_body(group, objectiveType=None)))
    assert call(emu, "GET", f"{coll('adCampaigns')}/{inherited}").json()["objectiveType"] == "ENGAGEMENT"


def test_campaign_group_is_required_once_the_account_has_several(emu: Emulator, tree: Tree) -> None:
    response = create(emu, campaign_body(tree.group, campaignGroup=None))
    assert (response.status, code(response)) == (400, "MISSING_CAMPAIGN_GROUP_ID")


def test_sole_default_group_is_used_when_campaign_group_is_omitted(emu: Emulator) -> None:
    key = created_id(create(emu, campaign_body(0, campaignGroup=None, status="DRAFT")))
    assert (
        call(emu, "GET", f"{coll('adCampaigns')}/{key}")
        .json()["campaignGroup"]
        .startswith("urn:li:sponsoredCampaignGroup:")
    )


def test_draft_postpones_activation_checks_until_activation(emu: Emulator, tree: Tree) -> None:
    body = campaign_body(tree.group, status="DRAFT", dailyBudget=None, targetingCriteria=None)
    key = created_id(create(emu, body))
    response = patch(emu, key, {"status": "ACTIVE"})
    assert (response.status, code(response)) == (400, "MULTIPLE_VALIDATIONS_FAILED")
    assert input_codes(response) == {"MISSING_FIELD", "CONDITIONAL_MISSING_FIELD"}


def test_plural_objective_is_stored_singular(emu: Emulator, tree: Tree) -> None:
    key = created_id(create(emu, campaign_body(tree.group, objectiveType="WEBSITE_VISITS")))
    assert call(emu, "GET", f"{coll('adCampaigns')}/{key}").json()["objectiveType"] == "WEBSITE_VISIT"


PATCH_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("back to DRAFT", {"status": "DRAFT"}, "STATUS_CHANGE_NOT_ALLOWED"),
    ("to COMPLETED", {"status": "COMPLETED"}, "STATUS_CHANGE_NOT_ALLOWED"),
    ("to CANCELED", {"status": "CANCELED"}, "STATUS_CHANGE_NOT_ALLOWED"),
    ("type outside draft", {"type": "TEXT_AD"}, "FIELD_IMMUTABLE_FOR_NON_DRAFT_CAMPAIGNS"),
    ("costType outside draft", {"costType": "CPC"}, "FIELD_IMMUTABLE_FOR_NON_DRAFT_CAMPAIGNS"),
    ("format outside draft", {"format": "CAROUSEL"}, "FIELD_IMMUTABLE_FOR_NON_DRAFT_CAMPAIGNS"),
    ("objective outside draft", {"objectiveType": "ENGAGEMENT"}, "IMMUTABLE_CAMPAIGN_OBJECTIVE_TYPE"),
    (
        "associatedEntity outside draft",
        {"associatedEntity": "urn:li:organization:1"},
        "IMMUTABLE_ASSOCIATED_ENTITY",
    ),
    ("account", {"account": "urn:li:sponsoredAccount:1"}, "FIELD_NOT_ALLOWED"),
    ("read-only id", {"id": 1}, "FIELD_NOT_ALLOWED"),
    ("bad status", {"status": "RUNNING"}, "INVALID_VALUE_FOR_FIELD"),
]


@pytest.mark.parametrize(("why", "fields", "expected"), PATCH_CASES, ids=[c[0] for c in PATCH_CASES])
def test_campaign_patch_is_refused(
    emu: Emulator, tree: Tree, why: str, fields: dict[str, Any], expected: str
) -> None:
    response = patch(emu, tree.campaign, fields)
    assert response.status == 400
    assert expected in input_codes(response)


def test_draft_campaign_may_change_draft_only_fields(emu: Emulator, tree: Tree) -> None:
    key = created_id(create(emu, campaign_body(tree.group, status="DRAFT")))
    assert patch(emu, key, {"costType": "CPC", "objectiveType": "ENGAGEMENT"}).status == 204


def test_deleting_a_required_field_is_refused(emu: Emulator, tree: Tree) -> None:
    response = patch(emu, tree.campaign, {}, deleted=["name"])
    assert (response.status, code(response)) == (400, "MISSING_FIELD")
    response = patch(emu, tree.campaign, {}, deleted=["dailyBudget"])
    assert (response.status, code(response)) == (400, "CONDITIONAL_MISSING_FIELD")


def test_started_campaign_keeps_its_start(emu: Emulator, tree: Tree) -> None:
    key = created_id(create(emu, campaign_body(tree.group, runSchedule={"start": NOW - 3_600_000})))
    response = patch(emu, key, {"runSchedule": {"start": NOW + DAY}})
    assert (response.status, code(response)) == (400, "DATE_IMMUTABLE_WHEN_PASSED")


def test_only_draft_campaigns_can_be_deleted(emu: Emulator, tree: Tree) -> None:
    response = call(emu, "DELETE", f"{coll('adCampaigns')}/{tree.campaign}", method="DELETE")
    assert (response.status, code(response)) == (400, "DELETE_ALLOWED_ONLY_FOR_DRAFT_STATUS")


def test_pending_deletion_is_final_but_readable(emu: Emulator, tree: Tree) -> None:
    assert patch(emu, tree.campaign, {"status": "PENDING_DELETION"}).status == 204
    response = patch(emu, tree.campaign, {"status": "ACTIVE"})
    assert (response.status, code(response)) == (400, "ACTION_NOT_ALLOWED_FOR_CANCELLED_STATUS")
    found = call(emu, "GET", f"{coll('adCampaigns')}/{tree.campaign}")
    assert (found.status, found.json()["status"]) == (200, "PENDING_DELETION")


def test_campaign_in_archived_group_cannot_be_created(emu: Emulator, tree: Tree) -> None:
    path = f"{coll('adCampaignGroups')}/{tree.group}"
    call(emu, "POST", path, {"patch": {"$set": {"status": "ARCHIVED"}}}, method="PARTIAL_UPDATE")
    response = create(emu, campaign_body(tree.group, status="DRAFT"))
    assert (response.status, code(response)) == (400, "FIELD_VALUE_NOT_ACTIVE")


def test_account_holds_at_most_5000_campaigns(emu: Emulator) -> None:
    report = generate_account(emu, groups=3, campaigns=5000, creatives=0)
    response = create(emu, campaign_body(report.groups[0], status="DRAFT"))
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")


def test_non_default_group_holds_at_most_2000_campaigns(emu: Emulator) -> None:
    report = generate_account(emu, groups=1, campaigns=2000, creatives=0)
    response = create(emu, campaign_body(report.groups[0], status="DRAFT"))
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")
    assert (
        response.json()["errorDetails"]["inputErrors"][0]["input"]["inputPath"]["fieldPath"]
        == "campaignGroup"
    )


def test_default_group_is_exempt_from_the_group_cap(emu: Emulator) -> None:
    generate_account(emu, groups=0, campaigns=2000, creatives=0)
    assert create(emu, campaign_body(0, campaignGroup=None, status="DRAFT")).status == 201


def _fill_active(emu: Emulator, group: int, n: int, **over: Any) -> None:
    template = {**campaign_body(group), **over}
    emu.store.put_many(
        Kind.CAMPAIGN, [(500_000_001, 900_000_000 + i, {**template, "id": 900_000_000 + i}) for i in range(n)]
    )


def test_account_runs_at_most_1000_active_campaigns_paused_included(emu: Emulator, tree: Tree) -> None:
    _fill_active(emu, tree.group, 998, status="PAUSED")  # + the tree's ACTIVE one = 999
    assert create(emu, campaign_body(tree.group)).status == 201
    response = create(emu, campaign_body(tree.group))
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")
    draft = created_id(create(emu, campaign_body(tree.group, status="DRAFT")))
    response = patch(emu, draft, {"status": "ACTIVE"})
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")


def test_ended_campaigns_do_not_count_as_active(emu: Emulator, tree: Tree) -> None:
    _fill_active(
        emu, tree.group, 1000, status="PAUSED", runSchedule={"start": NOW - 9 * DAY, "end": NOW - DAY}
    )
    assert create(emu, campaign_body(tree.group)).status == 201


def test_every_write_bumps_version_and_records_the_actor(emu: Emulator, tree: Tree) -> None:
    path = f"{coll('adCampaigns')}/{tree.campaign}"
    before = call(emu, "GET", path).json()
    assert patch(emu, tree.campaign, {"name": "renamed"}).status == 204
    after = call(emu, "GET", path).json()
    assert (before["version"]["versionTag"], after["version"]["versionTag"]) == ("1", "2")
    assert after["changeAuditStamps"]["lastModified"]["actor"].startswith("urn:li:person:")
    assert after["changeAuditStamps"]["lastModified"]["time"] == NOW
