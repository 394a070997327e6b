"""JSON in and out of the emulator: orjson for speed, within what it can hold exactly.

Responses (a page of 1,000 campaigns is 1.2 MB, ten times faster to write with orjson) and stored
entities go through orjson. It holds integers within 64 bits and refuses unpaired surrogates, which
the standard library would take; so a request body holding either is refused (LinkedIn's numeric
fields are 64-bit longs), and so is storing one (a seed file). What is stored always reads back
exactly as written.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS

# The deepest nesting a request body may have. LinkedIn's deepest documented body (targeting
# criteria: include -> and -> or -> facet -> values) is about eight levels; its own limit is not
# documented, so this one is a guess with a wide margin. Deeper input is refused with a 400, never
# followed into a recursion that would fail the request with a 500.
MAX_DEPTH = 64


class Unrepresentable(ValueError):
    """A value JSON can spell but the API (and orjson) cannot hold: an integer beyond 64 bits, an
    unpaired surrogate, or nesting deeper than :data:`MAX_DEPTH`."""


def parse_body(raw: bytes | str) -> Any:
    """A request body's value (null when empty). ValueError when it is not JSON, Unrepresentable
    when it holds a value the API cannot or nests too deeply."""
    try:
        value = json.loads(raw or b"null")  # the standard library's messages and leniency, as before
    except RecursionError:
        raise Unrepresentable(f"nesting deeper than {MAX_DEPTH} levels") from None
    if depth(value) > MAX_DEPTH:
        raise Unrepresentable(f"nesting deeper than {MAX_DEPTH} levels")
    check(value)
    return value


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply ``value`` nests (a scalar is 0, ``[]`` is 1), counted level by level without
    recursion; it stops counting past ``limit``."""
    frontier = [value] if isinstance(value, (dict, list)) else []
    levels = 0
    while frontier and levels <= limit:
        levels += 1
        below: list[Any] = []
        for item in frontier:
            below.extend(item.values() if type(item) is dict else item)
        frontier = [item for item in below if type(item) is dict or type(item) is list]
    return levels


def check(value: Any) -> None:
    """Unrepresentable if orjson cannot write ``value`` exactly."""
    try:
        orjson.dumps(value, option=_OPTIONS)
    except TypeError as error:
        raise Unrepresentable(f"a value out of range: {error}") from None


def dumps(value: Any, *, sort_keys: bool = False) -> bytes:
    """Compact JSON bytes; Unrepresentable (see :func:`check`) rather than a lossy text."""
    try:
        return orjson.dumps(value, option=_OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0))
    except TypeError as error:
        raise Unrepresentable(f"a value out of range: {error}") from None


def loads(text: bytes | str) -> Any:
    """The value of JSON written by :func:`dumps` (or by the standard library: older databases)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
