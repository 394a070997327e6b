"""Targeting URNs -> the names an imported manifest writes instead, and the lock pins for them.

LinkedIn names a URN through ``adTargetingEntities?q=urns`` (the CLI asks; this module only
decides). A URN is written by name only when the name can be read back as that URN alone: a name
a manifest accepts (not empty, no surrounding or line-breaking whitespace, not starting with
``urn:li:``) that no other URN of the same facet shares in the imported targeting. Otherwise the
URN stays, so the manifests always mean exactly what is live.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from reconciler.model import Targeting, facet_name

FacetNames = dict[str, dict[str, str]]  # facet short name -> URN -> name


def targeting_urns(targetings: Iterable[Targeting | None]) -> dict[str, set[str]]:
    """Facet short name -> every value URN of ``targetings``."""
    urns: dict[str, set[str]] = {}
    for targeting in targetings:
        for clause in (*targeting.include, targeting.exclude) if targeting is not None else ():
            for facet, values in clause:
                urns.setdefault(facet_name(facet), set()).update(values)
    return urns


def targeting_names(targetings: Iterable[Targeting], named: Mapping[str, str]) -> FacetNames:
    """Facet -> URN -> name for every URN of ``targetings`` that ``named`` (URN -> name) names
    and that can be written by name."""
    urns = targeting_urns(targetings)
    out: FacetNames = {}
    for facet, used in sorted(urns.items()):
        usable = {u: named[u] for u in used if u in named and _writable(named[u])}
        counts: dict[str, int] = {}
        for name in usable.values():
            counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
        chosen = {u: n for u, n in sorted(usable.items()) if counts[n.casefold()] == 1}
        if chosen:
            out[facet] = chosen
    return out


def pins_of(names: FacetNames) -> dict[str, dict[str, str]]:
    """The lock's targeting pins for ``names``: facet -> name -> URN."""
    return {facet: {name: urn for urn, name in sorted(by_urn.items())} for facet, by_urn in names.items()}


def _writable(name: str) -> bool:
    return bool(name) and name == name.strip() and "\n" not in name and not name.startswith("urn:li:")
