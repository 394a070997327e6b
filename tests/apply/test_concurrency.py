"""Two applies at once (issue 12, item 1).

The race test runs two ``reconciler apply`` processes of the same manifests from separate working
directories against one served emulator with latency, 20 times with random offsets between their
starts, with separate lock directories (as if on two machines, where no lock can help) and, once,
the second one killed mid-way. Each run ends applied, or refusing as stale only updates the other
wrote first. After each pair no two live siblings share a name (after the killed one, the next plan
removes what it left), a third run converges and the final plan is empty. The
in-process tests pin down the parts: adopting an earlier sibling, refusing a stale write, and the
local lock serialising two applies on one machine.
"""

from __future__ import annotations

import io
import os
import random
import signal
import threading
import time
from pathlib import Path

from reconciler.api import Patch
from reconciler.apply import Notice, Status, apply_plan
from reconciler.apply.lock import account_locks
from reconciler.apply.siblings import settle
from reconciler.emulator import open_emulator
from reconciler.model import group_urn
from reconciler.target import resolve_target
from reconciler.workflow import build_plan
from tests.apply.helpers import ACCOUNT, FAST, client_for, duplicates, served, statuses, tree, write_manifests
from tests.apply.procs import Apply, start_apply, wait_for, writes

RACES = 20
KILLED = 7  # the race in which the second apply is killed mid-way
SPEC = tree(2, 3, 1)  # 2 groups, 6 campaigns, 6 creatives: small, so 20 races stay quick


def test_two_applies_at_once_leave_one_entity_per_name_and_converge(tmp_path: Path) -> None:
    rng = random.Random(1212)
    project = write_manifests(tmp_path / "manifests", SPEC)
    raced = 0
    for race in range(RACES):
        log = io.StringIO()
        emulator = open_emulator(None, seed=race, latency_ms=40, request_log=log)
        with served(emulator) as base, resolve_target(base, {}).client(retry=FAST) as client:
            here = tmp_path / f"race-{race}"
            machine = {"RECONCILER_LOCK_DIR": str(here / "locks-a")}
            # --force: a second plan made while the first apply is mid-way sees part of the budget
            # live and may cross a spend threshold (a guardrail outcome that depends on timing);
            # this test is about duplicates, not thresholds.
            first = start_apply(here / "a", project, base, "--batch-size", "1", "--force", env=machine)
            time.sleep(rng.uniform(0, 0.3))
            machine = {"RECONCILER_LOCK_DIR": str(here / "locks-b")}
            second = start_apply(here / "b", project, base, "--batch-size", "1", "--force", env=machine)
            if race == KILLED:
                enough = rng.randint(2, 8)
                assert wait_for(lambda log=log, enough=enough: writes(log) >= enough, 30)
                second.send_signal(signal.SIGKILL)
            (code_a, out_a, err_a), (code_b, out_b, err_b) = first.wait(), second.wait()
            assert settled(code_a, out_a), out_a[-3000:] + err_a
            if race != KILLED:
                assert settled(code_b, out_b), out_b[-3000:] + err_b
                assert not duplicates(client), f"race {race}"
            raced += "another apply created it too" in err_a + err_b
            third = apply_plan(build_plan([project], client, target="t").plan, client)  # in process: quicker
            assert third.ok, [r for r in third.results if r.status is not Status.APPLIED]
            assert not duplicates(client), f"race {race}"
            assert build_plan([project], client, target="t").plan.empty
            live = statuses(client)
            assert {status for name, status in live.items() if "(duplicate of" not in name} == {"ACTIVE"}
            assert {status for name, status in live.items() if "(duplicate of" in name} <= {"ARCHIVED"}
        emulator.close()
    assert raced >= RACES // 4, f"only {raced} of {RACES} pairs met each other"  # the race was run


def settled(code: int, out: str) -> bool:
    """Exit 0, or 1 refusing only stale writes (the other apply changed those entities first)."""
    if code == 0:
        return True
    failed = [line for line in out.splitlines() if line.startswith("  ✗ ")]
    stale = all("changed since the plan was made" in line for line in failed)
    return code == 1 and bool(failed) and stale and "Skipped:" not in out


