"""Campaign configuration on the emulator: format, objective x optimization target x cost type,
fields required on create, and group status on create. Requests are sent as a client written
against the real API sends them (Rest.li 2.0 headers, CREATE, BATCH_CREATE, PARTIAL_UPDATE)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, serve_in_thread
from tests.emulator.conftest import Tree
from tests.emulator.helpers import (
    ACCOUNT_URN,
    NOW,
    call,
    campaign_body,
    code,
    coll,
    created_id,
    group_body,
    headers,
)

CONFIG = "INVALID_CAMPAIGN_CONFIGURATION"


def create(emu: Emulator, body: dict[str, Any]) -> Any:
    return call(emu, "POST", coll("adCampaigns"), body, method="CREATE")


def field_paths(response: Any) -> dict[str, str]:
    """fieldPath -> code of every input error (plain and conditional)."""
    details = response.json()["errorDetails"]
    items = details["inputErrors"] + details["conditionalInputErrors"]
    return {item["input"]["inputPath"]["fieldPath"]: item["code"] for item in items}


REFUSED: list[tuple[str, dict[str, Any], str, str]] = [
    ("DOCUMENT is no format", {"format": "DOCUMENT"}, "format", "INVALID_VALUE_FOR_FIELD"),
    ("EVENT is no format", {"format": "EVENT"}, "format", "INVALID_VALUE_FOR_FIELD"),
    ("UNSUPPORTED is read-only", {"format": "UNSUPPORTED"}, "format", "INVALID_VALUE_FOR_FIELD"),
    (
        "DYNAMIC without format",
        {"type": "DYNAMIC", "status": "DRAFT"},
        "format",
        "CONDITIONAL_MISSING_FIELD",
    ),
    ("format of another type", {"type": "TEXT_AD", "format": "CAROUSEL"}, "format", CONFIG),
    ("InMail format on sponsored content", {"format": "SPONSORED_INMAIL"}, "format", CONFIG),
    (
        "ENGAGEMENT optimised for impressions",
        {"objectiveType": "ENGAGEMENT", "optimizationTargetType": "MAX_IMPRESSION"},
        "optimizationTargetType",
        CONFIG,
    ),
    (
        "BRAND_AWARENESS optimised for clicks",
        {"objectiveType": "BRAND_AWARENESS", "optimizationTargetType": "MAX_CLICK"},
        "optimizationTargetType",
        CONFIG,
    ),
    (
        "plural objective judged as its singular",
        {"objectiveType": "WEBSITE_VISITS", "optimizationTargetType": "MAX_VIDEO_VIEW"},
        "optimizationTargetType",
        CONFIG,
    ),
    (
        "target cost per click billed per impression",
        {
            "objectiveType": "WEBSITE_VISIT",
            "optimizationTargetType": "TARGET_COST_PER_CLICK",
            "costType": "CPM",
        },
        "costType",
        CONFIG,
    ),
    (
        "CPV outside VIDEO_VIEW",
        {"objectiveType": "BRAND_AWARENESS", "format": "SINGLE_VIDEO", "costType": "CPV"},
        "costType",
        CONFIG,
    ),
    ("CPV without a format", {"objectiveType": "VIDEO_VIEW", "costType": "CPV"}, "costType", CONFIG),
    (
        "CPV on a non-video format",
        {"objectiveType": "VIDEO_VIEW", "format": "STANDARD_UPDATE", "costType": "CPV"},
        "costType",
        CONFIG,
    ),
    (
        "DRAFT without politicalIntent",
        {"status": "DRAFT", "politicalIntent": None},
        "politicalIntent",
        "MISSING_FIELD",
    ),
    (
        "DRAFT without offsiteDeliveryEnabled",
        {"status": "DRAFT", "offsiteDeliveryEnabled": None},
        "offsiteDeliveryEnabled",
        "MISSING_FIELD",
    ),
]


@pytest.mark.parametrize(("over", "path", "error"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_create_refuses_what_linkedin_refuses(
    emu: Emulator, tree: Tree, over: dict[str, Any], path: str, error: str
) -> None:
    response = create(emu, campaign_body(tree.group, **over))
    assert response.status == 400
    assert field_paths(response) == {path: error}
    assert code(response) == error


ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("documented format", {"format": "STANDARD_UPDATE"}),
    ("event format", {"format": "SPONSORED_UPDATE_EVENT"}),
    ("DYNAMIC with its format", {"type": "DYNAMIC", "format": "SPOTLIGHT"}),
    (
        "ENGAGEMENT optimised for clicks",
        {"objectiveType": "ENGAGEMENT", "optimizationTargetType": "MAX_CLICK"},
    ),
    ("BRAND_AWARENESS cost cap", {"optimizationTargetType": "CAP_COST_AND_MAXIMIZE_IMPRESSIONS"}),
    (
        "video views billed per view",
        {
            "objectiveType": "VIDEO_VIEW",
            "format": "SINGLE_VIDEO",
            "optimizationTargetType": "MAX_VIDEO_VIEW",
            "costType": "CPV",
        },
    ),
    (
        "text ad paid per click",
        {"type": "TEXT_AD", "format": "TEXT_AD", "objectiveType": "WEBSITE_VISIT", "costType": "CPC"},
    ),
    ("no optimization target is NONE", {"objectiveType": "LEAD_GENERATION", "optimizationTargetType": None}),
]


@pytest.mark.parametrize("over", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_create_accepts_documented_configurations(emu: Emulator, tree: Tree, over: dict[str, Any]) -> None:
    created_id(create(emu, campaign_body(tree.group, **over)))


def test_the_group_objective_is_judged_with_the_campaign_target(emu: Emulator) -> None:
    group = created_id(
        call(emu, "POST", coll("adCampaignGroups"), group_body(objectiveType="ENGAGEMENT"), method="CREATE")
    )
    body = campaign_body(group, objectiveType=None, optimizationTargetType="MAX_IMPRESSION")
    response = create(emu, body)
    assert (response.status, field_paths(response)) == (400, {"optimizationTargetType": CONFIG})


def test_video_carousel_and_dynamic_formats_are_set_only_at_creation(emu: Emulator, tree: Tree) -> None:
    key = created_id(create(emu, campaign_body(tree.group, status="DRAFT")))
    target = f"{coll('adCampaigns')}/{key}"
    late = call(emu, "POST", target, {"patch": {"$set": {"format": "SINGLE_VIDEO"}}}, method="PARTIAL_UPDATE")
    assert (late.status, field_paths(late)) == (400, {"format": CONFIG})
    plain = call(
        emu, "POST", target, {"patch": {"$set": {"format": "STANDARD_UPDATE"}}}, method="PARTIAL_UPDATE"
    )
    assert plain.status == 204


def test_a_patch_cannot_break_the_configuration(emu: Emulator, tree: Tree) -> None:
    target = f"{coll('adCampaigns')}/{tree.campaign}"
    body = {"patch": {"$set": {"optimizationTargetType": "MAX_CLICK"}}}  # the campaign is BRAND_AWARENESS
    response = call(emu, "POST", target, body, method="PARTIAL_UPDATE")
    assert (response.status, field_paths(response)) == (400, {"optimizationTargetType": CONFIG})


def test_batch_create_refuses_only_the_bad_element(emu: Emulator, tree: Tree) -> None:
    good = campaign_body(tree.group, name="Good")
    bad = campaign_body(
        tree.group, name="Bad", objectiveType="ENGAGEMENT", optimizationTargetType="MAX_IMPRESSION"
    )
    response = call(emu, "POST", coll("adCampaigns"), {"elements": [good, bad]}, method="BATCH_CREATE")
    statuses = [element["status"] for element in response.json()["elements"]]
    assert statuses == [201, 400]
    assert response.json()["elements"][1]["error"]["code"] == CONFIG


@pytest.mark.parametrize(
    ("over", "path", "error"),
    [
        ({"status": "PAUSED"}, "status", "INVALID_VALUE_FOR_FIELD"),
        ({"status": "ARCHIVED"}, "status", "INVALID_VALUE_FOR_FIELD"),
        ({"runSchedule": None, "totalBudget": None}, "runSchedule", "MISSING_FIELD"),
    ],
    ids=["PAUSED", "ARCHIVED", "ACTIVE without runSchedule"],
)
def test_groups_are_created_active_or_draft_with_a_schedule(
    emu: Emulator, over: dict[str, Any], path: str, error: str
) -> None:
    response = call(emu, "POST", coll("adCampaignGroups"), group_body(**over), method="CREATE")
    assert (response.status, field_paths(response)) == (400, {path: error})


def test_a_draft_group_needs_no_schedule(emu: Emulator) -> None:
    body = {"account": ACCOUNT_URN, "name": "Later", "status": "DRAFT"}
    created_id(call(emu, "POST", coll("adCampaignGroups"), body, method="CREATE"))


def test_the_first_creative_sets_the_format_its_content_implies(emu: Emulator, tree: Tree) -> None:
    body = campaign_body(
        tree.group,
        type="SPONSORED_INMAILS",
        status="DRAFT",
        associatedEntity=None,
        objectiveType="LEAD_GENERATION",
    )
    key = created_id(create(emu, body))
    creative = {
        "campaign": f"urn:li:sponsoredCampaign:{key}",
        "content": {"reference": "urn:li:adInMailContent:123456"},
        "intendedStatus": "DRAFT",
    }
    created_id(call(emu, "POST", coll("creatives"), creative, method="CREATE"))
    assert call(emu, "GET", f"{coll('adCampaigns')}/{key}").json()["format"] == "SPONSORED_INMAIL"


def test_over_a_socket_the_answer_is_linkedins_error_shape() -> None:
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW))
    server, base = serve_in_thread(emu)
    try:
        with httpx.Client(base_url=base, headers=headers()) as http:
            group = http.post(
                coll("adCampaignGroups"), json=group_body(), headers={"X-RestLi-Method": "CREATE"}
            )
            body = campaign_body(
                int(group.headers["x-restli-id"]),
                objectiveType="ENGAGEMENT",
                optimizationTargetType="MAX_IMPRESSION",
            )
            answer = http.post(coll("adCampaigns"), json=body, headers={"X-RestLi-Method": "CREATE"})
    finally:
        server.shutdown()
        server.server_close()
        emu.close()
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == CONFIG and error["status"] == 400
    (item,) = error["errorDetails"]["inputErrors"]
    assert item["input"]["inputPath"]["fieldPath"] == "optimizationTargetType"
