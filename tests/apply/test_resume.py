"""An interrupted apply finishes by running it again, with no ``--force`` (issue 12, item 3): the
guardrails judge the rerun from the state before the interrupted run began, as its journal
recorded it, and say so."""

from __future__ import annotations

import io
import json
import signal
from decimal import Decimal
from pathlib import Path

import pytest

from reconciler.apply import JOURNAL_DIR, Journal, target_label, unfinished_runs
from reconciler.apply.resume import baselines_for
from reconciler.emulator import open_emulator
from reconciler.guardrails import AccountState, Baseline, CampaignState, Thresholds, evaluate
from reconciler.plan import BudgetImpact, Plan
from reconciler.target import resolve_target
from reconciler.workflow import build_plan
from tests.apply.helpers import ACCOUNT, FAST, client_for, served, statuses, tree, write_manifests
from tests.apply.procs import log_entries, restli_method, start_apply, wait_for
from tests.apply.test_apply_cli import cli, logged_server

__all__ = ["logged_server"]


def activations(log: io.StringIO) -> int:
    return sum(
        restli_method(e) == "BATCH_PARTIAL_UPDATE" and "/adCampaigns?" in e["target"]
        for e in log_entries(log)
    )


def test_a_run_killed_during_activation_is_finished_by_a_rerun_without_force(tmp_path: Path) -> None:
    log = io.StringIO()
    emulator = open_emulator(None, latency_ms=20, request_log=log)
    project = write_manifests(tmp_path / "m", tree(1, 100, 1))  # 100 new ACTIVE campaigns, 50 USD a day
    with served(emulator) as base, resolve_target(base, {}).client(retry=FAST) as client:
        first = start_apply(tmp_path / "work", project, base, "--batch-size", "1")
        assert wait_for(lambda: activations(log) >= 30, 60), first.wait()
        first.send_signal(signal.SIGKILL)
        first.wait()
        live = statuses(client)
        active = sum(live[f"Campaign 00-{c:03d}"] == "ACTIVE" for c in range(100))
        assert 30 <= active < 100
        judged_live = build_plan([project], client, target="t").plan
        assert any("raises total daily budget" in v.message for v in judged_live.violations)

        again = start_apply(tmp_path / "work", project, base, "--format", "json")
        code, out, err = again.wait()
        assert code == 0, out + err
        events = [json.loads(line) for line in out.splitlines()]
        notices = [e["message"] for e in events if e["event"] == "notice"]
        assert any("the guardrails judge it from the state before that run began" in n for n in notices)
        assert any(e["event"] == "unfinished" for e in events)
        assert build_plan([project], client, target="t").plan.empty
    emulator.close()


def test_a_forced_run_that_was_interrupted_stays_approved_up_to_what_it_planned() -> None:
    def state(active: int) -> AccountState:
        return AccountState(
            campaigns=tuple(CampaignState(f"c{i}", "g", "ACTIVE", Decimal(50)) for i in range(active))
        )

    forced = Baseline("run-1", Decimal(500), True, Decimal(2500), {})
    args = {"managed": {"campaign": 50}, "removed": {}, "thresholds": Thresholds()}
    # 10 campaigns live before the forced run, 30 when it was killed, 50 planned: the rest passes
    assert not evaluate("1", "USD", state(30), state(50), **args, baseline=forced).violations
    # ... but not more than it was approved for
    over = evaluate("1", "USD", state(30), state(60), **args, baseline=forced).violations
    assert [v.message for v in over] == [
        "account 1: raises total daily budget from 500 to 3000 USD (+500%, more than 50%), "
        "judged from before the interrupted run run-1 began"
    ]
    # not forced: judged from where it began, not from the half-applied live state
    plain = Baseline("run-1", Decimal(0), False, Decimal(2500), {})
    assert not evaluate("1", "USD", state(30), state(50), **args, baseline=plain).violations
    assert evaluate("1", "USD", state(30), state(50), **args).violations


def test_a_forced_removal_approves_only_as_many_of_each_kind() -> None:
    state = AccountState()
    managed = {"campaign": 20, "creative": 200}
    # The forced run was approved to archive 100 creatives (and no campaign).
    forced = Baseline("run-1", Decimal(0), True, Decimal(0), {"creative": 100})
    finishing = evaluate(
        "1",
        "USD",
        state,
        state,
        managed=managed,
        removed={"creative": 60},
        thresholds=Thresholds(),
        baseline=forced,
    )
    assert not finishing.violations
    # Archiving 9 of 20 campaigns was never approved: it needs --force, however many creatives were.
    more = evaluate(
        "1",
        "USD",
        state,
        state,
        managed=managed,
        removed={"creative": 60, "campaign": 9},
        thresholds=Thresholds(),
        baseline=forced,
    )
    assert [v.message for v in more.violations] == [
        "account 1: archives, deletes or replaces 9 of 20 managed campaigns (45%, more than 30%)"
    ]


