"""Writing imported manifests: never over an existing file unless forced, never through a symlink
or outside the output directory (forced or not), and a schema reference that works from where the
files land.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from reconciler.errors import ConfigError
from reconciler.importer.build import SCHEMA_FILE, ImportedFile
from reconciler.manifest.schema import schema_text

# Where a repository keeps the manifest schema, looked for in the output directory and its parents.
SCHEMA_PLACES = (Path(SCHEMA_FILE), Path("schemas") / SCHEMA_FILE)


def schema_reference(out: Path) -> str | None:
    """The manifest schema the user's repository holds, as seen from ``out``: the relative path of
    the first ``manifest.schema.json`` or ``schemas/manifest.schema.json`` found in ``out`` or one of
    its parents (this project's checkout has one; ``reconciler schema --out`` writes one); None when
    there is none."""
    start = out.resolve()
    for folder in (start, *start.parents):
        for place in SCHEMA_PLACES:
            if (folder / place).is_file():
                return Path(os.path.relpath(folder / place, start)).as_posix()
    return None


def schema_file() -> ImportedFile:
    """The packaged manifest schema as a file beside the imported ``account.yaml``: what the
    imported files' ``yaml-language-server`` line points at when the repository holds none."""
    return ImportedFile(SCHEMA_FILE, schema_text())


def write_files(out: Path, files: Sequence[ImportedFile], *, force: bool = False) -> list[Path]:
    """Write ``files`` under ``out``; the paths written. Refuses (ConfigError, nothing written) when
    any of them exists, unless ``force``; and, with or without ``force``, when any would be written
    through a symlink (the file itself or a folder below ``out``) or would land outside ``out``."""
    targets = [(out / item.path, item) for item in files]
    unsafe = [problem for item in files if (problem := _unsafe(out, Path(item.path)))]
    if unsafe:
        raise ConfigError(f"refusing to write {unsafe[0]}; nothing was written")
    existing = [str(path) for path, _ in targets if path.exists()]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
        raise ConfigError(f"refusing to overwrite {shown}; use --force, or choose another --out")
    written: list[Path] = []
    for path, item in targets:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(path, item.text)
        except OSError as err:
            raise ConfigError(f"cannot write {path}: {err.strerror}") from err
        written.append(path)
    return written


def _unsafe(out: Path, relative: Path) -> str | None:
    """Why writing ``relative`` under ``out`` might touch something outside it, or None."""
    path = out / relative
    if relative.is_absolute() or ".." in relative.parts:
        return f"{path}: it is outside {out}"
    step = out
    for part in relative.parts:
        step = step / part
        if step.is_symlink():
            return f"{path}: {step} is a symlink (import writes only inside --out, never through links)"
        if step != path and step.exists() and not step.is_dir():
            return f"{path}: {step} is not a directory"
    if path.exists() and not path.is_file():
        return f"{path}: it exists and is not a regular file"
    return None


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, never following a symlink put there since it was checked."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
