"""A small targeting catalog served in LinkedIn's documented shapes, for ``httpx.MockTransport``.

``adTargetingFacets`` (GET_ALL) lists facets with their finders; ``adTargetingEntities`` answers
``q=adTargetingFacet`` (closed lists, paged by ``start`` in pages of 4 with ``paging.total``),
``q=typeahead`` (entries whose name contains the query, case aside) and ``q=urns``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import httpx

from tests.api.fakes import FakeLinkedIn, default_answer, query_of

FACET = "urn:li:adTargetingFacet:"
PAGE = 4

FINDERS = {
    "seniorities": ["AD_TARGETING_FACET"],
    "jobFunctions": ["AD_TARGETING_FACET"],
    "staffCountRanges": ["AD_TARGETING_FACET"],
    "titles": ["TYPEAHEAD", "SIMILAR_ENTITIES"],
    "locations": ["TYPEAHEAD"],
    "employers": ["TYPEAHEAD"],
    "audienceMatchingSegments": [],
}

ENTITIES: dict[str, list[tuple[str, str]]] = {
    "seniorities": [
        (f"urn:li:seniority:{i}", name)
        for i, name in enumerate(
            ["Unpaid", "Training", "Entry", "Senior", "Manager", "Director", "VP", "CXO", "Partner", "Owner"],
            start=1,
        )
    ],
    "jobFunctions": [
        ("urn:li:function:8", "Engineering"),
        ("urn:li:function:13", "Information Technology"),
        ("urn:li:function:15", "Marketing"),
        ("urn:li:function:25", "Sales"),
        ("urn:li:function:26", "Sales Operations"),
    ],
    "staffCountRanges": [
        ("urn:li:staffCountRange:(51,200)", "51-200"),
        ("urn:li:staffCountRange:(201,500)", "201-500"),
    ],
    "titles": [
        ("urn:li:title:153", "Chief Technology Officer"),
        ("urn:li:title:9", "Software Engineer"),
        ("urn:li:title:3001", "Engineer"),
        ("urn:li:title:3002", "Engineer"),
    ],
    "locations": [
        ("urn:li:geo:103644278", "United States"),
        ("urn:li:geo:90000091", "Greater Seattle Area"),
        ("urn:li:geo:90000079", "Portland, Oregon Metropolitan Area"),
        ("urn:li:geo:104727230", "Portland, Maine, United States"),
    ],
    "employers": [("urn:li:organization:1035", "Microsoft")],
}


def _params(request: httpx.Request) -> dict[str, str]:
    out = {}
    for part in query_of(request).split("&"):
        name, _, value = part.partition("=")
        out[name] = value
    return out


def _element(facet: str, urn: str, name: str) -> dict[str, Any]:
    return {"urn": urn, "name": name, "facetUrn": FACET + facet}


def answer(request: httpx.Request) -> httpx.Response:
    """The catalog's answer to a targeting request; anything else gets the fake's default."""
    path = request.url.raw_path.decode().partition("?")[0]
    if path.endswith("/adTargetingFacets"):
        facets = [
            {
                "facetName": f,
                "adTargetingFacetUrn": FACET + f,
                "availableEntityFinders": finders,
                "entityTypes": [],
            }
            for f, finders in FINDERS.items()
        ]
        return httpx.Response(200, json={"elements": facets, "paging": {"start": 0, "count": 10}})
    if not path.endswith("/adTargetingEntities"):
        return default_answer(request)
    params = _params(request)
    finder = params["q"]
    if finder == "urns":
        wanted = {unquote(u) for u in params["urns"].removeprefix("List(").removesuffix(")").split(",")}
        found = [_element(f, u, n) for f, items in ENTITIES.items() for u, n in items if u in wanted]
        return httpx.Response(200, json={"elements": found})
    facet = unquote(params["facet"]).removeprefix(FACET)
    items = ENTITIES.get(facet, [])
    if finder == "typeahead":
        text = unquote(params["query"]).casefold()
        found = [_element(facet, u, n) for u, n in items if text in n.casefold()]
        return httpx.Response(200, json={"elements": found, "paging": {"start": 0, "count": len(found)}})
    start = int(params.get("start", "0"))
    page = [_element(facet, u, n) for u, n in items[start : start + PAGE]]
    return httpx.Response(
        200, json={"elements": page, "paging": {"start": start, "count": PAGE, "total": len(items)}}
    )


def catalog_fake() -> FakeLinkedIn:
    """A FakeLinkedIn that serves the catalog."""
    return FakeLinkedIn(answer)


def targeting_requests(fake: FakeLinkedIn) -> list[str]:
    """The raw path+query of every targeting request the fake answered."""
    return [p for p in fake.raw_paths() if "/adTargeting" in p]
