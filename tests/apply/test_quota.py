"""LinkedIn's daily quota met mid-apply (issue 12, item 7): a separate ``reconciler apply`` process
against an emulator serving ``--daily-quota 50`` stops within 10 s of the first quota 429, says when
the quota resets and exits 1; once the quota is back (the emulator restarted), a rerun converges
with no duplicate."""

from __future__ import annotations

import io
from pathlib import Path

from reconciler.emulator import open_emulator
from reconciler.target import resolve_target
from reconciler.workflow import build_plan
from tests.apply.helpers import FAST, duplicates, served, tree, write_manifests
from tests.apply.procs import log_entries, start_apply

MESSAGE = (
    "LinkedIn's daily API quota for this application or member is exhausted; it resets at 00:00 UTC (in "
)


def test_an_apply_meeting_the_daily_quota_stops_says_so_and_a_later_rerun_converges(tmp_path: Path) -> None:
    db = tmp_path / "emulator.sqlite"
    project = write_manifests(tmp_path / "manifests", tree(2, 50, 1))  # 202 creates, 100 activations
    log = io.StringIO()
    emulator = open_emulator(db, latency_ms=20, request_log=log, daily_quota=50)
    with served(emulator) as base:
        process = start_apply(tmp_path / "work", project, base, "--batch-size", "1")
        code, out, err = process.wait()
    emulator.close()
    entries = log_entries(log)
    throttled = [e for e in entries if e["status"] == 429]
    assert code == 1, err
    assert MESSAGE in err and "run apply again then" in err
    assert "Apply stopped (LinkedIn's daily API quota is exhausted)" in out
    assert throttled and entries[-1]["time"] - throttled[0]["time"] <= 10
    # Token introspection is LinkedIn's OAuth host, outside the API's daily quota.
    assert sum(e["status"] != 429 and "introspectToken" not in e["target"] for e in entries) == 50

    emulator = open_emulator(db)  # the next day: a fresh quota, on the same address
    port = int(base.rsplit(":", 1)[1].split("/")[0])
    with served(emulator, port=port) as base:
        again = start_apply(tmp_path / "work", project, base, "--format", "json")
        code, out, err = again.wait()
        assert code == 0, err
        assert '"event": "unfinished"' in out
        with resolve_target(base, {}).client(retry=FAST) as client:
            assert not duplicates(client)
            assert build_plan([project], client, target="t").plan.empty
    emulator.close()
