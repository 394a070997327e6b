"""Which files of a managed content are uploaded, and under which key the lock file records each.

A file the kind sends (an image ad's ``file``, a card's ``file``, a logo, a banner, …) is one upload,
keyed by its sha256. A video is uploaded with its thumbnail and captions, which belong to that video
asset: such a video is keyed by the sha256 of the three digests, so a new thumbnail makes a new
upload and an unchanged trio is never uploaded twice.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reconciler.adcontent.render import (
    CARD_FIELDS,
    DYNAMIC_FIELDS,
    DYNAMIC_KINDS,
    FILE_FIELDS,
    INMAIL_FIELDS,
    POST_FIELDS,
    POST_KINDS,
    get,
)

MEDIA = frozenset({"image", "video", "document"})
VIDEO_EXTRAS = ("thumbnail", "captions")  # initializeUpload's uploadThumbnail / uploadCaptions


@dataclass(frozen=True)
class Upload:
    """One asset to have: ``key`` is the lock's sha256 key; ``extras`` the (slot, path, sha256) of a
    video's thumbnail and captions."""

    key: str
    media: str
    path: str
    size: int
    sha256: str
    extras: tuple[tuple[str, str, str], ...] = ()


def uploads_of(kind: str, spec: Mapping[str, Any], files: Sequence[Mapping[str, Any]]) -> list[Upload]:
    """The uploads of one content (``files`` as the plan lists them: path, sha256, size, media)."""
    by_path = {str(f["path"]): f for f in files}
    out = []
    for path in _sent_paths(kind, spec):
        found = by_path.get(path)
        if found is None or found["media"] not in MEDIA:
            continue
        sha = str(found["sha256"])
        extras: tuple[tuple[str, str, str], ...] = ()
        if kind == "video":
            extras = tuple(
                (slot, str(spec[slot]), str(by_path[str(spec[slot])]["sha256"]))
                for slot in VIDEO_EXTRAS
                if spec.get(slot) and str(spec[slot]) in by_path
            )
        key = _combined(sha, extras) if extras else sha
        out.append(Upload(key, str(found["media"]), path, int(found["size"]), sha, extras))
    return out


def keys_by_path(kind: str, spec: Mapping[str, Any], files: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each uploaded path -> its lock key."""
    return {u.path: u.key for u in uploads_of(kind, spec, files)}


def _combined(sha: str, extras: tuple[tuple[str, str, str], ...]) -> str:
    text = "+".join([sha, *(f"{slot}:{digest}" for slot, _, digest in extras)])
    return hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def _file_fields(kind: str) -> tuple[str, ...]:
    """The (dotted) fields of a kind that send a file."""
    if kind in POST_KINDS:
        fields = [f for f, _ in POST_FIELDS[kind]]
    elif kind in DYNAMIC_KINDS:
        fields = list(DYNAMIC_FIELDS)
    elif kind == "message":
        fields = [f for f, _ in INMAIL_FIELDS]
    else:
        fields = []
    return tuple(f for f in fields if f.rsplit(".", 1)[-1] in FILE_FIELDS)


def _sent_paths(kind: str, spec: Mapping[str, Any]) -> list[str]:
    """The file paths the kind sends, in spec order."""
    paths = [str(value) for f in _file_fields(kind) if (value := get(spec, f))]
    if kind == "carousel":
        for card in spec.get("cards") or ():
            paths.extend(str(card[f]) for f, _ in CARD_FIELDS if f in FILE_FIELDS and card.get(f))
    return list(dict.fromkeys(paths))
