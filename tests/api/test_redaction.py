"""The token never shows: every code path runs with recognisable credentials and DEBUG logging on,
then every captured log record, printed line, exception message, traceback and repr is searched."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reconciler.api import LinkedInClient, Patch, RefreshTokenAuth, Secret, auth_from_env
from reconciler.api.auth import TOKEN_URL
from tests.api.fakes import FakeLinkedIn, default_answer, make_client, no_wait_policy

MARK = "RECOGNISABLE"
TOKEN = f"tok-{MARK}-7f3a9c"
REFRESH = f"rt-{MARK}-11aa"
CLIENT_SECRET = f"cs-{MARK}-22bb"


class Capture:
    """Everything a user or a log could see."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def run(self, action: Callable[[], Any]) -> None:
        try:
            self.texts.append(repr(action()))
        except Exception as error:  # every failure path is captured, not just the expected ones
            self.texts.extend([str(error), repr(error), "".join(traceback.format_exception(error))])
            self.texts.extend(repr(getattr(error, k, None)) for k in ("message", "path", "resource"))


def status_answer(status: int) -> httpx.Response:
    # A careless server that echoes the credential in its message.
    body = {"status": status, "message": f"failure {status} for {TOKEN}", "code": "SOME_CODE"}
    return httpx.Response(status, json=body, headers={"Retry-After": "0"} if status == 429 else {})


def static_paths(capture: Capture) -> LinkedInClient:
    failing: dict[str, int] = {}

    def server(request: httpx.Request) -> httpx.Response:
        return status_answer(failing["status"]) if failing else default_answer(request)

    fake = FakeLinkedIn(server)
    client = make_client(fake, auth=auth_from_env({"LINKEDIN_ACCESS_TOKEN": TOKEN}), batch_size=500)
    campaigns, creatives = client.campaigns(1), client.creatives(1)
    capture.run(lambda: campaigns.get(1))
    capture.run(lambda: campaigns.search({"status": ["ACTIVE"]}))
    capture.run(lambda: campaigns.create({"name": "x"}))
    capture.run(lambda: campaigns.batch_create([{"name": "x"}]))
    capture.run(lambda: creatives.batch_get(range(300)))  # tunnelled as a form
    capture.run(
        lambda: creatives.batch_partial_update({i: Patch({"name": "n"}) for i in range(300)})
    )  # multipart
    capture.run(lambda: campaigns.batch_delete([1, 2]))
    for status in (400, 401, 403, 404, 405, 409, 412, 414, 426, 429, 500, 503):
        failing["status"] = status
        capture.run(lambda: campaigns.get(2))  # temporary ones are retried until attempts run out
        capture.run(lambda: campaigns.create({"name": "x"}))
        capture.run(lambda: campaigns.batch_create([{"name": "y"}]))
    failing.clear()
    fake.queue(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"))
    capture.run(lambda: campaigns.get(3))
    fake.queue(httpx.RemoteProtocolError("dropped"))
    capture.run(lambda: campaigns.create({"name": "z"}))
    return client


def refresh_paths(capture: Capture) -> list[LinkedInClient]:
    minted: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            form = request.content.decode()
            if "revoked" in request.headers.get("X-Test", "") or not minted:
                minted.append(f"at-{MARK}-{len(minted)}")
                return httpx.Response(200, json={"access_token": minted[-1], "refresh_token": REFRESH})
            # An unhelpful token endpoint that echoes what it got.
            return httpx.Response(
                400, json={"error": "invalid_grant", "error_description": f"bad grant {form}"}
            )
        if request.headers["Authorization"] != f"Bearer {minted[-1] if minted else ''}":
            return httpx.Response(401, json={"message": f"Invalid token {request.headers['Authorization']}"})
        return default_answer(request)

    env = {
        "LINKEDIN_CLIENT_ID": "id",
        "LINKEDIN_CLIENT_SECRET": CLIENT_SECRET,
        "LINKEDIN_REFRESH_TOKEN": REFRESH,
        "LINKEDIN_ACCESS_TOKEN": TOKEN,
    }
    clients = []
    for _ in range(2):  # first: stale token, refresh, success; second: refresh refused with an echo
        auth = auth_from_env(env)
        assert isinstance(auth, RefreshTokenAuth)
        client = make_client(FakeLinkedIn(server), auth=auth, retry=no_wait_policy())
        capture.run(lambda c=client: c.accounts.get(1))
        capture.run(lambda c=client: c.campaigns(1).create({"name": "x"}))
        capture.texts.append(repr(auth))
        clients.append(client)
    return clients


def test_no_output_ever_contains_a_credential(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    capture = Capture()
    clients = [static_paths(capture), *refresh_paths(capture)]
    for client in clients:
        capture.texts.extend([repr(client), json.dumps(client.stats.snapshot()), repr(client.stats)])
        client.close()
    capture.texts.extend([repr(Secret(TOKEN)), str(Secret(TOKEN))])
    out, err = capsys.readouterr()
    logged = [caplog.text, *(r.getMessage() for r in caplog.records)]
    everything = "\n".join([*capture.texts, out, err, *logged])
    assert "Bearer ***" in caplog.text  # request logging really ran, headers included
    assert "HTTP 426" in everything and "outcome unknown" in everything  # the failure paths really ran
    assert "OAuth token refresh failed" in everything
    assert MARK not in everything
