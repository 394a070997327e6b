"""adTargetingFacets and the adTargetingEntities finders, driven as a client written from the docs would."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, Settings, catalog
from tests.emulator.helpers import NOW, call

FACET = "urn%3Ali%3AadTargetingFacet%3A"
COMMON = "queryVersion=QUERY_USES_URNS&locale=(language:en,country:US)"


def get(emu: Emulator, target: str) -> Any:
    response = call(emu, "GET", target)
    assert response.status == 200, response.body
    return response.json()


def test_facets_list_every_facet_with_its_finders(emu: Emulator) -> None:
    body = get(emu, "/rest/adTargetingFacets")
    by_name = {e["facetName"]: e for e in body["elements"]}
    assert by_name["seniorities"] == {
        "facetName": "seniorities",
        "adTargetingFacetUrn": "urn:li:adTargetingFacet:seniorities",
        "availableEntityFinders": ["AD_TARGETING_FACET"],
        "entityTypes": ["SENIORITY"],
    }
    assert by_name["titles"]["availableEntityFinders"] == [
        "AD_TARGETING_FACET",
        "TYPEAHEAD",
        "SIMILAR_ENTITIES",
    ]
    assert "TYPEAHEAD" in by_name["locations"]["availableEntityFinders"]
    assert body["paging"]["total"] == len(body["elements"]) >= 20


@pytest.mark.parametrize(
    ("facet", "size", "first"),
    [
        ("seniorities", 10, ("urn:li:seniority:1", "Unpaid")),
        ("jobFunctions", 26, ("urn:li:function:1", "Accounting")),
        ("staffCountRanges", 9, ("urn:li:staffCountRange:(1,1)", "1")),
        ("genders", 2, ("urn:li:gender:FEMALE", "Female")),
        ("ageRanges", 4, ("urn:li:ageRange:(18,24)", "18 to 24")),
    ],
)
def test_closed_lists_come_whole_from_the_facet_finder(
    emu: Emulator, facet: str, size: int, first: tuple[str, str]
) -> None:
    body = get(emu, f"/rest/adTargetingEntities?q=adTargetingFacet&facet={FACET}{facet}&{COMMON}")
    assert len(body["elements"]) == body["paging"]["total"] == size
    assert body["elements"][0] == {
        "urn": first[0],
        "facetUrn": f"urn:li:adTargetingFacet:{facet}",
        "name": first[1],
    }


def test_industries_hold_the_whole_v2_taxonomy(emu: Emulator) -> None:
    body = get(emu, f"/rest/adTargetingEntities?q=adTargetingFacet&facet={FACET}industries&{COMMON}")
    names = {e["name"]: e["urn"] for e in body["elements"]}
    assert names["Software Development"] == "urn:li:industry:4"
    assert names["Technology, Information and Media"] == "urn:li:industry:1594"
    assert names["Desktop Computing Software Products"] == "urn:li:industry:3101"
    assert len(names) == body["paging"]["total"] >= 400


def test_typeahead_finds_titles_by_word_prefixes_and_pages(emu: Emulator) -> None:
    body = get(emu, f"/rest/adTargetingEntities?q=typeahead&facet={FACET}titles&query=chief%20tech&{COMMON}")
    assert [e["name"] for e in body["elements"]] == ["Chief Technology Officer"]
    first = get(emu, f"/rest/adTargetingEntities?q=typeahead&facet={FACET}titles&query=engineer&{COMMON}")
    assert len(first["elements"]) == 10 and first["paging"]["total"] > 10
    assert first["paging"]["links"][0]["rel"] == "next"
    second = get(
        emu,
        f"/rest/adTargetingEntities?q=typeahead&facet={FACET}titles&query=engineer&start=10&count=10&{COMMON}",
    )
    assert not {e["urn"] for e in first["elements"]} & {e["urn"] for e in second["elements"]}


def test_typeahead_finds_places_with_the_documented_us_urn(emu: Emulator) -> None:
    query = quote("United States")
    body = get(emu, f"/rest/adTargetingEntities?q=typeahead&facet={FACET}locations&query={query}&{COMMON}")
    assert body["elements"][0] == {
        "urn": "urn:li:geo:103644278",
        "facetUrn": "urn:li:adTargetingFacet:locations",
        "name": "United States",
    }


def test_typeahead_ignores_case_and_accents(emu: Emulator) -> None:
    body = get(emu, f"/rest/adTargetingEntities?q=typeahead&facet={FACET}locations&query=SAO%20PAU&{COMMON}")
    assert [e["name"] for e in body["elements"]] == ["São Paulo, Brazil"]


def test_springfield_is_deliberately_ambiguous(emu: Emulator) -> None:
    body = get(
        emu, f"/rest/adTargetingEntities?q=typeahead&facet={FACET}locations&query=Springfield&{COMMON}"
    )
    found = [(e["name"], e["urn"]) for e in body["elements"]]
    assert [name for name, _ in found] == ["Springfield", "Springfield"]
    assert len({urn for _, urn in found}) == 2


def test_urns_finder_names_known_urns_in_order(emu: Emulator) -> None:
    asked = ("urn:li:seniority:6", "urn:li:title:9", "urn:li:title:1", "urn:li:staffCountRange:(201,500)")
    urns = ",".join(quote(u, safe="") for u in asked)
    body = get(emu, f"/rest/adTargetingEntities?q=urns&urns=List({urns})&{COMMON}")
    assert [(e["urn"], e["name"], e["facetUrn"]) for e in body["elements"]] == [
        ("urn:li:seniority:6", "Director", "urn:li:adTargetingFacet:seniorities"),
        ("urn:li:title:9", "Software Engineer", "urn:li:adTargetingFacet:titles"),
        ("urn:li:staffCountRange:(201,500)", "201-500", "urn:li:adTargetingFacet:staffCountRanges"),
    ]


def test_similar_entities_share_a_cluster(emu: Emulator) -> None:
    body = get(
        emu,
        f"/rest/adTargetingEntities?q=similarEntities&facet={FACET}titles"
        f"&entities=List({quote('urn:li:title:9', safe='')})&{COMMON}",
    )
    assert body["elements"] and "urn:li:title:9" not in {e["urn"] for e in body["elements"]}


def test_legacy_query_version_answers_value(emu: Emulator) -> None:
    body = get(emu, f"/rest/adTargetingEntities?q=adTargetingFacet&facet={FACET}genders")
    assert body["elements"][0] == {
        "value": "urn:li:gender:FEMALE",
        "facetUrn": "urn:li:adTargetingFacet:genders",
        "name": "Female",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"q=adTargetingFacet&facet={FACET}nope", "PARAM_INVALID"),
        ("q=adTargetingFacet", "Parameter 'facet' is required"),
        (f"q=typeahead&facet={FACET}titles", "Parameter 'query' is required"),
        (f"q=typeahead&facet={FACET}seniorities&query=dir", "TYPEAHEAD finder is not available"),
        (f"q=adTargetingFacet&facet={FACET}genders&queryVersion=NEW", "PARAM_INVALID"),
        (f"q=adTargetingFacet&facet={FACET}genders&locale=(language:e1)", "PARAM_INVALID"),
        ("q=search", "PARAM_INVALID"),
        ("q=urns&urns=List(nope)", "PARAM_INVALID"),
    ],
)
def test_bad_requests_get_linkedins_400(emu: Emulator, query: str, message: str) -> None:
    response = call(emu, "GET", f"/rest/adTargetingEntities?{query}")
    assert response.status == 400
    assert message in response.body.decode()


def test_writes_are_refused_and_any_token_may_read() -> None:
    # The ad-targeting page: "any 3-legged access token. No additional permissions need to be requested".
    emu = Emulator(
        MemoryStore(), EmulatorConfig(clock=lambda: NOW, settings=Settings(scopes=frozenset({"x"})))
    )
    assert call(emu, "POST", "/rest/adTargetingFacets", {}).status == 405
    assert call(emu, "GET", "/rest/adTargetingFacets").status == 200
    found = call(emu, "GET", f"/rest/adTargetingEntities?q=adTargetingFacet&facet={FACET}seniorities")
    assert found.status == 200 and b"urn:li:seniority:1" in found.body


def test_catalog_is_consistent() -> None:
    for facet in catalog.FACETS:
        found = catalog.entities(facet.name)
        assert len({e.urn for e in found}) == len(found), facet.name
        names = [e.name for e in found]
        duplicated = {n for n in names if names.count(n) > 1}
        assert duplicated <= {"Springfield"}, (facet.name, duplicated)
        for entity in found:
            assert entity.parent is None or catalog.find(facet.name, entity.parent) is not None
    assert len(catalog.entities("titles")) >= 300 and len(catalog.entities("skills")) >= 200


def test_industries_are_the_whole_v2_taxonomy_under_its_20_top_level_industries() -> None:
    found = catalog.entities("industries")
    tops = {e.urn for e in found if e.parent is None}
    assert len(found) >= 400 and len(tops) == 20
    assert all(e.parent in tops for e in found if e.parent is not None)
    by_urn = {e.urn: e for e in found}
    mobile_games = by_urn["urn:li:industry:3131"]
    assert (mobile_games.name, mobile_games.parent) == ("Mobile Gaming Apps", "urn:li:industry:1594")
    assert by_urn["urn:li:industry:4"].name == "Software Development"
    assert abs(sum(by_urn[urn].share for urn in tops) - 1) < 1e-9
    for top in tops:
        # a top-level industry holds at least what the industries under it hold together
        inside = sum(e.share for e in found if e.parent == top)
        assert inside <= by_urn[top].share, top
    assert all(e.share > 0 for e in found)
