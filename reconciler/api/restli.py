"""Rest.li 2.0 wire encoding: query strings, path keys, batch-body keys, created ids, tunnelling.

Pure functions and frozen values; no I/O. Everything the client puts on the wire is built here, as
text that must reach the server byte for byte (the caller hands it to httpx as a raw path, so nothing
is encoded twice).

The rules (LinkedIn API notes §2.1-2.3, checked against the official client's recorded requests):
- structural characters of the notation, ``List( ) ( , :``, are sent literally;
- every primitive inside it is percent-encoded with nothing left safe but ``A-Z a-z 0-9 _ . - ~``
  (URNs become ``urn%3Ali%3A…``); booleans are ``true``/``false``; record keys are encoded too;
- ``fields`` is the odd one out: ``fields=a,b``, unencoded, in 1.0 form;
- URN keys in a path are percent-encoded like primitives; numeric keys go as they are;
- keys of batch bodies and ``x-restli-id`` use *reduced* encoding (only ``% , ( ) ' :`` escaped);
- a query string longer than :data:`MAX_QUERY_LENGTH` is tunnelled through a POST body.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import quote, unquote

# The official client tunnels past 4000 characters; LinkedIn's documented limit is 4 KB.
MAX_QUERY_LENGTH = 4000

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"


class Method(StrEnum):
    """The Rest.li methods the client uses (the value of ``X-RestLi-Method``)."""

    GET = "GET"
    GET_ALL = "GET_ALL"
    BATCH_GET = "BATCH_GET"
    FINDER = "FINDER"
    CREATE = "CREATE"
    BATCH_CREATE = "BATCH_CREATE"
    PARTIAL_UPDATE = "PARTIAL_UPDATE"
    BATCH_PARTIAL_UPDATE = "BATCH_PARTIAL_UPDATE"
    DELETE = "DELETE"
    BATCH_DELETE = "BATCH_DELETE"
    ACTION = "ACTION"
    # Not Rest.li: the bytes of an upload, PUT to the URL an ``initializeUpload`` action handed out.
    UPLOAD = "UPLOAD"

    @property
    def http_method(self) -> str:
        """The HTTP verb this Rest.li method travels on before any tunnelling."""
        return _HTTP_METHOD[self]

    @property
    def idempotent(self) -> bool:
        """Whether sending the request twice has the effect of sending it once (safe to retry)."""
        # An action may create something (initializeUpload, createInline): never re-sent blindly.
        return self not in (Method.CREATE, Method.BATCH_CREATE, Method.ACTION)


_HTTP_METHOD = {
    Method.GET: "GET",
    Method.GET_ALL: "GET",
    Method.BATCH_GET: "GET",
    Method.FINDER: "GET",
    Method.CREATE: "POST",
    Method.BATCH_CREATE: "POST",
    Method.PARTIAL_UPDATE: "POST",
    Method.BATCH_PARTIAL_UPDATE: "POST",
    Method.DELETE: "DELETE",
    Method.BATCH_DELETE: "DELETE",
    Method.ACTION: "POST",
    Method.UPLOAD: "PUT",
}

Key = int | str
"""An entity key as the API sees it: a number (accounts, groups, campaigns) or a URN (creatives)."""


def encode_primitive(value: str | int | float | bool | Decimal) -> str:
    """One primitive in Rest.li 2.0 URL form: booleans ``true``/``false``, everything else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _URN_SAFE.fullmatch(text):  # what quote() leaves alone, and ':' (every URN): quote() is per byte
        return text.replace(":", "%3A")
    return quote(text, safe="")


def encode_value(value: Any) -> str:
    """A value in Rest.li 2.0 URL form: ``List(a,b)`` for sequences, ``(k:v)`` for mappings.

    Mapping keys keep their insertion order, so the caller decides it; primitives are quoted.
    """
    if isinstance(value, Mapping):
        pairs = (f"{encode_primitive(str(k))}:{encode_value(v)}" for k, v in value.items())
        return "(" + ",".join(pairs) + ")"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return "List(" + _encode_items(items) + ")"
    if value is None:
        raise ValueError("Rest.li cannot encode null")
    return encode_primitive(value)


def _encode_items(items: Sequence[Any]) -> str:
    """The members of a list, encoded and comma-separated.

    A list of plain texts that each need no quoting but ':' (URNs: 200 of them in a batch get,
    250 in a creatives search) is checked and quoted in one pass: the joined texts are safe exactly
    when each one is, since the check is per character.
    """
    if all(type(item) is str for item in items) and _URN_SAFE.fullmatch("".join(items)):
        return ",".join(items).replace(":", "%3A")
    return ",".join(encode_value(item) for item in items)


def encode_query(params: Mapping[str, Any]) -> str:
    """A query string: parameters sorted by name, ``fields`` last and unencoded, ``None`` values left out.

    Sorting makes the text deterministic whatever order the caller built ``params`` in (and it is the
    order LinkedIn's official client uses).
    """
    return join_query(encode_params(params))


def encode_params(params: Mapping[str, Any]) -> dict[str, str]:
    """Each parameter's ``name=value`` text by name (``None`` values left out), for :func:`join_query`.

    Encoding once and joining per request spares a paged finder from quoting the same criteria on
    every page (250 creative URNs a page at LinkedIn's limits).
    """
    out = {
        name: f"{quote(name, safe='')}={encode_value(value)}"
        for name, value in params.items()
        if value is not None and name != "fields"
    }
    fields = params.get("fields")
    if fields:
        out["fields"] = "fields=" + ",".join(fields)
    return out


