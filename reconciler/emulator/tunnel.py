"""Query tunnelling (reference §2.3): undo it, so routing sees the original request.

A client whose query string is too long sends ``POST`` with ``X-HTTP-Method-Override: <verb>``
and moves the query into the body — form-encoded (``application/x-www-form-urlencoded``) when the
original request had no body, or as the first part of a ``multipart/mixed`` body whose second
part is the JSON body. The URL limits (414) apply to the URL only, which is why clients tunnel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.emulator.errors import classic

OVERRIDABLE = frozenset({"GET", "DELETE", "PUT", "POST"})


@dataclass(frozen=True)
class Untunnelled:
    """The request as if it had not been tunnelled."""

    method: str
    query: str
    body: bytes


def untunnel(method: str, query: str, headers: Mapping[str, str], body: bytes) -> Untunnelled:
    """Undo tunnelling when ``X-HTTP-Method-Override`` is present on a POST; else pass through."""
    override = headers.get("x-http-method-override", "").strip().upper()
    if method != "POST" or not override:
        return Untunnelled(method, query, body)
    if override not in OVERRIDABLE:
        raise classic(400, f"X-HTTP-Method-Override {override} is not supported")
    content_type = headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        return Untunnelled(override, _join(query, _text(body)), b"")
    if media == "multipart/mixed":
        form, payload = _multipart(content_type, body)
        return Untunnelled(override, _join(query, form), payload)
    raise classic(400, "a tunnelled request needs a form-encoded or multipart/mixed body")


def _join(query: str, extra: str) -> str:
    extra = extra.strip()
    return f"{query}&{extra}" if query and extra else query or extra


def _text(body: bytes) -> str:
    try:
        return body.decode("ascii")
    except UnicodeDecodeError:
        raise classic(400, "a tunnelled query must be ASCII (percent-encoded)") from None


def _boundary(content_type: str) -> bytes:
    for piece in content_type.split(";")[1:]:
        name, _, value = piece.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"').encode()
    raise classic(400, "multipart/mixed without a boundary")


def _multipart(content_type: str, body: bytes) -> tuple[str, bytes]:
    """(form-encoded query, JSON body) from the two parts of a multipart/mixed body."""
    delimiter = b"--" + _boundary(content_type)
    chunks = body.split(delimiter)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        head, sep, payload = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            head, sep, payload = chunk.lstrip(b"\n").partition(b"\n\n")
        parts.append((head.lower(), payload.removesuffix(b"\r\n").removesuffix(b"\n")))
    if len(parts) != 2 or b"application/x-www-form-urlencoded" not in parts[0][0]:
        raise classic(400, "a tunnelled multipart body holds the form-encoded query, then the JSON body")
    return _text(parts[0][1]), parts[1][1]