def test_an_apply_that_finds_an_earlier_sibling_of_its_new_entity_adopts_it_and_removes_its_own(
    tmp_path: Path,
) -> None:
    emulator = open_emulator(None)
    client = client_for(emulator)
    project = write_manifests(tmp_path, {"Group 00": {"Campaign 00-000": ["Ad 00-000-0"]}})
    plan = build_plan([project], client, target="t").plan
    # Another apply of the same manifests creates the group first, after this plan was made.
    body = next(c.body for c in plan.changes if c.kind.value == "campaignGroup")
    other = client.groups(ACCOUNT).create({**body, "account": f"urn:li:sponsoredAccount:{ACCOUNT}"})
    notices: list[str] = []
    report = apply_plan(
        plan, client, listener=lambda e: notices.append(e.message) if isinstance(e, Notice) else None
    )
    assert report.ok
    group = next(r for r in report.results if r.kind.value == "campaignGroup")
    assert group.id == other and "kept the earliest" in group.note
    assert any("another apply created it too" in n for n in notices)
    assert not duplicates(client)
    campaigns = client.campaigns(ACCOUNT).search({"campaignGroup": [group_urn(other)]})
    assert [c.name for c in campaigns] == ["Campaign 00-000"]
    assert build_plan([project], client, target="t").plan.empty


def test_settling_keeps_the_earliest_whoever_made_it() -> None:
    ours_later = settle({0: ((1, "G"), 9)}, {(1, "G"): [5, 9]})
    assert ours_later.adopt == {0: 5} and ours_later.remove == {9: (5, "G")}
    ours_first = settle({0: ((1, "G"), 5)}, {(1, "G"): [5, 9, 12]})
    assert ours_first.adopt == {} and ours_first.remove == {9: (5, "G"), 12: (5, "G")}
    alone = settle({0: ((1, "G"), 5)}, {})  # not listed yet: ours stands
    assert alone.adopt == {} and alone.remove == {}


def test_an_update_over_someone_elses_write_is_refused_as_stale(tmp_path: Path) -> None:
    emulator = open_emulator(None)
    client = client_for(emulator)
    apply_plan(build_plan([write_manifests(tmp_path / "v1", SPEC)], client, target="t").plan, client)
    plan = build_plan([write_manifests(tmp_path / "v2", SPEC, budget=lambda _c: 70)], client, target="t").plan
    victim = next(c for c in plan.changes if c.name == "Campaign 00-000")
    client.campaigns(ACCOUNT).batch_partial_update(
        {victim.id or 0: Patch({"dailyBudget": {"amount": "99", "currencyCode": "USD"}})}
    )
    report = apply_plan(plan, client)
    refused = [r for r in report.results if r.status is Status.FAILED]
    assert [r.address for r in refused] == [victim.address]
    assert (
        refused[0].error is not None
        and "changed since the plan was made (versionTag" in refused[0].error.message
    )
    live = client.campaigns(ACCOUNT).get(victim.id or 0)
    assert str(live.daily_budget.amount if live.daily_budget else "") in ("99", "99.00")  # not overwritten
    assert report.count(Status.APPLIED) == len(report.results) - 1


def test_an_apply_on_one_machine_waits_for_the_one_holding_the_account_or_refuses_naming_it(
    tmp_path: Path,
) -> None:
    emulator = open_emulator(None)
    project = write_manifests(tmp_path / "manifests", SPEC)
    locks = tmp_path / "locks"
    with served(emulator) as base, resolve_target(base, {}).client(retry=FAST) as client:
        machine = {"RECONCILER_LOCK_DIR": str(locks)}
        with account_locks(locks, base, [ACCOUNT], wait=0):  # another apply holds the account
            code, _out, err = start_apply(
                tmp_path / "a", project, base, "--lock-wait", "0.5", env=machine
            ).wait()
        assert code == 1
        assert f"account {ACCOUNT} is being applied by another reconciler apply (pid {os.getpid()} on" in err
        assert not duplicates(client) and statuses(client) == {}  # nothing written

        held, started = threading.Event(), threading.Event()
        waiting: list[Apply] = []

        def hold_until_the_apply_waits() -> None:
            # Released once the apply says it waits (not after a fixed time, which a loaded machine
            # may spend starting the process and planning), or after 60 s.
            with account_locks(locks, base, [ACCOUNT], wait=0):
                held.set()
                started.wait(60)
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and "; waiting" not in waiting[0].error():
                    time.sleep(0.05)

        holder = threading.Thread(target=hold_until_the_apply_waits)
        holder.start()
        held.wait(10)
        waiting.append(start_apply(tmp_path / "a", project, base, env=machine))
        started.set()
        code, _out, err = waiting[0].wait()
        holder.join()
        assert code == 0, err
        assert "is being applied by another reconciler apply" in err and "planning again" in err
        assert build_plan([project], client, target="t").plan.empty
    emulator.close()
