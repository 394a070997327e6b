"""Rest.li protocol behaviour: encodings, method resolution, batch shapes, tunnelling, URL limits."""

from __future__ import annotations

import json

import httpx
import pytest

from reconciler.emulator import Emulator
from tests.emulator.conftest import Tree
from tests.emulator.helpers import ACCOUNT, call, code, coll, creative_body, creative_path, headers

PARAM_INVALID_SEARCH = {
    "errorDetailType": "com.linkedin.common.error.BadRequest",
    "message": "Invalid param. Please see errorDetails for more information.",
    "errorDetails": {
        "inputErrors": [
            {
                "description": "Invalid value for param; wrong type or other syntax error",
                "input": {"inputPath": {"fieldPath": "search"}},
                "code": "PARAM_INVALID",
            }
        ]
    },
    "status": 400,
}


def test_encoded_structural_characters_get_the_documented_body(emu: Emulator) -> None:
    target = f"{coll('adCampaigns')}?q=search&search=%28status%3A%28values%3AList%28ACTIVE%29%29%29"
    response = call(emu, "GET", target, method="FINDER")
    assert response.status == 400
    assert response.json() == PARAM_INVALID_SEARCH
    assert response.headers["X-RestLi-Error-Response"] == "true"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("ids=List%28123%29", "ids"),
        ("q=search&search=(status:(values:List(ACTIVE))", "search"),
        ("q=search&search=(colour:(values:List(RED)))", "search/colour"),
        ("q=search&search=(status:ACTIVE)", "search/status"),
        ("q=search&search=(test:maybe)", "search/test"),
        ("q=search&search=()&sortOrder=SIDEWAYS", "sortOrder"),
        ("q=search&search=()&pageSize=1001", "pageSize"),
        ("q=search&search=()&pageToken=%21%21", "pageToken"),
        ("q=nearby", "q"),
        ("ids=List(abc)", "ids"),
    ],
)
def test_bad_parameters_are_param_invalid(emu: Emulator, query: str, field: str) -> None:
    verb_method = "BATCH_GET" if query.startswith("ids") else "FINDER"
    response = call(emu, "GET", f"{coll('adCampaigns')}?{query}", method=verb_method)
    assert (response.status, code(response)) == (400, "PARAM_INVALID")
    assert response.json()["errorDetails"]["inputErrors"][0]["input"]["inputPath"]["fieldPath"] == field


def test_search_without_criteria_lists_every_campaign_and_group(emu: Emulator, tree: Tree) -> None:
    response = call(emu, "GET", f"{coll('adCampaigns')}?q=search&pageSize=10", method="FINDER")
    assert response.status == 200 and tree.campaign in [c["id"] for c in response.json()["elements"]]
    response = call(emu, "GET", f"{coll('adCampaignGroups')}?q=search", method="FINDER")
    assert response.status == 200 and tree.group in [g["id"] for g in response.json()["elements"]]


def test_account_search_without_criteria_lists_every_account(emu: Emulator) -> None:
    response = call(emu, "GET", "/rest/adAccounts?q=search", method="FINDER")
    assert [a["id"] for a in response.json()["elements"]] == [ACCOUNT]


def test_legacy_dotted_search_matches_like_2_0(emu: Emulator, tree: Tree) -> None:
    urn = f"urn:li:sponsoredCampaignGroup:{tree.group}"
    legacy = call(
        emu, "GET", f"{coll('adCampaigns')}?q=search&search.campaignGroup.values[0]={urn}", method="FINDER"
    )
    modern = call(
        emu,
        "GET",
        f"{coll('adCampaigns')}?q=search&search=(campaignGroup:(values:List({urn})))",
        method="FINDER",
    )
    assert legacy.status == modern.status == 200
    assert (
        [c["id"] for c in legacy.json()["elements"]]
        == [c["id"] for c in modern.json()["elements"]]
        == [tree.campaign]
    )


def test_protocol_1_requests_read_2_0_syntax_as_a_string(emu: Emulator) -> None:
    plain = headers("FINDER")
    del plain["X-Restli-Protocol-Version"]
    response = call(emu, "GET", f"{coll('adCampaignGroups')}?q=search&search=(test:true)", hdrs=plain)
    assert (response.status, code(response)) == (400, "PARAM_INVALID")
    dotted = call(emu, "GET", f"{coll('adCampaignGroups')}?q=search&search.test=true", hdrs=plain)
    assert dotted.status == 200


