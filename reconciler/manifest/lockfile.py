"""The lock file: what the manifests name, pinned to what LinkedIn calls it.

``reconciler.lock.yaml`` sits in the project root (the directory given as a path, or the directory
of a file given) and is committed beside the manifests, so validation and plans are reproducible
and work offline. It has two sections:

- ``targeting``: facet (``seniorities``) -> display name (``Director``) -> URN, written by
  ``reconciler lock`` (and ``import``), read by validate, plan and apply;
- ``assets``: sha256 of an uploaded file -> its first path, size and, per owner, the asset URN.

Each writer changes only its own section and keeps the other as it found it. The file is written
with every key sorted and one value per line, so that re-running a writer with nothing new changes
no byte, and a change is a small, readable diff.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reconciler.errors import ManifestError, Position, Problem
from reconciler.manifest.document import Document, JsonPath, format_path
from reconciler.manifest.loader import parse_document

LOCK_NAME = "reconciler.lock.yaml"
VERSION = 1
HEADER = (
    "# Pins targeting names and uploaded files to LinkedIn URNs, so plans are reproducible offline.\n"
    "# Written by `reconciler lock` (targeting) and `reconciler apply` (assets); commit it.\n"
)


@dataclass
class AssetPin:
    """One uploaded file under one or more owners.

    ``file`` is the path it was first seen at, relative to the lock's directory (posix); ``urns``
    maps an owner URN (``urn:li:organization:N``) to the asset URN uploaded for it.
    """

    sha256: str
    size: int
    file: str
    urns: dict[str, str] = field(default_factory=dict)


@dataclass
class LockFile:
    """A lock file's contents. ``assets`` is keyed by sha256; ``targeting`` maps a facet name to
    display name -> URN."""

    path: Path
    assets: dict[str, AssetPin] = field(default_factory=dict)
    targeting: dict[str, dict[str, str]] = field(default_factory=dict)

    def pinned(self, facet: str, name: str) -> str | None:
        """The URN ``name`` is pinned to in ``facet``, or None."""
        return self.targeting.get(facet, {}).get(name)

    def names(self, facet: str) -> dict[str, str]:
        """URN -> display name for ``facet`` (the first name, in sorted order, pinned to each URN)."""
        out: dict[str, str] = {}
        for name, urn in sorted(self.targeting.get(facet, {}).items()):
            out.setdefault(urn, name)
        return out


def project_root(path: Path) -> Path:
    """The project root of a path given: the directory itself, or the directory of a file."""
    return path if path.is_dir() else path.parent


def lock_path(roots: Sequence[Path]) -> Path:
    """Where the lock of the paths given lives: in the first path's project root."""
    if not roots:
        return Path(LOCK_NAME)
    return project_root(Path(roots[0])) / LOCK_NAME


def load_lock(roots: Sequence[Path]) -> LockFile:
    """The lock of the paths given (files or directories), each distinct root's lock merged.

    ``path`` is :func:`lock_path` (where a write goes). A missing file is an empty lock; where two
    roots pin the same key differently, the first path's root wins. ManifestError, with
    file:line:col, for a lock file that cannot be read or is not a lock.
    """
    merged = LockFile(lock_path(roots))
    seen: set[Path] = set()
    problems: list[Problem] = []
    for given in roots:
        file = project_root(Path(given)) / LOCK_NAME
        real = Path(os.path.realpath(file))
        if real in seen or not file.exists():
            continue
        seen.add(real)
        one = _read(file, problems)
        if one is not None:
            _merge_into(merged, one)
    if problems:
        raise ManifestError(problems)
    return merged


def save_lock(lock: LockFile) -> None:
    """Write ``lock`` to ``lock.path`` atomically (a temporary file renamed over it), keys sorted."""
    text = dump_lock(lock)
    target = lock.path
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{LOCK_NAME}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def dump_lock(lock: LockFile) -> str:
    """The text :func:`save_lock` writes: header, ``version``, ``assets``, ``targeting``, sorted."""
    assets = {
        sha: {"file": pin.file, "size": pin.size, "urns": dict(sorted(pin.urns.items()))}
        for sha, pin in sorted(lock.assets.items())
    }
    targeting = {
        facet: dict(sorted(names.items())) for facet, names in sorted(lock.targeting.items()) if names
    }
    data = {"version": VERSION, "assets": assets, "targeting": targeting}
    body = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1 << 16, indent=2
    )
    return HEADER + body


