"""The targeting catalog client: documented request shapes, one call per question, tolerant reads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from reconciler.api.targeting import TargetingEntity
from reconciler.errors import BadRequest
from tests.api.fakes import FakeLinkedIn, make_client
from tests.targeting.catalog import catalog_fake, targeting_requests


def test_facets_are_read_once_with_get_all() -> None:
    fake = catalog_fake()
    catalog = make_client(fake).targeting
    facets = catalog.facets()
    catalog.facets()
    assert facets["seniorities"].closed and not facets["seniorities"].searchable
    assert facets["titles"].searchable and not facets["titles"].closed
    assert not facets["audienceMatchingSegments"].closed and not facets["audienceMatchingSegments"].searchable
    assert [r.headers["x-restli-method"] for r in fake.requests] == ["GET_ALL"]
    assert fake.raw_paths() == ["/rest/adTargetingFacets"]


def test_a_closed_list_is_read_whole_once_following_paging() -> None:
    fake = catalog_fake()
    catalog = make_client(fake).targeting
    names = [e.name for e in catalog.entities("seniorities")]
    assert catalog.entities("seniorities") == catalog.entities("seniorities")
    assert names[:3] == ["Unpaid", "Training", "Entry"] and len(names) == 10
    assert targeting_requests(fake) == [
        "/rest/adTargetingEntities?facet=urn%3Ali%3AadTargetingFacet%3Aseniorities"
        "&locale=(language:en,country:US)&q=adTargetingFacet&queryVersion=QUERY_USES_URNS",
        "/rest/adTargetingEntities?count=4&facet=urn%3Ali%3AadTargetingFacet%3Aseniorities"
        "&locale=(language:en,country:US)&q=adTargetingFacet&queryVersion=QUERY_USES_URNS&start=4",
        "/rest/adTargetingEntities?count=4&facet=urn%3Ali%3AadTargetingFacet%3Aseniorities"
        "&locale=(language:en,country:US)&q=adTargetingFacet&queryVersion=QUERY_USES_URNS&start=8",
    ]
    assert {r.headers["x-restli-method"] for r in fake.requests} == {"FINDER"}


def test_typeahead_asks_each_question_once() -> None:
    fake = catalog_fake()
    catalog = make_client(fake).targeting
    found = catalog.typeahead("titles", "Chief Technology")
    catalog.typeahead("titles", "Chief Technology")
    assert found == (TargetingEntity("urn:li:title:153", "Chief Technology Officer", "titles"),)
    assert targeting_requests(fake) == [
        "/rest/adTargetingEntities?count=50&facet=urn%3Ali%3AadTargetingFacet%3Atitles"
        "&locale=(language:en,country:US)&q=typeahead&query=Chief%20Technology&queryVersion=QUERY_USES_URNS"
    ]


def test_urns_are_named_in_batches_and_each_asked_once() -> None:
    fake = catalog_fake()
    catalog = make_client(fake).targeting
    urns = [f"urn:li:title:{i}" for i in range(1000, 1150)] + ["urn:li:title:153", "urn:li:geo:103644278"]
    named = catalog.by_urns(urns)
    assert named == {
        "urn:li:title:153": TargetingEntity("urn:li:title:153", "Chief Technology Officer", "titles"),
        "urn:li:geo:103644278": TargetingEntity("urn:li:geo:103644278", "United States", "locations"),
    }
    assert len(targeting_requests(fake)) == 2  # 152 URNs, 100 per call
    assert catalog.by_urns(["urn:li:title:153", "urn:li:title:1000"]) == {
        "urn:li:title:153": named["urn:li:title:153"]
    }
    assert len(targeting_requests(fake)) == 2
    assert (
        "q=urns&queryVersion=QUERY_USES_URNS&urns=List(urn%3Ali%3Ageo%3A103644278,"
        in targeting_requests(fake)[0]
    )


def test_elements_it_cannot_read_are_skipped() -> None:
    odd = {
        "elements": [
            {
                "urn": "urn:li:seniority:6",
                "name": "Director",
                "facetUrn": "urn:li:adTargetingFacet:seniorities",
            },
            {"urn": 7, "name": "VP"},
            {"urn": "urn:li:seniority:8", "name": "  "},
            "junk",
            {"urn": "urn:li:seniority:9", "name": "Partner", "extra": {"unknown": True}},
        ]
    }
    fake = FakeLinkedIn().queue(httpx.Response(200, json=odd))
    found = make_client(fake).targeting.entities("seniorities")
    assert [(e.urn, e.name, e.facet) for e in found] == [
        ("urn:li:seniority:6", "Director", "seniorities"),
        ("urn:li:seniority:9", "Partner", "seniorities"),
    ]


def test_one_question_asked_from_many_threads_is_sent_once() -> None:
    fake = catalog_fake()
    catalog = make_client(fake).targeting
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: catalog.typeahead("titles", "Engineer"), range(16)))
    assert len(set(answers)) == 1 and len(answers[0]) == 3
    assert len(targeting_requests(fake)) == 1


def test_prefetch_asks_each_distinct_question_once() -> None:
    fake = catalog_fake()
    client = make_client(fake)
    questions = [("titles", "Engineer"), ("locations", "United States"), ("titles", "Engineer")]
    client.targeting.prefetch(questions)
    client.targeting.typeahead("titles", "Engineer")
    assert sorted(p.split("query=")[1].split("&")[0] for p in targeting_requests(fake)) == [
        "Engineer",
        "United%20States",
    ]


def test_a_failed_question_is_asked_again() -> None:
    fake = catalog_fake().queue(httpx.Response(400, json={"status": 400, "message": "bad"}))
    catalog = make_client(fake).targeting
    with pytest.raises(BadRequest):
        catalog.typeahead("titles", "Chief Technology")
    assert catalog.typeahead("titles", "Chief Technology")[0].urn == "urn:li:title:153"
