"""The emulator's own Rest.li parser: 2.0 values, legacy forms, projections, reduced encoding."""

from __future__ import annotations

import pytest

from reconciler.emulator.restli import (
    RestliSyntaxError,
    parse_projection,
    parse_query,
    parse_value,
    project,
    reduced_encode,
)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("List(a,b,c)", ["a", "b", "c"]),
        ("List()", []),
        ("()", {}),
        (
            "(status:(values:List(ACTIVE,DRAFT)),test:false)",
            {"status": {"values": ["ACTIVE", "DRAFT"]}, "test": "false"},
        ),
        ("List(urn%3Ali%3AsponsoredCampaign%3A123)", ["urn:li:sponsoredCampaign:123"]),
        ("List(urn:li:sponsoredCampaign:123)", ["urn:li:sponsoredCampaign:123"]),  # raw colons accepted
        ("(reference:urn:li:organization:1)", {"reference": "urn:li:organization:1"}),
        ("%20t%3F%27%3A%2C%2A%21", " t?':,*!"),
        (
            "urn%3Ali%3AstaffCountRange%3A%2810001%2C2147483647%29",
            "urn:li:staffCountRange:(10001,2147483647)",
        ),
        ("(k:'')", {"k": ""}),
        (
            "(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A1))",
            {"urn:li:adTargetingFacet:locations": ["urn:li:geo:1"]},
        ),
        ("List((a:1),(b:List(2,3)))", [{"a": "1"}, {"b": ["2", "3"]}]),
        ("List(a,,'',b%2C)", ["a", "", "", "b,"]),
        ("List(a,)", ["a", ""]),
        ("(x:List(a,b),y:List(),z:List(c,(d:e)))", {"x": ["a", "b"], "y": [], "z": ["c", {"d": "e"}]}),
    ],
)
def test_protocol_2_values(raw: str, value: object) -> None:
    assert parse_value(raw, "p") == value


@pytest.mark.parametrize(
    "raw",
    ["(a:b", "(a:b))", "List(a", "(a)", "(:b)", "List(a)x", "a(b", "%zz", "%E2%28", "(a:b(c))", "List(a%zz)"],
)
def test_syntax_errors_name_the_parameter(raw: str) -> None:
    with pytest.raises(RestliSyntaxError) as caught:
        parse_value(raw, "search")
    assert caught.value.param == "search"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("List(%27%27,'',%C3%A9,urn%3Ali%3Ashare%3A1)", ["''", "", "é", "urn:li:share:1"]),
        ("List(a%2Cb,%27%27,'')", ["a,b", "''", ""]),  # an encoded comma: item by item
        ("List(%C3,%A9)", None),  # half a character in each item
        ("List(a%2,b)", None),
        ("List(a%2C%C3,%A9)", None),
    ],
)
def test_a_list_of_primitives_reads_as_its_items_one_by_one(raw: str, value: list[str] | None) -> None:
    if value is not None:
        assert parse_value(raw, "ids") == value
        return
    with pytest.raises(RestliSyntaxError) as caught:
        parse_value(raw, "ids")
    assert caught.value.param == "ids"


def test_percent_encoded_structure_stays_a_string() -> None:
    # What urlencode() produces: the caller's type check turns it into PARAM_INVALID.
    assert parse_query("search=%28status%3A%28values%3AList%28ACTIVE%29%29%29", v2=True) == {
        "search": "(status:(values:List(ACTIVE)))"
    }


def test_legacy_dotted_and_indexed_names_nest() -> None:
    query = "q=search&search.status.values[0]=ACTIVE&search.status.values%5B1%5D=DRAFT&search.test=true"
    assert parse_query(query, v2=True) == {
        "q": "search",
        "search": {"status": {"values": ["ACTIVE", "DRAFT"]}, "test": "true"},
    }


def test_dotted_names_merge_into_a_2_0_record() -> None:
    assert parse_query("search=(test:true)&search.name.values[0]=a", v2=True) == {
        "search": {"test": "true", "name": {"values": ["a"]}}
    }


def test_repeated_names_become_a_list_and_empty_pairs_are_skipped() -> None:
    assert parse_query("ids=1&&ids=2&fields=id,name", v2=False) == {"ids": ["1", "2"], "fields": "id,name"}


def test_protocol_1_keeps_values_as_strings() -> None:
    assert parse_query("search=(a:b)", v2=False) == {"search": "(a:b)"}


def test_gaps_in_indices_are_refused() -> None:
    with pytest.raises(RestliSyntaxError):
        parse_query("ids[0]=1&ids[2]=3", v2=True)


def test_projection() -> None:
    projection = parse_projection("id,name,runSchedule:(start),targetingCriteria")
    assert projection == {"id": None, "name": None, "runSchedule": {"start": None}, "targetingCriteria": None}
    entity = {"id": 1, "name": "n", "runSchedule": {"start": 1, "end": 2}, "status": "ACTIVE"}
    assert project(entity, projection) == {"id": 1, "name": "n", "runSchedule": {"start": 1}}
    assert parse_projection("List(id,name)") == {"id": None, "name": None}


def test_reduced_encoding_escapes_only_structural_characters() -> None:
    assert reduced_encode("urn:li:sponsoredCreative:1") == "urn%3Ali%3AsponsoredCreative%3A1"
    assert reduced_encode("a b(c),d'%") == "a b%28c%29%2Cd%27%25"
