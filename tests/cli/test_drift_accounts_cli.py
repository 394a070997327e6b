"""``reconciler drift`` of a project of two ad accounts, end to end on the embedded emulator: the
same report and calls however many accounts are read at once (``--parallel-accounts``), and a
revert plan (``--out``) that brings both accounts back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.plan import Plan
from tests.cli.multi_account import FIRST, SECOND, create_second_account, two_accounts
from tests.workflows.support import cli


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Both accounts applied, then a daily budget of each changed in its manifests: drift in both."""
    for name in ("LINKEDIN_ACCESS_TOKEN", "LINKEDIN_REFRESH_TOKEN", "RECONCILER_TARGET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    manifests = two_accounts(tmp_path)
    create_second_account(tmp_path)
    applied = cli("apply", "manifests", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    for path, old, new in (
        (manifests / "quickstart" / "q1-brand.yaml", "dailyBudget: 50 USD", "dailyBudget: 60 USD"),
        (
            manifests / "b2b-saas" / "groups" / "brand-h1-2027.yaml",
            "dailyBudget: 150 USD",
            "dailyBudget: 170 USD",
        ),
    ):
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_one_account_at_a_time_gives_the_same_report_and_calls(workdir: Path) -> None:
    runs = [cli("drift", "manifests", "-f", "json", *extra) for extra in ([], ["--parallel-accounts", "1"])]
    assert [run.exit_code for run in runs] == [2, 2]
    default, one = (json.loads(run.stdout) for run in runs)
    assert default == one  # the report and the API calls alike
    changed = [item for item in one["items"] if item["state"] == "changed"]
    assert {item["path"][0] for item in changed} == {str(FIRST), str(SECOND)}
    markdown = {
        cli("drift", "manifests", "-f", "markdown", *extra).stdout
        for extra in ([], ["--parallel-accounts", "1"])
    }
    assert len(markdown) == 1


def test_the_revert_plan_brings_both_accounts_back(workdir: Path) -> None:
    result = cli("drift", "manifests", "--fix", "--out", "revert.json", "--parallel-accounts", "1")
    assert result.exit_code == 2, result.output
    revert = Plan.from_dict(json.loads(Path("revert.json").read_text(encoding="utf-8")))
    assert {change.path[0] for change in revert.changes} == {str(FIRST), str(SECOND)}
    applying = cli("apply", "--plan", "revert.json", "manifests", "--auto-approve")
    assert applying.exit_code == 0, applying.output
    assert cli("drift", "manifests").exit_code == 0
