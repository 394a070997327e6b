"""The chaos test of issue 6: a plan of more than 300 changes (creates, updates, archives) applied by a
separate ``python -m reconciler apply`` process against a served emulator that throttles, fails and
commits-then-fails 5% of requests each, killed with SIGKILL at 20+ seeded random points and re-run
each time until it exits 0. The live state must then equal the manifests (the plan is empty) and no
two live siblings may share a name.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from reconciler.apply import apply_plan
from reconciler.emulator import open_emulator
from reconciler.target import resolve_target
from reconciler.workflow import build_plan
from tests.apply.helpers import FAST, Tree, duplicates, served, statuses, tree, write_manifests

SEED = 20270104
KILLS = 20
FAULTS = {"throttle_rate": 0.05, "error_rate": 0.05, "commit_then_fail_rate": 0.05}
LATENCY_MS = 10  # per request: concurrent batch chunks overlap, so kills land mid-flight
BATCH = 10  # small batches: many write requests in flight, many distinct points to die at
ROOT = Path(__file__).parents[2]


def baseline() -> Tree:
    """6 groups x 20 campaigns x 2 creatives: 366 entities."""
    return tree(6, 20, 2)


def changed(spec: Tree, stage: int) -> Tree:
    """The next version of the manifests: per group, drop 2 campaigns, drop a creative in 3 and add
    one in 5, add 5 campaigns; add 2 new groups of 10 campaigns. With new budgets everywhere this
    makes a plan of well over 300 creates, updates and archives."""
    out: Tree = {}
    for g, (group, campaigns) in enumerate(spec.items()):
        kept: dict[str, list[str]] = {}
        for c, (campaign, creatives) in enumerate(list(campaigns.items())[2:]):
            if c < 3:
                kept[campaign] = creatives[:1]
            elif c < 8:
                kept[campaign] = [*creatives, f"Extra ad {stage}-{g}-{c}"]
            else:
                kept[campaign] = creatives
        for n in range(5):
            kept[f"New campaign {stage}-{g}-{n}"] = [f"New ad {stage}-{g}-{n}-{r}" for r in range(2)]
        out[group] = kept
    out.update(tree(2, 10, 2, prefix=f"Fresh {stage} "))
    return out


def test_apply_killed_at_random_points_converges_without_duplicates(tmp_path: Path) -> None:
    began = time.monotonic()
    rng = random.Random(SEED)
    emulator = open_emulator(None, seed=SEED, latency_ms=LATENCY_MS, **FAULTS)
    kills = runs = stage = 0
    told = False
    with served(emulator) as base, resolve_target(base, {}).client(retry=FAST) as client:
        spec = baseline()
        v1 = write_manifests(tmp_path / "v1", spec)
        for _ in range(5):  # the starting point, applied in process
            first = build_plan([v1], client, target="chaos").plan
            if first.empty:
                break
            apply_plan(first, client)
        # Each stage is one plan of 300+ changes, applied by processes killed at random points and
        # re-run until one exits 0; stages follow one another until 20 kills have happened.
        while kills < KILLS:
            stage += 1
            assert stage <= 6, f"only {kills} kills in {stage - 1} stages"
            spec = changed(spec, stage)
            budget = 50 + 5 * stage
            project = write_manifests(
                tmp_path / f"v{stage + 1}", spec, budget=lambda _c, b=budget: b, prune=True
            )
            summary = build_plan([project], client, target="chaos").plan.summary()
            assert sum(summary[a] for a in ("create", "update", "archive")) >= 300, summary
            assert min(summary["create"], summary["update"], summary["archive"]) >= 20, summary
            stage_kills, stage_runs, stage_told = run_until_done(tmp_path, project, base, rng, KILLS - kills)
            kills, runs, told = kills + stage_kills, runs + stage_runs, told or stage_told
            elapsed = time.monotonic() - began
            print(f"stage {stage}: {stage_kills} kills in {stage_runs} runs, {elapsed:.0f} s")

            final = build_plan([project], client, target="chaos").plan
            assert final.empty, [c.address for c in final.changes][:10]
            assert not duplicates(client)
            live = statuses(client)
            assert live[f"New campaign {stage}-0-0"] == "ACTIVE" and live[f"New ad {stage}-0-0-1"] == "ACTIVE"
            assert live[f"Fresh {stage} Campaign 01-009"] == "ACTIVE"
        assert live["Campaign 00-000"] == "ARCHIVED" and live["Ad 00-002-1"] == "ARCHIVED"
    emulator.close()
    assert told, "no run reported what the killed one left unfinished"
    assert time.monotonic() - began < 180, f"{runs} runs took {time.monotonic() - began:.0f} s"


def run_until_done(
    workdir: Path, project: Path, base: str, rng: random.Random, budget: int
) -> tuple[int, int, bool]:
    """Start apply processes, SIGKILL up to ``budget`` of them at random points, until one exits 0."""
    kills = runs = 0
    told = False
    while True:
        runs += 1
        assert runs <= KILLS + 15, "apply did not converge"
        log = workdir / f"run-{project.name}-{runs}.stderr"
        with log.open("w", encoding="utf-8") as stderr:
            process = start_apply(workdir, project, base, stderr)
            seen: list[str] = []
            lines, reader = read_lines(process.stdout, seen)
            killed = kills < budget and kill_at_random_point(process, lines, rng)
            code = process.wait(timeout=120)
            reader.join(timeout=10)
            assert process.stdout is not None
            process.stdout.close()
        told = told or any(json.loads(line).get("event") == "unfinished" for line in seen)
        if killed:
            kills += 1
            continue
        text = log.read_text(encoding="utf-8")
        if code == 0:
            return kills, runs, told
        # a finished run that failed: say why, and run again (the next run resolves by looking)
        print(f"run {runs} exited {code}: {text[-2000:]}")


def start_apply(workdir: Path, project: Path, base: str, stderr: IO[str]) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINKEDIN_", "RECONCILER_"))}
    env["PYTHONPATH"] = str(ROOT)
    args = [sys.executable, "-m", "reconciler", "apply", str(project), "--auto-approve", "--force"]
    args += ["--target", base, "--format", "json", "--batch-size", str(BATCH)]
    return subprocess.Popen(args, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)


def read_lines(stream: IO[str] | None, seen: list[str]) -> tuple[queue.Queue[str | None], threading.Thread]:
    """Lines of ``stream`` as they come (None at the end), read by a daemon thread; all kept in ``seen``."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert stream is not None
        for line in stream:
            seen.append(line)
            lines.put(line)
        lines.put(None)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return lines, thread


def kill_at_random_point(
    process: subprocess.Popen[str], lines: queue.Queue[str | None], rng: random.Random
) -> bool:
    """SIGKILL the process at a seeded random point: mostly while it writes (after its plan event,
    after a few change events), sometimes while it still reads. False when it finished first."""
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.2, 1.5))  # anywhere: loading, reading, planning or writing
    else:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait for the plan event: writing starts now
            try:
                line = lines.get(timeout=0.05)
            except queue.Empty:
                continue
            if line is None or json.loads(line).get("event") == "plan":
                break
        time.sleep(rng.uniform(0, 0.2))
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    return True
