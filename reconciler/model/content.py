"""Creative content made from the repository: the ad kinds whose text and files the manifests hold.

A :class:`ManagedContent` is one creative's ``content`` of one kind (image, video, carousel, …): the
manifest's body for that kind as JSON values, and the files it names, read and hashed once by the
loader. Files are named by their path relative to the project root, so the same file reached from
two manifests is one :class:`AssetFile`. What LinkedIn is sent for it (uploads, posts, InMail or
conversation contents, dynamic-ad bodies) is the API layer's business, not this module's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

KINDS = (
    "image",
    "video",
    "carousel",
    "document",
    "article",
    "event",
    "message",
    "conversation",
    "follower",
    "spotlight",
    "jobs",
)
MEDIA = ("image", "video", "document", "captions")

# Where each kind names a file: field name -> media. A carousel's cards each name one image.
FILE_FIELDS: dict[str, dict[str, str]] = {
    "image": {"file": "image"},
    "video": {"file": "video", "thumbnail": "image", "captions": "captions"},
    "carousel": {},  # cards[*].file, see file_fields()
    "document": {"file": "document"},
    "article": {"thumbnail": "image"},
    "event": {},
    "message": {"banner": "image"},
    "conversation": {},
    "follower": {"logo": "image"},
    "spotlight": {"logo": "image", "backgroundImage": "image"},
    "jobs": {"logo": "image", "backgroundImage": "image"},
}

# The call-to-action labels of a sponsored post (Posts API ``contentCallToActionLabel``): image,
# video and carousel ads.
POST_CALL_TO_ACTIONS = (
    "APPLY",
    "DOWNLOAD",
    "VIEW_QUOTE",
    "LEARN_MORE",
    "SIGN_UP",
    "SUBSCRIBE",
    "REGISTER",
    "JOIN",
    "ATTEND",
    "REQUEST_DEMO",
    "SEE_MORE",
    "BUY_NOW",
    "SHOP_NOW",
)
# The buttons of Follower and Jobs ads (dynamic ads' ``callToAction``). Not quoted from LinkedIn's
# reference pages, which give no list; taken from public client code of the dynamic ads API.
DYNAMIC_CALL_TO_ACTIONS = (
    "VISIT_ORGANIZATION_COMPANY_PAGE",
    "VISIT_ORGANIZATION_LIFE_PAGE",
    "VISIT_ORGANIZATION_JOBS_PAGE",
    "VISIT_ORGANIZATION_CAREERS_PAGE",
)

JsonPath = tuple[str | int, ...]
# The fingerprint's canonical JSON: ``json.dumps(sort_keys=True, separators=(",", ":"),
# ensure_ascii=False)`` in UTF-8. Posts carry the fingerprint (their dscName mark), so these bytes
# must never change. orjson writes the same bytes for strings (every character escaped alike, keys in
# the same order), exact ints within 64 bits, booleans, null, lists and str-keyed dicts, and does so
# ten times faster (15,000 fingerprints at the limits); a body holding anything else (a float, which
# orjson writes differently, a bigger int, a subclass) is written by json itself. See
# tests/test_fingerprint.py.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_INT_RANGE = range(-(2**63), 2**64)  # what orjson writes as an exact int


@dataclass(frozen=True)
class AssetFile:
    """One file of the repository that a creative uploads.

    ``path`` is relative to the project root (posix), e.g. ``assets/launch.png``: what the plan shows
    and the lock file records. ``media`` is ``image``, ``video``, ``document`` or ``captions``.
    """

    path: str
    sha256: str
    size: int
    media: str


def file_fields(kind: str, spec: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """Every file field ``spec`` (a body of ``kind``) sets, in spec order: its path within the body
    (``("file",)``, ``("cards", 0, "file")``) and the media it holds."""
    if kind == "carousel":
        cards = spec.get("cards")
        # A value of another type is the schema's to report; here it names no file.
        for index, card in enumerate(cards if isinstance(cards, list | tuple) else ()):
            if isinstance(card, Mapping) and card.get("file") is not None:
                yield ("cards", index, "file"), "image"
        return
    for name, media in FILE_FIELDS.get(kind, {}).items():
        if spec.get(name) is not None:
            yield (name,), media


@dataclass(frozen=True)
class ManagedContent:
    """A creative's content of one :data:`KINDS` kind, made from the manifest and its files.

    ``spec`` is the manifest's body for that kind as JSON values, keys as in the manifest, with
    every file field holding its :attr:`AssetFile.path`; it is not to be mutated. ``files`` lists
    every file the spec names, in spec order, without duplicates. Equal contents have equal specs
    and equal file bytes (the files compare by sha256).
    """

    kind: str
    spec: Mapping[str, Any]
    files: tuple[AssetFile, ...] = ()

    def __hash__(self) -> int:
        return hash((self.kind, self.fingerprint()))

    def fingerprint(self) -> str:
        """sha256 (hex) of the canonical JSON of ``{kind: spec}`` with each file path replaced by the
        file's sha256: equal when what LinkedIn would show is equal, wherever the files live.

        Worked out once, on first use, and kept in the instance (not with ``cached_property``, whose
        lock on Python 3.11 costs a sixth of it)."""
        found: str | None = self.__dict__.get("_fingerprint")
        if found is None:
            digests = {item.path: item.sha256 for item in self.files}
            found = hashlib.sha256(canonical_json({self.kind: self.spec}, self.kind, digests)).hexdigest()
            self.__dict__["_fingerprint"] = found
        return found

    def file(self, path: str) -> AssetFile:
        """The :class:`AssetFile` of a path the spec names (KeyError when it names none)."""
        for item in self.files:
            if item.path == path:
                return item
        raise KeyError(path)

    def to_api(self) -> dict[str, Any]:
        """``{kind: spec}``: the manifest's form, for plans and diffs only. What LinkedIn is sent is
        built by the API layer (uploads first); this is no request body."""
        return {self.kind: _plain(self.spec)}


def canonical_json(document: Mapping[str, Any], kind: str, digests: Mapping[str, str]) -> bytes:
    """The canonical JSON (UTF-8) of ``document`` (``{kind: spec}``) with each file path of the spec
    replaced by its digest (``digests``: path -> sha256; a path it lacks is kept)."""
    try:
        return orjson.dumps(_replace_files(kind, _simple(document), digests), option=orjson.OPT_SORT_KEYS)
    except (_Unusual, orjson.JSONEncodeError):  # orjson refuses a surrogate, or nesting past 254
        return _CANONICAL.encode(_replace_files(kind, _plain(document), digests)).encode("utf-8")


def _replace_files(kind: str, document: dict[str, Any], digests: Mapping[str, str]) -> dict[str, Any]:
    """``document`` (a copy of ``{kind: spec}``), its file paths replaced by their digests in place."""
    body = document[kind]
    for path, _media in file_fields(kind, body):
        node: Any = body
        for part in path[:-1]:
            node = node[part]
        value = node[path[-1]]
        node[path[-1]] = digests.get(value, value)
    return document


class _Unusual(Exception):
    """A value whose canonical JSON orjson is not known to write as json does."""


def _simple(value: Any) -> Any:
    """A deep copy of JSON values as plain dicts and lists, of exactly the types orjson writes as json
    does (see ``_CANONICAL``); :class:`_Unusual` for any other."""
    kind = type(value)
    if kind in _STRINGLIKE:
        return value
    if kind is int:
        if value in _INT_RANGE:
            return value
        raise _Unusual
    if kind is dict or isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out[key] = item if type(item) in _STRINGLIKE else _simple(item)  # most are strings
        return out
    if kind is list or kind is tuple:
        return [_simple(item) for item in value]
    raise _Unusual


_STRINGLIKE = frozenset({str, bool, type(None)})  # written alike, taken as they are


def _plain(value: Any) -> Any:
    """A deep copy of JSON values as plain dicts and lists."""
    kind = type(value)
    # The exact types first: the abstract Mapping check costs ten times more, and every creative's
    # fingerprint (15,000 at the limits) copies its spec.
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is dict or isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if kind is list or isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


__all__ = [
    "DYNAMIC_CALL_TO_ACTIONS",
    "FILE_FIELDS",
    "KINDS",
    "MEDIA",
    "POST_CALL_TO_ACTIONS",
    "AssetFile",
    "ManagedContent",
    "file_fields",
]
