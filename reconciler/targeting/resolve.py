"""Targeting names -> URNs through LinkedIn's catalog: the matching rules ``reconciler lock`` uses.

A name is looked up in its facet: an open facet (one that offers the ``TYPEAHEAD`` finder: titles,
skills, employers, places) is asked once per distinct name, all names at once; a closed list (only
``AD_TARGETING_FACET``: seniorities, job functions, staff count ranges) is read whole once. Typeahead
is preferred when a facet offers both: reading a list the size of LinkedIn's places whole would take
thousands of pages. Then, comparing names without regard to case:

- one entry has exactly that name (Unicode form and runs of spaces aside): the name is pinned to
  its URN;
- several entries have exactly that name: ambiguous, they are listed with their URNs (write the URN);
- no entry has that name, several contain it (or LinkedIn suggests several): ambiguous, they are
  listed (write one of those names exactly as shown, or a URN);
- otherwise the name is unknown, with the closest names LinkedIn has, if any.

A name is never pinned to an entry whose name differs from it, so a pin never surprises a reviewer.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.api.targeting import Facet, TargetingCatalog, TargetingEntity
from reconciler.errors import Position, Problem

SHOWN = 10  # candidates listed in one problem


@dataclass(frozen=True)
class Use:
    """A name as the manifests write it: its facet, and every place it is written."""

    facet: str
    name: str
    places: tuple[tuple[Position, str], ...]  # (file:line:col, field path)


@dataclass
class Resolution:
    """What a look-up found: ``pins`` facet -> name -> URN, and a problem per place of a name that
    could not be pinned (unknown or ambiguous)."""

    pins: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def resolve_names(catalog: TargetingCatalog, uses: Sequence[Use]) -> Resolution:
    """Look every name of ``uses`` up in ``catalog`` (each distinct name once)."""
    out = Resolution()
    facets = catalog.facets() if uses else {}
    catalog.prefetch(
        (use.facet, use.name)
        for use in uses
        if (facet := facets.get(use.facet)) is not None and facet.searchable
    )
    for use in sorted(uses, key=lambda u: (u.facet, u.name)):
        facet = facets.get(use.facet)
        if facet is None or not (facet.closed or facet.searchable):
            out.problems.extend(_problems(use, _no_lookup(use.facet, facet), search=False))
            continue
        found = _match(use, _candidates(catalog, facet, use.name), whole=not facet.searchable)
        if isinstance(found, TargetingEntity):
            out.pins.setdefault(use.facet, {})[use.name] = found.urn
        else:
            out.problems.extend(_problems(use, found))
    return out


def candidates(catalog: TargetingCatalog, facet_name: str, text: str) -> list[TargetingEntity]:
    """The entries of ``facet_name`` that ``reconciler targeting search`` shows for ``text``: exact
    names first, then the rest in the catalog's order; an empty text lists a closed list whole."""
    facet = catalog.facets().get(facet_name)
    if facet is None or not (facet.closed or facet.searchable):
        raise LookupError(_no_lookup(facet_name, facet))
    if not text and facet.closed:
        return list(catalog.entities(facet.name))
    found = _candidates(catalog, facet, text)
    if not facet.searchable and text:
        found = [e for e in found if _fold(text) in _fold(e.name)] or _close(text, found)
    exact = [e for e in found if _fold(e.name) == _fold(text)]
    return exact + [e for e in found if e not in exact]


def _candidates(catalog: TargetingCatalog, facet: Facet, name: str) -> list[TargetingEntity]:
    if facet.searchable:
        return list(catalog.typeahead(facet.name, name)) if name else []
    return list(catalog.entities(facet.name))


def _match(use: Use, entries: Sequence[TargetingEntity], *, whole: bool) -> TargetingEntity | str:
    """The one entry named as ``use`` says, or why there is none (a message). ``whole``: the entries
    are a whole closed list (else LinkedIn's suggestions for the name)."""
    name, what = use.name, f"{use.facet} name"
    unique = list({e.urn: e for e in entries}.values())
    exact = [e for e in unique if _fold(e.name) == _fold(name)]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return (
            f"'{name}' is an ambiguous {what}: {len(exact)} entries have it: {_listed(exact)}; "
            "write the URN of the one you mean instead of the name"
        )
    near = [e for e in unique if _fold(name) in _fold(e.name)] if whole else unique
    if len(near) > 1:
        return (
            f"'{name}' is an ambiguous {what}: {len(near)} entries match it: {_listed(near)}; write one "
            "of these names exactly as shown, or its URN"
        )
    close = near or _close(name, unique)
    guess = f"; did you mean {_listed(close)}?" if close else ""
    return f"unknown {what} '{name}': LinkedIn has no entry of that name{guess}"


def _close(name: str, entries: Sequence[TargetingEntity]) -> list[TargetingEntity]:
    by_name = {_fold(e.name): e for e in entries}
    return [by_name[n] for n in difflib.get_close_matches(_fold(name), list(by_name), n=3, cutoff=0.6)]


def _listed(entries: Sequence[TargetingEntity]) -> str:
    shown = ", ".join(f"'{e.name}' ({e.urn})" for e in entries[:SHOWN])
    more = f" and {len(entries) - SHOWN:,} more" if len(entries) > SHOWN else ""
    return shown + more


def _fold(text: str) -> str:
    """Names compared as a reader sees them: one Unicode form (NFC: an 'ã' typed as 'a' and a
    combining tilde is the same letter), runs of spaces as one, case aside."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _no_lookup(name: str, facet: Facet | None) -> str:
    if facet is None:
        return f"LinkedIn lists no targeting facet '{name}' to look names up in; write its values as URNs"
    return f"LinkedIn offers no look-up by name in {name}; write its values as URNs"


def _problems(use: Use, message: str, *, search: bool = True) -> list[Problem]:
    hint = (
        f" (reconciler targeting search '{use.name}' --facet {use.facet} lists candidates)" if search else ""
    )
    return [Problem(where, path, message + hint) for where, path in use.places]
