"""Rules of creatives (reference §3.4, §5, §6); creatives answer with the classic envelope."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.store import Kind
from tests.emulator.conftest import Tree
from tests.emulator.helpers import (
    ACCOUNT,
    call,
    campaign_body,
    code,
    coll,
    created_id,
    creative_body,
    creative_path,
)


def create(emu: Emulator, body: dict[str, Any]) -> Any:
    return call(emu, "POST", coll("creatives"), body, method="CREATE")


def patch(emu: Emulator, key: int, fields: dict[str, Any]) -> Any:
    return call(emu, "POST", creative_path(key), {"patch": {"$set": fields}}, method="PARTIAL_UPDATE")


def text_ad_campaign(emu: Emulator, tree: Tree) -> int:
    body = campaign_body(tree.group, type="TEXT_AD", associatedEntity=None, objectiveType="WEBSITE_VISIT")
    return created_id(call(emu, "POST", coll("adCampaigns"), body, method="CREATE"))


def text_ad(**over: Any) -> dict[str, Any]:
    ad = {
        "headline": "Ship YAML, not clicks",
        "description": "Campaigns as code.",
        "landingPage": "https://x.io",
    }
    ad.update(over)
    return {"textAd": {k: v for k, v in ad.items() if v is not None}}


CREATE_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("campaign missing", {"campaign": None}, "MISSING_FIELD"),
    ("campaign not a URN", {"campaign": "360035215"}, "INVALID_VALUE_FOR_FIELD"),
    ("campaign unknown", {"campaign": "urn:li:sponsoredCampaign:1"}, "FIELD_VALUE_DOES_NOT_EXIST"),
    ("content missing", {"content": None}, "MISSING_FIELD"),
    (
        "two content kinds",
        {"content": {"reference": "urn:li:share:1", "textAd": {}}},
        "INVALID_VALUE_FOR_FIELD",
    ),
    ("reference not a post", {"content": {"reference": "https://example.com"}}, "INVALID_VALUE_FOR_FIELD"),
    ("legacy variables shape", {"variables": {"data": {}}}, "FIELD_NOT_ALLOWED"),
    ("status missing", {"intendedStatus": None}, "MISSING_FIELD"),
    ("status unknown", {"intendedStatus": "LIVE"}, "INVALID_VALUE_FOR_FIELD"),
    ("created ARCHIVED", {"intendedStatus": "ARCHIVED"}, "INVALID_VALUE_FOR_FIELD"),
    ("read-only isServing", {"isServing": True}, "FIELD_NOT_ALLOWED"),
    ("read-only review", {"review": {"status": "APPROVED"}}, "FIELD_NOT_ALLOWED"),
    ("inlineContent without the action", {"inlineContent": {"post": {}}}, "FIELD_NOT_ALLOWED"),
    ("text ad in a sponsored-content campaign", {"content": text_ad()}, "INVALID_VALUE_FOR_FIELD"),
    (
        "bad CTA label",
        {"leadgenCallToAction": {"destination": "urn:li:adForm:1", "label": "BUY"}},
        "INVALID_VALUE_FOR_FIELD",
    ),
]


@pytest.mark.parametrize(("why", "over", "expected"), CREATE_CASES, ids=[c[0] for c in CREATE_CASES])
def test_creative_create_is_refused(
    emu: Emulator, tree: Tree, why: str, over: dict[str, Any], expected: str
) -> None:
    response = create(emu, creative_body(tree.campaign, **over))
    assert response.status == 400
    assert code(response) == expected


def test_errors_use_the_classic_envelope(emu: Emulator, tree: Tree) -> None:
    body = create(emu, creative_body(tree.campaign, intendedStatus="LIVE")).json()
    assert set(body) == {"message", "serviceErrorCode", "status"}
    assert body["serviceErrorCode"] == 10007
    assert body["message"].startswith(
        "Validation failed because [{reason=INVALID_VALUE_FOR_FIELD, field=intendedStatus"
    )


@pytest.mark.parametrize(
    ("ad", "expected"),
    [
        (text_ad(headline="h" * 26), "FIELD_LENGTH_TOO_LONG"),
        (text_ad(description="d" * 76), "FIELD_LENGTH_TOO_LONG"),
        (text_ad(headline=None), "MISSING_FIELD"),
        (text_ad(description=None), "MISSING_FIELD"),
        (text_ad(landingPage="ftp://x"), "INVALID_VALUE_FOR_FIELD"),
        ({"textAd": {"headline": "h", "description": "d", "title": "t"}}, "INVALID_VALUE_FOR_FIELD"),
    ],
)
def test_text_ad_content_is_checked(emu: Emulator, tree: Tree, ad: dict[str, Any], expected: str) -> None:
    campaign = text_ad_campaign(emu, tree)
    response = create(emu, creative_body(campaign, content=ad))
    assert (response.status, code(response)) == (400, expected)


def test_text_ad_at_the_length_limits_is_accepted(emu: Emulator, tree: Tree) -> None:
    campaign = text_ad_campaign(emu, tree)
    response = create(emu, creative_body(campaign, content=text_ad(headline="h" * 25, description="d" * 75)))
    assert response.status == 201
    assert call(emu, "GET", f"{coll('adCampaigns')}/{campaign}").json()["format"] == "TEXT_AD"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"content": {"reference": "urn:li:share:99"}}, "FIELD_NOT_ALLOWED"),
        ({"campaign": "urn:li:sponsoredCampaign:5"}, "FIELD_NOT_ALLOWED"),
        ({"intendedStatus": "DRAFT"}, "STATUS_CHANGE_NOT_ALLOWED"),
        ({"intendedStatus": "REMOVED"}, "STATUS_CHANGE_NOT_ALLOWED"),
        ({"createdBy": "urn:li:person:x"}, "FIELD_NOT_ALLOWED"),
    ],
)
def test_creative_patch_is_refused(emu: Emulator, tree: Tree, fields: dict[str, Any], expected: str) -> None:
    response = patch(emu, tree.creative, fields)
    assert response.status == 400
    assert expected in code(response).split(",")


def test_name_and_status_can_change(emu: Emulator, tree: Tree) -> None:
    assert patch(emu, tree.creative, {"name": "Post A v2", "intendedStatus": "PAUSED"}).status == 204
    got = call(emu, "GET", creative_path(tree.creative)).json()
    assert (got["name"], got["intendedStatus"], got["isServing"]) == ("Post A v2", "PAUSED", False)
    # Its own hold, and its campaign's and group's (the tree starts tomorrow).
    assert got["servingHoldReasons"] == [
        "STOPPED",
        "CAMPAIGN_START_DATE_HOLD",
        "CAMPAIGN_GROUP_START_DATE_HOLD",
    ]
    assert got["lastModifiedBy"].startswith("urn:li:person:")


def test_delete_needs_a_draft_creative_or_campaign(emu: Emulator, tree: Tree) -> None:
    response = call(emu, "DELETE", creative_path(tree.creative), method="DELETE")
    assert (response.status, code(response)) == (400, "DELETE_ALLOWED_ONLY_FOR_DRAFT_STATUS")
    draft = created_id(create(emu, creative_body(tree.campaign, intendedStatus="DRAFT")))
    assert call(emu, "DELETE", creative_path(draft), method="DELETE").status == 204
    draft_campaign = created_id(
        call(emu, "POST", coll("adCampaigns"), campaign_body(tree.group, status="DRAFT"), method="CREATE")
    )
    active = created_id(create(emu, creative_body(draft_campaign)))
    assert call(emu, "DELETE", creative_path(active), method="DELETE").status == 204


def test_pending_deletion_creative_accepts_no_change(emu: Emulator, tree: Tree) -> None:
    assert patch(emu, tree.creative, {"intendedStatus": "PENDING_DELETION"}).status == 204
    response = patch(emu, tree.creative, {"name": "x"})
    assert (response.status, code(response)) == (400, "ACTION_NOT_ALLOWED_FOR_CANCELLED_STATUS")


def test_archived_campaign_takes_no_new_creative(emu: Emulator, tree: Tree) -> None:
    path = f"{coll('adCampaigns')}/{tree.campaign}"
    call(emu, "POST", path, {"patch": {"$set": {"status": "ARCHIVED"}}}, method="PARTIAL_UPDATE")
    response = create(emu, creative_body(tree.campaign))
    assert (response.status, code(response)) == (400, "FIELD_VALUE_NOT_ACTIVE")


def test_lead_gen_creative_needs_a_call_to_action(emu: Emulator, tree: Tree) -> None:
    body = campaign_body(tree.group, objectiveType="LEAD_GENERATION")
    campaign = created_id(call(emu, "POST", coll("adCampaigns"), body, method="CREATE"))
    response = create(emu, creative_body(campaign))
    assert (response.status, code(response)) == (400, "CONDITIONAL_MISSING_FIELD")
    cta = {"destination": "urn:li:adForm:123", "label": "SIGN_UP"}
    assert create(emu, creative_body(campaign, leadgenCallToAction=cta)).status == 201


def _fill(emu: Emulator, campaign: int, n: int, status: str, start: int = 800_000_000) -> None:
    template = creative_body(campaign, intendedStatus=status)
    rows = [
        (ACCOUNT, start + i, {**template, "id": f"urn:li:sponsoredCreative:{start + i}"}) for i in range(n)
    ]
    emu.store.put_many(Kind.CREATIVE, rows)


def test_campaign_holds_at_most_100_creatives(emu: Emulator, tree: Tree) -> None:
    _fill(emu, tree.campaign, 99, "PAUSED")  # + the tree's creative = 100
    response = create(emu, creative_body(tree.campaign, intendedStatus="DRAFT"))
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")


def test_campaign_runs_at_most_15_active_creatives(emu: Emulator, tree: Tree) -> None:
    _fill(emu, tree.campaign, 14, "ACTIVE")  # + the tree's creative = 15
    response = create(emu, creative_body(tree.campaign))
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")
    paused = created_id(create(emu, creative_body(tree.campaign, intendedStatus="PAUSED")))
    response = patch(emu, paused, {"intendedStatus": "ACTIVE"})
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")


def test_account_holds_at_most_15000_creatives(emu: Emulator, tree: Tree) -> None:
    for n in range(150):  # 150 campaigns x 100 creatives, written straight to the store
        _fill(emu, 700_000 + n, 100 if n < 149 else 99, "PAUSED", start=800_000_000 + 100 * n)
    response = create(emu, creative_body(tree.campaign, intendedStatus="DRAFT"))
    assert (response.status, code(response)) == (400, "ENTITY_COUNT_LIMIT_REACHED")
