"""Auth flows: static bearer token, OAuth refresh (once on 401), configuration from the environment."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs

import httpx
import pytest

from reconciler.api.auth import (
    TOKEN_URL,
    BearerAuth,
    RefreshTokenAuth,
    Secret,
    auth_from_env,
    has_credentials,
    redact_headers,
    redact_text,
)
from reconciler.errors import AuthError, ConfigError
from tests.api.fakes import FakeLinkedIn, default_answer, make_client


class OAuthServer:
    """LinkedIn plus its token endpoint: API calls need the latest minted token."""

    def __init__(self, *, refusals: int = 0, token_status: int = 200) -> None:
        self.minted = 0
        self.refusals = refusals
        self.token_status = token_status
        self.forms: list[dict[str, list[str]]] = []
        self.seen: list[str] = []  # Authorization of each API call (httpx reuses the request object)
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return self.token(request)
        with self.lock:
            self.seen.append(request.headers["Authorization"])
            if self.refusals:
                self.refusals -= 1
                return httpx.Response(401, json={"message": "Expired access token", "status": 401})
            if request.headers["Authorization"] != f"Bearer minted-{self.minted}":
                return httpx.Response(401, json={"message": "Invalid access token", "status": 401})
        return default_answer(request)

    def token(self, request: httpx.Request) -> httpx.Response:
        self.forms.append(parse_qs(request.content.decode()))
        if self.token_status != 200:
            return httpx.Response(
                self.token_status, json={"error": "invalid_grant", "error_description": "revoked"}
            )
        with self.lock:
            self.minted += 1
            return httpx.Response(200, json={"access_token": f"minted-{self.minted}", "expires_in": 5184000})


def refresh_auth(access: str | None = None) -> RefreshTokenAuth:
    return RefreshTokenAuth(
        "client-id",
        Secret("client-secret"),
        Secret("refresh-token"),
        access_token=Secret(access) if access else None,
    )


def test_secret_never_shows_itself() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) + str(secret) + f"{secret}" + repr([secret])
    assert secret.reveal() == "hunter2"
    assert secret == Secret("hunter2") and bool(Secret("")) is False
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)


def test_bearer_sets_the_header_and_hides_in_repr() -> None:
    fake = FakeLinkedIn()
    with make_client(fake, auth=BearerAuth(Secret("tok"))) as client:
        client.accounts.get(1)
    assert fake.requests[0].headers["Authorization"] == "Bearer tok"
    assert "tok" not in repr(BearerAuth(Secret("tok"))).replace("token", "")
    with pytest.raises(ConfigError):
        BearerAuth(Secret(""))


def test_refresh_flow_mints_a_token_first() -> None:
    server = OAuthServer()
    auth = refresh_auth()
    with make_client(FakeLinkedIn(server), auth=auth) as client:
        client.accounts.get(1)
        client.accounts.get(2)
    assert server.minted == 1 and auth.refreshes == 1
    form = server.forms[0]
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == ["refresh-token"]
    assert form["client_id"] == ["client-id"] and form["client_secret"] == ["client-secret"]


def test_refresh_once_on_401_then_resend() -> None:
    server = OAuthServer()
    fake = FakeLinkedIn(server)
    with make_client(fake, auth=refresh_auth("stale")) as client:
        assert client.campaigns(1).get(5).id == 5
    assert server.seen == ["Bearer stale", "Bearer minted-1"]
    assert client.stats.calls == 1


def test_a_second_401_fails_clearly() -> None:
    server = OAuthServer(refusals=2)
    with (
        make_client(FakeLinkedIn(server), auth=refresh_auth("stale")) as client,
        pytest.raises(AuthError) as caught,
    ):
        client.accounts.get(1)
    assert server.minted == 1
    assert "Expired access token" in str(caught.value)


def test_a_failed_refresh_is_an_auth_error_naming_the_fix() -> None:
    server = OAuthServer(token_status=400)
    with make_client(FakeLinkedIn(server), auth=refresh_auth()) as client, pytest.raises(AuthError) as caught:
        client.accounts.get(1)
    assert "OAuth token refresh failed: revoked" in str(caught.value)
    assert "LINKEDIN_REFRESH_TOKEN" in str(caught.value)


def test_concurrent_401s_refresh_once() -> None:
    server = OAuthServer()
    auth = refresh_auth("stale")
    with make_client(FakeLinkedIn(server), auth=auth, concurrency=8) as client:
        client.parallel(client.accounts.get, range(16))
    assert auth.refreshes == 1


def test_auth_from_env() -> None:
    assert isinstance(auth_from_env({"LINKEDIN_ACCESS_TOKEN": "t"}), BearerAuth)
    both = {
        "LINKEDIN_ACCESS_TOKEN": "t",
        "LINKEDIN_CLIENT_ID": "i",
        "LINKEDIN_CLIENT_SECRET": "s",
        "LINKEDIN_REFRESH_TOKEN": "r",
    }
    assert isinstance(auth_from_env(both), RefreshTokenAuth)
    with pytest.raises(ConfigError, match="also set LINKEDIN_CLIENT_SECRET, LINKEDIN_REFRESH_TOKEN"):
        auth_from_env({"LINKEDIN_CLIENT_ID": "i"})
    with pytest.raises(ConfigError, match="no LinkedIn credentials"):
        auth_from_env({"LINKEDIN_ACCESS_TOKEN": "  "})
    assert has_credentials({"LINKEDIN_REFRESH_TOKEN": "r"}) and not has_credentials({"HOME": "/"})


def test_redaction_helpers() -> None:
    headers = redact_headers([("Authorization", "Bearer abc"), ("Cookie", "x=1"), ("Accept", "json")])
    assert headers == [("Authorization", "Bearer ***"), ("Cookie", "***"), ("Accept", "json")]
    text = 'Bearer abc refresh_token=r1&client_secret=s1 {"access_token": "a1"} plain-secret'
    assert redact_text(text, [Secret("plain-secret")]) == (
        'Bearer *** refresh_token=***&client_secret=*** {"access_token": "***"} ***'
    )
