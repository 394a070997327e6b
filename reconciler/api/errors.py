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
import time
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
    ConnectFailed,
    NotFound,
    PermanentApiError,
    PermissionDenied,
    RateLimited,
    ServerError,
    TransportError,
    VersionSunset,
    clip,
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
    location: str | None = None,
    version: str | None = None,
    secrets: Iterable[Secret] = (),
) -> ApiError:
    """The exception for a non-2xx answer. ``retry_after`` is the raw ``Retry-After`` header,
    ``location`` the raw ``Location`` header (a redirect is never followed: it is refused).

    Every text taken from the answer (message, code, details, field paths, location) is scrubbed of
    ``secrets`` and of anything token-shaped, in case a server echoes them, and cut to a readable length.
    """
    secrets = list(secrets)
    body = parse_error_body(content)
    cls = _class_for(status)
    wait = parse_retry_after(retry_after)
    text = _message(status, body, version)
    if 300 <= status < 400:
        text = _redirect_message(location)
    elif status == 429 and wait:
        text = f"{text}; {retry_hint(wait)}"
    scrub = _scrubber(secrets)
    return cls(
        scrub(text),
        status=status,
        code=scrub(body.code) if body.code is not None else None,
        method=method,
        path=path,
        field_paths=tuple(clip(scrub(p), 200) for p in body.field_paths),
        retry_after=wait,
    )


def _scrubber(secrets: list[Secret]) -> Any:
    return lambda text: redact_text(text, secrets)


def retry_hint(seconds: float, now: float | None = None) -> str:
    """``the API asks to wait 1 h 0 min: retry after 06:15 UTC`` for a Retry-After of 3600 s."""
    at = time.strftime("%H:%M UTC", time.gmtime((time.time() if now is None else now) + seconds))
    if seconds < 60:
        return f"the API asks to wait {seconds:g} s before retrying"
    hours, minutes = divmod(round(seconds / 60), 60)
    span = f"{hours} h {minutes} min" if hours else f"{minutes} min"
    return f"the API asks to wait {span}: retry after {at}"


def _redirect_message(location: str | None) -> str:
    where = "elsewhere"
    if location:
        try:
            host = httpx.URL(location).host
        except httpx.InvalidURL:
            host = ""
        where = f"to {clip(host, 100)}" if host else f"to {clip(location, 100)!r}"
    return (
        f"the server redirected the request {where}; redirects are not followed, so "
        "credentials go only to the target: check --target"
    )


def error_from_item(status: int | None, error: Any, *, method: str, path: str) -> ApiError:
    """The exception for one failed item of a batch answer (``{"status": 400, "error": {...}}``)."""
    payload = json.dumps(error) if isinstance(error, Mapping) else None
    if status is None and isinstance(error, Mapping):
        status = error.get("status") if isinstance(error.get("status"), int) else None
    return error_from_response(status or 400, payload, method=method, path=path)


_CHECK = "check the network, any proxy (HTTPS_PROXY) and --target"
_DNS = ("name or service not known", "name resolution", "nodename nor servname", "no address associated")


def error_from_transport(
    exc: httpx.HTTPError,
    *,
    method: str,
    path: str,
    sent_to: httpx.URL | None = None,
    secrets: Iterable[Secret] = (),
) -> TransportError:
    """The exception for a timeout, refused or dropped connection (no HTTP answer).

    It names the host and the cause, and says what to check. A failure on a connection that never
    opened (DNS, refused, TLS) is :class:`ConnectFailed`. When the request that failed is not the
    one sent (``sent_to``) but the auth flow's token refresh, the message says so and names it.
    """
    failed = _failed_request(exc)
    url = failed.url if failed is not None else sent_to
    host = url.host if url is not None else "the API"
    cause = redact_text(clip(str(exc) or type(exc).__name__, 200), secrets)
    text, cls = _transport_text(exc, host, _port(url), cause)
    if (
        failed is not None
        and sent_to is not None
        and (failed.url.host, failed.url.path)
        != (
            sent_to.host,
            sent_to.path,
        )
    ):
        return cls(f"the OAuth token refresh failed: {text}", method=failed.method, path=failed.url.path)
    return cls(text, method=method, path=path)


def _transport_text(
    exc: httpx.HTTPError, host: str, port: str, cause: str
) -> tuple[str, type[TransportError]]:
    lowered = cause.lower()
    if isinstance(exc, httpx.ConnectTimeout):
        text = f"cannot connect to {host}{port}: no answer to the connection ({cause}); {_CHECK}"
        return text, ConnectFailed
    if isinstance(exc, (httpx.ConnectError, httpx.ProxyError)):
        if any(sign in lowered for sign in _DNS) or "errno -2" in lowered or "errno -3" in lowered:
            return f"cannot resolve {host}: {cause}; {_CHECK}", ConnectFailed
        if "refused" in lowered:
            return f"cannot connect to {host}{port}: connection refused; {_CHECK}", ConnectFailed
        if "ssl" in lowered or "certificate" in lowered or "tls" in lowered:
            return f"TLS handshake with {host} failed: {cause}; {_CHECK}", ConnectFailed
        return f"cannot connect to {host}{port}: {cause}; {_CHECK}", ConnectFailed
    if isinstance(exc, httpx.TimeoutException):
        return f"{host} did not answer in time ({type(exc).__name__})", TransportError
    return f"{host} dropped the connection ({type(exc).__name__}: {cause})", TransportError


def _failed_request(exc: httpx.HTTPError) -> httpx.Request | None:
    try:
        return exc.request
    except RuntimeError:  # httpx raises when the exception was made without a request
        return None


def _port(url: httpx.URL | None) -> str:
    return f":{url.port}" if url is not None and url.port is not None else ""


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
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _described(item: Any) -> bool:
    return isinstance(item, Mapping) and bool(item.get("description"))


def _field_path(item: Any) -> str | None:
    step: Any = item
    for key in ("input", "inputPath", "fieldPath"):
        if not isinstance(step, Mapping):
            return None
        step = step.get(key)
    return str(step) if step else None
