"""Names for what import writes: file names of campaign groups, names of extracted audiences, and
manifest-safe entity names.

Everything here is a pure function of the live names and ids, so the same account always gives the
same names (stable diffs when an account is imported again).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence

MAX_SLUG = 60
MAX_GROUP_NAME = 100
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPACES = re.compile(r"\s+")


def slug(name: str, fallback: str) -> str:
    """``Brand — H1 2027`` -> ``brand-h1-2027``: ASCII letters and digits joined by ``-``.

    ``fallback`` when nothing of the name survives (a name in another script, say).
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = _NOT_SLUG.sub("-", ascii_text).strip("-")[:MAX_SLUG].strip("-")
    return text or fallback


def group_file_stems(groups: Sequence[tuple[int, str]]) -> dict[int, str]:
    """A file stem per group id: the slug of its name; groups whose slugs collide get ``-<id>``."""
    by_slug: dict[str, list[int]] = defaultdict(list)
    for group_id, name in groups:
        by_slug[slug(name, f"group-{group_id}")].append(group_id)
    stems: dict[int, str] = {}
    for stem, ids in by_slug.items():
        for group_id in ids:
            stems[group_id] = stem if len(ids) == 1 else f"{stem}-{group_id}"
    return stems


def audience_names(count: int) -> list[str]:
    """``audience-01`` … : zero-padded to the width of ``count`` (at least two digits)."""
    width = max(2, len(str(count)))
    return [f"audience-{n:0{width}d}" for n in range(1, count + 1)]


def manifest_name(name: str, entity_id: int, kind: str, *, limit: int | None = None) -> str:
    """A name the manifest schema accepts: one line, trimmed, non-empty (and at most ``limit``).

    Returns the live name unchanged whenever it is already acceptable.
    """
    text = _SPACES.sub(" ", name).strip() if not _acceptable(name) else name
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip()
    return text or f"{kind} {entity_id}"


def _acceptable(name: str) -> bool:
    return bool(name) and name == name.strip() and "\n" not in name and "\r" not in name


def unique_names(items: Iterable[tuple[int, str]], *, limit: int | None = None) -> dict[int, str]:
    """Sibling names made unique: every name shared by several siblings gets `` (id N)`` (the name
    cut so that the whole stays within ``limit``)."""
    pairs = list(items)
    seen: dict[str, int] = defaultdict(int)
    for _, name in pairs:
        seen[name] += 1
    out: dict[int, str] = {}
    for entity_id, name in pairs:
        if seen[name] == 1:
            out[entity_id] = name
            continue
        suffix = f" (id {entity_id})"
        base = name if limit is None else name[: max(limit - len(suffix), 1)].rstrip()
        out[entity_id] = base + suffix
    return out
