"""A project's manifest files grouped by the ad account each names, so each account can be loaded
(and read and planned) on its own, with memory bounded by the largest account rather than the sum.

Every file is read once here only to tell its account (:func:`~reconciler.manifest.sniff.account_of`,
a few YAML events) and its bytes are dropped; :func:`~reconciler.manifest.project.load_files` reads
each group again when its turn comes. When any file's account cannot be told that way, the project
is one group holding every file (``accounts`` None): loaded in one piece, as it always could be.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from reconciler.errors import ConfigError, ManifestError, Problem
from reconciler.manifest.sniff import account_of
from reconciler.manifest.sources import ManifestFile, discover, read


@dataclass(frozen=True)
class FileGroup:
    """Files to load together: every file naming ``account`` (None: the whole project, in one piece)."""

    account: int | None
    files: tuple[ManifestFile, ...]


def group_files(paths: Sequence[str | Path]) -> tuple[list[FileGroup], list[Problem]]:
    """The files under ``paths`` grouped by account, in account order, and the problems met finding
    them (a missing path, an unreadable file: the load must fail on them). ManifestError when no
    path is given."""
    if not paths:
        raise ManifestError([Problem(None, "", "no manifest paths given")])
    files, problems = discover(paths)
    groups: dict[int, list[ManifestFile]] = {}
    whole = False
    for file in files:
        raw = read(file)
        account = account_of(raw) if isinstance(raw, bytes) else None
        if account is None:
            whole = True  # loading reports why (an unreadable file is read, and refused, again)
        else:
            groups.setdefault(account, []).append(file)
    if whole:
        return [FileGroup(None, tuple(files))], problems
    return [FileGroup(account, tuple(groups[account])) for account in sorted(groups)], problems


def check_selection(known: Collection[int], ids: Collection[int]) -> None:
    """ConfigError naming every id of ``ids`` that no manifest names (``known``: the ids they name)."""
    unknown = sorted(set(ids) - set(known))
    if unknown:
        names = ", ".join(str(i) for i in unknown)
        have = ", ".join(str(i) for i in sorted(known)) or "none"
        noun = "ad account" if len(unknown) == 1 else "ad accounts"
        raise ConfigError(f"no manifest names {noun} {names} (the manifests name: {have})")
