"""Credentials: a redacting :class:`Secret`, bearer-token and OAuth refresh-token ``httpx.Auth`` flows.

The token must never appear in a repr, a log line, an exception message, a request log or debug
output. So it lives only inside :class:`Secret` (whose ``repr``/``str`` are redacted), is revealed only
when the ``Authorization`` header is set, and :func:`redact_headers` / :func:`redact_text` scrub
anything logged. Credentials come from the environment (:func:`auth_from_env`):

- ``LINKEDIN_ACCESS_TOKEN``: a static bearer token;
- ``LINKEDIN_CLIENT_ID`` + ``LINKEDIN_CLIENT_SECRET`` + ``LINKEDIN_REFRESH_TOKEN``: the OAuth refresh
  flow (``POST https://www.linkedin.com/oauth/v2/accessToken``, ``grant_type=refresh_token``). A 401
  triggers one refresh and one resend; a second 401 is left for the client to raise as AuthError.
- ``LINKEDIN_ACCESS_TOKEN`` + ``LINKEDIN_CLIENT_ID`` + ``LINKEDIN_CLIENT_SECRET``: the static token;
  the client credentials serve token introspection only (:func:`client_credentials`).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Generator, Iterable, Mapping
from typing import Any, Final

import httpx

from reconciler.errors import AuthError, ConfigError

TOKEN_URL: Final = "https://www.linkedin.com/oauth/v2/accessToken"
REDACTED: Final = "***"
ACCESS_TOKEN_VAR: Final = "LINKEDIN_ACCESS_TOKEN"
REFRESH_VARS: Final = ("LINKEDIN_CLIENT_ID", "LINKEDIN_CLIENT_SECRET", "LINKEDIN_REFRESH_TOKEN")
CLIENT_VARS: Final = REFRESH_VARS[:2]
MIN_SECRET_LENGTH: Final = 6
SENSITIVE_HEADERS: Final = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


class Secret:
    """A credential whose ``repr`` and ``str`` never show it; :meth:`reveal` is the only way in."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret text. Only for putting it on the wire."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{REDACTED}')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers safe to log: credentials replaced by ``***`` (keeping the auth scheme)."""
    out = []
    for name, value in headers:
        if name.lower() in SENSITIVE_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            value = f"{scheme} {REDACTED}".strip()
        out.append((name, value))
    return out


_FORM_SECRETS = re.compile(r"((?:access_token|refresh_token|client_secret|token)=)[^&\s]+")
_JSON_SECRETS = re.compile(r'("(?:access_token|refresh_token|client_secret)"\s*:\s*")[^"]*')
_BEARER = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)


def redact_text(text: str, secrets: Iterable[Secret] = ()) -> str:
    """``text`` with bearer tokens, token-ish form/JSON fields and every given secret replaced.

    Secrets shorter than :data:`MIN_SECRET_LENGTH` are not searched for: they would match ordinary
    text everywhere, and no real credential is that short.
    """
    for secret in secrets:
        if len(secret.reveal()) >= MIN_SECRET_LENGTH:
            text = text.replace(secret.reveal(), REDACTED)
    text = _BEARER.sub(rf"\1{REDACTED}", text)
    text = _FORM_SECRETS.sub(rf"\1{REDACTED}", text)
    return _JSON_SECRETS.sub(rf"\1{REDACTED}", text)


class BearerAuth(httpx.Auth):
    """A static access token, sent as ``Authorization: Bearer …``."""

    def __init__(self, token: Secret) -> None:
        if not token:
            raise ConfigError("the access token is empty")
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token.reveal()}"
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=Secret('***'))"

    def secrets(self) -> list[Secret]:
        """The credentials to scrub from anything shown."""
        return [self.token]

    def access_token(self) -> Secret | None:
        """The token sent (for token introspection)."""
        return self.token


