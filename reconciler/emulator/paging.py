"""Paging of finder results: cursor (``pageSize``/``pageToken``) and index (``start``/``count``).

Owns: the opaque page token and the three paging modes of a finder call (reference §2.8):

* cursor — ``pageSize`` (default 100, capped per resource) and ``pageToken``; the response carries
  ``metadata.nextPageToken`` only when more rows exist;
* index — ``start`` (default 0) and ``count`` (default 10, max 1000), ``paging.total`` and a
  ``next`` link;
* unpaged — no paging parameter at all: everything at once, unless more than the resource's
  unpaged cap match (the documented 400s).

Page tokens look like LinkedIn's (base64 of a small protobuf message: field 1 the offset, field 2
the page size, field 3 the last key returned), so a token LinkedIn issued — e.g. ``CAIQAhoA`` in
the recorded requests — decodes too and resumes by offset. A cursor by key survives inserts and
deletes between pages; the scan resumes with ``id > last`` on the store's primary key.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from reconciler.emulator.errors import ApiError, param_invalid
from reconciler.emulator.restli import Params
from reconciler.emulator.store import Entity

MAX_COUNT = 1000
INT_MAX = 2**31 - 1  # Rest.li int parameters are 32-bit


@dataclass(frozen=True)
class Token:
    """Decoded page token: rows already returned, page size, last key returned (None: use offset)."""

    offset: int
    size: int
    last: int | None


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def encode_token(token: Token) -> str:
    """The opaque, URL-safe text of ``token``."""
    last = b"" if token.last is None else str(token.last).encode()
    raw = (
        b"\x08" + _varint(token.offset) + b"\x10" + _varint(token.size) + b"\x1a" + _varint(len(last)) + last
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_token(text: str) -> Token:
    """Parse a token (URL-safe or standard base64); ValueError when it is not one."""
    cleaned = text.strip().replace(" ", "+").replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc
    fields: dict[int, Any] = {}
    pos = 0
    while pos < len(raw):
        tag, pos = _read_varint(raw, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            fields[number], pos = _read_varint(raw, pos)
        elif wire == 2:
            length, pos = _read_varint(raw, pos)
            fields[number], pos = raw[pos : pos + length], pos + length
        else:
            raise ValueError("unsupported wire type")
    last = fields.get(3, b"")
    if not isinstance(fields.get(1, 0), int) or not isinstance(last, bytes) or (last and not last.isdigit()):
        raise ValueError("malformed token")
    return Token(int(fields.get(1, 0)), int(fields.get(2, 0)), int(last) if last else None)


def _read_varint(raw: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(raw) or shift > 63:
            raise ValueError("truncated varint")
        byte = raw[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


class Scan(Protocol):
    """The store query: (key, entity) pairs after a key in the requested order. ``want`` says how
    many the caller means to take, if it knows (a page and one more), so no more are decoded."""

    def __call__(self, after: int | None, want: int | None = None) -> Iterator[tuple[int, Entity]]: ...


@dataclass(frozen=True)
class Limits:
    """Per-resource paging limits and the answer to an unpaged call that matches too much."""

    max_page_size: int
    unpaged_cap: int | None  # None: an unpaged call is a cursor call with the default page size
    too_many: ApiError | None


def count_too_large() -> ApiError:
    """The documented 400 for ``count`` > 1000, and for an unpaged account or group search
    that would return more than 100 entities (reference §2.8)."""
    message = "Specified count is larger than 1000"
    return ApiError(
        400, "PARAM_INVALID", message, body={"status": 400, "code": "PARAM_INVALID", "message": message}
    )


def int_param(params: Params, name: str, default: int, low: int, high: int = INT_MAX) -> int:
    """An integer query parameter within bounds, else the documented PARAM_INVALID. Rest.li's
    ``start`` and ``count`` are 32-bit ints: a larger value is invalid (and could not be echoed)."""
    raw = params.get(name)
    if raw is None:
        return default
    if not isinstance(raw, str) or not raw.lstrip("-").isdigit():
        raise param_invalid(name)
    value = int(raw)
    if value < low or value > high:
        raise param_invalid(name)
    return value


def page(params: Params, scan: Scan, limits: Limits, *, with_total: bool = False) -> dict[str, Any]:
    """The finder response body for ``params`` over the matches ``scan`` yields."""
    if "pageSize" in params or "pageToken" in params:
        return _cursor(params, scan, limits, with_total)
    if "start" in params or "count" in params:
        return index_page(params, scan)
    if limits.unpaged_cap is None:
        return _cursor(params, scan, limits, with_total)
    rows = _take(scan(None), limits.unpaged_cap + 1)
    if len(rows) > limits.unpaged_cap and limits.too_many is not None:
        raise limits.too_many
    return {
        "elements": [e for _, e in rows],
        "paging": {"start": 0, "count": len(rows), "links": []},
        "metadata": {},
    }


def _take(rows: Iterator[tuple[int, Entity]], n: int) -> list[tuple[int, Entity]]:
    out = []
    for row in rows:
        out.append(row)
        if len(out) >= n:
            break
    return out


def _cursor(params: Params, scan: Scan, limits: Limits, with_total: bool) -> dict[str, Any]:
    size = int_param(params, "pageSize", 100, 1, limits.max_page_size)
    raw_token = params.get("pageToken")
    token = Token(0, size, None)
    if raw_token is not None:
        try:
            if not isinstance(raw_token, str) or not raw_token:
                raise ValueError("one non-empty pageToken expected")
            token = decode_token(raw_token)
        except ValueError:
            raise param_invalid("pageToken") from None
    skip = token.offset if token.last is None else 0
    rows = scan(token.last, skip + size + 1)
    if token.last is None and token.offset:
        rows = _skip(rows, token.offset)
    got = _take(rows, size + 1)
    body: dict[str, Any] = {
        "elements": [e for _, e in got[:size]],
        "paging": {"start": token.offset, "count": size, "links": []},
        "metadata": {},
    }
    if len(got) > size:
        body["metadata"]["nextPageToken"] = encode_token(Token(token.offset + size, size, got[size - 1][0]))
    if with_total:
        body["paging"]["total"] = sum(1 for _ in scan(None))
    return body


def _skip(rows: Iterator[tuple[int, Entity]], n: int) -> Iterator[tuple[int, Entity]]:
    for i, row in enumerate(rows):
        if i >= n:
            yield row


def index_page(params: Params, scan: Scan) -> dict[str, Any]:
    start = int_param(params, "start", 0, 0)
    raw = params.get("count")
    if isinstance(raw, str) and raw.isdigit() and int(raw) > MAX_COUNT:
        raise count_too_large()
    count = int_param(params, "count", 10, 0, MAX_COUNT)
    rows = list(scan(None))
    chosen = rows[start : start + count]
    links = []
    if start + count < len(rows):
        links.append(
            {"rel": "next", "href": f"?start={start + count}&count={count}", "type": "application/json"}
        )
    return {
        "elements": [e for _, e in chosen],
        "paging": {"start": start, "count": count, "total": len(rows), "links": links},
        "metadata": {},
    }
