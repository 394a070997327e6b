"""targetingCriteria structure, facet caps and include/exclude overlap (reference §4.4)."""

from __future__ import annotations

from typing import Any

from reconciler.emulator.errors import Problems

FACET_PREFIX = "urn:li:adTargetingFacet:"
# Facets allowed 200 values instead of 100.
_WIDE = frozenset({"employers", "employersPast", "employersAll", "locations", "profileLocations"})
LOCATION_FACETS = frozenset({"locations", "profileLocations"})


def facet_cap(facet_urn: str) -> int:
    """How many values one facet may hold."""
    return 200 if facet_urn.removeprefix(FACET_PREFIX) in _WIDE else 100


def check_targeting(problems: Problems, value: Any, path: str = "targetingCriteria") -> set[str]:
    """Validate ``{include: {and: [{or: {facet: [..]}}]}, exclude: {or: {..}}}``.

    Returns the short names of the included facets (e.g. ``locations``) for activation checks.
    """
    if value is None:
        return set()
    if not isinstance(value, dict) or not set(value) <= {"include", "exclude"}:
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must hold only include and exclude")
        return set()
    included = _include(problems, value.get("include"), f"{path}/include")
    excluded = _exclude(problems, value.get("exclude"), f"{path}/exclude")
    for facet, values in excluded.items():
        both = sorted(set(values) & set(included.get(facet, [])))
        if both:
            problems.add(
                "FIELD_CANNOT_BE_BOTH_IN_INCLUDED_AND_EXCLUDED_TARGETING",
                f"{path}/exclude/or/{facet}",
                f"{', '.join(both)} can't be both included and excluded",
            )
    return {facet.removeprefix(FACET_PREFIX) for facet in included}


def _exclude(problems: Problems, value: Any, path: str) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) != {"or"}:
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must be {{or: {{facet: [values]}}}}")
        return {}
    return _or_map(problems, value["or"], f"{path}/or")


def _include(problems: Problems, value: Any, path: str) -> dict[str, list[str]]:
    if value is None:
        problems.add("MISSING_FIELD", path, f"{path} is required but missing")
        return {}
    clauses = value.get("and") if isinstance(value, dict) and set(value) == {"and"} else None
    if not isinstance(clauses, list) or not clauses:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", path, f"{path} must be {{and: [{{or: {{facet: [values]}}}}]}}"
        )
        return {}
    merged: dict[str, list[str]] = {}
    for i, clause in enumerate(clauses):
        if not isinstance(clause, dict) or set(clause) != {"or"}:
            problems.add(
                "INVALID_VALUE_FOR_FIELD", f"{path}/and/{i}", f"{path}/and/{i} must be {{or: {{…}}}}"
            )
            continue
        for facet, values in _or_map(problems, clause["or"], f"{path}/and/{i}/or").items():
            merged.setdefault(facet, []).extend(values)
    return merged


def _or_map(problems: Problems, value: Any, path: str) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must map facet URNs to value lists")
        return {}
    good: dict[str, list[str]] = {}
    for facet, values in value.items():
        where = f"{path}/{facet}"
        if not facet.startswith(FACET_PREFIX) or len(facet) == len(FACET_PREFIX):
            problems.add("INVALID_VALUE_FOR_FIELD", where, f"{facet!r} is not an adTargetingFacet URN")
        elif not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            problems.add("INVALID_VALUE_FOR_FIELD", where, f"{where} must be a non-empty list of URNs")
        elif len(set(values)) != len(values):
            problems.add("INVALID_VALUE_DUPLICATE_EXIST", where, f"{where} contains duplicate values")
        elif len(values) > facet_cap(facet):
            problems.add(
                "FIELD_VALUE_TOO_HIGH",
                where,
                f"{where} has {len(values)} values; at most {facet_cap(facet)} allowed",
            )
        else:
            good[facet] = values
    return good
