"""``reconciler lock``: pin every targeting name of the manifests in the lock file.

Names the lock already pins are kept as they are (no look-up), so a second run changes no byte and
makes no API call; ``refresh`` looks every name up again (a name it cannot pin again keeps its
pin, and is reported). Pins no manifest uses any more are dropped when the lock's directory itself
is given (given files alone, the others' pins are kept). The names that resolve are written even
when others do not; those come back as problems at each place they are written. Only the lock's
``targeting`` section is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reconciler.api.targeting import TargetingCatalog
from reconciler.errors import ManifestError, Position, Problem
from reconciler.manifest.lockfile import LockFile, dump_lock, load_lock, save_lock
from reconciler.manifest.names import Pins, UnpinnedName
from reconciler.manifest.project import load_project, lock_hint, sort_problems
from reconciler.targeting.resolve import Use, resolve_names

Pinned = dict[str, dict[str, str]]  # facet -> name -> URN


@dataclass
class LockResult:
    """What ``reconciler lock`` did: the lock as it now is, the pins added and removed (facet ->
    name -> URN), whether the file was written, and the names it could not pin."""

    lock: LockFile
    added: Pinned = field(default_factory=dict)
    removed: Pinned = field(default_factory=dict)
    written: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many names the lock pins."""
        return sum(len(names) for names in self.lock.targeting.values())


def lock_targeting(
    paths: Sequence[str | Path], catalog: TargetingCatalog, *, refresh: bool = False
) -> LockResult:
    """Pin the targeting names of the manifests at ``paths`` in the lock of the first path's root.

    With several roots, a name another root's lock pins is not looked up again, and the first
    root's lock gets every name the manifests use (its own ``assets`` kept as they are).

    ManifestError when the lock file or the manifests have problems other than unpinned names
    (nothing is looked up or written then).
    """
    if not paths:
        raise ManifestError([Problem(None, "", "no manifest paths given")])
    lock = load_lock([Path(p) for p in paths])  # every root's pins count as pinned
    own = load_lock([Path(paths[0])]) if len(paths) > 1 else lock  # the lock written: its assets kept
    start = LockFile(lock.path, lock.assets, {} if refresh else lock.targeting)
    pins = Pins(start, hint=lock_hint(paths))
    uses = _unpinned(paths, pins)
    found = resolve_names(catalog, uses)
    # A name --refresh cannot pin again (now unknown or ambiguous) keeps its pin: it is reported,
    # and the manifests still mean what they meant.
    kept = _pins_of(lock.targeting, uses) if refresh else {}
    wanted = _merged(_merged(kept, pins.used), found.pins)
    if not _whole_root(paths, own.path.parent):
        # Files given, not their directory: other manifests beside them may use the lock's other
        # pins, so none is dropped (running it on the directory drops the unused ones).
        wanted = _merged(own.targeting, wanted)
    result = LockResult(
        LockFile(own.path, own.assets, wanted),
        added=_minus(wanted, own.targeting),
        removed=_minus(own.targeting, wanted),
        problems=sort_problems(found.problems),
    )
    # The assets as they are now, not as first read: an apply may have pinned an upload meanwhile.
    result.lock.assets = load_lock([Path(paths[0])]).assets
    text = dump_lock(result.lock)
    if not own.path.exists() or own.path.read_text(encoding="utf-8") != text:
        save_lock(result.lock)
        result.written = True
    return result


def _pins_of(pinned: Pinned, uses: Sequence[Use]) -> Pinned:
    """The pins ``pinned`` holds for the names of ``uses``."""
    out: Pinned = {}
    for use in uses:
        urn = pinned.get(use.facet, {}).get(use.name)
        if urn is not None:
            out.setdefault(use.facet, {})[use.name] = urn
    return out


def _whole_root(paths: Sequence[str | Path], root: Path) -> bool:
    """Whether one of ``paths`` is the lock's directory itself (so every manifest using it was read)."""
    return any(Path(p).is_dir() and Path(p).resolve() == root.resolve() for p in paths)


def _unpinned(paths: Sequence[str | Path], pins: Pins) -> list[Use]:
    """Every name ``pins`` does not pin, with its places; ManifestError for any other problem."""
    try:
        load_project(paths, pins=pins)
    except ManifestError as err:
        others = [p for p in err.problems if not isinstance(p, UnpinnedName)]
        if others:
            raise ManifestError(others) from None
        return _uses([p for p in err.problems if isinstance(p, UnpinnedName)])
    return []


def _uses(problems: Sequence[UnpinnedName]) -> list[Use]:
    places: dict[tuple[str, str], list[tuple[Position, str]]] = {}
    for problem in problems:
        where = places.setdefault((problem.facet, problem.name), [])
        if problem.position is not None:
            where.append((problem.position, problem.path))
    return [Use(facet, name, tuple(where)) for (facet, name), where in sorted(places.items())]


def _merged(a: Pinned, b: Pinned) -> Pinned:
    out: Pinned = {facet: dict(names) for facet, names in a.items()}
    for facet, names in b.items():
        out.setdefault(facet, {}).update(names)
    return out


def _minus(a: Pinned, b: Pinned) -> Pinned:
    """The pins of ``a`` that ``b`` does not hold (or holds to another URN)."""
    out: Pinned = {}
    for facet, names in a.items():
        diff = {n: u for n, u in names.items() if b.get(facet, {}).get(n) != u}
        if diff:
            out[facet] = diff
    return out
