"""Writing imported manifests: never over an existing file unless forced, and a schema reference
that works from where the files land.
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
