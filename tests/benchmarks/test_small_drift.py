"""benchmarks/accounts.py --small --command drift: the smoke test of the drift measurement (no timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_small_accounts_drift_benchmark_runs_and_is_correct(tmp_path: Path) -> None:
    """4 accounts checked for drift in one process and the largest alone: no drift, every account
    checked, one page of each kind per account (a drift check reads what a plan reads)."""
    out = tmp_path / "drift.json"
    command = [sys.executable, "benchmarks/accounts.py", "--small", "--command", "drift", "--json", str(out)]
    command += ["--work", str(tmp_path / "work")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    assert result["errors"] == []
    assert result["settings"]["command"] == "drift"
    assert result["largest"]["calls"] == result["settings"]["min_read_calls"] == 5
    assert result["project"]["calls"] == 4 * 5
    assert all(
        run["extra"]["accounts"] == 4 and run["extra"]["changes"] == 0 for run in result["project"]["runs"]
    )
    assert "| no-op drift |" in done.stdout and "| all 4 accounts |" in done.stdout
