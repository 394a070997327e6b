"""The limits benchmark in ``--small`` mode: the smoke test CI runs (correctness only, no timing).

It generates a 3-group / 30-campaign / 90-creative account, serves it from a child process at 5 ms,
and runs every scenario once: the no-op plan must be empty and read the account in its minimum of
page calls, the mixed change set must apply without failures in its minimum of batch calls (and
plan to nothing afterwards), and the JSON report must hold every figure the README quotes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_small_benchmark_runs_and_is_correct(tmp_path: Path) -> None:
    out = tmp_path / "small.json"
    command = [sys.executable, "benchmarks/limits.py", "--small", "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    assert result["errors"] == []
    noop, apply = result["noop"], result["apply"]
    assert all(run["extra"]["changes"] == 0 for run in noop["runs"])
    # account, groups, campaigns, creatives, CANCELED creatives
    assert noop["calls"] == result["settings"]["min_read_calls"] == 5
    assert apply["writes"] == {"campaign update": 6, "campaign archive": 1, "creative create": 3}
    assert apply["write_calls"] == apply["min_write_calls"] == 3
    for run in apply["runs"]:
        assert (run["extra"]["failed"], run["extra"]["skipped"], run["extra"]["changes_after"]) == (0, 0, 0)
        assert run["extra"]["applied"] == 10
    assert result["baseline"]["calls"] == 1 + 3 + 30 + 90  # the account, then one GET per entity
    assert [p["fraction"] for p in result["scaling"]] == [0.1, 0.25, 0.5, 1.0]
    assert all(p["changes"] == 0 and p["calls"] == p["min_calls"] for p in result["scaling"])
    assert {t["target"] for t in result["targets"]} >= {"no-op plan wall ≤ 3 s", "plan + apply wall ≤ 10 s"}
    assert "| no-op plan |" in done.stdout


def test_small_accounts_benchmark_runs_and_is_correct(tmp_path: Path) -> None:
    """benchmarks/accounts.py --small: 4 accounts planned in one process and the largest alone; both
    plans empty, every account in the project's plan, one page of each kind per account."""
    out = tmp_path / "accounts.json"
    command = [sys.executable, "benchmarks/accounts.py", "--small", "--json", str(out)]
    command += ["--work", str(tmp_path / "work")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    assert result["errors"] == []
    assert result["settings"]["accounts"] == 4
    assert result["largest"]["calls"] == result["settings"]["min_read_calls"] == 5
    assert result["project"]["calls"] == 4 * 5
    assert all(run["extra"]["accounts"] == 4 for run in result["project"]["runs"])
    assert [t["target"] for t in result["targets"]] == ["project peak RSS ≤ 1.5 × the largest account's"]
    assert "| all 4 accounts |" in done.stdout and "| largest account alone |" in done.stdout


def test_small_content_benchmark_uploads_each_file_once_and_reads_posts_in_batches(tmp_path: Path) -> None:
    out = tmp_path / "content.json"
    command = [sys.executable, "benchmarks/limits.py", "--small", "--only", "content", "--json", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())["content"]
    extra = result["apply"]["extra"]
    assert (extra["failed"], extra["changes_after"], extra["posts_made"]) == (0, 0, 90)
    # one file per organization of the generated campaigns, each uploaded once
    assert extra["image_uploads_started"] == extra["image_puts"] == result["files"]
    assert all(run["extra"]["changes"] == 0 for run in result["noop"]["runs"])
    # the account's 5 reads, then its 90 posts in one batch get
    assert result["noop"]["calls"] == result["min_noop_calls"] == 6
    assert "| content no-op plan" in done.stdout
