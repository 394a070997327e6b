"""Rest.li 2.0 encoding: pure functions pinned value by value."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest

from reconciler.api.restli import (
    MAX_QUERY_LENGTH,
    Method,
    Request,
    body_key,
    created_id,
    encode_key,
    encode_params,
    encode_primitive,
    encode_query,
    encode_value,
    join_query,
    patch_body,
    reduced_decode,
    reduced_encode,
    wire_form,
)


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("ACTIVE", "ACTIVE"),
        ("urn:li:sponsoredCampaign:1", "urn%3Ali%3AsponsoredCampaign%3A1"),
        (" t?':,*!", "%20t%3F%27%3A%2C%2A%21"),
        ("Q3 (EMEA), brand: a&b/c", "Q3%20%28EMEA%29%2C%20brand%3A%20a%26b%2Fc"),
        ("é~._-", "%C3%A9~._-"),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (Decimal("10.50"), "10.50"),
        ([], "List()"),
        ([1, 2], "List(1,2)"),
        (("a", "b:c"), "List(a,b%3Ac)"),
        ({"k2": "urn:li:app:123", "k3": [1, 2]}, "(k2:urn%3Ali%3Aapp%3A123,k3:List(1,2))"),
        (
            {"status": {"values": ["ACTIVE", "DRAFT"]}, "test": False},
            "(status:(values:List(ACTIVE,DRAFT)),test:false)",
        ),
        ([{"a": 1}, [2]], "List((a:1),List(2))"),
        (
            {"urn:li:adTargetingFacet:locations": ["urn:li:geo:1"]},
            "(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A1))",
        ),
        (
            "urn:li:staffCountRange:(10001,2147483647)",
            "urn%3Ali%3AstaffCountRange%3A%2810001%2C2147483647%29",
        ),
    ],
)
def test_encode_value(value: object, encoded: str) -> None:
    assert encode_value(value) == encoded


def test_encode_value_sorts_sets_and_refuses_null() -> None:
    assert encode_value({"b", "a"}) == "List(a,b)"
    with pytest.raises(ValueError):
        encode_value(None)


def test_query_is_sorted_with_fields_last_and_unencoded() -> None:
    query = encode_query({"q": "search", "fields": ["id", "name"], "count": 5, "pageToken": None, "a": "x y"})
    assert query == "a=x%20y&count=5&q=search&fields=id,name"


def test_parts_encoded_once_join_like_the_whole_query() -> None:
    base = {"q": "criteria", "campaigns": ["urn:li:sponsoredCampaign:1"], "pageSize": 100, "fields": ["id"]}
    fixed = encode_params(base)
    for token in (None, "abc", "x y"):
        joined = join_query({**fixed, **encode_params({"pageToken": token})})
        assert joined == encode_query({**base, "pageToken": token})
    assert join_query(fixed).endswith("&fields=id")


def test_query_keeps_analytics_shapes_of_the_recording() -> None:
    params = {
        "q": "analytics",
        "pivot": "CAMPAIGN",
        "timeGranularity": "DAILY",
        "dateRange": {
            "start": {"day": 1, "month": 6, "year": 2024},
            "end": {"day": 30, "month": 6, "year": 2024},
        },
        "campaigns": ["urn:li:sponsoredCampaign:360035215"],
        "fields": ["impressions", "clicks"],
    }
    assert encode_query(params) == (
        "campaigns=List(urn%3Ali%3AsponsoredCampaign%3A360035215)"
        "&dateRange=(start:(day:1,month:6,year:2024),end:(day:30,month:6,year:2024))"
        "&pivot=CAMPAIGN&q=analytics&timeGranularity=DAILY&fields=impressions,clicks"
    )


@pytest.mark.parametrize(
    "odd",
    ["a,b", "x y", "(1)", "é", "", "a%3A", True, 7, Method.GET, ["urn:li:geo:1"], {"k": "v:w"}],
)
def test_a_list_of_urns_is_encoded_member_by_member_whatever_one_member_is(odd: object) -> None:
    """A list of URNs is quoted in one pass: any member that needs more than ':' quoted (or is no
    plain text) must still come out as it would alone."""
    urns = [f"urn:li:share:{n}" for n in range(3)]
    for items in ([*urns, odd], [odd, *urns], [odd]):
        assert encode_value(items) == "List(" + ",".join(encode_value(i) for i in items) + ")"
    assert encode_value(urns) == "List(" + ",".join(encode_primitive(u) for u in urns) + ")"


def test_path_keys() -> None:
    assert encode_key(507404993) == "507404993"
    assert encode_key("urn:li:sponsoredCreative:1234567") == "urn%3Ali%3AsponsoredCreative%3A1234567"
    compound = {"account": "urn:li:sponsoredAccount:507404993", "user": "urn:li:person:abc123"}
    assert (
        encode_key(compound)
        == "(account:urn%3Ali%3AsponsoredAccount%3A507404993,user:urn%3Ali%3Aperson%3Aabc123)"
    )


def test_reduced_encoding_round_trips_and_leaves_other_characters() -> None:
    assert reduced_encode("urn:li:x:(1,2)'%") == "urn%3Ali%3Ax%3A%281%2C2%29%27%25"
    assert reduced_decode("urn%3Ali%3Aapp%3A123?") == "urn:li:app:123?"
    assert reduced_decode("urn%3ali%3Ax%3A%281%2c2%29%27") == "urn:li:x:(1,2)'"
    assert reduced_decode("a%20b") == "a%20b"
    assert reduced_decode("urn%3Ali%3Ax%3A1%2C%253A") == "urn:li:x:1,%253A"  # '%' is not decoded
    assert body_key(42) == "42"
    assert body_key("urn:li:sponsoredCreative:1") == "urn%3Ali%3AsponsoredCreative%3A1"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-restli-id": "123"}, "123"),
        ({"x-restli-id": "urn%3Ali%3AsponsoredCreative%3A9"}, "urn:li:sponsoredCreative:9"),
        ({"x-linkedin-id": "urn:li:sponsoredCreative:9"}, "urn:li:sponsoredCreative:9"),
        (
            {"location": "/rest/adAccounts/1/creatives/urn%3Ali%3AsponsoredCreative%3A9"},
            "urn:li:sponsoredCreative:9",
        ),
        ({"location": "https://api.linkedin.com/rest/adAccounts/1/adCampaigns/77/"}, "77"),
        ({}, None),
    ],
)
def test_created_id(headers: dict[str, str], expected: str | None) -> None:
    assert created_id(headers) == expected


def test_patch_body_sets_whole_fields_and_deletes() -> None:
    assert patch_body({"status": "PAUSED"}) == {"patch": {"$set": {"status": "PAUSED"}}}
    assert patch_body({}, ["totalBudget"]) == {"patch": {"$delete": ["totalBudget"]}}


def test_methods_map_to_http_and_idempotency() -> None:
    assert [m.http_method for m in Method] == [
        "GET",
        "GET",
        "GET",
        "GET",
        "POST",
        "POST",
        "POST",
        "POST",
        "DELETE",
        "DELETE",
        "POST",
        "PUT",
    ]
    # An action may create something (initializeUpload, createInline): never re-sent blindly.
    assert {m for m in Method if not m.idempotent} == {Method.CREATE, Method.BATCH_CREATE, Method.ACTION}


def test_short_queries_stay_in_the_url() -> None:
    form = wire_form(Request(Method.BATCH_GET, "adCampaigns", "/adAccounts/1/adCampaigns", "ids=List(1,2)"))
    assert (form.http_method, form.target, form.headers, form.content) == (
        "GET",
        "/adAccounts/1/adCampaigns?ids=List(1,2)",
        (),
        None,
    )


def test_bodies_are_compact_json() -> None:
    form = wire_form(
        Request(Method.PARTIAL_UPDATE, "adCampaigns", "/x/1", body={"patch": {"$set": {"name": "é"}}})
    )
    assert form.headers == (("Content-Type", "application/json"),)
    assert form.content == '{"patch":{"$set":{"name":"é"}}}'.encode()


def test_long_query_without_body_tunnels_as_a_form() -> None:
    query = "ids=List(" + ",".join(str(10**9 + i) for i in range(400)) + ")"
    assert len(query) > MAX_QUERY_LENGTH
    form = wire_form(Request(Method.BATCH_GET, "adCampaignGroups", "/g", query))
    assert form.http_method == "POST"
    assert form.target == "/g"
    assert dict(form.headers) == {
        "X-HTTP-Method-Override": "GET",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    assert form.content == query.encode()


def test_long_query_with_body_tunnels_as_multipart_mixed() -> None:
    query = "ids=List(" + ",".join(f"urn%3Ali%3AsponsoredCreative%3A{i}" for i in range(200)) + ")"
    body = {"entities": {"1": {"patch": {"$set": {"intendedStatus": "PAUSED"}}}}}
    form = wire_form(Request(Method.BATCH_PARTIAL_UPDATE, "creatives", "/c", query, body))
    headers = dict(form.headers)
    assert form.http_method == "POST"
    assert headers["X-HTTP-Method-Override"] == "POST"
    boundary = headers["Content-Type"].removeprefix("multipart/mixed; boundary=")
    assert form.content is not None
    assert form.content.decode() == (
        f"--{boundary}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n{query}\r\n"
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
        '{"entities":{"1":{"patch":{"$set":{"intendedStatus":"PAUSED"}}}}}\r\n'
        f"--{boundary}--"
    )


def test_query_at_the_limit_is_not_tunnelled() -> None:
    query = "x=" + "a" * (MAX_QUERY_LENGTH - 2)
    assert wire_form(Request(Method.FINDER, "r", "/r", query)).http_method == "GET"


@pytest.mark.parametrize(
    "text",
    ["urn:li:share:7200000000000000001", "AZaz09_.~-", "", "a b", "é:x", "٣:1", "urn:li:x:(1,2)", "a/b%3A"],
)
def test_primitives_are_quoted_as_urllib_quotes_them(text: str) -> None:
    assert encode_primitive(text) == quote(text, safe="")
