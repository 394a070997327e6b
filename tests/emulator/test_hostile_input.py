"""Input too deep or too big gets a 400 (never a 500) and the emulator stays up: the same limits
in the in-process transport and over the served socket."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reconciler.emulator import Emulator, EmulatorConfig, SqliteStore, serve_in_thread
from reconciler.emulator.core import MAX_BODY
from tests.emulator.helpers import ACCOUNT, NOW, coll, headers

DEEP = 10_000
FINDER = {"X-RestLi-Method": "FINDER"}
TUNNEL = {"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded", **FINDER}


def deep_json() -> bytes:
    return b"[" * DEEP + b"]" * DEEP


def deep_object() -> bytes:
    return b'{"a":' * DEEP + b"1" + b"}" * DEEP


def deep_restli() -> bytes:
    return b"q=search&search=" + b"(a:" * DEEP + b"x" + b")" * DEEP


def deep_list() -> bytes:
    return b"q=search&search=(status:(values:" + b"List(" * DEEP + b")" * DEEP + b"))"


@pytest.fixture(params=["in-process", "served"])
def http(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[httpx.Client]:
    emu = Emulator(SqliteStore(tmp_path / "emu.sqlite"), EmulatorConfig(clock=lambda: NOW))
    if request.param == "in-process":
        with httpx.Client(
            transport=emu.transport(), base_url="http://emulator.local", headers=headers()
        ) as c:
            yield c
    else:
        server, base = serve_in_thread(emu)
        with httpx.Client(base_url=base, headers=headers(), timeout=30) as c:
            yield c
        server.shutdown()
        server.server_close()
    emu.close()


def alive(http: httpx.Client) -> None:
    answer = http.get(f"/rest/adAccounts/{ACCOUNT}", headers={"X-RestLi-Method": "GET"})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("body", [deep_json(), deep_object()], ids=["list", "object"])
def test_deep_json_bodies_are_refused_with_400(http: httpx.Client, body: bytes) -> None:
    answer = http.post(
        coll("adCampaignGroups"),
        content=body,
        headers={"X-RestLi-Method": "CREATE", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400, answer.text
    assert "nest" in answer.json()["message"]
    alive(http)


def test_json_just_deep_enough_is_read_as_json(http: httpx.Client) -> None:
    body = b'{"name":' + b"[" * 60 + b"]" * 60 + b"}"
    answer = http.post(
        coll("adCampaignGroups"),
        content=body,
        headers={"X-RestLi-Method": "CREATE", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400 and "nest" not in answer.json().get("message", "")  # a field error
    alive(http)


def param_invalid(answer: httpx.Response) -> str:
    """The parameter a 400 PARAM_INVALID answer names."""
    assert answer.status_code == 400, answer.text
    [error] = answer.json()["errorDetails"]["inputErrors"]
    assert error["code"] == "PARAM_INVALID"
    return str(error["input"]["inputPath"]["fieldPath"])


@pytest.mark.parametrize("form", [deep_restli(), deep_list()], ids=["record", "list"])
def test_deep_restli_is_refused_with_400(http: httpx.Client, form: bytes) -> None:
    assert param_invalid(http.post(coll("adCampaigns"), content=form, headers=TUNNEL)) == "search"
    alive(http)


def test_deep_dotted_names_and_projections_are_refused_with_400(http: httpx.Client) -> None:
    dotted = b"q=search&" + b".".join([b"search"] * 2_000) + b"=x"
    assert param_invalid(http.post(coll("adCampaigns"), content=dotted, headers=TUNNEL)).startswith("search.")
    fields = b"fields=" + b"a:(" * 2_000 + b"b" + b")" * 2_000  # projected on the account read
    answer = http.post(
        f"/rest/adAccounts/{ACCOUNT}", content=fields, headers={**TUNNEL, "X-RestLi-Method": "GET"}
    )
    assert param_invalid(answer) == "fields"
    alive(http)


def test_a_body_over_the_limit_is_refused_with_400(http: httpx.Client) -> None:
    body = b" " * (MAX_BODY + 1)
    answer = http.post(
        coll("adCampaignGroups"),
        content=body,
        headers={"X-RestLi-Method": "CREATE", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    alive(http)


def test_the_socket_refuses_a_malformed_length_and_serves_the_next_connection(tmp_path: Path) -> None:
    emu = Emulator(SqliteStore(tmp_path / "emu.sqlite"), EmulatorConfig(clock=lambda: NOW))
    server, base = serve_in_thread(emu)
    try:
        host, port = server.server_address[:2]
        for length in (b"abc", b"-5", str(MAX_BODY + 1).encode()):
            with socket.create_connection((str(host), int(port)), timeout=5) as raw:
                raw.sendall(
                    b"POST /rest/adAccounts HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + b"\r\n\r\n"
                )
                answer = raw.recv(4096)
            assert answer.startswith(b"HTTP/1.1 400"), answer
        with httpx.Client(base_url=base, headers=headers(), timeout=30) as http:
            alive(http)
    finally:
        server.shutdown()
        server.server_close()
        emu.close()
