"""Over real sockets: the issue's curl session, concurrency on SQLite, and HTTP-level details."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reconciler.emulator import (
    Emulator,
    EmulatorConfig,
    EmulatorServer,
    SqliteStore,
    open_emulator,
    serve_in_thread,
)
from tests.emulator.helpers import ACCOUNT, NOW, campaign_body, coll, creative_body, group_body, headers


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A socket server over a fresh SQLite emulator; its base URL."""
    emu = Emulator(SqliteStore(tmp_path / "served.sqlite"), EmulatorConfig(clock=lambda: NOW))
    server, base = serve_in_thread(emu)
    yield base
    server.shutdown()
    server.server_close()
    emu.close()


def test_the_curl_session(served: str) -> None:
    """What docs/emulator.md does with curl: create, find, page, patch, 426, 401."""
    with httpx.Client(base_url=served, headers=headers()) as http:
        made = http.post(coll("adCampaignGroups"), json=group_body(), headers={"X-RestLi-Method": "CREATE"})
        assert made.status_code == 201
        group = int(made.headers["x-restli-id"])
        campaigns = []
        for name in ("US", "DE", "FR"):
            body = campaign_body(group, name=f"Q1 Brand - {name}")
            answer = http.post(coll("adCampaigns"), json=body, headers={"X-RestLi-Method": "CREATE"})
            assert answer.status_code == 201
            campaigns.append(int(answer.headers["x-restli-id"]))
        creative = http.post(
            coll("creatives"), json=creative_body(campaigns[0]), headers={"X-RestLi-Method": "CREATE"}
        )
        assert creative.status_code == 201 and creative.headers["x-restli-id"].startswith(
            "urn:li:sponsoredCreative:"
        )

        search = (
            f"{coll('adCampaigns')}?q=search&search=(campaignGroup:(values:List("
            f"urn%3Ali%3AsponsoredCampaignGroup%3A{group})),status:(values:List(ACTIVE)))&pageSize=2"
        )
        first = http.get(search, headers={"X-RestLi-Method": "FINDER"}).json()
        token = first["metadata"]["nextPageToken"]
        second = http.get(f"{search}&pageToken={token}", headers={"X-RestLi-Method": "FINDER"}).json()
        assert [c["id"] for c in first["elements"] + second["elements"]] == campaigns
        assert "nextPageToken" not in second["metadata"]

        urn = creative.headers["x-restli-id"].replace(":", "%3A")
        found = http.get(
            f"{coll('creatives')}?q=criteria&creatives=List({urn})", headers={"X-RestLi-Method": "FINDER"}
        )
        assert len(found.json()["elements"]) == 1

        patch = {"patch": {"$set": {"status": "PAUSED"}}}
        patched = http.post(
            f"{coll('adCampaigns')}/{campaigns[0]}", json=patch, headers={"X-RestLi-Method": "PARTIAL_UPDATE"}
        )
        assert patched.status_code == 204
        assert http.get(f"{coll('adCampaigns')}/{campaigns[0]}").json()["status"] == "PAUSED"

        old = http.get(f"/rest/adAccounts/{ACCOUNT}", headers={"LinkedIn-Version": "202001"})
        assert (old.status_code, old.json()["code"]) == (426, "NONEXISTENT_VERSION")
    anonymous = httpx.get(
        f"{served}/rest/adAccounts/{ACCOUNT}", headers={"LinkedIn-Version": headers()["LinkedIn-Version"]}
    )
    assert (anonymous.status_code, anonymous.json()["message"]) == (401, "Empty oauth2_access_token")


def test_concurrent_writers_lose_nothing(served: str) -> None:
    created: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        with httpx.Client(base_url=served, headers=headers("CREATE"), timeout=30) as http:
            for i in range(8):
                body = group_body(name=f"writer {n} group {i}", status="DRAFT")
                answer = http.post(coll("adCampaignGroups"), json=body)
                with lock:
                    if answer.status_code == 201:
                        created.append(int(answer.headers["x-restli-id"]))
                    else:
                        failures.append(answer.text)
                http.get(f"/rest/adAccounts/{ACCOUNT}", headers={"X-RestLi-Method": "GET"})

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(created) == len(set(created)) == 128
    listed = httpx.get(
        f"{served}{coll('adCampaignGroups')}?q=search&search=(status:(values:List(DRAFT)))&pageSize=1000",
        headers=headers("FINDER"),
    ).json()
    assert sorted(g["id"] for g in listed["elements"]) == sorted(created)
    assert {g["name"] for g in listed["elements"]} == {
        f"writer {n} group {i}" for n in range(16) for i in range(8)
    }


def _raw(base: str, request: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_post_without_content_length_is_411(served: str) -> None:
    request = (
        f"POST {coll('adCampaignGroups')} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
        f"LinkedIn-Version: {headers()['LinkedIn-Version']}\r\nConnection: close\r\n\r\n"
    ).encode()
    assert _raw(served, request).startswith(b"HTTP/1.1 411")


def test_the_raw_request_target_reaches_the_emulator(served: str) -> None:
    target = f"{coll('adCampaigns')}?q=search&search=%28test%3Afalse%29"
    request = (
        f"GET {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nX-Restli-Protocol-Version: 2.0.0\r\n"
        f"LinkedIn-Version: {headers()['LinkedIn-Version']}\r\nConnection: close\r\n\r\n"
    ).encode()
    answer = _raw(served, request)
    assert answer.startswith(b"HTTP/1.1 400") and b"PARAM_INVALID" in answer


def test_server_binds_loopback_by_default() -> None:
    emu = open_emulator(None)
    server = EmulatorServer(emu, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
        assert server.base_url.startswith("http://127.0.0.1:")
    finally:
        server.server_close()
