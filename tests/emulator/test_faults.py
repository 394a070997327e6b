"""Fault injection (seeded, reproducible) and the request log (token redacted)."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import httpx
import pytest

from reconciler.emulator import EmulatorConfig, FaultConfig, MemoryStore, open_emulator, serve_in_thread
from reconciler.emulator.core import Emulator
from tests.emulator.helpers import ACCOUNT, NOW, TOKEN, call, coll, group_body, headers

GET_ACCOUNT = f"/rest/adAccounts/{ACCOUNT}"


def faulty(seed: int = 7, **rates: float) -> Emulator:
    return Emulator(MemoryStore(), EmulatorConfig(seed=seed, faults=FaultConfig(**rates), clock=lambda: NOW))


def group_count(emu: Emulator) -> int:
    clean = headers("FINDER")
    body = emu.handle("GET", f"{coll('adCampaignGroups')}?q=search&search=()", clean).json()
    return len(body["elements"])


def test_same_seed_same_fates() -> None:
    def statuses(seed: int) -> list[int]:
        emu = faulty(seed, throttle_rate=0.3, error_rate=0.2)
        return [call(emu, "GET", GET_ACCOUNT).status for _ in range(60)]

    first = statuses(3)
    assert first == statuses(3)
    assert first != statuses(4)
    assert {429, 200} <= set(first) and {500, 503} & set(first)


def test_throttle_has_the_documented_message() -> None:
    response = call(faulty(throttle_rate=1.0), "GET", GET_ACCOUNT)
    assert response.status == 429
    assert (
        response.json()["message"] == "Resource level throttle limit for calls to this resource is reached."
    )


def test_errors_before_processing_write_nothing() -> None:
    emu = faulty(error_rate=1.0)
    response = call(emu, "POST", coll("adCampaignGroups"), group_body(), method="CREATE")
    assert response.status in (500, 503)
    assert group_count(Emulator(emu.store, EmulatorConfig(clock=lambda: NOW))) == 1  # only the default group


def test_commit_then_fail_keeps_the_write_in_process() -> None:
    emu = faulty(seed=11, commit_then_fail_rate=1.0)
    outcomes = []
    with httpx.Client(
        transport=emu.transport(), base_url="https://api.linkedin.com", headers=headers()
    ) as client:
        for _ in range(12):
            try:
                got = client.post(
                    coll("adCampaignGroups"), json=group_body(), headers={"X-RestLi-Method": "CREATE"}
                )
                outcomes.append(got.status_code)
            except httpx.RemoteProtocolError:
                outcomes.append("dropped")
    assert set(outcomes) == {500, "dropped"}
    assert group_count(Emulator(emu.store, EmulatorConfig(clock=lambda: NOW))) == 1 + 12


def test_commit_then_fail_spares_reads() -> None:
    emu = faulty(commit_then_fail_rate=1.0)
    assert all(call(emu, "GET", GET_ACCOUNT).status == 200 for _ in range(5))


def test_commit_then_drop_over_a_socket_closes_without_answer() -> None:
    emu = faulty(seed=11, commit_then_fail_rate=1.0)
    server, base = serve_in_thread(emu)
    try:
        dropped = 0
        with httpx.Client(base_url=base, headers=headers("CREATE")) as client:
            for _ in range(6):
                try:
                    client.post(coll("adCampaignGroups"), json=group_body())
                except httpx.RemoteProtocolError:
                    dropped += 1
        assert dropped >= 1
        assert group_count(Emulator(emu.store, EmulatorConfig(clock=lambda: NOW))) == 1 + 6
    finally:
        server.shutdown()
        server.server_close()


def test_latency_is_added() -> None:
    emu = open_emulator(None, latency_ms=60)
    started = time.perf_counter()
    assert call(emu, "GET", GET_ACCOUNT).status == 200
    assert time.perf_counter() - started >= 0.06


def test_rates_are_validated() -> None:
    with pytest.raises(ValueError):
        open_emulator(None, throttle_rate=1.5)


def test_request_log_has_one_redacted_line_per_request(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    emu = open_emulator(None, request_log=log, throttle_rate=0.5, seed=2)
    targets = [GET_ACCOUNT, f"{GET_ACCOUNT}?oauth2_access_token={TOKEN}", "/rest/nothing"]
    statuses = [call(emu, "GET", t).status for t in targets]
    emu.close()
    text = log.read_text()
    assert TOKEN not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["status"] for line in lines] == statuses
    assert [line["method"] for line in lines] == ["GET"] * 3
    assert lines[0]["target"] == GET_ACCOUNT
    assert lines[1]["target"].endswith("oauth2_access_token=[REDACTED]")
    assert lines[0]["headers"]["Authorization"] == "Bearer [REDACTED]"
    assert {line["fault"] for line in lines} <= {"none", "throttle"}


def test_request_log_accepts_a_stream() -> None:
    stream = io.StringIO()
    emu = open_emulator(None, request_log=stream)
    call(emu, "GET", GET_ACCOUNT)
    assert json.loads(stream.getvalue())["status"] == 200
