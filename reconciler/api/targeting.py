"""LinkedIn's targeting catalog: ``adTargetingFacets`` and ``adTargetingEntities`` (reference §4.4, §12.2).

- ``GET /adTargetingFacets`` (GET_ALL): each facet's ``facetName`` and ``availableEntityFinders``
  (``AD_TARGETING_FACET`` for a closed list that can be read whole, ``TYPEAHEAD`` for open ones).
- ``GET /adTargetingEntities?q=adTargetingFacet&facet=<facet URN>``: every entity of a closed list.
- ``GET /adTargetingEntities?q=typeahead&facet=<facet URN>&query=<text>``: entities matching a text.
- ``GET /adTargetingEntities?q=urns&urns=List(...)``: the entities of URNs, to show them by name.

Every finder is sent with ``queryVersion=QUERY_USES_URNS`` and a ``locale`` (``(language:en,country:US)``
by default), and answers ``elements`` of ``{urn, facetUrn, name}``. An element without a text
``urn`` and ``name`` is skipped, never an abort.

:class:`TargetingCatalog` asks each question once per client: the facet list once, each closed list
once per facet, each (facet, text) typeahead once, each URN once (in batches of
:data:`URNS_PER_CALL`). It is safe to use from several threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from reconciler.api.restli import Method, Request, encode_query
from reconciler.api.wire import Wire

FACET_URN = "urn:li:adTargetingFacet:"
QUERY_VERSION = "QUERY_USES_URNS"
DEFAULT_LOCALE = ("en", "US")
URNS_PER_CALL = 100
# Closed lists are read whole, following Rest.li ``paging`` (start/count/total) when the answer has
# more; this bounds the pages read (the largest closed list, industries, has a few hundred entries).
MAX_LIST_PAGES = 50
# Typeahead candidates asked for at once. ``count`` is Rest.li's standard paging parameter; the
# page size LinkedIn uses when it is absent is not documented (a guess: 10), too few to find an
# exact name behind more popular ones.
TYPEAHEAD_COUNT = 50
CLOSED_FINDER = "AD_TARGETING_FACET"
K = TypeVar("K")
V = TypeVar("V")
TYPEAHEAD_FINDER = "TYPEAHEAD"


@dataclass(frozen=True)
class TargetingEntity:
    """One targeting value: its URN, its name in the catalog's locale, its facet's short name."""

    urn: str
    name: str
    facet: str


@dataclass(frozen=True)
class Facet:
    """A targeting facet as ``adTargetingFacets`` lists it: short name and entity finders."""

    name: str
    finders: frozenset[str]

    @property
    def closed(self) -> bool:
        """Whether the whole list can be read (``q=adTargetingFacet``)."""
        return CLOSED_FINDER in self.finders

    @property
    def searchable(self) -> bool:
        """Whether names can be looked up by text (``q=typeahead``)."""
        return TYPEAHEAD_FINDER in self.finders


class TargetingCatalog:
    """Cached look-ups in LinkedIn's targeting catalog through one :class:`Wire`.

    ``parallel`` maps a function over items concurrently (the client's pool, bounded by the wire's
    in-flight limit); :meth:`prefetch` uses it to ask many typeahead questions at once. Two threads
    asking one question wait for one answer; different questions do not wait for each other.
    """

    def __init__(
        self,
        wire: Wire,
        locale: tuple[str, str] = DEFAULT_LOCALE,
        parallel: Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]] | None = None,
    ) -> None:
        self.wire = wire
        self.locale = locale
        self._parallel = parallel or (lambda fn, items: [fn(item) for item in items])
        self._guard = threading.Lock()
        self._pending: dict[tuple[str, object], threading.Lock] = {}
        self._facets: dict[str, dict[str, Facet]] = {}
        self._lists: dict[str, tuple[TargetingEntity, ...]] = {}
        self._searches: dict[tuple[str, str], tuple[TargetingEntity, ...]] = {}
        self._by_urn: dict[str, TargetingEntity | None] = {}

    def facets(self) -> dict[str, Facet]:
        """Every facet by short name (one ``adTargetingFacets`` call per catalog)."""
        found: dict[str, Facet] = self._once("facets", self._facets, "all", self._read_facets)
        return dict(found)

    def entities(self, facet: str) -> tuple[TargetingEntity, ...]:
        """Every entity of a closed list (``q=adTargetingFacet``, read once per facet)."""
        return self._once("lists", self._lists, facet, lambda: self._read_list(facet))

    def typeahead(self, facet: str, text: str) -> tuple[TargetingEntity, ...]:
        """The entities LinkedIn suggests for ``text`` in an open facet (each question asked once)."""
        params = {"q": "typeahead", "facet": FACET_URN + facet, "query": text, "count": TYPEAHEAD_COUNT}
        return self._once(
            "searches",
            self._searches,
            (facet, text),
            lambda: tuple(self._elements(self._find(params), facet)),
        )

    def prefetch(self, questions: Iterable[tuple[str, str]]) -> None:
        """Ask these (facet, text) typeahead questions concurrently, so later calls find them cached."""
        self._parallel(lambda question: self.typeahead(*question), sorted(set(questions)))

    def by_urns(self, urns: Iterable[str]) -> dict[str, TargetingEntity]:
        """The entities of ``urns`` that LinkedIn names (``q=urns``, each URN asked for once)."""
        wanted = sorted(set(urns))
        with self._guard:
            missing = [u for u in wanted if u not in self._by_urn]
            for start in range(0, len(missing), URNS_PER_CALL):
                chunk = missing[start : start + URNS_PER_CALL]
                answer = self._find({"q": "urns", "urns": chunk})
                for entity in self._elements(answer, None):
                    self._by_urn[entity.urn] = entity
                for urn in chunk:
                    self._by_urn.setdefault(urn, None)
            return {u: e for u in wanted if (e := self._by_urn.get(u)) is not None}

    # -- calls -----------------------------------------------------------------------------------

    def _once(self, kind: str, cache: dict[K, V], key: K, compute: Callable[[], V]) -> V:
        """``cache[key]``, computed by ``compute`` the first time; concurrent askers of one key
        wait for the first one's answer (a failed computation is not cached)."""
        with self._guard:
            if key in cache:
                return cache[key]
            pending = self._pending.setdefault((kind, key), threading.Lock())
        with pending:
            with self._guard:
                if key in cache:
                    return cache[key]
            value = compute()
            with self._guard:
                cache[key] = value
            return value

    def _read_facets(self) -> dict[str, Facet]:
        request = Request(Method.GET_ALL, "adTargetingFacets", "/adTargetingFacets")
        answer = self.wire.json(request, self.wire.call(request))
        return {f.name: f for f in _facets(answer.get("elements"))}

    def _read_list(self, facet: str) -> tuple[TargetingEntity, ...]:
        params: dict[str, Any] = {"q": "adTargetingFacet", "facet": FACET_URN + facet}
        out: list[TargetingEntity] = []
        for _ in range(MAX_LIST_PAGES):
            answer = self._find(params)
            page = self._elements(answer, facet)
            out.extend(page)
            total = _total(answer)
            if not page or total is None or len(out) >= total:
                break
            params = {**params, "start": len(out), "count": len(page)}
        return tuple(out)

    def _find(self, params: Mapping[str, Any]) -> dict[str, Any]:
        language, country = self.locale
        query = encode_query(
            {**params, "queryVersion": QUERY_VERSION, "locale": {"language": language, "country": country}}
        )
        request = Request(Method.FINDER, "adTargetingEntities", "/adTargetingEntities", query)
        return self.wire.json(request, self.wire.call(request))

    @staticmethod
    def _elements(answer: Mapping[str, Any], facet: str | None) -> list[TargetingEntity]:
        elements = answer.get("elements")
        out: list[TargetingEntity] = []
        for element in elements if isinstance(elements, list) else []:
            if not isinstance(element, dict):
                continue
            urn, name, facet_urn = element.get("urn"), element.get("name"), element.get("facetUrn")
            if not isinstance(urn, str) or not isinstance(name, str) or not name.strip():
                continue
            of = facet_urn.removeprefix(FACET_URN) if isinstance(facet_urn, str) else facet or ""
            out.append(TargetingEntity(urn, name, of))
        return out


def _facets(elements: Any) -> list[Facet]:
    out: list[Facet] = []
    for element in elements if isinstance(elements, list) else []:
        if not isinstance(element, dict):
            continue
        name = element.get("facetName")
        if not isinstance(name, str):
            urn = element.get("adTargetingFacetUrn")
            name = urn.removeprefix(FACET_URN) if isinstance(urn, str) else None
        finders = element.get("availableEntityFinders")
        if name:
            kinds = finders if isinstance(finders, list) else []
            out.append(Facet(name, frozenset(f for f in kinds if isinstance(f, str))))
    return out


def _total(answer: Mapping[str, Any]) -> int | None:
    paging = answer.get("paging")
    total = paging.get("total") if isinstance(paging, dict) else None
    return total if isinstance(total, int) and not isinstance(total, bool) else None
