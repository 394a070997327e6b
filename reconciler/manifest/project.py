"""A project (the manifest paths given) -> the desired state, or every problem found.

The one pipeline: discover files -> read -> parse YAML (loader) -> JSON Schema -> build records ->
merge accounts split across files -> resolve targeting -> semantic rules -> model. Each stage
collects problems and the next runs on what is still sound, so one run reports every problem it can
find, sorted by file, line and column. No stage prints; no stage raises for a user mistake except
:func:`load_project`, which raises one ManifestError carrying them all.
"""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from reconciler.errors import ManifestError, Position, Problem
from reconciler.gcpause import paused_gc
from reconciler.manifest.assets import AssetStore
from reconciler.manifest.build import Builder, FilePart
from reconciler.manifest.desired import ResourcePositions, build_model
from reconciler.manifest.lockfile import LockFile, load_lock, lock_path
from reconciler.manifest.managed import AssetContext
from reconciler.manifest.merge import AccountRec, merge_parts
from reconciler.manifest.names import Pins, UnpinnedName
from reconciler.manifest.offload import check_all
from reconciler.manifest.rules import account_rules
from reconciler.manifest.sources import ManifestFile, checksum_of, digest, discover, read
from reconciler.manifest.split import check_selection
from reconciler.manifest.targeting import resolve_targeting
from reconciler.model import Account, Targeting

ResourcePath = tuple[str, ...]


@dataclass(frozen=True)
class DesiredState:
    """What the manifests ask for.

    ``accounts`` sorted by id; ``files`` the files read, as named to the user; ``checksum`` a sha256
    of the files' names and bytes that does not depend on the order or location the paths were
    given from; ``positions`` where each resource was written, keyed by its resource path
    ``(account id, group name[, campaign name[, creative name]])`` (the account's own key is
    ``(account id,)``); ``audiences`` each account's named audiences as model Targeting;
    ``account_files`` the files that name each account, in the order they were read;
    ``asset_sources`` where to read the bytes of each file creatives name, by sha256 (the resolved
    path of the first file seen with that content), so uploads need not find the project again;
    ``names`` the name the lock file pins to a targeting URN (URN -> name), for showing URNs as
    people wrote them.
    """

    accounts: tuple[Account, ...]
    checksum: str
    files: tuple[str, ...]
    positions: Mapping[ResourcePath, Position] = field(default_factory=lambda: MappingProxyType({}))
    audiences: Mapping[int, Mapping[str, Targeting]] = field(default_factory=lambda: MappingProxyType({}))
    account_files: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    asset_sources: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def counts(self) -> dict[str, int]:
        """How many files, accounts, groups, campaigns and creatives the manifests describe."""
        return {
            "files": len(self.files),
            "accounts": len(self.accounts),
            "groups": sum(len(a.groups) for a in self.accounts),
            "campaigns": sum(1 for a in self.accounts for _ in a.campaigns()),
            "creatives": sum(1 for a in self.accounts for _ in a.creatives()),
        }

    def summary(self) -> str:
        """``2 files, 1 account, 1 group, 2 campaigns, 3 creatives``."""
        return ", ".join(f"{n:,} {noun if n != 1 else noun[:-1]}" for noun, n in self.counts().items())


@paused_gc()
def load_project(
    paths: Sequence[str | Path],
    *,
    on_account: Callable[[int], None] | None = None,
    accounts: Collection[int] | None = None,
    pins: Pins | None = None,
) -> DesiredState:
    """Load, validate and build the desired state of the manifests at ``paths`` (files or directories).

    Raises ManifestError with every problem found, sorted by file, line and column. ``on_account``,
    if given, is called with an account's id as soon as a file naming it has been read without a
    problem (once per such file), so that a caller may start reading the account while the rest loads.

    ``accounts``, when given, selects those ad accounts: every file is still read and validated (a
    problem anywhere fails the load), but the state holds only them and the files that name them,
    and ``on_account`` hears only of them. ``checksum`` stays that of every file, so plans made
    account by account of one commit carry the same checksum. ConfigError for an id no manifest names.

    Targeting names are turned into URNs through ``pins``, by default those of the lock file of the
    paths' roots (:func:`~reconciler.manifest.lockfile.load_lock`); a name it does not pin is an
    :class:`~reconciler.manifest.names.UnpinnedName` problem, and ``pins.used`` collects the pins
    the manifests use. The checksum covers those, so moving a name to another URN changes it.
    """
    if not paths:
        raise ManifestError([Problem(None, "", "no manifest paths given")])
    if accounts is not None and on_account is not None:
        on_account = _only(frozenset(accounts), on_account)
    files, problems = discover(paths)
    lock_problems: list[Problem] = []
    pins = pins or project_pins(paths, lock_problems)
    state, _ = load_files(files, problems, on_account, pins=pins, store=AssetStore())
    problems = with_lock_problems(problems, lock_problems)
    if problems:
        raise ManifestError(sort_problems(problems))
    return state if accounts is None else select_accounts(state, accounts)


