"""Targeting discovery: ``GET /rest/adTargetingFacets`` and the ``adTargetingEntities`` finders.

Owns: reading the finders' parameters and answering from the catalog (``catalog``):

* ``adTargetingFacets`` (GET_ALL): every facet with ``facetName``, ``adTargetingFacetUrn``,
  ``availableEntityFinders`` and ``entityTypes``;
* ``adTargetingEntities``: ``q=adTargetingFacet`` (``facet``; a facet's whole list unless ``count``
  says less), ``q=typeahead`` (``facet``, ``query``; ``start``/``count``, default 10),
  ``q=urns`` (``urns=List(...)``; the names of the URNs the catalog holds, in the order asked) and
  ``q=similarEntities`` (``facet``, ``entities=List(...)``). Every finder takes ``queryVersion``
  (``QUERY_USES_URNS`` answers ``urn``/``facetUrn``/``name``; ``QUERY_USES_MIXED``, the documented
  default, answers the legacy ``value`` instead of ``urn``) and ``locale=(language:xx,country:YY)``.

Refusals (400): an unknown finder, facet, ``queryVersion`` or a malformed ``locale``/``start``/
``count`` (the documented PARAM_INVALID body), a missing required parameter, and ``typeahead`` or
``similarEntities`` on a facet whose ``availableEntityFinders`` lack it. The GUESSES are listed in
docs/emulator.md, "Targeting discovery".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconciler.emulator import catalog
from reconciler.emulator.errors import classic, missing_param, param_invalid
from reconciler.emulator.finders import list_param
from reconciler.emulator.paging import MAX_COUNT, count_too_large, int_param
from reconciler.emulator.restli import Params

# QUERY_USES_VALUES: what the page's adTargetingFacet parameter table names (its samples send
# QUERY_USES_URNS); answered like QUERY_USES_MIXED, the URN in ``value`` (GUESS).
QUERY_VERSIONS = frozenset({"QUERY_USES_URNS", "QUERY_USES_MIXED", "QUERY_USES_VALUES"})
# The parameter tables spell the typeahead finder TYPEAHEAD, the samples q=typeahead (GUESS: both).
_FINDER_NAMES = {"TYPEAHEAD": "typeahead"}
TYPEAHEAD_COUNT = 10  # default page of a typeahead (GUESS: Rest.li's default count)


def facets(params: Params) -> dict[str, Any]:
    """``GET /rest/adTargetingFacets``: every facet the emulator knows, in one page."""
    elements = [
        {
            "facetName": facet.name,
            "adTargetingFacetUrn": facet.urn,
            "availableEntityFinders": list(facet.finders),
            "entityTypes": list(facet.entity_types),
        }
        for facet in catalog.FACETS
    ]
    return _page(params, elements, default_count=len(elements))


def entities(params: Params) -> dict[str, Any]:
    """``GET /rest/adTargetingEntities?q=…``: one of the four finders."""
    finder = params.get("q")
    finder = _FINDER_NAMES.get(finder, finder) if isinstance(finder, str) else finder
    mixed = _query_version(params)
    _check_locale(params)
    if finder == "adTargetingFacet":
        facet = _facet(params, None)
        found = list(catalog.entities(facet.name))
        return _page(params, _shape(found, facet.urn, mixed), default_count=max(len(found), 1))
    if finder == "typeahead":
        facet = _facet(params, catalog.TYPEAHEAD)
        query = params.get("query")
        if query is None:
            raise missing_param("query")
        if not isinstance(query, str):
            raise param_invalid("query")
        hits = catalog.typeahead(facet.name, query)
        return _page(params, _shape(hits, facet.urn, mixed), default_count=TYPEAHEAD_COUNT)
    if finder == "similarEntities":
        facet = _facet(params, catalog.SIMILAR_ENTITIES)
        given = _urns(params, "entities")
        hits = catalog.similar(facet.name, given)
        return _page(params, _shape(hits, facet.urn, mixed), default_count=TYPEAHEAD_COUNT)
    if finder == "urns":
        named = [hit for hit in (catalog.lookup(urn) for urn in _urns(params, "urns")) if hit is not None]
        elements = [_element(e, catalog.FACET_BY_NAME[name].urn, mixed) for name, e in named]
        return _page(params, elements, default_count=max(len(elements), 1))
    if finder is None:
        raise missing_param("q")
    raise param_invalid("q", finder if isinstance(finder, str) else None)


def _query_version(params: Params) -> bool:
    """True for the legacy QUERY_USES_MIXED (the documented default), False for QUERY_USES_URNS."""
    version = params.get("queryVersion", "QUERY_USES_MIXED")
    if not isinstance(version, str) or version not in QUERY_VERSIONS:
        raise param_invalid("queryVersion", version if isinstance(version, str) else None)
    return version != "QUERY_USES_URNS"


def _check_locale(params: Params) -> None:
    """``locale=(language:en,country:US)`` (or ``locale.language=…``): both parts letters.

    Names are answered in English whatever the locale (GUESS: the catalog holds one language)."""
    locale = params.get("locale")
    if locale is None:
        return
    if not isinstance(locale, dict) or not set(locale) <= {"language", "country", "variant"}:
        raise param_invalid("locale")
    language, country = locale.get("language"), locale.get("country", "")
    if not (isinstance(language, str) and language.isalpha() and isinstance(country, str)):
        raise param_invalid("locale")
    if country and not country.isalpha():
        raise param_invalid("locale")


def _facet(params: Params, needs: str | None) -> catalog.Facet:
    raw = params.get("facet")
    if raw is None:
        raise missing_param("facet")
    facet = catalog.FACET_BY_URN.get(raw) if isinstance(raw, str) else None
    if facet is None:
        raise param_invalid("facet", raw if isinstance(raw, str) else None)
    if needs is not None and needs not in facet.finders:
        finders = ", ".join(facet.finders) or "none"
        raise classic(
            400,
            f"The {needs} finder is not available for facet {facet.urn} (availableEntityFinders: {finders})",
        )
    return facet


def _urns(params: Params, name: str) -> list[str]:
    values = list_param(params, name)
    if values is None:
        raise missing_param(name)
    for value in values:
        if not value.startswith("urn:li:") or value.count(":") < 3:
            raise param_invalid(name, value)
    return values


def _shape(found: Sequence[catalog.Entity], facet_urn: str, mixed: bool) -> list[dict[str, Any]]:
    return [_element(entity, facet_urn, mixed) for entity in found]


def _element(entity: catalog.Entity, facet_urn: str, mixed: bool) -> dict[str, Any]:
    """One answer element. QUERY_USES_MIXED puts the URN in the legacy ``value`` field (GUESS: the
    docs type it as a union of URN and enums; the emulator answers the URN form)."""
    key = "value" if mixed else "urn"
    return {key: entity.urn, "facetUrn": facet_urn, "name": entity.name}


def _page(params: Params, elements: list[dict[str, Any]], *, default_count: int) -> dict[str, Any]:
    """Index paging (``start``/``count``, ``paging.total``, a ``next`` link while more remain)."""
    start = int_param(params, "start", 0, 0)
    raw = params.get("count")
    if isinstance(raw, str) and raw.isdigit() and int(raw) > MAX_COUNT:
        raise count_too_large()
    count = int_param(params, "count", min(default_count, MAX_COUNT), 0, MAX_COUNT)
    links = []
    if start + count < len(elements):
        href = f"?start={start + count}&count={count}"
        links.append({"rel": "next", "href": href, "type": "application/json"})
    return {
        "elements": elements[start : start + count],
        "paging": {"start": start, "count": count, "total": len(elements), "links": links},
    }
