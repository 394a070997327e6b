"""Token introspection: the scopes and expiry of the access token, where client credentials allow it.

LinkedIn answers ``POST https://www.linkedin.com/oauth/v2/introspectToken`` (form-encoded
``client_id``, ``client_secret``, ``token``) with ``active``, ``status`` (``active``, ``expired``,
``revoked``), ``expires_at`` (epoch seconds) and, for a member's (3-legged) token, ``scope``: a
comma-separated list ("Token Introspection" page). 400 means a bad client id or token, 401 a bad
client secret. A field missing or of another type is read as unknown, never as an abort.

The token and the client secret are sent only in the form body and scrubbed from anything an
error shows; :class:`Introspection` never prints its secret.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from reconciler.api.answers import parse_object, read_body, scrub_bytes
from reconciler.api.auth import Secret, redact_text
from reconciler.api.stats import ClientStats
from reconciler.errors import AuthError, BadAnswer, ReconcilerError, TransportError

LINKEDIN_URL = "https://www.linkedin.com/oauth/v2/introspectToken"
PATH = "/oauth/v2/introspectToken"
TIMEOUT = 30.0
MAX_ANSWER = 64 * 1024
WRITE_SCOPE = "rw_ads"


@dataclass(frozen=True)
class Introspection:
    """Where and as which application to introspect tokens."""

    url: str
    client_id: str
    client_secret: Secret = field(repr=False)


@dataclass(frozen=True)
class TokenInfo:
    """What introspection said of the token. ``active`` False only when the answer says so (``active``
    false, or status expired/revoked); ``scopes`` None: not answered (e.g. a 2-legged token)."""

    active: bool
    status: str | None
    scopes: frozenset[str] | None
    expires_at: datetime | None

    def lacks(self, scope: str) -> bool:
        """Whether the token is known not to hold ``scope``."""
        return self.scopes is not None and scope not in self.scopes


def origin_url(api_root: str) -> str:
    """The introspection URL of a server whose API root is ``api_root`` (same scheme, host, port)."""
    url = httpx.URL(api_root)
    return str(url.copy_with(raw_path=PATH.encode("ascii"), query=None, fragment=None))


def introspect(
    http: httpx.Client,
    where: Introspection,
    token: Secret,
    *,
    stats: ClientStats | None = None,
    timeout: float = TIMEOUT,
) -> TokenInfo:
    """Introspect ``token``; AuthError when the credentials are refused, BadAnswer when the answer
    cannot be read, TransportError when the server cannot be reached in time."""
    secrets = [token, where.client_secret]
    form = {
        "client_id": where.client_id,
        "client_secret": where.client_secret.reveal(),
        "token": token.reveal(),
    }
    request = http.build_request(
        "POST", where.url, data=form, headers={"Accept": "application/json"}, timeout=timeout
    )
    if stats is not None:
        stats.record_call("INTROSPECT", "introspectToken")
    deadline = time.monotonic() + timeout
    try:
        streamed = http.send(request, auth=None, stream=True)
        content = read_body(
            streamed, deadline=deadline, limit=MAX_ANSWER, method="POST", path=PATH, timeout=timeout
        )
    except httpx.HTTPError as exc:
        raise TransportError(
            f"token introspection failed: {redact_text(type(exc).__name__ + ': ' + str(exc), secrets)}",
            method="POST",
            path=PATH,
        ) from None
    if stats is not None:
        stats.record_attempt(streamed.status_code)
    body = scrub_bytes(content, secrets)
    if streamed.status_code in (400, 401):
        what = "client id or token" if streamed.status_code == 400 else "client secret"
        raise AuthError(
            f"token introspection refused the {what}: {redact_text(_reason(body), secrets)}",
            status=streamed.status_code,
            method="POST",
            path=PATH,
        )
    if not streamed.is_success:
        raise BadAnswer(
            f"token introspection answered HTTP {streamed.status_code}",
            status=streamed.status_code,
            method="POST",
            path=PATH,
        )
    return _read(parse_object(body, secrets, method="POST", path=PATH, status=streamed.status_code))


def _reason(body: bytes) -> str:
    try:
        data = parse_object(body, [], method="POST", path=PATH, status=400)
    except ReconcilerError:
        return "no reason given"
    reason = data.get("error_description") or data.get("error") or data.get("message")
    return str(reason)[:200] if reason else "no reason given"


def _read(data: dict[str, Any]) -> TokenInfo:
    status = data.get("status") if isinstance(data.get("status"), str) else None
    # Only a plain "no" counts: an answer that cannot be read must not refuse a plan on its own.
    active = data.get("active") is not False and status not in ("expired", "revoked")
    scope = data.get("scope")
    scopes = frozenset(s for s in re.split(r"[,\s]+", scope) if s) if isinstance(scope, str) else None
    expires = data.get("expires_at")
    when = None
    if isinstance(expires, int) and not isinstance(expires, bool) and 0 < expires < 2**40:
        when = datetime.fromtimestamp(expires, UTC)
    return TokenInfo(active, status, scopes, when)
