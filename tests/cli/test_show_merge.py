"""``reconciler show`` of several per-account plans (``plan --account ID --out``, one per CI job):
the merged plan is the plan one run of the whole project makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.plan import Action, Kind, Plan, ResourceChange, Violation
from reconciler.planner import REPLACE_VIOLATION
from reconciler.planner.merge import merge_plans
from tests.cli.multi_account import FIRST, SECOND, create_second_account, two_accounts
from tests.workflows.support import cli


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two accounts: the first applied and then edited (two daily budgets raised: updates), the
    second new (creates only); a plan of each and one of the whole project saved."""
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    monkeypatch.chdir(tmp_path)
    manifests = two_accounts(tmp_path)
    create_second_account(tmp_path)
    assert cli("apply", "manifests", "--account", str(FIRST), "--auto-approve").exit_code == 0
    brand = manifests / "quickstart" / "q1-brand.yaml"
    text = brand.read_text(encoding="utf-8")
    edited = text.replace("dailyBudget: 50 USD", "dailyBudget: 60 USD").replace(
        "dailyBudget: 30 USD", "dailyBudget: 45 USD"
    )
    assert edited != text
    brand.write_text(edited, encoding="utf-8")
    for account in (FIRST, SECOND):
        result = cli("plan", "manifests", "--account", str(account), "--out", f"plan-{account}.json")
        assert result.exit_code == 0, result.output
    whole = cli("plan", "manifests", "--out", "whole.json")
    assert whole.exit_code == 0, whole.output
    return tmp_path


def shown(*args: str) -> str:
    result = cli("show", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_merged_markdown_equals_the_single_run_markdown(workdir: Path) -> None:
    merged = shown(f"plan-{SECOND}.json", f"plan-{FIRST}.json", "--format", "markdown")
    assert merged == shown("whole.json", "--format", "markdown")
    single = cli("plan", "manifests", "--format", "markdown")
    assert merged == single.stdout  # not cut: the project is small
    assert "60 USD" in merged and f"| {SECOND} |" in merged and f"| {FIRST} |" in merged


def test_merged_plan_is_the_single_run_plan_checksum_and_all(workdir: Path) -> None:
    merged = json.loads(shown(f"plan-{FIRST}.json", f"plan-{SECOND}.json", "--format", "json"))
    whole = json.loads((workdir / "whole.json").read_text(encoding="utf-8"))
    assert merged == whole
    assert shown(f"plan-{FIRST}.json", f"plan-{SECOND}.json") == shown("whole.json")


def test_plans_sharing_an_account_are_refused(workdir: Path) -> None:
    result = cli("show", f"plan-{FIRST}.json", "whole.json")
    assert result.exit_code == 1
    assert f"error: ad account {FIRST} is in both plan-{FIRST}.json and whole.json" in result.stderr


def test_plans_of_other_manifests_are_refused(workdir: Path) -> None:
    brand = workdir / "manifests" / "quickstart" / "q1-brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert cli("plan", "manifests", "--account", str(SECOND), "--out", "later.json").exit_code == 0
    result = cli("show", f"plan-{FIRST}.json", "later.json")
    assert result.exit_code == 1
    assert "were made from different manifests (checksum)" in result.stderr
    assert "Traceback" not in result.output


def test_the_replace_violation_names_every_account_s_replaces() -> None:
    def one(account: str) -> Plan:
        change = ResourceChange(Kind.CAMPAIGN, Action.REPLACE, (account, "G", "C"), id=1)
        return Plan(
            "t",
            "202610",
            "sha",
            changes=(change,),
            violations=(
                Violation("limit", f"{account} is full"),
                Violation("replace", f"{REPLACE_VIOLATION}{account} / G / C"),
            ),
        )

    merged = merge_plans([one("2"), one("1")])
    assert [v.message for v in merged.violations] == [
        "1 is full",
        "2 is full",
        f"{REPLACE_VIOLATION}1 / G / C, 2 / G / C",
    ]
    assert [c.path[0] for c in merged.changes] == ["1", "2"]
