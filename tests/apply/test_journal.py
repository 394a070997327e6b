"""The journal: intents are durable before creates, a torn line is harmless, and a run killed at any
write (before the request left, or after the server committed it) is finished by applying again —
reported as unfinished, verified against the fresh plan, converged without duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.apply import Journal, apply_plan, mark_reviewed, unfinished_runs, verify
from reconciler.apply.journal import prune, read_records
from reconciler.emulator import Emulator, open_emulator
from reconciler.plan import Plan
from reconciler.workflow import build_plan
from tests.apply.helpers import ACCOUNT, FAST, WRITES, client_for, duplicates, statuses, tree, write_manifests

TARGET = "test target"


class Killed(BaseException):
    """Stands for SIGKILL: nothing in the client or the applier catches it."""


class KillAtWrite(httpx.BaseTransport):
    """Dies at the ``at``-th write: before sending it, or right after the server committed it."""

    def __init__(self, inner: httpx.BaseTransport, at: int, *, after_commit: bool) -> None:
        self.inner = inner
        self.at = at
        self.after_commit = after_commit
        self.writes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.headers["X-RestLi-Method"] not in WRITES:
            return self.inner.handle_request(request)
        self.writes += 1
        if self.writes == self.at and not self.after_commit:
            raise Killed
        response = self.inner.handle_request(request)
        if self.writes == self.at:
            raise Killed
        return response


def plan_for(project: Path, client: LinkedInClient) -> Plan:
    return build_plan([project], client, target=TARGET).plan


def test_the_journal_records_intent_before_each_create_and_every_outcome(tmp_path: Path) -> None:
    client = client_for(open_emulator(None))
    plan = plan_for(write_manifests(tmp_path / "m", tree(1, 1, 2)), client)
    journal = Journal.start(tmp_path / "journal", plan, target=TARGET)
    report = apply_plan(plan, client, journal=journal)
    journal.end(report)
    assert journal.path is not None
    lines = journal.path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    types = [r["type"] for r in records]
    assert types[0] == "run" and types[-1] == "end"
    assert records[0]["plan"] == plan.checksum and len(records[0]["changes"]) == 4
    for change in plan.changes:
        mine = [r["type"] for r in records if r.get("address") == change.address]
        assert mine[0] == "intent" and "created" in mine and mine[-1] == "done"
    intent = next(r for r in records if r["type"] == "intent" and r["kind"] == "creative")
    assert intent["parent_id"] > 0 and intent["name"].startswith("Ad ") and intent["path"][0] == "500000001"
    assert unfinished_runs(tmp_path / "journal", TARGET) == []


def test_a_torn_last_line_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text('{"type": "run", "target": "t", "changes": [["create", "a"]]}\n{"type": "inte', "utf-8")
    assert [r["type"] for r in read_records(path)] == ["run"]
    [run] = unfinished_runs(tmp_path, "t")
    assert run.count == 1 and run.pending[0].state == "not started"
    assert "was interrupted and left 1 change unfinished" in run.describe()


def test_reported_runs_are_told_once_and_old_journals_pruned(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"2027010{i}.jsonl").write_text(
            json.dumps({"type": "run", "target": "t", "run": str(i), "changes": [["create", "a"]]}) + "\n"
        )
    runs = unfinished_runs(tmp_path, "t")
    assert [r.run for r in runs] == ["4", "3", "2", "1", "0"]
    assert unfinished_runs(tmp_path, "another target") == []
    mark_reviewed(runs, by="next")
    assert unfinished_runs(tmp_path, "t") == []
    prune(tmp_path, keep=2)
    assert len(list(tmp_path.glob("*.jsonl"))) == 2


@pytest.mark.parametrize("after_commit", [False, True], ids=["before-send", "after-commit"])
@pytest.mark.parametrize("at", [1, 2, 3, 4, 5])
def test_a_run_killed_at_any_write_is_finished_by_applying_again(
    tmp_path: Path, at: int, after_commit: bool
) -> None:
    emulator = open_emulator(None)
    seed = client_for(emulator)
    spec = tree(1, 2, 2)
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec), seed), seed)
    # v2: a budget update, a new campaign with creatives (create, activate), one campaign pruned
    spec2 = {"Group 00": {"Campaign 00-000": ["Ad 00-000-0", "Ad 00-000-1"], "New": ["New ad"]}}
    v2 = write_manifests(tmp_path / "v2", spec2, budget=lambda c: 70, prune=True)
    journals = tmp_path / "journal"
    plan = plan_for(v2, seed)
    journal = Journal.start(journals, plan, target=TARGET)
    with pytest.raises(Killed):
        apply_plan(plan, killing_client(emulator, at, after_commit), journal=journal)
    journal.close()

    client = client_for(emulator)
    fresh = plan_for(v2, client)
    [run] = unfinished_runs(journals, TARGET)
    assert run.count >= 1 and not run.ended
    checks = verify(run, fresh)
    assert len(checks) == sum(p.started for p in run.pending)
    if at == 1 and after_commit:  # the new campaign's create committed, its answer lost
        assert checks == [
            f"{ACCOUNT} / Group 00 / New: created (found live by name); this apply finishes it (activate)"
        ]
    if at == 1 and not after_commit:  # killed before the create left: the fresh plan makes it
        assert checks == [f"{ACCOUNT} / Group 00 / New: not created; this apply creates it"]
    if at == 2 and after_commit:  # the budget update went through
        assert f"{ACCOUNT} / Group 00 / Campaign 00-000: done (found live as the manifests want it)" in checks
    report = apply_plan(fresh, client)
    assert report.ok, [r for r in report.results if r.error]
    assert plan_for(v2, client).empty
    assert not duplicates(client)
    live = statuses(client)
    assert live["New"] == "ACTIVE" and live["New ad"] == "ACTIVE" and live["Campaign 00-001"] == "ARCHIVED"


def killing_client(emulator: Emulator, at: int, after_commit: bool) -> LinkedInClient:
    transport = KillAtWrite(emulator.transport(), at, after_commit=after_commit)
    http = httpx.Client(
        base_url="https://api.linkedin.com/rest", transport=transport, auth=BearerAuth(Secret("t"))
    )
    return LinkedInClient(http, retry=FAST)
