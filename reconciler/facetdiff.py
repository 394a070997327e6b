"""Targeting compared facet by facet: which values a change adds and removes, for people.

A ``targetingCriteria`` in API form is an AND of OR-clauses to include and one OR-clause to exclude,
each clause mapping facet URNs (``urn:li:adTargetingFacet:seniorities``) to value URNs. Printed whole
it is one long line, and two such lines that differ by one value look the same once cut. Here each
side becomes ``(section, facet) -> values`` and the difference is told per facet: ``exclude
seniorities: + Entry``. Every value is kept: nothing here cuts.

Pure functions over JSON values, no imports from the package: the planner (``--explain``), the
review of a plan and the renderers (which draw saved plans without the model) all use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FACET_PREFIX = "urn:li:adTargetingFacet:"
FIELD = "targetingCriteria"


@dataclass(frozen=True)
class FacetChange:
    """The values of one facet of one section (``include``, ``include (clause 2)``, ``exclude``)
    that a change adds and removes (URNs, sorted), and how many it keeps."""

    section: str
    facet: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    kept: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form the plan carries (``targetingDiff``)."""
        return {
            "section": self.section,
            "facet": self.facet,
            "added": list(self.added),
            "removed": list(self.removed),
        }


def short(facet: str) -> str:
    """A facet's short name: ``urn:li:adTargetingFacet:locations`` -> ``locations``."""
    return str(facet).removeprefix(FACET_PREFIX)


def facet_values(criteria: Any) -> dict[tuple[str, str], tuple[str, ...]]:
    """``(section, facet short name) -> sorted values`` of a targetingCriteria (empty when it is not
    one). A facet that appears in one include clause is in section ``include``; one that appears in
    several is told apart by clause, ``include (clause N)``, so no value is merged away."""
    if not isinstance(criteria, Mapping):
        return {}
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    include = criteria.get("include")
    clauses = include.get("and") if isinstance(include, Mapping) else None
    items = clauses if isinstance(clauses, list) else []
    ors: list[Mapping[str, Any]] = [
        c["or"] for c in items if isinstance(c, Mapping) and isinstance(c.get("or"), Mapping)
    ]
    seen: dict[str, int] = {}
    for clause in ors:
        for facet in clause:
            seen[short(facet)] = seen.get(short(facet), 0) + 1
    for number, clause in enumerate(ors, start=1):
        for facet, values in clause.items():
            name = short(facet)
            section = "include" if seen[name] == 1 else f"include (clause {number})"
            out[(section, name)] = _sorted(values)
    exclude = criteria.get("exclude")
    excluded = exclude.get("or") if isinstance(exclude, Mapping) else None
    if isinstance(excluded, Mapping):
        for facet, values in excluded.items():
            out[("exclude", short(facet))] = _sorted(values)
    return out


def facet_changes(old: Any, new: Any) -> list[FacetChange]:
    """Per facet, what going from ``old`` to ``new`` adds and removes; facets that do not change are
    left out. With ``old`` None (a create) every facet of ``new`` is all added. Sorted by section
    (include first) and facet."""
    before, after = facet_values(old), facet_values(new)
    out: list[FacetChange] = []
    for key in sorted(set(before) | set(after), key=_order):
        was, now = set(before.get(key, ())), set(after.get(key, ()))
        if was == now:
            continue
        out.append(
            FacetChange(key[0], key[1], tuple(sorted(now - was)), tuple(sorted(was - now)), len(was & now))
        )
    return out


def name_of(urn: str, names: Mapping[str, str]) -> str:
    """A value by name where ``names`` knows it, else its URN."""
    return names.get(urn) or urn


def describe(change: FacetChange, names: Mapping[str, str]) -> list[str]:
    """One line per direction: ``+ exclude seniorities: Entry`` and ``- include locations: Canada``."""
    lines = []
    if change.added:
        lines.append(f"+ {change.section} {change.facet}: {_listed(change.added, names)}")
    if change.removed:
        lines.append(f"- {change.section} {change.facet}: {_listed(change.removed, names)}")
    return lines


def describe_all(old: Any, new: Any, names: Mapping[str, str]) -> list[str]:
    """Every line of :func:`describe` for the change from ``old`` to ``new``; for a create (``old``
    None) the facets of ``new`` without signs (``include locations: United States, Canada``)."""
    if old is None:
        return [
            f"{section} {facet}: {_listed(values, names)}"
            for (section, facet), values in sorted(facet_values(new).items(), key=lambda i: _order(i[0]))
        ]
    return [line for change in facet_changes(old, new) for line in describe(change, names)]


def urns_in(criteria: Iterable[Any]) -> set[str]:
    """Every value URN of the given targetingCriteria."""
    return {value for item in criteria for values in facet_values(item).values() for value in values}


def _listed(values: Iterable[str], names: Mapping[str, str]) -> str:
    """Values joined by ``, ``; a name holding a comma is quoted, so a reviewer sees where each one
    ends (``Software Development, "Technology, Information and Internet"``)."""
    return ", ".join(_quoted(name_of(v, names)) for v in values)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '\\"') + '"' if "," in name or name.startswith('"') else name


def _sorted(values: Any) -> tuple[str, ...]:
    if isinstance(values, list | tuple):
        return tuple(sorted(str(v) for v in values))
    return (str(values),)


def _order(key: tuple[str, str]) -> tuple[int, str, str]:
    return (1 if key[0] == "exclude" else 0, key[0], key[1])