def join_query(parts: Mapping[str, str]) -> str:
    """The query string of :func:`encode_params` parts: sorted by name, ``fields`` last."""
    ordered = [parts[name] for name in sorted(parts) if name != "fields"]
    if "fields" in parts:
        ordered.append(parts["fields"])
    return "&".join(ordered)


def encode_key(key: Key | Mapping[str, Any]) -> str:
    """A key as a path segment or a member of ``ids=List(...)``: numbers plain, URNs quoted."""
    if isinstance(key, Mapping):
        return encode_value(key)
    return encode_primitive(key)


_REDUCED = {c: f"%{ord(c):02X}" for c in "%,():'"}
# Each escape is '%' and two hex digits, and none decodes to '%' or a digit: replacing them one kind
# after the other never makes a new one, so it decodes exactly what one left-to-right pass would.
_REDUCED_DECODE = tuple(
    (code, char) for char in "(),:'" for code in {f"%{ord(char):02X}", f"%{ord(char):02x}"}
)
# The characters quote(text, safe="") leaves as they are, and ':', which it escapes as %3A.
_URN_SAFE = re.compile(r"[A-Za-z0-9_.~:-]*")


def reduced_encode(text: str) -> str:
    """Rest.li reduced encoding (bodies and headers): only ``% , ( ) ' :`` are escaped."""
    return "".join(_REDUCED.get(c, c) for c in text)


def reduced_decode(text: str) -> str:
    """Undo reduced encoding of ``( ) , : '`` (``x-restli-id``, batch-response map keys)."""
    if "%" not in text:
        return text
    # ':' first: a URN key (200 in a batch get's answer) then has nothing more to decode.
    text = text.replace("%3A", ":")
    if "%" not in text:
        return text
    for code, char in _REDUCED_DECODE:
        text = text.replace(code, char)
    return text


def body_key(key: Key) -> str:
    """A key of a batch body map (``entities``): numbers as text, URNs reduced-encoded."""
    return reduced_encode(str(key))


def patch_body(set_fields: Mapping[str, Any], delete_fields: Sequence[str] = ()) -> dict[str, Any]:
    """A PARTIAL_UPDATE body: ``{"patch": {"$set": {...}, "$delete": [...]}}``, empty parts left out."""
    patch: dict[str, Any] = {}
    if set_fields:
        patch["$set"] = dict(set_fields)
    if delete_fields:
        patch["$delete"] = list(delete_fields)
    return {"patch": patch}


def created_id(headers: Mapping[str, str]) -> str | None:
    """The key of a created entity: ``x-restli-id``, else ``x-linkedin-id``, else the end of ``Location``."""
    for name in ("x-restli-id", "x-linkedin-id"):
        value = headers.get(name)
        if value:
            return reduced_decode(value.strip())
    location = headers.get("location")
    if location:
        last = location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return unquote(last) or None
    return None


@dataclass(frozen=True)
class Request:
    """One logical Rest.li request. ``path`` is already encoded and relative to the API root.

    ``resource`` names the collection (``adCampaigns``) for statistics and messages. An ``UPLOAD``
    carries the absolute ``url`` it goes to and its ``data`` (bytes) instead of a JSON body.
    """

    method: Method
    resource: str
    path: str
    query: str = ""
    body: Any = None
    url: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class WireForm:
    """What actually goes on the wire for a :class:`Request`, after any tunnelling."""

    http_method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    content: bytes | None


def wire_form(request: Request) -> WireForm:
    """Lay a request out for the wire: the raw path (+query), extra headers and body bytes.

    A query longer than :data:`MAX_QUERY_LENGTH` moves into a POST body with ``X-HTTP-Method-Override``:
    a form body when the request has none, else ``multipart/mixed`` (form part, then JSON part).
    """
    if len(request.query) <= MAX_QUERY_LENGTH:
        target = f"{request.path}?{request.query}" if request.query else request.path
        headers, content = _json_body(request.body)
        return WireForm(request.method.http_method, target, headers, content)
    override = (("X-HTTP-Method-Override", request.method.http_method),)
    if request.body is None:
        form = (("Content-Type", FORM_CONTENT_TYPE),)
        return WireForm("POST", request.path, override + form, request.query.encode())
    boundary, content = multipart_body(request.query, json_text(request.body))
    mixed = (("Content-Type", f"multipart/mixed; boundary={boundary}"),)
    return WireForm("POST", request.path, override + mixed, content)


def json_text(body: Any) -> str:
    """JSON the way the client sends it: compact, UTF-8, keys in the order given."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _json_body(body: Any) -> tuple[tuple[tuple[str, str], ...], bytes | None]:
    if body is None:
        return (), None
    return (("Content-Type", JSON_CONTENT_TYPE),), json_text(body).encode()


def multipart_body(query: str, body_json: str) -> tuple[str, bytes]:
    """A tunnelled request's ``multipart/mixed`` body: the form-encoded query, then the JSON body."""
    boundary = "reconciler-" + secrets.token_hex(8)
    while boundary in query or boundary in body_json:  # pragma: no cover - 64 random bits
        boundary = "reconciler-" + secrets.token_hex(8)
    text = (
        f"--{boundary}\r\nContent-Type: {FORM_CONTENT_TYPE}\r\n\r\n{query}\r\n"
        f"--{boundary}\r\nContent-Type: {JSON_CONTENT_TYPE}\r\n\r\n{body_json}\r\n"
        f"--{boundary}--"
    )
    return boundary, text.encode()
