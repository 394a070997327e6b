"""Reading an answer: its body bounded in size and time, scrubbed of credentials, parsed as JSON.

Every byte a server sends passes :func:`read_body` (the size cap and the deadline) and
:func:`scrub_bytes` (the one redaction of known credentials, applied before anything parses the
body, so an echoed token cannot reach an error, an entity name, a plan or a report). JSON strings
written with escapes could spell a credential the byte scrub cannot see: when a body holds a
backslash-u or backslash-slash escape, :func:`parse_json` scrubs every string again once decoded
(a body without them, the common case, is not walked). Anything that is not the JSON object the
caller needs becomes :class:`~reconciler.errors.BadAnswer`, one line naming the request and what was wrong.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import orjson

from reconciler.api.auth import MIN_SECRET_LENGTH, REDACTED, Secret
from reconciler.errors import BadAnswer, TransportError, clip

# The largest answer read. A page of 1,000 campaigns is about 1.2 MB (5 MB with wide targeting);
# anything near this is not an answer LinkedIn gives.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
# Digits that may spell an integer orjson cannot hold (outside -2**63 .. 2**64-1), see _loads: with
# every digit made 0, a run of 20 (or 19 after a minus) is a plain substring search. (A regular
# expression stops at every 19-digit URN id: ten times slower.)
_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG = (b"0" * 20, b"-" + b"0" * 19)


_SPENT = httpx.ByteStream(b"")  # what a read response's stream becomes (see read_body)


def read_body(
    response: httpx.Response, *, deadline: float, limit: int, method: str, path: str, timeout: float
) -> bytes:
    """The whole body of a streamed ``response`` (decoded), closing it whatever happens.

    BadAnswer when it is larger than ``limit`` bytes (announced or sent); TransportError when it
    has not all arrived by ``deadline`` (``time.monotonic()``), whatever pace the server keeps.
    """
    try:
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > limit:
            raise _too_big(limit, method, path, response.status_code)
        chunks: list[bytes] = []
        size = 0
        for chunk in _decoded(response, method, path):
            size += len(chunk)
            if size > limit:
                raise _too_big(limit, method, path, response.status_code)
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise TransportError(
                    f"the answer did not arrive within {timeout:g} s (--timeout); the server is too slow",
                    status=response.status_code,
                    method=method,
                    path=path,
                )
        return b"".join(chunks)
    finally:
        response.close()
        # httpx binds a streamed response's stream to the response (to set ``elapsed`` on close):
        # a reference cycle, with the request, headers and decoder hanging off it, that only the
        # cyclic collector would free. Read and closed, the stream has nothing more to give.
        response.stream = _SPENT


def _decoded(response: httpx.Response, method: str, path: str) -> Iterator[bytes]:
    """The body's bytes as sent, undone of its Content-Encoding; BadAnswer when that is broken."""
    try:
        yield from response.iter_bytes()
    except httpx.DecodingError:
        encoding = clip(response.headers.get("content-encoding", ""), 40)
        raise BadAnswer(
            f"the answer's {encoding!r} content encoding is broken",
            status=response.status_code,
            method=method,
            path=path,
        ) from None


def _too_big(limit: int, method: str, path: str, status: int) -> BadAnswer:
    return BadAnswer(
        f"the answer is larger than {limit // (1024 * 1024)} MB", status=status, method=method, path=path
    )


def scrub_bytes(content: bytes, secrets: Iterable[Secret]) -> bytes:
    """``content`` with every credential (as sent, in UTF-8) replaced by ``***``."""
    for secret in secrets:
        raw = secret.reveal().encode("utf-8", "surrogatepass")
        if len(raw) >= MIN_SECRET_LENGTH and raw in content:
            content = content.replace(raw, REDACTED.encode())
    return content


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_value(value: Any, secrets: list[str]) -> Any:
    """``value`` (decoded JSON) with every credential in ``secrets`` replaced in keys and strings,
    and every unpaired surrogate (which JSON escapes can spell, and no output can encode) replaced
    by U+FFFD."""
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [scrub_value(item, secrets) for item in value]
    if isinstance(value, dict):
        return {scrub_value(k, secrets): scrub_value(v, secrets) for k, v in value.items()}
    return value


def parse_json(content: bytes, secrets: Iterable[Secret], *, method: str, path: str, status: int) -> Any:
    """The JSON value of a scrubbed body; BadAnswer when it is not JSON (or nests absurdly)."""
    try:
        value = _loads(content)
        # The only escapes that could spell a credential (one byte's search first: most bodies have
        # no backslash at all, and it is several times faster than a two-byte one).
        if b"\\" in content and (b"\\u" in content or b"\\/" in content):
            plain = [s.reveal() for s in secrets if len(s.reveal()) >= MIN_SECRET_LENGTH]
            if plain or b"\\ud" in content.lower():
                value = scrub_value(value, plain)
    except RecursionError:
        raise BadAnswer("the answer nests too deeply", status=status, method=method, path=path) from None
    except (ValueError, UnicodeDecodeError):
        raise BadAnswer(
            f"the answer is not JSON ({describe_start(content)})", status=status, method=method, path=path
        ) from None
    return value


def _loads(content: bytes) -> Any:
    """``json.loads(content)``: by orjson where it reads the same value (the 27 MB a no-op plan of
    15,000 image ads reads: 0.36 s with the check below, against 0.48 s by json). orjson reads an
    integer beyond 64 bits as a float, so a body holding one (or a number that might be: 20 digits,
    or 19 after a minus) is json's; what orjson refuses (an unpaired surrogate, NaN, another encoding
    than UTF-8, deep nesting, no JSON at all) is json's to read or refuse, as it always was."""
    zeroed = content.translate(_ZEROS)
    if _LONG[0] not in zeroed and _LONG[1] not in zeroed:
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError:
            pass
    return json.loads(content)


def parse_object(
    content: bytes, secrets: Iterable[Secret], *, method: str, path: str, status: int
) -> dict[str, Any]:
    """Like :func:`parse_json`, but the value must be a JSON object."""
    value = parse_json(content, secrets, method=method, path=path, status=status)
    if not isinstance(value, dict):
        raise BadAnswer(
            f"the answer is {json_kind(value)}, not a JSON object", status=status, method=method, path=path
        )
    return value


def describe_start(content: bytes) -> str:
    """How a body that is not JSON begins, for an error line: empty, or its first characters."""
    text = content.strip()
    if not text:
        return "the body is empty"
    shown = text[:40].decode("utf-8", "replace")
    shown = "".join(c if c.isprintable() else "?" for c in shown)
    return f"it starts with {clip(shown, 40)!r}"


def json_kind(value: Any) -> str:
    """``null``, ``a list``, ``a string``… for an error line."""
    if value is None:
        return "null"
    kinds = {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return kinds.get(type(value), "an object")
