"""An API that cannot be reached fails fast and says why: the host, the cause, what to check.
Retries show on the progress line and in the debug log; --timeout bounds every request."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from reconciler.api import RefreshTokenAuth, RetryPolicy, Secret
from reconciler.api.errors import error_from_transport, retry_hint
from reconciler.api.wire import CONNECT_RETRY_BUDGET
from reconciler.cli import app
from reconciler.errors import ConfigError, ConnectFailed, TransportError
from reconciler.target import DEFAULT_TIMEOUT, resolve_target, resolve_timeout
from tests.api.fakes import FakeLinkedIn, make_client

ROOT = Path(__file__).parents[2]
DNS = httpx.ConnectError("[Errno -2] Name or service not known")
REFUSED = httpx.ConnectError("[Errno 111] Connection refused")
TLS = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")


class Clock:
    """A clock that moves only when the policy sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def policy(clock: Clock) -> RetryPolicy:
    return RetryPolicy(base_delay=0.5, max_delay=30, sleep=clock.sleep, clock=clock)


def failing(exc: httpx.HTTPError) -> FakeLinkedIn:
    def answer(request: httpx.Request) -> httpx.Response:
        raise type(exc)(str(exc), request=request)

    return FakeLinkedIn(answer)


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (DNS, "cannot resolve api.linkedin.com: [Errno -2] Name or service not known; check the network"),
        (REFUSED, "cannot connect to api.linkedin.com: connection refused; check the network"),
        (TLS, "TLS handshake with api.linkedin.com failed: [SSL: CERTIFICATE_VERIFY_FAILED]"),
        (
            httpx.ConnectTimeout("timed out"),
            "cannot connect to api.linkedin.com: no answer to the connection",
        ),
    ],
)
def test_connection_failures_name_the_host_and_the_cause(exc: httpx.HTTPError, said: str) -> None:
    clock = Clock()
    fake = failing(exc)
    with make_client(fake, retry=policy(clock)) as client, pytest.raises(ConnectFailed) as caught:
        client.campaigns(1).get(5)
    assert said in str(caught.value)
    assert "any proxy (HTTPS_PROXY) and --target" in str(caught.value)
    assert str(caught.value).endswith("(GET /adAccounts/1/adCampaigns/5)")
    assert clock.now <= CONNECT_RETRY_BUDGET  # a few seconds of retries, not two minutes
    assert 2 <= len(fake.requests) < 8


def test_retries_show_on_the_progress_line_and_in_the_debug_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="reconciler.api")
    clock = Clock()
    shown: list[str] = []
    with make_client(failing(DNS), retry=policy(clock)) as client:
        client.wire.on_retry = shown.append
        with pytest.raises(ConnectFailed):
            client.accounts.get(1)
    assert shown and all(line.startswith("retrying GET /adAccounts/1 in ") for line in shown)
    assert "(ConnectFailed, attempt 1)" in shown[0]
    assert "retry GET /adAccounts/1 after ConnectFailed (attempt 1" in caplog.text


def test_a_create_is_sent_again_after_a_connection_failure() -> None:
    fake = FakeLinkedIn().queue(httpx.ConnectError("[Errno 111] Connection refused"))
    with make_client(fake, retry=policy(Clock())) as client:
        assert client.campaigns(1).create({"name": "x"}) == 123456789
    assert len(fake.requests) == 2  # no connection, nothing sent: resending cannot duplicate


def test_a_dropped_connection_is_not_a_connect_failure() -> None:
    error = error_from_transport(httpx.RemoteProtocolError("Server disconnected"), method="GET", path="/x")
    assert type(error) is TransportError


def test_a_failed_token_refresh_says_so() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "www.linkedin.com":
            raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)
        return httpx.Response(401)

    auth = RefreshTokenAuth("id", Secret("client-secret-1"), Secret("refresh-token-1"))
    client = make_client(FakeLinkedIn(answer), auth=auth, retry=policy(Clock()))
    with client, pytest.raises(ConnectFailed) as caught:
        client.accounts.get(1)
    assert str(caught.value).startswith(
        "ad account 1: the OAuth token refresh failed: cannot resolve www.linkedin.com: [Errno -3]"
    )
    assert str(caught.value).endswith("(POST /oauth/v2/accessToken)")


def test_a_refused_token_refresh_names_the_token_request() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "www.linkedin.com":
            return httpx.Response(400, json={"error": "invalid_grant", "error_description": "expired"})
        return httpx.Response(401)

    auth = RefreshTokenAuth("id", Secret("client-secret-1"), Secret("refresh-token-1"))
    with make_client(FakeLinkedIn(answer), auth=auth) as client, pytest.raises(Exception) as caught:
        client.accounts.get(1)
    assert "OAuth token refresh failed: expired" in str(caught.value)
    assert "(POST /oauth/v2/accessToken)" in str(caught.value)


def test_a_long_retry_after_says_when_to_retry() -> None:
    assert retry_hint(3600, now=0) == "the API asks to wait 1 h 0 min: retry after 01:00 UTC"
    assert retry_hint(90, now=0) == "the API asks to wait 2 min: retry after 00:01 UTC"
    assert retry_hint(5) == "the API asks to wait 5 s before retrying"


def test_the_timeout_comes_from_the_option_then_the_environment() -> None:
    assert resolve_timeout(None, {}) == DEFAULT_TIMEOUT
    assert resolve_timeout(None, {"RECONCILER_TIMEOUT": "7.5"}) == 7.5
    assert resolve_timeout(3, {"RECONCILER_TIMEOUT": "7.5"}) == 3
    for bad in ("soon", "0", "-1"):
        with pytest.raises(ConfigError, match="RECONCILER_TIMEOUT"):
            resolve_timeout(None, {"RECONCILER_TIMEOUT": bad})
    with pytest.raises(ConfigError, match="--timeout"):
        resolve_timeout(0, {})
    target = resolve_target("http://127.0.0.1:1/rest", {"RECONCILER_TIMEOUT": "4"})
    with target.client() as client:
        assert client.wire.retry.budget == 4


def test_an_unresolvable_host_fails_in_seconds_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # .invalid never resolves (RFC 6761), with or without a network.
    monkeypatch.chdir(tmp_path)
    began = time.monotonic()
    result = CliRunner().invoke(
        app,
        ["plan", str(ROOT / "examples" / "quickstart"), "--target", "https://api.linkedin.invalid/rest"],
        env={"LINKEDIN_ACCESS_TOKEN": "x", **{k: None for k in os.environ if k.startswith("RECONCILER_")}},
    )
    assert time.monotonic() - began < 10
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "error: ad account 500000001: cannot resolve api.linkedin.invalid: " in result.stderr
