"""Token introspection (``reconciler.api.introspect``): the request LinkedIn documents, answers read
leniently, credentials never shown; and where the targets introspect."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.api.introspect import LINKEDIN_URL, Introspection, introspect
from reconciler.errors import AuthError, BadAnswer
from reconciler.target import resolve_target

TOKEN = Secret("the-member-token-123")
WHERE = Introspection(
    "https://www.linkedin.com/oauth/v2/introspectToken", "app-id", Secret("client-secret-456")
)


def answering(status: int, body: object, seen: list[httpx.Request] | None = None) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(status, content=content)

    return httpx.Client(transport=httpx.MockTransport(handle), auth=BearerAuth(TOKEN))


def test_the_request_is_the_documented_form_without_a_bearer_header() -> None:
    seen: list[httpx.Request] = []
    body = {"active": True, "status": "active", "scope": "r_ads,rw_ads", "expires_at": 1_900_000_000}
    info = introspect(answering(200, body, seen), WHERE, TOKEN)
    (request,) = seen
    assert (request.method, str(request.url)) == ("POST", LINKEDIN_URL)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "authorization" not in request.headers
    form = parse_qs(request.content.decode())
    assert form == {
        "client_id": ["app-id"],
        "client_secret": ["client-secret-456"],
        "token": [TOKEN.reveal()],
    }
    assert info.active and info.scopes == {"r_ads", "rw_ads"} and not info.lacks("rw_ads")
    assert info.expires_at is not None and info.expires_at.year == 2030


def test_odd_fields_are_unknown_never_an_abort() -> None:
    body = {"active": "yes", "status": 3, "scope": ["rw_ads"], "expires_at": "tomorrow", "new": {"x": 1}}
    info = introspect(answering(200, body), WHERE, TOKEN)
    assert (info.active, info.status, info.scopes, info.expires_at) == (True, None, None, None)
    assert not info.lacks("rw_ads")  # not listed: not known to be missing
    spaced = introspect(answering(200, {"active": True, "scope": "r_ads rw_ads"}), WHERE, TOKEN)
    assert spaced.scopes == {"r_ads", "rw_ads"}
    assert not introspect(answering(200, {"active": True, "status": "revoked"}), WHERE, TOKEN).active


@pytest.mark.parametrize(("status", "what"), [(400, "client id or token"), (401, "client secret")])
def test_refusals_say_which_credential_and_never_echo_one(status: int, what: str) -> None:
    echo = {"error": "invalid_request", "error_description": f"bad {TOKEN.reveal()} / client-secret-456"}
    with pytest.raises(AuthError) as caught:
        introspect(answering(status, echo), WHERE, TOKEN)
    shown = str(caught.value)
    assert what in shown and TOKEN.reveal() not in shown and "client-secret-456" not in shown


def test_a_body_that_is_not_json_is_a_bad_answer() -> None:
    with pytest.raises(BadAnswer):
        introspect(answering(200, b"<html>"), WHERE, TOKEN)
    with pytest.raises(BadAnswer):
        introspect(answering(503, b""), WHERE, TOKEN)


def test_the_client_introspects_once_and_counts_the_call() -> None:
    seen: list[httpx.Request] = []
    http = answering(200, {"active": True, "scope": "r_ads"}, seen)
    http.base_url = httpx.URL("https://api.linkedin.com/rest")
    client = LinkedInClient(http, introspection=WHERE)
    assert client.token_info() is client.token_info()
    assert len(seen) == 1 and client.stats.count("INTROSPECT", "introspectToken") == 1
    assert LinkedInClient(http).token_info() is None  # no client credentials: nothing to ask


def test_where_each_target_introspects(tmp_path: Path) -> None:
    creds = {
        "LINKEDIN_ACCESS_TOKEN": "tok-789",
        "LINKEDIN_CLIENT_ID": "id",
        "LINKEDIN_CLIENT_SECRET": "sec-012",
    }
    linkedin = resolve_target(None, creds)
    assert linkedin.introspection is not None and linkedin.introspection.url == LINKEDIN_URL
    assert isinstance(linkedin.auth, BearerAuth) and "sec-012" not in repr(linkedin.introspection)
    served = resolve_target("http://127.0.0.1:8765/rest", creds).introspection
    assert served is not None and served.url == "http://127.0.0.1:8765/oauth/v2/introspectToken"
    assert resolve_target(None, {"LINKEDIN_ACCESS_TOKEN": "tok-789"}).introspection is None
    embedded = resolve_target(None, {}, tmp_path).introspection
    assert embedded is not None and embedded.url == "http://emulator.local/oauth/v2/introspectToken"
    loopback = resolve_target("http://localhost:8765/rest", {}).introspection
    assert loopback is not None and loopback.url == "http://localhost:8765/oauth/v2/introspectToken"


def test_the_access_tier_is_what_the_environment_states() -> None:
    from reconciler.errors import ConfigError

    assert resolve_target(
        None, {"LINKEDIN_ACCESS_TOKEN": "t", "LINKEDIN_ACCESS_TIER": "Development"}
    ).access_tier == ("development")
    assert resolve_target(None, {"LINKEDIN_ACCESS_TOKEN": "t"}).access_tier is None
    with pytest.raises(ConfigError, match="LINKEDIN_ACCESS_TIER: give development or standard"):
        resolve_target(None, {"LINKEDIN_ACCESS_TOKEN": "t", "LINKEDIN_ACCESS_TIER": "gold"})
