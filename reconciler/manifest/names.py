"""Targeting values written by name, turned into URNs through the lock file.

A targeting value is a URN when it starts with ``urn:li:``, and a name otherwise (``Director``,
``United States``). Names are never looked up here: the lock file (``reconciler lock``) pins each
one to a URN, so loading stays offline and reproducible. A name the lock does not pin is an
:class:`UnpinnedName` problem at its file:line:col, with the command that pins it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reconciler.errors import Problem
from reconciler.manifest.build import Source
from reconciler.manifest.document import Loc
from reconciler.manifest.lockfile import LOCK_NAME, LockFile
from reconciler.manifest.schema import manifest_schema

URN_PREFIX = "urn:li:"


@functools.cache
def _urn_pattern(facet: str) -> re.Pattern[str] | None:
    """The schema's pattern for ``facet``'s values (a URN of the facet's type, or a name)."""
    facets = manifest_schema()["$defs"]["clause"]["properties"]
    pattern = facets.get(facet, {}).get("items", {}).get("pattern")
    return re.compile(pattern) if isinstance(pattern, str) else None


def _fits(facet: str, urn: str) -> bool:
    """Whether ``urn`` is a URN the manifest schema accepts in ``facet``."""
    pattern = _urn_pattern(facet)
    return is_urn(urn) and (pattern is None or pattern.search(urn) is not None)


def is_urn(value: str) -> bool:
    """Whether a targeting value is written as a URN (else it is a name)."""
    return value.startswith(URN_PREFIX)


@dataclass(frozen=True)
class UnpinnedName(Problem):
    """A targeting name the lock file does not pin (``facet`` is the manifest's short name)."""

    facet: str = ""
    name: str = ""


@dataclass
class Pins:
    """The lock's targeting pins as the manifests use them.

    ``hint`` is the command that pins missing names (``reconciler lock PATH``); ``used`` collects
    facet -> name -> URN for every pinned name the manifests hold.
    """

    lock: LockFile
    hint: str = "reconciler lock PATH"
    used: dict[str, dict[str, str]] = field(default_factory=dict)

    def translate(self, source: Source) -> list[Problem]:
        """Replace every name in ``source`` by its pinned URN (in place); a Problem per unpinned name.

        An unpinned name stays as written, so the checks that follow judge the targeting as meant
        (a location given by an unpinned name is still a location) and report only real mistakes.
        """
        problems: list[Problem] = []
        for clause, loc in source.include:
            for facet, values in list(clause.items()):
                clause[facet] = self._values(facet, values, loc.child(facet), problems)
        if source.exclude_loc is not None:
            for facet, values in list(source.exclude.items()):
                source.exclude[facet] = self._values(facet, values, source.exclude_loc.child(facet), problems)
        return problems

    def _values(self, facet: str, values: Sequence[str], loc: Loc, problems: list[Problem]) -> list[str]:
        out: list[str] = []
        for index, value in enumerate(values):
            if is_urn(value):
                out.append(value)
                continue
            urn = self.lock.pinned(facet, value)
            if urn is None or not _fits(facet, urn):
                problems.append(self._unpinned(facet, value, loc.child(index), urn))
                out.append(value)
            else:
                self.used.setdefault(facet, {})[value] = urn
                out.append(urn)
        return out

    def _unpinned(self, facet: str, name: str, loc: Loc, wrong: str | None) -> UnpinnedName:
        if wrong is None:
            why = f"{facet} name '{name}' is not pinned to a URN in {LOCK_NAME}"
        else:  # an edited or damaged lock: pinned, but not to a URN of this facet
            why = f"{LOCK_NAME} pins {facet} name '{name}' to '{wrong}', which is not a {facet} URN"
        message = f"{why}; run '{self.hint}' to look it up"
        return UnpinnedName(loc.position, loc.dotted, message, facet, name)

    def names(self) -> dict[str, str]:
        """URN -> name for every name the lock pins (the first name in sorted order per URN)."""
        out: dict[str, str] = {}
        for facet in sorted(self.lock.targeting):
            for urn, name in self.lock.names(facet).items():
                out.setdefault(urn, name)
        return out

    def fingerprint(self) -> str:
        """A sha256 of the pins used (empty when no name is used), so a desired state's checksum
        changes when the lock moves a name to another URN."""
        if not self.used:
            return ""
        pins = {facet: dict(sorted(names.items())) for facet, names in sorted(self.used.items())}
        return hashlib.sha256(json.dumps(pins, sort_keys=True).encode()).hexdigest()
