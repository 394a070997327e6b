"""The values passed between the emulator's routing layers: a call in, a reply out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.emulator.errors import ApiError, Envelope, classic, render


@dataclass(frozen=True)
class Reply:
    """A response before serialisation: status, JSON body (None for empty), extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """A request after tunnelling is undone: effective verb, raw path and query, headers, body."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes


def error_reply(error: ApiError, envelope: Envelope) -> Reply:
    """The reply for ``error`` in ``envelope``, flagged as a Rest.li error response."""
    return Reply(error.status, render(error, envelope), {"X-RestLi-Error-Response": "true", **error.headers})


def unsupported(method: str, name: str) -> ApiError:
    """405 for a Rest.li method a resource does not offer (classic envelope, as routing errors are)."""
    return classic(405, f"{method} is not supported by the {name} resource")
