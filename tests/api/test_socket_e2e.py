"""End to end over a real socket: a served emulator reached through resolve_target, plus the
embedded target persisted on disk."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reconciler.api import RetryPolicy
from reconciler.emulator import TEST_ACCOUNT_ID, Emulator, open_emulator, serve_in_thread
from reconciler.errors import TransportError, UnknownOutcome
from reconciler.model import CampaignGroup, GroupStatus, Schedule, account_urn
from reconciler.target import TargetKind, resolve_target

ACCOUNT = TEST_ACCOUNT_ID
FAST = RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=10)
TOKEN = "socket-token-0123456789"


def group_body(name: str) -> dict[str, object]:
    start = int(time.time() * 1000) + 86_400_000
    return CampaignGroup(name=name, status=GroupStatus.DRAFT, run_schedule=Schedule(start)).to_api(
        account_urn(ACCOUNT)
    )


@contextmanager
def served(emulator: Emulator) -> Iterator[str]:
    server, base_url = serve_in_thread(emulator)
    try:
        yield base_url + "/rest"
    finally:
        server.shutdown()
        server.server_close()
        emulator.close()


@pytest.fixture
def flaky_server() -> Iterator[str]:
    with served(open_emulator(None, seed=2, throttle_rate=0.2, error_rate=0.2)) as base:
        yield base


def test_operations_over_a_socket(flaky_server: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    target = resolve_target(flaky_server, {"LINKEDIN_ACCESS_TOKEN": TOKEN})
    assert target.kind is TargetKind.URL
    with target.client(retry=FAST, batch_size=500) as client:
        assert client.accounts.get(ACCOUNT).currency == "USD"
        groups = client.groups(ACCOUNT)
        created = [groups.create(group_body(f"socket {i}")) for i in range(3)]
        groups.partial_update(created[0], {"name": "socket renamed"})
        names = {g.name for g in groups.search({"status": ["DRAFT"]})}
        found = groups.batch_get([*created, *range(1, 400)])  # 402 ids: tunnelled
        assert client.creatives(ACCOUNT).search() == []
    assert {"socket renamed", "socket 1", "socket 2"} <= names
    assert sorted(found) == sorted(created)
    assert client.stats.retries > 0
    assert TOKEN not in caplog.text and "Bearer ***" in caplog.text


def test_a_dropped_create_over_a_socket_is_an_unknown_outcome() -> None:
    emulator = open_emulator(None, seed=4, commit_then_fail_rate=1.0)
    with served(emulator) as base:
        with resolve_target(base, {}).client(retry=FAST) as client:
            for i in range(4):
                with pytest.raises(UnknownOutcome):
                    client.groups(ACCOUNT).create(group_body(f"dropped {i}"))
            # the writes were committed: looking finds them (reads are never failed after commit)
            names = {g.name for g in client.groups(ACCOUNT).search()}
        assert {f"dropped {i}" for i in range(4)} <= names
        assert client.stats.attempts == client.stats.calls


def test_nobody_listening_is_a_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = resolve_target(f"http://127.0.0.1:{port}/rest", {})
    with (
        target.client(retry=RetryPolicy(max_attempts=2, base_delay=0.0001)) as client,
        pytest.raises(TransportError),
    ):
        client.accounts.get(ACCOUNT)
    assert client.stats.attempts == 2


def test_the_embedded_target_persists_under_the_working_directory(tmp_path: Path) -> None:
    target = resolve_target(None, {}, tmp_path)
    with target.client(retry=FAST) as client:
        new_id = client.groups(ACCOUNT).create(group_body("persisted"))
    assert (tmp_path / ".reconciler" / "emulator.sqlite").exists()
    with resolve_target("emulator", {}, tmp_path).client() as client:
        assert client.groups(ACCOUNT).get(new_id).name == "persisted"
