"""``--account`` on validate, plan, apply and drift, and ``reconciler accounts``, end to end on the
embedded emulator with a project of two ad accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.apply.journal import Pending, Unfinished
from reconciler.cli.apply import finished_by
from reconciler.planner import Scope
from tests.cli.multi_account import FIRST, SECOND, create_second_account, two_accounts
from tests.workflows.support import cli


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    monkeypatch.chdir(tmp_path)
    two_accounts(tmp_path)
    return tmp_path


def accounts_changed(document: dict[str, object]) -> set[str]:
    return {c["path"][0] for c in document["changes"]}  # type: ignore[attr-defined]


def test_accounts_json_lists_each_account_for_a_matrix(workdir: Path) -> None:
    result = cli("accounts", "manifests", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed["ids"] == [FIRST, SECOND]
    first, second = listed["accounts"]
    assert first == {
        "id": FIRST,
        "name": "Quickstart",
        "currency": "USD",
        "files": ["manifests/quickstart/account.yaml", "manifests/quickstart/q1-brand.yaml"],
        "counts": {"groups": 1, "campaigns": 2, "creatives": 3},
    }
    assert second["id"] == SECOND and second["counts"] == {"groups": 4, "campaigns": 11, "creatives": 23}
    assert len(second["files"]) == 6 and all(f.startswith("manifests/b2b-saas/") for f in second["files"])


def test_accounts_human_one_line_each(workdir: Path) -> None:
    result = cli("accounts", "manifests")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{FIRST} 'Quickstart' USD: 1 group, 2 campaigns, 3 creatives in "
        "manifests/quickstart/account.yaml, manifests/quickstart/q1-brand.yaml"
    )
    assert lines[1].startswith(f"{SECOND} ") and len(lines) == 2


def test_accounts_of_invalid_manifests_reports_the_problems(workdir: Path) -> None:
    (workdir / "manifests" / "quickstart" / "account.yaml").write_text("version: 1\naccount: {id: x}\n")
    result = cli("accounts", "manifests")
    assert result.exit_code == 1
    assert "quickstart/account.yaml:2:" in result.stdout
    assert "Traceback" not in result.output


def test_validate_counts_only_the_chosen_account(workdir: Path) -> None:
    result = cli("validate", "manifests", "--account", str(FIRST))
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 files, 1 account, 1 group, 2 campaigns, 3 creatives: valid\n"
    both = cli("validate", "manifests", "--account", str(FIRST), "--account", str(SECOND), "-f", "json")
    assert json.loads(both.stdout)["counts"]["accounts"] == 2


def test_an_id_no_manifest_has_is_a_clear_error_on_every_command(workdir: Path) -> None:
    for command in ("validate", "plan", "drift", "apply"):
        result = cli(command, "manifests", "--account", "42", "--account", str(FIRST))
        assert result.exit_code == 1, (command, result.output)
        assert "error: no manifest names ad account 42 (the manifests name: 500000001, 500000002)" in (
            result.stderr
        ), command
        assert "Traceback" not in result.output


def test_plan_and_drift_read_only_the_chosen_account(workdir: Path) -> None:
    # 500000002 does not exist on the emulator yet: a run that read it would fail.
    assert cli("plan", "manifests").exit_code == 1
    plan = cli("plan", "manifests", "--account", str(FIRST), "-f", "json")
    assert plan.exit_code == 0, plan.output
    document = json.loads(plan.stdout)
    assert accounts_changed(document) == {str(FIRST)}
    assert len(document["budgets"]) == 1
    drift = cli("drift", "manifests", "--account", str(FIRST))
    assert drift.exit_code == 0, drift.output


def test_apply_writes_only_the_chosen_account(workdir: Path) -> None:
    create_second_account(workdir)
    result = cli("apply", "manifests", "--account", str(SECOND), "--auto-approve")
    assert result.exit_code == 0, result.output
    after = json.loads(cli("plan", "manifests", "-f", "json").stdout)
    assert accounts_changed(after) == {str(FIRST)}  # the second is done, the first untouched


def test_apply_refuses_a_saved_plan_of_an_account_left_out(workdir: Path) -> None:
    create_second_account(workdir)
    saved = cli("plan", "manifests", "--account", str(SECOND), "--out", "second.json")
    assert saved.exit_code == 0, saved.output
    result = cli("apply", "--plan", "second.json", "manifests", "--account", str(FIRST), "--auto-approve")
    assert result.exit_code == 1
    assert "the saved plan changes ad account 500000002, which --account leaves out" in result.stderr
    ok = cli("apply", "--plan", "second.json", "manifests", "--account", str(SECOND), "--auto-approve")
    assert ok.exit_code == 0, ok.output


def test_an_apply_of_some_accounts_finishes_only_their_interrupted_runs(tmp_path: Path) -> None:
    def run(name: str, *addresses: str) -> Unfinished:
        pending = tuple(Pending(a, "create", "not started") for a in addresses)
        return Unfinished(tmp_path / name, name, "2026-12-01T00:00:00Z", False, len(pending), pending)

    first = run("a", f"{FIRST} / G / C", f"{FIRST} / G")
    both = run("b", f"{FIRST} / G / C", f"{SECOND} / H")
    assert finished_by([first, both], Scope(()), frozenset({FIRST})) == [first]
    assert finished_by([first, both], Scope(()), frozenset({FIRST, SECOND})) == [first, both]
    assert finished_by([first, both], Scope(()), None) == [first, both]
    assert finished_by([first, both], Scope.parse([f"{FIRST} / G"]), None) == []