class RefreshTokenAuth(httpx.Auth):
    """OAuth 2.0 refresh-token flow: mint an access token, refresh once on 401, then give up.

    Thread-safe: concurrent requests that meet a 401 refresh once between them.
    """

    requires_response_body = True

    def __init__(
        self,
        client_id: str,
        client_secret: Secret,
        refresh_token: Secret,
        *,
        token_url: str = TOKEN_URL,
        access_token: Secret | None = None,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.token_url = token_url
        self._token = access_token
        self._lock = threading.Lock()
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"RefreshTokenAuth(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._token
        if token is None:
            token = yield from self._refresh(None)
        response = yield self._authorised(request, token)
        if response.status_code == 401:
            token = yield from self._refresh(token)
            yield self._authorised(request, token)

    def _authorised(self, request: httpx.Request, token: Secret) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token.reveal()}"
        return request

    def _refresh(self, stale: Secret | None) -> Generator[httpx.Request, httpx.Response, Secret]:
        """A fresh token; if another thread already replaced ``stale``, that one is reused."""
        with self._lock:
            if self._token is not None and self._token != stale:
                return self._token
            response = yield self._token_request()
            self._token = self._read_token(response)
            self.refreshes += 1
            return self._token

    def _token_request(self) -> httpx.Request:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": self.refresh_token.reveal(),
            "client_id": self.client_id,
            "client_secret": self.client_secret.reveal(),
        }
        return httpx.Request("POST", self.token_url, data=form, headers={"Accept": "application/json"})

    def _read_token(self, response: httpx.Response) -> Secret:
        data = _json(response.content)
        token = data.get("access_token") if response.status_code == 200 else None
        if not isinstance(token, str) or not token:
            reason = data.get("error_description") or data.get("error") or f"HTTP {response.status_code}"
            message = redact_text(f"OAuth token refresh failed: {reason}", self.secrets())
            raise AuthError(
                f"{message}; re-authorise and set LINKEDIN_REFRESH_TOKEN",
                status=response.status_code,
                method="POST",
                path=httpx.URL(self.token_url).path,
            )
        return Secret(token)

    def secrets(self) -> list[Secret]:
        """The credentials to scrub from anything shown."""
        return [s for s in (self.client_secret, self.refresh_token, self._token) if s is not None]

    def access_token(self) -> Secret | None:
        """The access token last minted or given (None before the first request)."""
        return self._token


def _json(content: bytes) -> dict[str, Any]:
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def has_credentials(env: Mapping[str, str]) -> bool:
    """Whether ``env`` names LinkedIn credentials of either kind (even incomplete ones)."""
    return any(env.get(name) for name in (ACCESS_TOKEN_VAR, *REFRESH_VARS))


def client_credentials(env: Mapping[str, str]) -> tuple[str, Secret] | None:
    """``(client id, client secret)`` when the environment names both, else None."""
    client_id, secret = (env.get(name, "").strip() for name in CLIENT_VARS)
    return (client_id, Secret(secret)) if client_id and secret else None


def auth_from_env(env: Mapping[str, str], *, token_url: str = TOKEN_URL) -> httpx.Auth:
    """The auth flow the environment configures; ConfigError when it configures none or half of one.

    A refresh token wins over a static token when both are set (it outlives it); the static token is
    then used first and refreshed on its first 401.
    """
    access = env.get(ACCESS_TOKEN_VAR, "").strip()
    present = [n for n in REFRESH_VARS if env.get(n, "").strip()]
    if access and present == list(CLIENT_VARS):
        return BearerAuth(Secret(access))  # the client credentials are for introspection
    if present and len(present) < len(REFRESH_VARS):
        missing = ", ".join(n for n in REFRESH_VARS if n not in present)
        raise ConfigError(f"incomplete OAuth refresh configuration: also set {missing}")
    if present:
        return RefreshTokenAuth(
            env["LINKEDIN_CLIENT_ID"].strip(),
            Secret(env["LINKEDIN_CLIENT_SECRET"].strip()),
            Secret(env["LINKEDIN_REFRESH_TOKEN"].strip()),
            token_url=token_url,
            access_token=Secret(access) if access else None,
        )
    if access:
        return BearerAuth(Secret(access))
    raise ConfigError(
        "no LinkedIn credentials: set LINKEDIN_ACCESS_TOKEN, or LINKEDIN_CLIENT_ID, "
        "LINKEDIN_CLIENT_SECRET and LINKEDIN_REFRESH_TOKEN"
    )
