"""The one map from an API failure to the reconciler's exception tree (:mod:`reconciler.errors`).

:func:`error_from_response` classifies an HTTP status plus LinkedIn's error body, in either envelope:
the new one (``code``, ``errorDetails.inputErrors[].input.inputPath.fieldPath``,
``conditionalInputErrors``) used by adAccounts/adCampaignGroups/adCampaigns, and the classic one
(``message``, ``serviceErrorCode``, ``status``) used everywhere else. :func:`error_from_transport`
does the same for httpx exceptions. Nothing here reads request headers, and messages are scrubbed of
credentials a server might echo, so no token can leak into a message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from reconciler.api.auth import Secret, redact_text
from reconciler.errors import (
    ApiError,
    AuthError,
    BadRequest,
    Conflict,
    NotFound,
    PermanentApiError,
    PermissionDenied,
    RateLimited,
    ServerError,
    TransportError,
    VersionSunset,
)

_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: AuthError,
    403: PermissionDenied,
    404: NotFound,
    408: TransportError,  # LinkedIn's TIMEOUT: the request did not finish in time; worth retrying
    409: Conflict,
    412: Conflict,
    422: BadRequest,
    426: VersionSunset,
    429: RateLimited,
}

VERSION_HINT = (
    "raise the pinned LinkedIn-Version (set LINKEDIN_VERSION to a release from the last 12 months, "
    "format YYYYMM)"
)


@dataclass(frozen=True)
class ErrorBody:
    """What LinkedIn's error body says, whichever envelope it came in."""

    message: str = ""
    code: str | None = None
    field_paths: tuple[str, ...] = ()
    details: tuple[str, ...] = field(default=())


def parse_error_body(content: bytes | str | None) -> ErrorBody:
    """Read an error body of either envelope; anything unreadable becomes an empty :class:`ErrorBody`."""
    data = _json_object(content)
    if data is None:
        return ErrorBody()
    message = str(data.get("message") or data.get("error_description") or data.get("error") or "")
    reasons, classic_fields = _classic_validation(message)
    code = data.get("code")
    if code is None and reasons:
        code = reasons[0]
    if code is None and data.get("serviceErrorCode") is not None:
        code = str(data["serviceErrorCode"])
    details = data.get("errorDetails")
    if not isinstance(details, Mapping):
        details = {}
    items = [*_list(details.get("inputErrors")), *_list(details.get("conditionalInputErrors"))]
    paths = [p for p in map(_field_path, items) if p] + classic_fields
    return ErrorBody(
        message=message,
        code=str(code) if code is not None else None,
        field_paths=tuple(dict.fromkeys(paths)),
        details=tuple(str(i["description"]) for i in items if _described(i)),
    )


# The classic envelope (creatives) puts validation details in the message text, e.g.
# "Validation failed because [{reason=FIELD_VALUE_TOO_LOW, field=totalBudget, type=INVALID_VALUE, ...}]".
_CLASSIC_REASON = re.compile(r"reason=([A-Z_]+)")
_CLASSIC_FIELD = re.compile(r"field=([^,}\]]+)")


def _classic_validation(message: str) -> tuple[list[str], list[str]]:
    """The reason codes and field paths named in a classic validation message (empty when none)."""
    if "reason=" not in message:
        return [], []
    fields = [f.strip() for f in _CLASSIC_FIELD.findall(message) if f.strip()]
    return _CLASSIC_REASON.findall(message), fields


def error_from_response(
    status: int,
    content: bytes | str | None,
    *,
    method: str | None = None,
    path: str | None = None,
    retry_after: str | None = None,
    version: str | None = None,
    secrets: Iterable[Secret] = (),
) -> ApiError:
    """The exception for a non-2xx answer. ``retry_after`` is the raw ``Retry-After`` header.

    The message is scrubbed of ``secrets`` and of anything token-shaped, in case a server echoes them.
    """
    body = parse_error_body(content)
    cls = _class_for(status)
    message = redact_text(_message(status, body, version), secrets)
    return cls(
        message,
        status=status,
        code=body.code,
        method=method,
        path=path,
        field_paths=body.field_paths,
        retry_after=parse_retry_after(retry_after),
    )


def error_from_item(status: int | None, error: Any, *, method: str, path: str) -> ApiError:
    """The exception for one failed item of a batch answer (``{"status": 400, "error": {...}}``)."""
    payload = json.dumps(error) if isinstance(error, Mapping) else None
    if status is None and isinstance(error, Mapping):
        status = error.get("status") if isinstance(error.get("status"), int) else None
    return error_from_response(status or 400, payload, method=method, path=path)


def error_from_transport(exc: httpx.HTTPError, *, method: str, path: str) -> TransportError:
    """The exception for a timeout, refused or dropped connection (no HTTP answer)."""
    kind = type(exc).__name__
    return TransportError(f"no answer from the API ({kind})", method=method, path=path)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds; dates and garbage count as absent."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(seconds, 0.0)


def _class_for(status: int) -> type[ApiError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    if status == 414:
        return BadRequest
    return PermanentApiError


def _message(status: int, body: ErrorBody, version: str | None) -> str:
    text = body.message.strip() or f"HTTP {status}"
    if body.details:
        text = f"{text} ({'; '.join(body.details)})"
    if status == 426:
        pinned = f"LinkedIn-Version {version} is no longer active" if version else "version not active"
        text = f"{pinned}: {text}; {VERSION_HINT}"
    return text


def _json_object(content: bytes | str | None) -> dict[str, Any] | None:
    if not content:
        return None
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _described(item: Any) -> bool:
    return isinstance(item, Mapping) and bool(item.get("description"))


def _field_path(item: Any) -> str | None:
    if not isinstance(item, Mapping):
        return None
    path = ((item.get("input") or {}).get("inputPath") or {}).get("fieldPath")
    return str(path) if path else None
