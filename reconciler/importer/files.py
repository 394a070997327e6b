"""Writing imported manifests: never over an existing file unless forced, and a schema reference
that works from where the files land.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from reconciler.errors import ConfigError
from reconciler.importer.build import SCHEMA_ID, ImportedFile

SCHEMA_PATH = Path("schemas") / "manifest.schema.json"


def schema_reference(out: Path) -> str:
    """The schema as seen from ``out``: a relative path when a ``schemas/manifest.schema.json`` sits
    in ``out`` or one of its parents (a checkout of this project, or a repository that copied the
    schema), else the schema's ``$id`` URL."""
    start = out.resolve()
    for folder in (start, *start.parents):
        if (folder / SCHEMA_PATH).is_file():
            return Path(os.path.relpath(folder / SCHEMA_PATH, start)).as_posix()
    return SCHEMA_ID


def write_files(out: Path, files: Sequence[ImportedFile], *, force: bool = False) -> list[Path]:
    """Write ``files`` under ``out``; the paths written. Refuses (ConfigError, nothing written) when
    any of them exists, unless ``force``."""
    targets = [(out / item.path, item) for item in files]
    existing = [str(path) for path, _ in targets if path.exists()]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
        raise ConfigError(f"refusing to overwrite {shown}; use --force, or choose another --out")
    written: list[Path] = []
    for path, item in targets:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(item.text, encoding="utf-8")
        except OSError as err:
            raise ConfigError(f"cannot write {path}: {err.strerror}") from err
        written.append(path)
    return written