def test_creative_keys_accept_encoded_and_raw_urns(emu: Emulator, tree: Tree) -> None:
    encoded = call(emu, "GET", creative_path(tree.creative))
    raw = call(emu, "GET", f"{coll('creatives')}/urn:li:sponsoredCreative:{tree.creative}")
    assert encoded.status == raw.status == 200
    assert encoded.json()["id"] == f"urn:li:sponsoredCreative:{tree.creative}"
    numeric = call(emu, "GET", f"{coll('creatives')}/{tree.creative}")
    assert (numeric.status, code(numeric)) == (400, "PARAM_INVALID")


def test_create_answers_201_with_the_id_in_headers(emu: Emulator, tree: Tree) -> None:
    response = call(emu, "POST", coll("creatives"), creative_body(tree.campaign), method="CREATE")
    assert (response.status, response.body) == (201, b"")
    urn = response.headers["x-restli-id"]
    assert urn.startswith("urn:li:sponsoredCreative:") and response.headers["x-linkedin-id"] == urn
    assert response.headers["Location"].endswith("urn%3Ali%3AsponsoredCreative%3A" + urn.rsplit(":", 1)[1])


def test_batch_get_reports_found_and_missing(emu: Emulator, tree: Tree) -> None:
    response = call(emu, "GET", f"{coll('adCampaigns')}?ids=List({tree.campaign},1)", method="BATCH_GET")
    body = response.json()
    assert response.status == 200
    assert list(body["results"]) == [str(tree.campaign)]
    assert body["statuses"] == {str(tree.campaign): 200}
    assert body["errors"]["1"]["status"] == 404


def test_batch_create_is_index_aligned_with_per_item_errors(emu: Emulator, tree: Tree) -> None:
    elements = [creative_body(tree.campaign), creative_body(tree.campaign, intendedStatus="LIVE")]
    response = call(emu, "POST", coll("creatives"), {"elements": elements}, method="BATCH_CREATE")
    items = response.json()["elements"]
    assert response.status == 200
    assert [i["status"] for i in items] == [201, 400]
    assert items[0]["id"].startswith("urn:li:sponsoredCreative:")
    assert "reason=INVALID_VALUE_FOR_FIELD" in items[1]["error"]["message"]


def test_batch_partial_update_keys_must_match_the_url(emu: Emulator, tree: Tree) -> None:
    body = {"entities": {"1": {"patch": {"$set": {"name": "x"}}}}}
    response = call(
        emu, "POST", f"{coll('adCampaigns')}?ids=List({tree.campaign})", body, method="BATCH_PARTIAL_UPDATE"
    )
    assert response.status == 400


@pytest.mark.parametrize(
    ("verb", "target", "method", "status"),
    [
        ("POST", "adCampaigns/{c}", None, 400),  # PARTIAL_UPDATE needs the header
        ("POST", "adCampaigns?ids=List({c})", None, 400),  # BATCH_PARTIAL_UPDATE needs it too
        ("GET", "creatives?q=criteria", None, 400),  # LinkedIn: creatives FINDER must send it
        ("DELETE", "creatives/urn%3Ali%3AsponsoredCreative%3A{r}", None, 400),
        ("GET", "adCampaigns/{c}", "FINDER", 400),  # header contradicts the URL
        ("GET", "adCampaigns/{c}", "CREATE", 400),  # header contradicts the verb
        ("PATCH", "adCampaigns/{c}", None, 405),
        ("PUT", "adCampaigns/{c}", "UPDATE", 405),
        ("GET", "adCampaigns", "GET_ALL", 405),
        ("POST", "adCampaigns?action=clone", "ACTION", 405),
        ("GET", "adCampaigns/{c}", None, 200),  # inferred GET
    ],
)
def test_method_resolution(
    emu: Emulator, tree: Tree, verb: str, target: str, method: str | None, status: int
) -> None:
    path = f"/rest/adAccounts/{ACCOUNT}/" + target.format(c=tree.campaign, r=tree.creative)
    body = {"patch": {"$set": {"name": "x"}}} if verb == "POST" else None
    response = call(emu, verb, path, body, method=method)
    assert response.status == status


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/rest/adCreativesV2", 404),
        ("/rest/adAccounts/1/adCampaigns/2", 404),
        ("/rest/adAccounts/500000001/adSegments", 404),
        ("/v2/adAccountsV2/500000001", 404),
        ("/rest/adAccounts/500000001/adCampaigns/1", 404),
    ],
)
def test_unknown_things_are_404(emu: Emulator, target: str, status: int) -> None:
    assert call(emu, "GET", target).status == status