def load_files(
    files: Sequence[ManifestFile],
    problems: list[Problem],
    on_account: Callable[[int], None] | None = None,
    *,
    pins: Pins,
    store: AssetStore,
) -> tuple[DesiredState, list[tuple[str, str]]]:
    """Read, validate and build ``files`` (already discovered): their desired state, and each file's
    :func:`~reconciler.manifest.sources.digest`. Every problem found is appended to ``problems``;
    when there is one, the state holds no account (its model is built only from sound records).

    Files of a project may be loaded in several calls, each with every file of its accounts (see
    :mod:`~reconciler.manifest.split`), all with the same ``pins`` (the project's:
    :func:`project_pins`) and ``store`` (each file creatives name is then read once, and
    ``asset_sources`` grows with each load); the project's checksum is then
    ``with_pins(checksum_of(all the digests), pins)`` once every file is loaded.
    """
    contents: list[tuple[ManifestFile, bytes]] = []
    found: list[Problem] = []
    for file in files:
        raw = read(file)
        if isinstance(raw, Problem):
            found.append(raw)
        else:
            contents.append((file, raw))
    digests = [digest(file, raw) for file, raw in contents]
    parts = _parts(contents, found, store, on_account)
    del contents  # the bytes: parts keep what is needed
    records = _accounts(parts, found, pins)
    problems.extend(found)
    names = tuple(file.name for file in files)
    if found:
        return DesiredState((), with_pins(checksum_of(digests), pins), names), digests
    built = build_model(records)
    state = DesiredState(
        accounts=tuple(built.accounts),
        checksum=with_pins(checksum_of(digests), pins),
        files=names,
        positions=ResourcePositions(built.positions),
        audiences=MappingProxyType(built.audiences),
        account_files=MappingProxyType(_files_by_account(parts)),
        asset_sources=MappingProxyType(dict(store.sources)),
        names=MappingProxyType(pins.names()),
    )
    return state, digests


def select_accounts(state: DesiredState, ids: Collection[int]) -> DesiredState:
    """``state`` with only the accounts ``ids`` and the files naming them; ConfigError naming every
    id no manifest has."""
    check_selection({account.id for account in state.accounts}, ids)
    wanted = set(ids)
    named = {f for i in wanted for f in state.account_files.get(i, ())}
    return replace(
        state,
        accounts=tuple(a for a in state.accounts if a.id in wanted),
        files=tuple(f for f in state.files if f in named),
        audiences=MappingProxyType({i: a for i, a in state.audiences.items() if i in wanted}),
        account_files=MappingProxyType({i: f for i, f in state.account_files.items() if i in wanted}),
    )


def _only(wanted: frozenset[int], hear: Callable[[int], None]) -> Callable[[int], None]:
    def heard(account_id: int) -> None:
        if account_id in wanted:
            hear(account_id)

    return heard


def _files_by_account(parts: Sequence[FilePart]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for part in parts:
        files = out.setdefault(int(part.account.get("id")), [])
        if part.doc.file not in files:
            files.append(part.doc.file)
    return {account_id: tuple(files) for account_id, files in sorted(out.items())}


def validate_paths(paths: Sequence[str | Path]) -> list[Problem]:
    """Every problem with the manifests at ``paths``; an empty list when they are valid."""
    try:
        load_project(paths)
    except ManifestError as err:
        return list(err.problems)
    return []


def _parts(
    contents: Sequence[tuple[ManifestFile, bytes]],
    problems: list[Problem],
    store: AssetStore,
    on_account: Callable[[int], None] | None = None,
) -> list[FilePart]:
    parts = []
    checks = check_all([(file.name, raw) for file, raw in contents])
    for (file, _raw), checked in zip(contents, checks, strict=True):
        parsed, found, rejected = checked.parsed, checked.found, checked.rejected
        problems.extend(parsed.problems)
        if parsed.document is None:
            continue
        problems.extend(found)
        assets = AssetContext(store, str(file.path.parent), str(file.root))
        builder = Builder(parsed.document, rejected | parsed.reported, assets)
        part = builder.part()
        problems.extend(builder.problems)
        if part is not None:
            parts.append(part)
            if on_account is not None and not (parsed.problems or found or builder.problems):
                on_account(int(part.account.get("id")))
    return parts


def _lock_of(paths: Sequence[str | Path], problems: list[Problem]) -> LockFile:
    """The lock file of the paths' roots; an empty lock (and its problems) when it cannot be read."""
    roots = [Path(p) for p in paths]
    try:
        return load_lock(roots)
    except ManifestError as err:
        problems.extend(err.problems)
        return LockFile(lock_path(roots))


def project_pins(paths: Sequence[str | Path], problems: list[Problem]) -> Pins:
    """The pins of the lock file of the paths' roots (its problems appended to ``problems``)."""
    return Pins(_lock_of(paths, problems), hint=lock_hint(paths))


def with_lock_problems(problems: Sequence[Problem], lock_problems: Sequence[Problem]) -> list[Problem]:
    """``problems`` and those of the lock file. A lock that cannot be read pins nothing: its own
    problem is the one to fix, not every name it should pin (and 'reconciler lock' cannot help until
    it is fixed), so the unpinned names are then left out."""
    if not lock_problems:
        return list(problems)
    return [p for p in problems if not isinstance(p, UnpinnedName)] + list(lock_problems)


def lock_hint(paths: Sequence[str | Path]) -> str:
    """The command that pins the names of the manifests at ``paths``."""
    return "reconciler lock " + " ".join(shlex.quote(str(p)) for p in paths)


def with_pins(files_checksum: str, pins: Pins) -> str:
    """The files' checksum, mixed with the pins used when the manifests use names."""
    used = pins.fingerprint()
    if not used:
        return files_checksum
    return hashlib.sha256(f"{files_checksum}\0{used}".encode()).hexdigest()


def _accounts(parts: Sequence[FilePart], problems: list[Problem], pins: Pins) -> list[AccountRec]:
    accounts, found = merge_parts(parts)
    problems.extend(found)
    for account in accounts:
        problems.extend(resolve_targeting(account, pins))
        problems.extend(account_rules(account))
    return accounts


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """Problems without duplicates, those without a place first, then by file, line, column."""

    def key(problem: Problem) -> tuple[int, str, int, int, str, str]:
        pos = problem.position
        if pos is None:
            return (0, "", 0, 0, problem.path, problem.message)
        return (1, pos.file, pos.line, pos.column, problem.path, problem.message)

    return sorted(set(problems), key=key)
