"""Paths given by the user -> the manifest files to read, their bytes, and a project checksum.

A path may be a file (read whatever its extension) or a directory (every ``*.yaml`` / ``*.yml``
below it, recursively, in sorted order, skipping hidden files and directories such as ``.git`` or
``.reconciler``). Files are named as the user gave them (``examples/quickstart/main.yaml``), never
resolved to absolute paths. Missing paths, empty directories, unreadable and oversized files become
Problems; nothing here raises for a user mistake.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reconciler.errors import Position, Problem
from reconciler.manifest.loader import MAX_FILE_BYTES

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ManifestFile:
    """One file to read: ``name`` as shown to the user, ``key`` its name relative to the path given."""

    name: str
    key: str
    path: Path


def discover(paths: Sequence[str | Path]) -> tuple[list[ManifestFile], list[Problem]]:
    """The manifest files under ``paths`` (each file once), and the problems with the paths."""
    files: list[ManifestFile] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for given in paths:
        found, problem = _expand(Path(given))
        if problem:
            problems.append(problem)
        for item in found:
            real = item.path.resolve()
            if real not in seen:
                seen.add(real)
                files.append(item)
    return files, problems


def _expand(path: Path) -> tuple[list[ManifestFile], Problem | None]:
    if path.is_file():
        return [ManifestFile(str(path), path.name, path)], None
    if not path.exists():
        return [], Problem(None, "", f"{path}: no such file or directory")
    if not path.is_dir():
        return [], Problem(None, "", f"{path}: not a file or directory")
    found = [ManifestFile(str(path / rel), rel.as_posix(), path / rel) for rel in _yaml_below(path)]
    if not found:
        return [], Problem(None, "", f"{path}: no .yaml or .yml files in this directory")
    return found, None


def _yaml_below(root: Path) -> list[PurePosixPath]:
    out: list[PurePosixPath] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(folder).relative_to(root)
        out.extend(
            PurePosixPath(rel.as_posix(), name)
            for name in names
            if name.endswith(SUFFIXES) and not name.startswith(".")
        )
    return sorted(out)


def read(file: ManifestFile) -> bytes | Problem:
    """The file's bytes, or a Problem saying why they cannot be had."""
    where = Position(file.name, 1, 1)
    try:
        size = file.path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Problem(
                where, "", f"the file is {size / (1024 * 1024):.1f} MB; manifests may be at most 10 MB"
            )
        return file.path.read_bytes()
    except OSError as err:
        return Problem(where, "", f"cannot read the file: {err.strerror or err}")


def checksum(contents: Sequence[tuple[ManifestFile, bytes]]) -> str:
    """sha256 over each file's name (relative to the path given) and bytes, in a stable order.

    The order of the paths given and the directory they are given from do not change it; any
    change to a file's bytes, or a file added, removed or renamed, does.
    """
    entries = sorted((file.key, hashlib.sha256(raw).hexdigest()) for file, raw in contents)
    digest = hashlib.sha256()
    for key, content in entries:
        digest.update(f"{key}\0{content}\n".encode())
    return digest.hexdigest()