def test_query_tunnelling_with_a_form_body(emu: Emulator, tree: Tree) -> None:
    query = f"q=search&search=(id:(values:List(urn%3Ali%3AsponsoredCampaign%3A{tree.campaign})))"
    direct = call(emu, "GET", f"{coll('adCampaigns')}?{query}", method="FINDER")
    tunnel = headers(
        "FINDER", **{"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"}
    )
    tunnelled = call(emu, "POST", coll("adCampaigns"), query.encode(), hdrs=tunnel)
    assert tunnelled.status == 200
    assert tunnelled.json() == direct.json()


def test_query_tunnelling_with_multipart_mixed(emu: Emulator, tree: Tree) -> None:
    ids = f"ids=List({tree.campaign})"
    payload = json.dumps({"entities": {str(tree.campaign): {"patch": {"$set": {"name": "Tunnelled"}}}}})
    body = (
        "--xyz\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
        f"{ids}\r\n--xyz\r\nContent-Type: application/json\r\n\r\n{payload}\r\n--xyz--\r\n"
    ).encode()
    tunnel = headers(
        "BATCH_PARTIAL_UPDATE",
        **{"X-HTTP-Method-Override": "POST", "Content-Type": "multipart/mixed; boundary=xyz"},
    )
    response = call(emu, "POST", coll("adCampaigns"), body, hdrs=tunnel)
    assert response.json() == {"results": {str(tree.campaign): {"status": 204}}, "errors": {}}
    assert call(emu, "GET", f"{coll('adCampaigns')}/{tree.campaign}").json()["name"] == "Tunnelled"


@pytest.mark.parametrize(
    "target",
    [
        "/rest/adAccounts?q=search&search=(name:(values:List(" + "a" * 4100 + ")))",  # query > 4 KB
        "/rest/adAccounts/" + "1" * 4100,  # path segment > 4 KB
        "/rest/adAccounts/1/" + "/".join(["x" * 4000] * 3),  # URL > 8 KB
    ],
)
def test_urls_past_the_documented_sizes_get_414(emu: Emulator, target: str) -> None:
    assert call(emu, "GET", target, method="FINDER").status == 414


def test_projection_applies_to_finder_elements(emu: Emulator, tree: Tree) -> None:
    response = call(emu, "GET", f"{coll('adCampaigns')}?q=search&search=()&fields=id,status", method="FINDER")
    assert response.json()["elements"] == [{"id": tree.campaign, "status": "ACTIVE"}]


def test_invalid_json_body_is_a_400(emu: Emulator) -> None:
    response = call(emu, "POST", coll("adCampaignGroups"), b"{not json", method="CREATE")
    assert (response.status, code(response)) == (400, "INVALID_VALUE_FOR_FIELD")


def test_create_inline_answers_like_an_action_and_sets_the_id_header(emu: Emulator, tree: Tree) -> None:
    inline = {
        "post": {
            "author": "urn:li:organization:2414183",
            "commentary": "Hello",
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "NONE"},
            "lifecycleState": "PUBLISHED",
        }
    }
    body = {"creative": {**creative_body(tree.campaign), "content": None, "inlineContent": inline}}
    del body["creative"]["content"]
    response = call(emu, "POST", f"{coll('creatives')}?action=createInline", body, method="ACTION")
    assert response.status == 200
    assert response.json()["value"]["creative"] == response.headers["x-restli-id"]
    assert response.json()["value"]["post"].startswith("urn:li:share:")


def test_account_users_finder_and_compound_key(emu: Emulator) -> None:
    found = call(emu, "GET", "/rest/adAccountUsers?q=authenticatedUser", method="FINDER").json()["elements"]
    assert [(u["account"], u["role"]) for u in found] == [
        (f"urn:li:sponsoredAccount:{ACCOUNT}", "ACCOUNT_MANAGER")
    ]
    user = found[0]["user"].replace(":", "%3A")
    key = f"(account:urn%3Ali%3AsponsoredAccount%3A{ACCOUNT},user:{user})"
    assert call(emu, "GET", f"/rest/adAccountUsers/{key}").status == 200


def test_transport_passes_the_raw_url(emu: Emulator, tree: Tree) -> None:
    with httpx.Client(
        transport=emu.transport(), base_url="https://api.linkedin.com", headers=headers()
    ) as client:
        url = httpx.URL(f"https://api.linkedin.com{creative_path(tree.creative)}")
        assert client.get(url).status_code == 200
        search = f"{coll('adCampaigns')}?q=search&search=(status:(values:List(ACTIVE)))"
        got = client.get(search, headers={"X-RestLi-Method": "FINDER"})
        assert [c["id"] for c in got.json()["elements"]] == [tree.campaign]
        assert got.headers["X-RestLi-Protocol-Version"] == "2.0.0"
