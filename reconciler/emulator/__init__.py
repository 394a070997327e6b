"""A local emulator of LinkedIn's Advertising API: an independent server-side implementation.

Faithful enough that a client written against the real API works against it unchanged; the
embedded default target of the CLI, the bed of integration tests, and — with fault injection —
the way to prove a client survives a hostile API. See docs/emulator.md.

Public API::

    emu = open_emulator(None)                     # in memory; open_emulator("x.sqlite") persists
    client = httpx.Client(transport=emu.transport(), base_url="https://api.linkedin.com")
    server, base_url = serve_in_thread(emu)       # a real socket on 127.0.0.1, free port
    generate_account(emu, groups=100, campaigns=5000, creatives=15000)
    seed_file(emu, "account.json")                # entities in API shape, ids kept

Must not: import anything from ``reconciler.api``, ``reconciler.model`` or ``reconciler.manifest``.
Only the standard library, plus httpx for the transport adapter.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from reconciler.emulator.core import TEST_ACCOUNT_ID, Emulator, EmulatorConfig, EmuResponse
from reconciler.emulator.faults import FaultConfig
from reconciler.emulator.gate import default_active_versions, parse_versions, person_urn
from reconciler.emulator.generate import GenerateReport, generate_account
from reconciler.emulator.rules.common import Settings
from reconciler.emulator.seed import SeedReport, seed_entities, seed_file
from reconciler.emulator.serve import DEFAULT_HOST, DEFAULT_PORT, EmulatorServer, serve_in_thread
from reconciler.emulator.sqlite_store import SqliteStore
from reconciler.emulator.store import MemoryStore, Store
from reconciler.emulator.transport import EmulatorTransport

DEFAULT_DB_PATH = Path(".reconciler") / "emulator.sqlite"


def open_emulator(
    db_path: str | Path | None = None,
    *,
    seed: int = 0,
    latency_ms: int = 0,
    throttle_rate: float = 0.0,
    error_rate: float = 0.0,
    commit_then_fail_rate: float = 0.0,
    active_versions: Iterable[str] | None = None,
    tokens: Iterable[str] | None = None,
    request_log: str | Path | IO[str] | None = None,
    settings: Settings | None = None,
) -> Emulator:
    """An emulator over SQLite at ``db_path`` (created if missing), or in memory when None.

    A fresh store contains test ad account 500000001 (USD) with its default campaign group.
    ``active_versions`` defaults to the versions released and not yet sunset; ``tokens``
    restricts the accepted bearer tokens (default: any non-empty one).
    """
    store: Store = MemoryStore() if db_path is None else SqliteStore(db_path)
    config = EmulatorConfig(
        seed=seed,
        active_versions=None if active_versions is None else parse_versions(list(active_versions)),
        tokens=None if tokens is None else frozenset(tokens),
        faults=FaultConfig(latency_ms, throttle_rate, error_rate, commit_then_fail_rate),
        request_log=request_log,
        settings=settings or Settings(),
    )
    return Emulator(store, config)


__all__ = [
    "DEFAULT_DB_PATH",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "TEST_ACCOUNT_ID",
    "EmuResponse",
    "Emulator",
    "EmulatorConfig",
    "EmulatorServer",
    "EmulatorTransport",
    "FaultConfig",
    "GenerateReport",
    "MemoryStore",
    "SeedReport",
    "Settings",
    "SqliteStore",
    "Store",
    "default_active_versions",
    "generate_account",
    "open_emulator",
    "person_urn",
    "seed_entities",
    "seed_file",
    "serve_in_thread",
]
