"""A project (the manifest paths given) -> the desired state, or every problem found.

The one pipeline: discover files -> read -> parse YAML (loader) -> JSON Schema -> build records ->
merge accounts split across files -> resolve targeting -> semantic rules -> model. Each stage
collects problems and the next runs on what is still sound, so one run reports every problem it can
find, sorted by file, line and column. No stage prints; no stage raises for a user mistake except
:func:`load_project`, which raises one ManifestError carrying them all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from reconciler.errors import ConfigError, ManifestError, Position, Problem
from reconciler.gcpause import paused_gc
from reconciler.manifest.assets import AssetStore
from reconciler.manifest.build import Builder, FilePart
from reconciler.manifest.desired import ResourcePositions, build_model
from reconciler.manifest.managed import AssetContext
from reconciler.manifest.merge import AccountRec, merge_parts
from reconciler.manifest.offload import check_all
from reconciler.manifest.rules import account_rules
from reconciler.manifest.sources import ManifestFile, checksum, discover, read
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
    path of the first file seen with that content), so uploads need not find the project again.
    """

    accounts: tuple[Account, ...]
    checksum: str
    files: tuple[str, ...]
    positions: Mapping[ResourcePath, Position] = field(default_factory=lambda: MappingProxyType({}))
    audiences: Mapping[int, Mapping[str, Targeting]] = field(default_factory=lambda: MappingProxyType({}))
    account_files: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    asset_sources: Mapping[str, Path] = field(default_factory=lambda: MappingProxyType({}))

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
) -> DesiredState:
    """Load, validate and build the desired state of the manifests at ``paths`` (files or directories).

    Raises ManifestError with every problem found, sorted by file, line and column. ``on_account``,
    if given, is called with an account's id as soon as a file naming it has been read without a
    problem (once per such file), so that a caller may start reading the account while the rest loads.

    ``accounts``, when given, selects those ad accounts: every file is still read and validated (a
    problem anywhere fails the load), but the state holds only them and the files that name them,
    and ``on_account`` hears only of them. ``checksum`` stays that of every file, so plans made
    account by account of one commit carry the same checksum. ConfigError for an id no manifest names.
    """
    if not paths:
        raise ManifestError([Problem(None, "", "no manifest paths given")])
    if accounts is not None and on_account is not None:
        on_account = _only(frozenset(accounts), on_account)
    files, problems = discover(paths)
    contents: list[tuple[ManifestFile, bytes]] = []
    for file in files:
        raw = read(file)
        if isinstance(raw, Problem):
            problems.append(raw)
        else:
            contents.append((file, raw))
    store = AssetStore()  # one per load: each file creatives name is read once
    parts = _parts(contents, problems, store, on_account)
    records = _accounts(parts, problems)
    if problems:
        raise ManifestError(sort_problems(problems))
    built = build_model(records)
    state = DesiredState(
        accounts=tuple(built.accounts),
        checksum=checksum(contents),
        files=tuple(file.name for file, _ in contents),
        positions=ResourcePositions(built.positions),
        audiences=MappingProxyType(built.audiences),
        account_files=MappingProxyType(_files_by_account(parts)),
        asset_sources=MappingProxyType(dict(store.sources)),
    )
    return state if accounts is None else select_accounts(state, accounts)


def select_accounts(state: DesiredState, ids: Collection[int]) -> DesiredState:
    """``state`` with only the accounts ``ids`` and the files naming them; ConfigError naming every
    id no manifest has."""
    known = {account.id for account in state.accounts}
    unknown = sorted(set(ids) - known)
    if unknown:
        names = ", ".join(str(i) for i in unknown)
        have = ", ".join(str(i) for i in sorted(known)) or "none"
        noun = "ad account" if len(unknown) == 1 else "ad accounts"
        raise ConfigError(f"no manifest names {noun} {names} (the manifests name: {have})")
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


def _accounts(parts: Sequence[FilePart], problems: list[Problem]) -> list[AccountRec]:
    accounts, found = merge_parts(parts)
    problems.extend(found)
    for account in accounts:
        problems.extend(resolve_targeting(account))
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
