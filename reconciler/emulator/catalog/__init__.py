"""The emulator's targeting catalog: every facet it knows and the entities in each.

Owns: the facet table ``adTargetingFacets`` answers (name, URN, entity finders, entity types), the
entities ``adTargetingEntities`` answers (URN, facet, name) and the member share of each entity the
audience model multiplies (``audience``). The data lives in the sibling modules: ``closed``
(LinkedIn's standardized closed lists), ``geo`` (places), ``people`` (titles, skills) and
``organizations`` (employers, schools). Sources and invented ids: docs/emulator.md, "Targeting
catalog".

Contract: entities are immutable and indexed once per process; a facet's entities keep the order of
their data module (closed lists in LinkedIn's id order); every URN belongs to exactly one entity per
facet; names are unique per facet except the deliberate ambiguity listed in docs/emulator.md.
Must not: know about HTTP or the store.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reconciler.emulator.catalog import closed, geo, organizations, people

FACET_PREFIX = "urn:li:adTargetingFacet:"
# Finder symbols of adTargetingFacets.availableEntityFinders (docs' sample response).
AD_TARGETING_FACET = "AD_TARGETING_FACET"
TYPEAHEAD = "TYPEAHEAD"
SIMILAR_ENTITIES = "SIMILAR_ENTITIES"


@dataclass(frozen=True)
class Facet:
    """One targeting facet: its name, entity types and the finders that list its entities."""

    name: str
    entity_types: tuple[str, ...]
    finders: tuple[str, ...]
    # Entities of one facet a member holds exactly one of (a seniority, an age range): an exclusion
    # in such a facet is disjoint from an include clause of only that facet (audience model).
    single_valued: bool = False

    @property
    def urn(self) -> str:
        return FACET_PREFIX + self.name


@dataclass(frozen=True)
class Entity:
    """One targetable value: its URN, display name, member share and (places) enclosing entity."""

    urn: str
    name: str
    share: float  # fraction of all members holding the value (see ``audience``)
    parent: str | None = None  # the URN of the enclosing place or industry group, if any
    cluster: str = ""  # what similarEntities groups by (a function, a country, an industry)


_F = (AD_TARGETING_FACET,)
_FT = (AD_TARGETING_FACET, TYPEAHEAD)
_TS = (TYPEAHEAD, SIMILAR_ENTITIES)
_FTS = (AD_TARGETING_FACET, TYPEAHEAD, SIMILAR_ENTITIES)
_PLACES = ("COUNTRY_GROUP", "COUNTRY", "STATE", "REGION")
# The facets of LinkedIn's targetingCriteria facet table. Finders follow the ads-targeting page's
# "Types of Finder" table (li-lms-2026-02; locations keep AD_TARGETING_FACET beside the table's
# typeahead-only); entity types the docs' sample adTargetingFacets responses where they show the
# facet, the others are GUESSES (docs/emulator.md).
FACETS: tuple[Facet, ...] = (
    Facet("ageRanges", ("AGE",), _F, single_valued=True),
    Facet("audienceMatchingSegments", ("AD_SEGMENT",), ()),
    Facet("companyCategory", ("FIRMOGRAPHIC",), _FT),
    Facet("degrees", ("DEGREE",), _FT),
    Facet("dynamicSegments", ("AD_SEGMENT",), ()),
    Facet("employers", ("COMPANY",), _TS),
    Facet("employersAll", ("COMPANY",), _TS),
    Facet("employersPast", ("COMPANY",), _TS),
    Facet("fieldsOfStudy", ("FIELD_OF_STUDY",), _FT),
    Facet("firstDegreeConnectionCompanies", ("COMPANY",), _TS),
    Facet("followedCompanies", ("COMPANY",), _TS),
    Facet("genders", ("GENDER",), _F, single_valued=True),
    Facet("groups", ("GROUP",), _TS),
    Facet("growthRate", ("FIRMOGRAPHIC",), _FT),
    Facet("industries", ("INDUSTRY",), _FTS, single_valued=True),
    Facet("interests", ("INTEREST",), _FT),
    Facet("interfaceLocales", ("LOCALE",), _F, single_valued=True),
    Facet("jobFunctions", ("FUNCTION",), _F, single_valued=True),
    Facet("locations", _PLACES, _FT),
    Facet("memberBehaviors", ("MEMBER_BEHAVIOR",), _FT),
    Facet("profileLocations", _PLACES, _FT),
    Facet("revenue", ("FIRMOGRAPHIC",), _FT),
    Facet("schools", ("SCHOOL",), (TYPEAHEAD,)),
    Facet("seniorities", ("SENIORITY",), _F, single_valued=True),
    Facet("skills", ("SKILL",), _FTS),
    Facet("staffCountRanges", ("STAFF_COUNT_RANGE",), _F, single_valued=True),
    Facet("titles", ("TITLE",), _FTS),
    Facet("titlesAll", ("TITLE",), _FTS),
    Facet("titlesPast", ("TITLE",), _FTS),
    Facet("yearsOfExperienceRanges", ("YEARS_OF_EXPERIENCE",), _F, single_valued=True),
)
FACET_BY_NAME = {facet.name: facet for facet in FACETS}
FACET_BY_URN = {facet.urn: facet for facet in FACETS}


@functools.cache
def entities(facet: str) -> tuple[Entity, ...]:
    """Every entity of ``facet`` (its short name), in catalog order; empty for an unknown facet."""
    return tuple(_build(facet))


def _build(facet: str) -> Iterable[Entity]:
    if facet in closed.FACETS:
        for urn, name, share, parent in closed.rows(facet):
            # An industry's cluster (similarEntities) is its top-level industry, a top-level
            # industry's its own URN (GUESS); flat lists have no clusters.
            cluster = (parent or urn) if facet == "industries" else ""
            yield Entity(urn, name, share, parent, cluster)
    elif facet in ("locations", "profileLocations"):
        for key, name, members, above, _ in geo.PLACES:
            yield Entity(
                f"urn:li:geo:{key}",
                name,
                members / geo.MEMBERS,
                None if above is None else f"urn:li:geo:{above}",
                cluster=geo.country_of(key),
            )
    elif facet in ("titles", "titlesPast", "titlesAll"):
        yield from _open(people.TITLES, "urn:li:title:", people.TITLE_SHARE)
    elif facet == "skills":
        yield from _open(people.SKILLS, "urn:li:skill:", people.SKILL_SHARE)
    elif facet in ("employers", "employersPast", "employersAll", "followedCompanies"):
        yield from _open(organizations.EMPLOYERS, "urn:li:organization:", organizations.EMPLOYER_SHARE)
    elif facet == "schools":
        yield from _open(organizations.SCHOOLS, "urn:li:organization:", organizations.SCHOOL_SHARE)


def _open(rows: Sequence[tuple[int, str, str]], prefix: str, share: float) -> Iterable[Entity]:
    """Open-list rows ``(id, name, cluster)``; shares fall with the row's place in its list (the
    lists are written roughly most common first), between ``share`` and a tenth of it."""
    count = max(len(rows) - 1, 1)
    for n, (key, name, cluster) in enumerate(rows):
        yield Entity(f"{prefix}{key}", name, share * (1 - 0.9 * n / count), cluster=cluster)


@functools.cache
def _by_urn(facet: str) -> dict[str, Entity]:
    return {entity.urn: entity for entity in entities(facet)}


def find(facet: str, urn: str) -> Entity | None:
    """The entity ``urn`` of ``facet`` (None when the catalog does not hold it)."""
    return _by_urn(facet).get(urn)


@functools.cache
def _any_facet() -> dict[str, tuple[str, Entity]]:
    """URN -> (facet, entity): the first facet in table order that holds it (q=urns)."""
    found: dict[str, tuple[str, Entity]] = {}
    for facet in FACETS:
        for entity in entities(facet.name):
            found.setdefault(entity.urn, (facet.name, entity))
    return found


# The facet a URN is named under by q=urns when it belongs to several (titles, titlesPast, …):
# the current-position facet, as LinkedIn's own lookup of a title names it (GUESS).
_PREFERRED = {"urn:li:title:": "titles", "urn:li:organization:": "employers", "urn:li:geo:": "locations"}


def lookup(urn: str) -> tuple[str, Entity] | None:
    """(facet, entity) of any URN the catalog holds, for ``q=urns``."""
    for prefix, facet in _PREFERRED.items():
        if urn.startswith(prefix):
            entity = find(facet, urn)
            if entity is not None:
                return facet, entity
    return _any_facet().get(urn)


_WORD = re.compile(r"[\w+#.]+", re.UNICODE)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: "Île-de-France" and "ile" meet, "São" and "sao"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    return [w.strip(".") for w in _WORD.findall(_fold(text)) if w.strip(".")]


def typeahead(facet: str, query: str) -> list[Entity]:
    """Entities of ``facet`` whose name matches ``query``: every query word is a prefix of a word of
    the name (case- and accent-insensitive). Ranked: exact name, then names starting with the query, then by
    member share (most members first), then by name."""
    wanted = _words(query)
    if not wanted:
        return []
    exact = _fold(query.strip())
    hits = []
    for entity in entities(facet):
        words = _words(entity.name)
        if all(any(w.startswith(q) for w in words) for q in wanted):
            name = _fold(entity.name)
            rank = 0 if name == exact else 1 if name.startswith(exact) else 2
            hits.append((rank, -entity.share, entity.name, entity))
    hits.sort(key=lambda hit: hit[:3])
    return [hit[3] for hit in hits]


def similar(facet: str, urns: Sequence[str]) -> list[Entity]:
    """Entities of ``facet`` sharing a cluster with any of ``urns`` (not themselves), most members first."""
    given = [find(facet, urn) for urn in urns]
    clusters = {e.cluster for e in given if e is not None and e.cluster}
    skip = set(urns)
    found = [e for e in entities(facet) if e.cluster in clusters and e.urn not in skip]
    return sorted(found, key=lambda e: (-e.share, e.name))


__all__ = [
    "FACETS",
    "FACET_BY_NAME",
    "FACET_BY_URN",
    "FACET_PREFIX",
    "Entity",
    "Facet",
    "entities",
    "find",
    "lookup",
    "similar",
    "typeahead",
]
