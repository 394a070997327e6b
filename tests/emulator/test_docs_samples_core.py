"""The campaign-management samples of LinkedIn's docs, sent as the docs show them.

Each test sends a documented request (path, Rest.li 2.0 query syntax, headers, body) and checks the
documented answer: status, ``x-restli-id``/``x-linkedin-id``, field names, batch and paging shapes.
Sources: the Marketing pages "Ad Accounts", "Ad Account Users API", "Create and Manage Campaign
Groups", "… Campaigns", "… Creatives", "Reporting" (learn.microsoft.com/linkedin), and the shared
Rest.li pages (protocol version, query tunnelling, error handling).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, Settings
from tests.emulator.helpers import (
    ACCOUNT,
    ACCOUNT_URN,
    DAY,
    NOW,
    VERSION,
    call,
    campaign_body,
    code,
    coll,
    created_id,
    creative_body,
    group_body,
    headers,
)

ENC_ACCOUNT = f"urn%3Ali%3AsponsoredAccount%3A{ACCOUNT}"
MEMBER = "urn:li:person:Hhw4ZAPvjL"
USER_KEY = f"(account:{ENC_ACCOUNT},user:urn%3Ali%3Aperson%3AHhw4ZAPvjL)"


def body(response: Any) -> Any:
    return json.loads(response.body)


# -- ad accounts ---------------------------------------------------------------------------------


SAMPLE_ACCOUNT = {  # the docs' sample sends no status: it defaults to ACTIVE
    "currency": "USD",
    "name": "Test Ad Account",
    "notifiedOnCampaignOptimization": True,
    "notifiedOnCreativeApproval": True,
    "notifiedOnCreativeRejection": True,
    "notifiedOnEndOfCampaign": True,
    "reference": "urn:li:organization:2414183",
    "type": "BUSINESS",
    "test": True,
}


def test_account_create_as_documented_defaults_to_active(emu: Emulator) -> None:
    response = call(emu, "POST", "/rest/adAccounts", SAMPLE_ACCOUNT)
    assert response.status == 201 and response.body in (b"", None)
    key = response.headers["x-restli-id"]
    assert key.isdigit() and response.headers["x-linkedin-id"] == key
    account = body(call(emu, "GET", f"/rest/adAccounts/{key}"))
    assert account["status"] == "ACTIVE" and account["id"] == int(key)
    assert account["reference"] == "urn:li:organization:2414183"


def test_account_search_with_the_documented_syntax(emu: Emulator) -> None:
    key = int(call(emu, "POST", "/rest/adAccounts", SAMPLE_ACCOUNT).headers["x-restli-id"])
    query = (
        "q=search&search=(type:(values:List(BUSINESS)),status:(values:List(ACTIVE)),"
        "reference:(values:List(urn%3Ali%3Aorganization%3A2414183)),test:true)"
    )
    page = body(call(emu, "GET", f"/rest/adAccounts?{query}"))
    assert [a["id"] for a in page["elements"]] == [key]
    assert "paging" in page and "metadata" in page
    for ident in (ENC_ACCOUNT, str(ACCOUNT)):
        found = body(call(emu, "GET", f"/rest/adAccounts?q=search&search=(id:(values:List({ident})))"))
        assert [a["id"] for a in found["elements"]] == [ACCOUNT]


def test_account_partial_update_and_batch_get(emu: Emulator) -> None:
    patch = {"patch": {"$set": {"name": "Renamed"}}}
    response = call(emu, "POST", f"/rest/adAccounts/{ACCOUNT}", patch, method="PARTIAL_UPDATE")
    assert response.status == 204
    batch = body(call(emu, "GET", f"/rest/adAccounts?ids=List({ACCOUNT},1)"))
    assert batch["results"][str(ACCOUNT)]["name"] == "Renamed"
    assert batch["statuses"] == {str(ACCOUNT): 200}
    assert batch["errors"]["1"]["status"] == 404


# -- ad account users -----------------------------------------------------------------------------


def test_account_users_finders(emu: Emulator) -> None:
    for query in (f"q=accounts&accounts=List({ENC_ACCOUNT})", f"q=accounts&accounts={ENC_ACCOUNT}"):
        (user,) = body(call(emu, "GET", f"/rest/adAccountUsers?{query}"))["elements"]
        assert {"account", "user", "role"} <= set(user) and user["account"] == ACCOUNT_URN
    mine = body(call(emu, "GET", "/rest/adAccountUsers?q=authenticatedUser"))
    assert [u["account"] for u in mine["elements"]] == [ACCOUNT_URN]


def test_account_user_create_update_delete_by_compound_key(emu: Emulator) -> None:
    path = f"/rest/adAccountUsers/{USER_KEY}"
    record = {"account": ACCOUNT_URN, "role": "ACCOUNT_BILLING_ADMIN", "user": MEMBER}
    created = call(emu, "PUT", path, record)
    assert created.status == 201 and created.headers["x-restli-id"] == USER_KEY
    assert body(call(emu, "GET", path))["role"] == "ACCOUNT_BILLING_ADMIN"
    listed = body(call(emu, "GET", f"/rest/adAccountUsers?q=accounts&accounts=List({ENC_ACCOUNT})"))
    assert MEMBER in {u["user"] for u in listed["elements"]}
    patch = {"patch": {"$set": {"role": "VIEWER"}}}
    assert call(emu, "POST", path, patch, method="PARTIAL_UPDATE").status == 204
    assert body(call(emu, "GET", path))["role"] == "VIEWER"
    assert call(emu, "PUT", path, dict(record, role="CAMPAIGN_MANAGER")).status == 204  # replaced
    assert call(emu, "DELETE", path).status == 204
    assert call(emu, "GET", path).status == 404
    assert call(emu, "DELETE", path).status == 404


def test_account_user_key_in_the_1_0_form(emu: Emulator) -> None:
    key = f"account={ENC_ACCOUNT}&user=urn%3Ali%3Aperson%3AHhw4ZAPvjL"
    record = {"account": ACCOUNT_URN, "role": "VIEWER", "user": MEMBER}
    created = call(emu, "PUT", f"/rest/adAccountUsers/{key}", record)
    assert created.status == 201 and created.headers["x-restli-id"] == USER_KEY
    assert body(call(emu, "GET", f"/rest/adAccountUsers/{USER_KEY}"))["role"] == "VIEWER"
    assert body(call(emu, "GET", f"/rest/adAccountUsers/{key}"))["user"] == MEMBER


def test_account_user_key_as_the_docs_print_it(emu: Emulator) -> None:
    key = f"(account={ACCOUNT_URN},user={MEMBER})"  # the docs' GET and PUT samples
    record = {"account": ACCOUNT_URN, "role": "VIEWER", "user": MEMBER}
    created = call(emu, "PUT", f"/rest/adAccountUsers/{key}", record)
    assert created.status == 201 and body(created) == record
    got = body(call(emu, "GET", f"/rest/adAccountUsers/{key}"))
    assert {"account", "role", "user", "changeAuditStamps", "version"} <= set(got)


def test_users_by_accounts_answers_the_first_account_and_only_self_to_non_managers() -> None:
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW))
    record = {"account": ACCOUNT_URN, "role": "VIEWER", "user": MEMBER}
    assert call(emu, "PUT", f"/rest/adAccountUsers/{USER_KEY}", record).status == 201
    other = int(call(emu, "POST", "/rest/adAccounts", SAMPLE_ACCOUNT).headers["x-restli-id"])
    query = f"q=accounts&accounts=List({ENC_ACCOUNT},urn%3Ali%3AsponsoredAccount%3A{other})"
    users = body(call(emu, "GET", f"/rest/adAccountUsers?{query}"))["elements"]
    assert {u["account"] for u in users} == {ACCOUNT_URN} and len(users) == 2
    viewer = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW, settings=Settings(role="VIEWER")))
    (me,) = body(call(viewer, "GET", f"/rest/adAccountUsers?{query}"))["elements"]
    assert me["role"] == "VIEWER"


@pytest.mark.parametrize(
    "record",
    [
        {"account": ACCOUNT_URN, "role": "OWNER", "user": MEMBER},
        {"account": ACCOUNT_URN, "user": MEMBER},
        {"account": "urn:li:sponsoredAccount:1", "role": "VIEWER", "user": MEMBER},  # ACCOUNT_ID_MISMATCH_…
        {"account": ACCOUNT_URN, "role": "VIEWER", "user": "urn:li:person:other"},  # USER_MISMATCH_…
        {"account": ACCOUNT_URN, "role": "VIEWER", "user": MEMBER, "nickname": "x"},
    ],
)
def test_account_user_create_refuses_a_bad_record(emu: Emulator, record: dict[str, Any]) -> None:
    response = call(emu, "PUT", f"/rest/adAccountUsers/{USER_KEY}", record)
    assert response.status == 400 and set(body(response)) >= {"message", "status"}
    assert call(emu, "GET", f"/rest/adAccountUsers/{USER_KEY}").status == 404


def test_account_user_mismatch_reasons_are_the_documented_ones(emu: Emulator) -> None:
    path = f"/rest/adAccountUsers/{USER_KEY}"
    wrong_account = {"account": "urn:li:sponsoredAccount:1", "role": "VIEWER", "user": MEMBER}
    assert code(call(emu, "PUT", path, wrong_account)) == "ACCOUNT_ID_MISMATCH_IN_PARAM_AND_BODY"
    wrong_user = {"account": ACCOUNT_URN, "role": "VIEWER", "user": "urn:li:person:other"}
    assert code(call(emu, "PUT", path, wrong_user)) == "USER_MISMATCH_IN_PARAM_AND_BODY"


def test_only_account_managers_manage_users() -> None:
    emu = Emulator(
        MemoryStore(), EmulatorConfig(clock=lambda: NOW, settings=Settings(role="CAMPAIGN_MANAGER"))
    )
    record = {"account": ACCOUNT_URN, "role": "VIEWER", "user": MEMBER}
    response = call(emu, "PUT", f"/rest/adAccountUsers/{USER_KEY}", record)
    assert response.status == 403 and "permission" in body(response)["message"]
    assert call(emu, "GET", f"/rest/adAccountUsers/{USER_KEY}").status == 404


# -- campaign groups and campaigns ------------------------------------------------------------------


def test_group_create_get_batch_get_search_delete(emu: Emulator) -> None:
    draft = {
        "account": ACCOUNT_URN,
        "name": "Test Campaign Group",
        "runSchedule": {"start": NOW + DAY, "end": NOW + 30 * DAY},
        "status": "DRAFT",
        "totalBudget": {"amount": "1000", "currencyCode": "USD"},
    }
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), draft))
    got = body(call(emu, "GET", f"{coll('adCampaignGroups')}/{group}"))
    assert got["id"] == group and got["status"] == "DRAFT" and "servingStatuses" in got
    batch = body(call(emu, "GET", f"{coll('adCampaignGroups')}?ids=List({group},123)"))
    assert set(batch) == {"results", "statuses", "errors"} and list(batch["results"]) == [str(group)]
    assert batch["errors"]["123"]["status"] == 404
    query = "q=search&search=(status:(values:List(ACTIVE,DRAFT)))&sortOrder=DESCENDING"
    found = body(call(emu, "GET", f"{coll('adCampaignGroups')}?{query}"))
    assert group in [g["id"] for g in found["elements"]]
    assert call(emu, "DELETE", f"{coll('adCampaignGroups')}/{group}").status == 204
    assert call(emu, "GET", f"{coll('adCampaignGroups')}/{group}").status == 404


@pytest.mark.parametrize("removal", [{"$unset": ["end"]}, {"$unset": {"end": ""}}, {"$delete": ["end"]}])
def test_patch_removes_a_field_with_unset_or_delete(emu: Emulator, removal: dict[str, Any]) -> None:
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body(totalBudget=None)))
    path = f"{coll('adCampaignGroups')}/{group}"
    patch = {"patch": {"$set": {"name": "Renamed"}, "runSchedule": removal}}
    assert call(emu, "POST", path, patch, method="PARTIAL_UPDATE").status == 204
    got = body(call(emu, "GET", path))
    assert got["name"] == "Renamed" and "end" not in got["runSchedule"]


@pytest.mark.parametrize(
    "field, value",
    [("id", 5), ("servingStatuses", ["RUNNABLE"]), ("changeAuditStamps", {}), ("nickname", "x")],
)
def test_read_only_and_unknown_fields_are_refused(emu: Emulator, field: str, value: Any) -> None:
    response = call(emu, "POST", coll("adCampaignGroups"), group_body(**{field: value}))
    assert response.status == 400 and code(response) == "FIELD_NOT_ALLOWED"
    assert body(response)["errorDetails"]["inputErrors"][0]["input"]["inputPath"]["fieldPath"] == field
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body()))
    patch = {"patch": {"$set": {field: value}}}
    refused = call(emu, "POST", f"{coll('adCampaignGroups')}/{group}", patch, method="PARTIAL_UPDATE")
    assert refused.status == 400 and code(refused) == "FIELD_NOT_ALLOWED"


def test_campaign_batch_create_search_and_batch_partial_update(emu: Emulator) -> None:
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body()))
    elements = [campaign_body(group, name="A"), campaign_body(group, name="B", dailyBudget=None)]
    created = call(emu, "POST", coll("adCampaigns"), {"elements": elements}, method="BATCH_CREATE")
    assert created.status == 200
    first, second = body(created)["elements"]
    assert first["status"] == 201 and str(first["id"]).isdigit()
    assert second["status"] == 400 and "error" in second  # an ACTIVE campaign needs a budget
    campaign = int(first["id"])
    for group_urn in (
        f"urn%3Ali%3AsponsoredCampaignGroup%3A{group}",
        f"urn:li:sponsoredCampaignGroup:{group}",
    ):
        query = f"q=search&search=(campaignGroup:(values:List({group_urn})),status:(values:List(ACTIVE)))"
        found = body(call(emu, "GET", f"{coll('adCampaigns')}?{query}&fields=id,name"))
        assert found["elements"] == [{"id": campaign, "name": "A"}]
    update = {"entities": {str(campaign): {"patch": {"$set": {"status": "PAUSED"}}}}}
    target = f"{coll('adCampaigns')}?ids=List({campaign})"
    answer = call(emu, "POST", target, update, method="BATCH_PARTIAL_UPDATE")
    assert body(answer) == {"results": {str(campaign): {"status": 204}}, "errors": {}}


# -- creatives -----------------------------------------------------------------------------------------


def test_creative_samples(emu: Emulator) -> None:
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body()))
    campaign = created_id(call(emu, "POST", coll("adCampaigns"), campaign_body(group)))
    keys = []
    for name in ("A", "B", "C"):
        response = call(emu, "POST", coll("creatives"), creative_body(campaign, name=name))
        assert response.status == 201
        assert response.headers["x-restli-id"].startswith("urn:li:sponsoredCreative:")
        assert response.headers["x-linkedin-id"] == response.headers["x-restli-id"]
        keys.append(response.headers["x-restli-id"].replace(":", "%3A"))
    got = body(call(emu, "GET", f"{coll('creatives')}/{keys[0]}"))
    assert got["id"] == keys[0].replace("%3A", ":") and got["intendedStatus"] == "ACTIVE"
    batch = body(call(emu, "GET", f"{coll('creatives')}?ids=List({keys[0]},{keys[1]})"))
    assert set(batch["results"]) == {keys[0], keys[1]}
    query = (
        f"q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A{campaign})"
        "&intendedStatuses=List(ACTIVE,PAUSED)&sortOrder=ASCENDING&pageSize=2"
    )
    page = body(call(emu, "GET", f"{coll('creatives')}?{query}", method="FINDER"))
    assert len(page["elements"]) == 2 and page["metadata"]["nextPageToken"]
    token = page["metadata"]["nextPageToken"]
    rest = body(call(emu, "GET", f"{coll('creatives')}?{query}&pageToken={token}", method="FINDER"))
    assert len(rest["elements"]) == 1 and "nextPageToken" not in rest["metadata"]
    patch = {"patch": {"$set": {"intendedStatus": "PAUSED"}}}
    assert call(emu, "POST", f"{coll('creatives')}/{keys[0]}", patch, method="PARTIAL_UPDATE").status == 204
    update = {"entities": {keys[1]: {"patch": {"$set": {"intendedStatus": "PAUSED"}}}}}
    answer = call(
        emu, "POST", f"{coll('creatives')}?ids=List({keys[1]})", update, method="BATCH_PARTIAL_UPDATE"
    )
    assert body(answer)["results"] == {keys[1]: {"status": 204}}
    paused = body(call(emu, "GET", f"{coll('creatives')}?{query.replace('ACTIVE,', '')}", method="FINDER"))
    assert len(paused["elements"]) == 2
    documented = (  # the page's sample: every criterion, leadgen destinations an empty List()
        f"campaigns=List(urn%3Ali%3AsponsoredCampaign%3A{campaign})&creatives=List({keys[2]})"
        "&intendedStatuses=List(ACTIVE,PAUSED)&isTestAccount=true&isTotalIncluded=false"
        "&leadgenCreativeCallToActionDestinations=List()&q=criteria&sortOrder=ASCENDING"
    )
    found = body(call(emu, "GET", f"{coll('creatives')}?{documented}", method="FINDER"))
    assert [c["id"] for c in found["elements"]] == [keys[2].replace("%3A", ":")]


# -- reporting ---------------------------------------------------------------------------------------------


class _Clock:
    now = NOW - 10 * DAY

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def served() -> tuple[Emulator, int]:
    """A campaign with two creatives that served from ten days before ``NOW``."""
    clock = _Clock()
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=clock))
    schedule = {"start": NOW - 10 * DAY, "end": NOW + 90 * DAY}
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body(runSchedule=schedule)))
    body_ = campaign_body(group, runSchedule={"start": NOW - 10 * DAY})
    campaign = created_id(call(emu, "POST", coll("adCampaigns"), body_))
    for name in ("A", "B"):
        created_id(call(emu, "POST", coll("creatives"), creative_body(campaign, name=name)))
    clock.now = NOW
    return emu, campaign


WEEK = "dateRange=(start:(year:2026,month:11,day:12),end:(year:2026,month:11,day:18))"
METRICS = "fields=impressions,clicks,costInLocalCurrency,pivotValues,dateRange"


def _rows(emu: Emulator, query: str) -> list[dict[str, Any]]:
    response = call(emu, "GET", f"/rest/adAnalytics?{query}")
    assert response.status == 200, response.body
    rows: list[dict[str, Any]] = body(response)["elements"]
    return rows


def test_statistics_finder_splits_by_up_to_three_pivots(served: tuple[Emulator, int]) -> None:
    emu, campaign = served
    campaigns = f"campaigns=List(urn%3Ali%3AsponsoredCampaign%3A{campaign})"
    (total,) = _rows(emu, f"q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&{campaigns}&{METRICS}")
    by_creative = _rows(emu, f"q=analytics&pivot=CREATIVE&timeGranularity=ALL&{WEEK}&{campaigns}&{METRICS}")
    assert len(by_creative) == 2
    assert all(r["pivotValues"][0].startswith("urn:li:sponsoredCreative:") for r in by_creative)
    assert sum(r["impressions"] for r in by_creative) == total["impressions"]
    stats = _rows(
        emu, f"q=statistics&pivots=List(CAMPAIGN,CREATIVE)&timeGranularity=ALL&{WEEK}&{campaigns}&{METRICS}"
    )
    assert {tuple(r["pivotValues"]) for r in stats} == {
        (f"urn:li:sponsoredCampaign:{campaign}", r["pivotValues"][0]) for r in by_creative
    }
    assert sum(r["clicks"] for r in stats) == total["clicks"]
    daily = _rows(emu, f"q=statistics&pivots=List(ACCOUNT)&timeGranularity=DAILY&{WEEK}&{campaigns}")
    assert len(daily) == 7 and daily[0]["pivotValues"] == [ACCOUNT_URN]


def test_creatives_facet_and_unmodelled_metrics(served: tuple[Emulator, int]) -> None:
    emu, campaign = served
    campaigns = f"campaigns=List(urn%3Ali%3AsponsoredCampaign%3A{campaign})"
    by_creative = _rows(emu, f"q=analytics&pivot=CREATIVE&timeGranularity=ALL&{WEEK}&{campaigns}&{METRICS}")
    first = by_creative[0]["pivotValues"][0]
    creatives = f"creatives=List({first.replace(':', '%3A')})"
    (one,) = _rows(emu, f"q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&{creatives}&{METRICS}")
    assert one["pivotValues"] == [f"urn:li:sponsoredCampaign:{campaign}"]
    assert one["impressions"] == by_creative[0]["impressions"]
    fields = "fields=externalWebsiteConversions,oneClickLeads,videoViews,pivotValues"
    (row,) = _rows(emu, f"q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&{campaigns}&{fields}")
    assert row == {
        "externalWebsiteConversions": 0,
        "oneClickLeads": 0,
        "videoViews": 0,
        "pivotValues": one["pivotValues"],
    }


@pytest.mark.parametrize(
    "query",
    [
        "q=statistics&pivots=List(CAMPAIGN,CREATIVE,ACCOUNT,CAMPAIGN_GROUP)",
        "q=statistics&pivots=List(CAMPAIGN,CAMPAIGN)",
        "q=statistics&pivots=List(NOPE)",
        "q=statistics",
        "q=attributedRevenueMetrics&pivot=CAMPAIGN",
        "q=attributedRevenueMetrics&pivots=List(CREATIVE)&account=List(urn%3Ali%3AsponsoredAccount%3A1)",
    ],
)
def test_statistics_finder_refuses_bad_pivots(served: tuple[Emulator, int], query: str) -> None:
    full = f"/rest/adAnalytics?{query}&timeGranularity=ALL&{WEEK}&accounts=List({ENC_ACCOUNT})"
    assert call(served[0], "GET", full).status == 400


def test_attributed_revenue_sample_answers_no_rows_without_a_crm(emu: Emulator) -> None:
    sample = (  # the reporting page's sample, as written (zero-padded months included)
        "q=attributedRevenueMetrics&fields=revenueAttributionMetrics,dateRange,pivotValues"
        "&dateRange=(start:(year:2025,month:03,day:1),end:(year:2025,month:05,day:31))"
        "&account=List(urn%3Ali%3AsponsoredAccount%3A12345)&pivots=List(ACCOUNT)"
    )
    response = call(emu, "GET", f"/rest/adAnalytics?{sample}")
    assert response.status == 200 and body(response)["elements"] == []
    short = sample.replace("month:05,day:31", "month:03,day:10")  # under the documented 30 days
    assert call(emu, "GET", f"/rest/adAnalytics?{short}").status == 400


# -- headers, errors and encodings ------------------------------------------------------------------------


def test_documented_header_and_routing_errors(emu: Emulator) -> None:
    missing = call(emu, "GET", f"/rest/adAccounts/{ACCOUNT}", hdrs={"Authorization": "Bearer t"})
    assert missing.status == 400 and body(missing)["code"] == "VERSION_MISSING"
    sunset = call(
        emu,
        "GET",
        f"/rest/adAccounts/{ACCOUNT}",
        hdrs={"Authorization": "Bearer t", "LinkedIn-Version": "202001"},
    )
    assert sunset.status == 426 and body(sunset) == {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": "Requested version 20200101 is not active",
    }
    anonymous = call(emu, "GET", f"/rest/adAccounts/{ACCOUNT}", hdrs={"LinkedIn-Version": VERSION})
    assert anonymous.status == 401 and body(anonymous)["serviceErrorCode"] == 401
    assert call(emu, "PUT", f"{coll('adCampaigns')}/1", {}).status == 405
    gone = call(emu, "GET", f"{coll('adCampaigns')}/1")
    assert gone.status == 404 and {"status", "code", "message"} <= set(body(gone))


@pytest.mark.parametrize(
    ("query", "first"),
    [  # the ads-targeting page's samples, as written
        (
            "q=adTargetingFacet&queryVersion=QUERY_USES_URNS&facet=urn%3Ali%3AadTargetingFacet%3Aseniorities"
            "&locale=(language:en,country:US)",
            {
                "urn": "urn:li:seniority:1",
                "facetUrn": "urn:li:adTargetingFacet:seniorities",
                "name": "Unpaid",
            },
        ),
        (
            "q=adTargetingFacet&facet=urn%3Ali%3AadTargetingFacet%3AmemberBehaviors&queryVersion=QUERY_USES_URNS"
            "&locale=(language:en,country:US)",
            {
                "urn": "urn:li:memberBehavior:2",
                "facetUrn": "urn:li:adTargetingFacet:memberBehaviors",
                "name": "Mobile Users",
            },
        ),
        (
            "facet=urn%3Ali%3AadTargetingFacet%3AcompanyCategory&q=adTargetingFacet&queryVersion=QUERY_USES_URNS"
            "&totals=false",
            {
                "urn": "urn:li:organizationRankingList:1",
                "facetUrn": "urn:li:adTargetingFacet:companyCategory",
                "name": "Fortune Global 500",
            },
        ),
        (
            "q=typeahead&entityType=FIELD_OF_STUDY&queryVersion=QUERY_USES_URNS"
            "&facet=urn%3Ali%3AadTargetingFacet%3AfieldsOfStudy&query=econ&locale=(language:en,country:US)",
            None,  # no fields of study in the catalog: an empty answer, not a refusal
        ),
        (
            "q=adTargetingFacet&facet=urn%3Ali%3AadTargetingFacet%3Aseniorities&queryVersion=QUERY_USES_VALUES",
            {
                "value": "urn:li:seniority:1",
                "facetUrn": "urn:li:adTargetingFacet:seniorities",
                "name": "Unpaid",
            },
        ),
    ],
)
def test_targeting_entity_samples(emu: Emulator, query: str, first: dict[str, str] | None) -> None:
    response = call(emu, "GET", f"/rest/adTargetingEntities?{query}")
    assert response.status == 200, response.body
    elements = body(response)["elements"]
    assert (elements[0] if elements else None) == first


def test_targeting_facets_sample_lists_the_documented_facets(emu: Emulator) -> None:
    by_name = {f["facetName"]: f for f in body(call(emu, "GET", "/rest/adTargetingFacets"))["elements"]}
    assert by_name["industries"]["availableEntityFinders"] == [
        "AD_TARGETING_FACET",
        "TYPEAHEAD",
        "SIMILAR_ENTITIES",
    ]
    for name, kind in (("memberBehaviors", "MEMBER_BEHAVIOR"), ("growthRate", "FIRMOGRAPHIC")):
        assert by_name[name]["entityTypes"] == [kind]
        assert by_name[name]["adTargetingFacetUrn"] == f"urn:li:adTargetingFacet:{name}"
    finders = {name: by_name[name]["availableEntityFinders"] for name in ("schools", "degrees", "skills")}
    assert finders == {  # the page's "Types of Finder" table
        "schools": ["TYPEAHEAD"],
        "degrees": ["AD_TARGETING_FACET", "TYPEAHEAD"],
        "skills": ["AD_TARGETING_FACET", "TYPEAHEAD", "SIMILAR_ENTITIES"],
    }
    assert {"interests", "revenue"} <= set(by_name)
    similar = (
        "q=similarEntities&facet=urn%3Ali%3AadTargetingFacet%3Aindustries"
        "&entities=List(urn%3Ali%3Aindustry%3A4)"
    )
    assert body(call(emu, "GET", f"/rest/adTargetingEntities?{similar}&queryVersion=QUERY_USES_URNS"))[
        "elements"
    ]


def test_projection_applies_to_the_targeting_helpers(emu: Emulator) -> None:
    facets = body(call(emu, "GET", "/rest/adTargetingFacets?fields=facetName,adTargetingFacetUrn"))
    assert facets["elements"] and all(
        set(f) == {"facetName", "adTargetingFacetUrn"} for f in facets["elements"]
    )
    query = "q=urns&urns=List(urn%3Ali%3Atitle%3A9)&queryVersion=QUERY_USES_URNS&fields=name"
    assert body(call(emu, "GET", f"/rest/adTargetingEntities?{query}"))["elements"] == [
        {"name": "Software Engineer"}
    ]


def test_tunnelled_finder_and_projection_answer_like_the_plain_get(emu: Emulator) -> None:
    query = "q=search&search=(status:(values:List(ACTIVE)))&fields=id,name"
    plain = call(emu, "GET", f"/rest/adAccounts?{query}")
    tunnel = headers(**{"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"})
    tunnelled = call(emu, "POST", "/rest/adAccounts", query.encode(), hdrs=tunnel)
    assert tunnelled.status == plain.status == 200 and body(tunnelled) == body(plain)
    assert set(body(plain)["elements"][0]) == {"id", "name"}
    encoded = call(
        emu, "GET", "/rest/adAccounts?q=search&search=%28status%3A%28values%3AList%28ACTIVE%29%29%29"
    )
    assert (
        encoded.status == 400 and body(encoded)["errorDetails"]["inputErrors"][0]["code"] == "PARAM_INVALID"
    )
