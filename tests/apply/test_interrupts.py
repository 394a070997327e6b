"""Ctrl-C and SIGTERM stop an apply cleanly (issue 12, item 2): a separate ``reconciler apply``
process of 500 single-entity writes at 100 ms latency is signalled mid-way. After the signal the
emulator sees at most the writes that were already in flight; the process exits 130 (143), prints
what was applied and what remains, ends its journal, and a rerun reports it and converges."""

from __future__ import annotations

import io
import json
import signal
from pathlib import Path

import pytest

from reconciler.api.wire import DEFAULT_CONCURRENCY
from reconciler.apply import apply_plan
from reconciler.apply.journal import JOURNAL_DIR, read_records
from reconciler.emulator import open_emulator
from reconciler.target import resolve_target
from reconciler.workflow import build_plan
from tests.apply.helpers import FAST, served, tree, write_manifests
from tests.apply.procs import start_apply, wait_for, writes

SPEC = tree(5, 100, 0)  # 500 campaigns


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_new_writes_prints_the_summary_and_a_rerun_converges(
    tmp_path: Path, signum: signal.Signals
) -> None:
    log = io.StringIO()
    emulator = open_emulator(None, latency_ms=100, request_log=log)
    with served(emulator) as base, resolve_target(base, {}).client(retry=FAST) as client:
        start = write_manifests(tmp_path / "v1", SPEC)
        plan = build_plan([start], client, target="t").plan
        assert apply_plan(plan, client).ok
        project = write_manifests(tmp_path / "v2", SPEC, budget=lambda _c: 60)
        assert build_plan([project], client, target="t").plan.summary()["update"] == 500

        before = writes(log)
        work = tmp_path / "work"
        process = start_apply(work, project, base, "--batch-size", "1")
        assert wait_for(lambda: writes(log) - before >= 40, 60), process.wait()
        process.send_signal(signum)
        sent_at_signal = writes(log)
        code, out, err = process.wait()

        assert code == 128 + signum, err
        assert writes(log) - sent_at_signal <= DEFAULT_CONCURRENCY, "writes started after the signal"
        assert f"interrupted by {signum.name}" in out
        assert "Remaining (" in out and "not started" in out
        counts = out.strip().splitlines()[-1]
        applied = int(counts.split(": ", 1)[1].split(" applied")[0])
        assert 40 <= applied < 500, counts
        journal = sorted((work / JOURNAL_DIR).glob("*.jsonl"))[-1]
        end = [r for r in read_records(journal) if r["type"] == "end"]
        assert end and end[0]["interrupted"] == f"interrupted by {signum.name}"

        again = start_apply(work, project, base, "--format", "json")
        code, out, err = again.wait()
        assert code == 0, err
        events = [json.loads(line) for line in out.splitlines()]
        unfinished = [e for e in events if e["event"] == "unfinished"]
        assert unfinished and f"was stopped (interrupted by {signum.name})" in unfinished[0]["message"]
        assert build_plan([project], client, target="t").plan.empty
    emulator.close()