def _merge_into(into: LockFile, other: LockFile) -> None:
    for sha, pin in other.assets.items():
        have = into.assets.get(sha)
        if have is None:
            into.assets[sha] = AssetPin(pin.sha256, pin.size, pin.file, dict(pin.urns))
        else:
            for owner, urn in pin.urns.items():
                have.urns.setdefault(owner, urn)
    for facet, names in other.targeting.items():
        mine = into.targeting.setdefault(facet, {})
        for name, urn in names.items():
            mine.setdefault(name, urn)


def _read(file: Path, problems: list[Problem]) -> LockFile | None:
    shown = str(file)
    if not file.is_file():  # a FIFO would wait for a writer; a directory is no lock either
        problems.append(
            Problem(Position(shown, 1, 1), "", "cannot read the lock file: it is not a regular file")
        )
        return None
    try:
        raw = file.read_bytes()
    except OSError as err:
        problems.append(
            Problem(Position(shown, 1, 1), "", f"cannot read the lock file: {err.strerror or err}")
        )
        return None
    parsed = parse_document(shown, raw)
    if parsed.problems or parsed.document is None:
        problems.extend(parsed.problems)
        return None
    return _Reader(parsed.document, problems).lock(file)


class _Reader:
    """Checks a parsed lock document's shape, collecting a Problem at each wrong value."""

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems

    def bad(self, path: JsonPath, message: str) -> None:
        self.problems.append(Problem(self.doc.position(path), format_path(path), message))

    def mapping(self, path: JsonPath, value: Any) -> Mapping[str, Any] | None:
        if value is None and path:
            return {}
        if not isinstance(value, dict):
            self.bad(path, "must be a mapping" + (" (is this a reconciler lock file?)" if not path else ""))
            return None
        return value

    def lock(self, file: Path) -> LockFile | None:
        before = len(self.problems)
        top = self.mapping((), self.doc.data)
        if top is None:
            return None
        for key in sorted(set(top) - {"version", "assets", "targeting"}):
            self.bad((key,), f"unknown key '{key}'; a lock file has version, assets and targeting")
        if top.get("version") != VERSION:
            self.bad(("version",), f"version must be {VERSION}; this lock was written by another reconciler")
        lock = LockFile(file, self.assets(top.get("assets")), self.targeting(top.get("targeting")))
        return lock if len(self.problems) == before else None

    def assets(self, value: Any) -> dict[str, AssetPin]:
        out: dict[str, AssetPin] = {}
        section = self.mapping(("assets",), value) or {}
        for sha, entry in section.items():
            path: JsonPath = ("assets", sha)
            body = self.mapping(path, entry)
            if body is None:
                continue
            file, size = body.get("file"), body.get("size")
            if not isinstance(file, str):
                self.bad((*path, "file"), "must be the file's path (a string)")
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                self.bad((*path, "size"), "must be the file's size in bytes")
            urns = self.strings((*path, "urns"), body.get("urns"))
            if isinstance(file, str) and isinstance(size, int):
                out[sha] = AssetPin(sha, size, file, urns)
        return out

    def targeting(self, value: Any) -> dict[str, dict[str, str]]:
        section = self.mapping(("targeting",), value) or {}
        return {facet: self.strings(("targeting", facet), names) for facet, names in section.items()}

    def strings(self, path: JsonPath, value: Any) -> dict[str, str]:
        body = self.mapping(path, value) or {}
        out: dict[str, str] = {}
        for key, urn in body.items():
            if isinstance(urn, str) and urn.startswith("urn:li:"):
                out[key] = urn
            else:
                self.bad((*path, key), "must be a URN (urn:li:...)")
        return out
