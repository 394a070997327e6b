"""Rules of ad accounts and campaign groups (reference §3.1, §3.2): status and error code of each."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.emulator import Emulator, seed_entities
from tests.emulator.conftest import Tree
from tests.emulator.helpers import (
    ACCOUNT,
    ACCOUNT_URN,
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

ACCOUNTS = "/rest/adAccounts"


def account_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Second account", "type": "BUSINESS", "currency": "USD"}
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def patch(emu: Emulator, path: str, fields: dict[str, Any]) -> Any:
    return call(emu, "POST", path, {"patch": {"$set": fields}}, method="PARTIAL_UPDATE")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (account_body(name=None), "MISSING_FIELD"),
        (account_body(name="  "), "BLANK_ACCOUNT_NAME"),
        (account_body(type=None), "MISSING_FIELD"),
        (account_body(type="ENTERPRISE"), "INVALID_VALUE_FOR_FIELD"),
        (account_body(type="PERSONAL"), "INVALID_VALUE_FOR_FIELD"),
        (account_body(currency="XYZ"), "CURRENCY_NOT_SUPPORTED"),
        (account_body(id=1), "FIELD_NOT_ALLOWED"),
        (account_body(servingStatuses=["RUNNABLE"]), "FIELD_NOT_ALLOWED"),
        (account_body(status="PENDING_DELETION"), "INVALID_VALUE_FOR_FIELD"),
        (account_body(nmae="typo"), "FIELD_NOT_ALLOWED"),
    ],
)
def test_account_create_is_refused(emu: Emulator, body: dict[str, Any], expected: str) -> None:
    response = call(emu, "POST", ACCOUNTS, body, method="CREATE")
    assert response.status == 400
    assert code(response) == expected


def test_new_account_gets_its_default_group(emu: Emulator) -> None:
    account = created_id(call(emu, "POST", ACCOUNTS, account_body(), method="CREATE"))
    found = call(emu, "GET", f"{coll('adCampaignGroups', account)}?q=search&search=()", method="FINDER")
    assert found.status == 200
    assert [g["name"] for g in found.json()["elements"]] == ["Default Campaign Group"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"test": False}, "FIELD_NOT_ALLOWED"),  # the test account is a test account
        ({"currency": "EUR"}, "FIELD_NOT_ALLOWED"),
        ({"status": "DRAFT"}, "INVALID_STATUS_TRANSITION"),
        ({"status": "REMOVED"}, "INVALID_STATUS_TRANSITION"),
        ({"version": {"versionTag": "9"}}, "FIELD_NOT_ALLOWED"),
    ],
)
def test_account_patch_is_refused(emu: Emulator, fields: dict[str, Any], expected: str) -> None:
    response = patch(emu, f"{ACCOUNTS}/{ACCOUNT}", fields)
    assert response.status == 400
    assert code(response) == expected


def test_account_reference_is_frozen_once_it_has_campaigns(emu: Emulator, tree: Tree) -> None:
    response = patch(emu, f"{ACCOUNTS}/{ACCOUNT}", {"reference": "urn:li:organization:42"})
    assert (response.status, code(response)) == (400, "UPDATE_REFERENCE_NOT_ALLOWED")


def test_only_draft_accounts_can_be_deleted(emu: Emulator) -> None:
    response = call(emu, "DELETE", f"{ACCOUNTS}/{ACCOUNT}", method="DELETE")
    assert (response.status, code(response)) == (400, "DELETE_NOT_ALLOWED")
    draft = created_id(call(emu, "POST", ACCOUNTS, account_body(status="DRAFT"), method="CREATE"))
    assert call(emu, "DELETE", f"{ACCOUNTS}/{draft}", method="DELETE").status == 204
    gone = call(emu, "GET", f"{ACCOUNTS}/{draft}", method="GET")
    assert (gone.status, code(gone)) == (404, "NOT_FOUND")


def test_canceled_account_accepts_no_change(emu: Emulator) -> None:
    assert patch(emu, f"{ACCOUNTS}/{ACCOUNT}", {"status": "CANCELED"}).status == 204
    response = patch(emu, f"{ACCOUNTS}/{ACCOUNT}", {"name": "again"})
    assert (response.status, code(response)) == (400, "ACTION_NOT_ALLOWED_FOR_CANCELLED_STATUS")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (group_body(name=None), "MISSING_FIELD"),
        (group_body(name="x" * 101), "FIELD_LENGTH_TOO_LONG"),
        (group_body(name=""), "INVALID_VALUE_BLANK_FIELD"),
        (group_body(status=None), "MISSING_FIELD"),
        (group_body(status="PAUSED"), "INVALID_VALUE_FOR_FIELD"),
        (group_body(account="urn:li:sponsoredAccount:1"), "INVALID_VALUE_FOR_FIELD"),
        (group_body(totalBudget={"amount": "100", "currencyCode": "EUR"}), "CURRENCY_MISMATCH"),
        (group_body(runSchedule={"start": NOW + DAY}), "CONDITIONAL_MISSING_FIELD"),
        (group_body(runSchedule={"start": NOW + 2 * DAY, "end": NOW + DAY}), "START_DATE_AFTER_END_DATE"),
        (group_body(runSchedule={"start": NOW - 3 * DAY, "end": NOW + DAY}), "DATE_TOO_EARLY"),
        (group_body(runSchedule=None, totalBudget=None), "MISSING_FIELD"),
        (group_body(dailyBudget={"amount": "10", "currencyCode": "USD"}), "CONDITIONAL_FIELD_NOT_ALLOWED"),
        (group_body(budgetOptimization={"bidStrategy": "CHEAPEST"}), "INVALID_VALUE_FOR_FIELD"),
        (group_body(objectiveType="WORLD_DOMINATION"), "INVALID_VALUE_FOR_FIELD"),
        (group_body(servingStatuses=["RUNNABLE"]), "FIELD_NOT_ALLOWED"),
        (group_body(backfilled=True), "FIELD_NOT_ALLOWED"),
    ],
)
def test_group_create_is_refused(emu: Emulator, body: dict[str, Any], expected: str) -> None:
    response = call(emu, "POST", coll("adCampaignGroups"), body, method="CREATE")
    assert response.status == 400
    assert code(response) == expected


def test_draft_group_postpones_schedule_checks(emu: Emulator) -> None:
    body = group_body(status="DRAFT", runSchedule=None, totalBudget=None)
    assert call(emu, "POST", coll("adCampaignGroups"), body, method="CREATE").status == 201


def test_every_problem_is_reported_at_once(emu: Emulator) -> None:
    body = group_body(name="x" * 101, totalBudget={"amount": "1", "currencyCode": "EUR"}, id=5)
    response = call(emu, "POST", coll("adCampaignGroups"), body, method="CREATE")
    assert (response.status, code(response)) == (400, "MULTIPLE_VALIDATIONS_FAILED")
    assert input_codes(response) == {"FIELD_LENGTH_TOO_LONG", "CURRENCY_MISMATCH", "FIELD_NOT_ALLOWED"}
    paths = [e["input"]["inputPath"]["fieldPath"] for e in response.json()["errorDetails"]["inputErrors"]]
    assert set(paths) == {"name", "totalBudget/currencyCode", "id"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "DRAFT"}, "STATUS_CHANGE_NOT_ALLOWED"),
        ({"status": "CANCELED"}, "STATUS_CHANGE_NOT_ALLOWED"),
        ({"status": "REMOVED"}, "STATUS_CHANGE_NOT_ALLOWED"),
        ({"objectiveType": "ENGAGEMENT"}, "IMMUTABLE_CAMPAIGN_OBJECTIVE_TYPE"),
        ({"account": "urn:li:sponsoredAccount:1"}, "FIELD_NOT_ALLOWED"),
        ({"allowedCampaignTypes": ["TEXT_AD"]}, "FIELD_NOT_ALLOWED"),
    ],
)
def test_group_patch_is_refused(emu: Emulator, tree: Tree, fields: dict[str, Any], expected: str) -> None:
    response = patch(emu, f"{coll('adCampaignGroups')}/{tree.group}", fields)
    assert response.status == 400
    assert expected in input_codes(response)


def test_group_start_is_frozen_once_passed(emu: Emulator) -> None:
    body = group_body(runSchedule={"start": NOW - 3_600_000, "end": NOW + DAY})
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), body, method="CREATE"))
    response = patch(
        emu,
        f"{coll('adCampaignGroups')}/{group}",
        {"runSchedule": {"start": NOW + DAY, "end": NOW + 9 * DAY}},
    )
    assert (response.status, code(response)) == (400, "DATE_IMMUTABLE_WHEN_PASSED")


def test_only_draft_groups_can_be_deleted_and_take_their_campaigns(emu: Emulator, tree: Tree) -> None:
    active = call(emu, "DELETE", f"{coll('adCampaignGroups')}/{tree.group}", method="DELETE")
    assert (active.status, code(active)) == (400, "DELETE_ALLOWED_ONLY_FOR_DRAFT_STATUS")
    draft = created_id(
        call(emu, "POST", coll("adCampaignGroups"), group_body(status="DRAFT"), method="CREATE")
    )
    campaign = created_id(
        call(emu, "POST", coll("adCampaigns"), campaign_body(draft, status="DRAFT"), method="CREATE")
    )
    assert call(emu, "DELETE", f"{coll('adCampaignGroups')}/{draft}", method="DELETE").status == 204
    assert call(emu, "GET", f"{coll('adCampaigns')}/{campaign}", method="GET").status == 404


def test_pending_deletion_group_accepts_no_change_but_stays_readable(emu: Emulator, tree: Tree) -> None:
    path = f"{coll('adCampaignGroups')}/{tree.group}"
    assert patch(emu, path, {"status": "PENDING_DELETION"}).status == 204
    response = patch(emu, path, {"name": "revived"})
    assert (response.status, code(response)) == (400, "ACTION_NOT_ALLOWED_FOR_CANCELLED_STATUS")
    assert call(emu, "GET", path, method="GET").json()["status"] == "PENDING_DELETION"


def test_backfilled_groups_cannot_be_updated(emu: Emulator) -> None:
    group = {"id": 611, "account": ACCOUNT_URN, "name": "Backfill", "status": "ACTIVE", "backfilled": True}
    seed_entities(emu, {"adCampaignGroups": [group]})
    response = patch(emu, f"{coll('adCampaignGroups')}/611", {"name": "renamed"})
    assert (response.status, code(response)) == (400, "CANNOT_UPDATE_BACKFILLED_CAMPAIGN_GROUPS")
