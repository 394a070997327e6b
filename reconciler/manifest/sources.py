"""Paths given by the user -> the manifest files to read, their bytes, and a project checksum.

A path may be a file (read whatever its extension) or a directory (every ``*.yaml`` / ``*.yml``
below it, recursively, in sorted order, skipping hidden files and directories such as ``.git`` or
``.reconciler``, and the lock file ``reconciler.lock.yaml``, which is not a manifest). Files are
named as the user gave them (``examples/quickstart/main.yaml``), never resolved to absolute paths.
Missing paths, empty directories, unreadable and oversized files become Problems; nothing here
raises for a user mistake.

Only regular files are manifests: a symlink is followed to what it names, and a symlink loop, a
device (``/dev/zero``), a FIFO or a socket is a Problem naming its path. A read never takes more than
the size limit whatever ``stat`` says (a file may grow, or be swapped, between the look and the read),
and never waits on a FIFO (the file is opened non-blocking).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from reconciler.errors import Position, Problem
from reconciler.manifest.loader import MAX_FILE_BYTES
from reconciler.manifest.lockfile import LOCK_NAME

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ManifestFile:
    """One file to read: ``name`` as shown to the user, ``key`` its name relative to the path given."""

    name: str
    key: str
    path: Path

    @property
    def root(self) -> Path:
        """The project root this file was found under: the directory given, or the directory of a
        file given on its own. Files that creatives name must lie inside it."""
        return self.path.parents[len(PurePosixPath(self.key).parts) - 1]


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
            real = Path(os.path.realpath(item.path))  # never raises, even on a symlink loop
            if real not in seen:
                seen.add(real)
                files.append(item)
    return files, problems


def _expand(path: Path) -> tuple[list[ManifestFile], Problem | None]:
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return [], Problem(None, "", f"{path}: {_why(err)}")
    if stat.S_ISREG(mode):
        return [ManifestFile(str(path), path.name, path)], None
    if not stat.S_ISDIR(mode):
        return [], Problem(None, "", f"{path}: {_kind(mode)}, not a file or directory")
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
            if name.endswith(SUFFIXES) and not name.startswith(".") and name != LOCK_NAME
        )
    return sorted(out)


def read(file: ManifestFile) -> bytes | Problem:
    """The file's bytes, or a Problem saying why they cannot be had (not a regular file, a symlink
    loop, unreadable, larger than the limit)."""
    where = Position(file.name, 1, 1)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        fd = os.open(file.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        return Problem(where, "", f"cannot read the file: {_why(err)}")
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return Problem(where, "", f"not a regular file: {_kind(mode)}; manifests must be regular files")
        raw = _read_at_most(fd, MAX_FILE_BYTES + 1)
    except OSError as err:
        return Problem(where, "", f"cannot read the file: {_why(err)}")
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        return Problem(where, "", "the file is larger than 10 MB; manifests may be at most 10 MB")
    return raw


def _read_at_most(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from the open file ``fd``, however its size was reported."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _why(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "a symlink loop (a symlink that leads back to itself)"
    if err.errno == errno.ENOENT:
        return "no such file or directory"
    return str(err.strerror or err)


def _kind(mode: int) -> str:
    """What a file that is not a regular file or directory is, in words."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


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