def test_the_journal_keeps_a_forced_runs_removals_per_kind(tmp_path: Path) -> None:
    emulator = open_emulator(None)
    plan = build_plan([write_manifests(tmp_path / "m", tree(1, 1, 1))], client_for(emulator), target="t").plan
    forced = Baseline("", Decimal(100), True, Decimal(200), {"campaign": 3, "creative": 40})
    journal = Journal.start(tmp_path / "journal", plan, target="t", baselines={ACCOUNT: forced})
    journal.close()  # killed before its end record
    (run,) = unfinished_runs(tmp_path / "journal", "t")
    assert run.baselines[ACCOUNT].removed == {"campaign": 3, "creative": 40}
    emulator.close()


def test_a_partial_apply_between_leaves_the_interrupted_run_to_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged_server: tuple[str, io.StringIO]
) -> None:
    # An --only apply covers part of the manifests: it does not finish the interrupted run, so
    # the run stays unfinished and the full rerun is still judged from where that run began.
    monkeypatch.chdir(tmp_path)
    base, _log = logged_server
    v2 = _killed_half_way(tmp_path, base)
    partial = cli("apply", str(v2), "--only", "Group 00", "--auto-approve", target=base)
    assert partial.exit_code == 0 and "No changes" in partial.stdout + partial.stderr, partial.output
    again = cli("apply", str(v2), "--auto-approve", target=base)  # 1,000 -> 2,000 USD: +100% from live
    assert again.exit_code == 0, again.output
    assert "the guardrails judge it from the state before that run began" in again.stderr


def test_a_forced_rerun_of_a_forced_run_records_what_it_approves() -> None:
    # Run 1 was forced from 100 to 300 USD a day and killed; run 2, forced again, plans 400.
    earlier = {ACCOUNT: Baseline("run-1", Decimal(100), True, Decimal(300), {})}
    plan = Plan("t", "202610", "sha256:x", budgets=(BudgetImpact("USD", "200", "400", "0", "0"),))
    (recorded,) = baselines_for(plan, [ACCOUNT], earlier, forced=True).values()
    assert (recorded.run, recorded.daily_before, recorded.forced) == ("run-1", Decimal(100), True)
    assert recorded.daily_after == Decimal(400)  # so finishing run 2 needs no --force again
    (kept,) = baselines_for(plan, [ACCOUNT], earlier, forced=False).values()
    assert kept == earlier[ACCOUNT]


def test_a_saved_plan_that_finishes_an_interrupted_run_is_judged_from_where_it_began(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged_server: tuple[str, io.StringIO]
) -> None:
    # The reviewed path (plan --out, then apply --plan FILE PATH) finishes a killed run without
    # --force too: the local journal, not the file, says where that run began.
    monkeypatch.chdir(tmp_path)
    base, _log = logged_server
    v2 = _killed_half_way(tmp_path, base)
    target = resolve_target(base, {})
    saved = cli("plan", str(v2), "--out", "plan.json", "--format", "json", target=base)
    assert saved.exit_code == 0, saved.output
    applied = cli("apply", "--plan", "plan.json", str(v2), "--auto-approve", target=base)
    assert applied.exit_code == 0, applied.output  # 1,000 -> 2,000 USD: +100% judged from live
    assert "the guardrails judge it from the state before that run began" in applied.stderr
    with target.client(retry=FAST) as client:
        assert build_plan([v2], client, target=target.description).plan.empty


def _killed_half_way(tmp_path: Path, base: str) -> Path:
    """Manifests ``v2`` (groups 00-02, 1,000 USD a day live, 2,000 planned) whose apply was killed
    after creating groups 00 and 01: its journal says it began from an account spending nothing."""
    first = cli("apply", str(write_manifests(tmp_path / "v1", tree(2, 10, 0))), "--auto-approve", target=base)
    assert first.exit_code == 0, first.output
    v2 = write_manifests(
        tmp_path / "v2", tree(3, 10, 0), budget=lambda c: 100 if c.startswith("Campaign 02") else 50
    )
    target = resolve_target(base, {})
    with target.client(retry=FAST) as client:
        rest = build_plan([v2], client, target=target.description).plan
    killed = Journal.start(
        JOURNAL_DIR,
        rest,
        target=target_label(target.description),
        baselines={ACCOUNT: Baseline("", Decimal(0))},
    )
    killed.close()
    return v2
