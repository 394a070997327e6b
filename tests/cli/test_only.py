"""``--only`` on plan, apply and drift, end to end on the embedded emulator: the quickstart is
applied, then edited (two budgets raised, one creative dropped, pruning on); a partial plan and
apply touch only the addressed campaign, and nothing outside it is pruned."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.workflows.support import ROOT, applied, cli

GROUP = "Q1 2027 Brand"
VISITS = f"500000001 / {GROUP} / Website visits — US engineering leaders"
AWARENESS = f"500000001 / {GROUP} / Brand awareness — US tech leaders"
STORY = f"{AWARENESS} / Customer story"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "manifests")
    applied(tmp_path, [tmp_path / "manifests"])
    monkeypatch.chdir(tmp_path)
    account = tmp_path / "manifests" / "account.yaml"
    account.write_text(
        account.read_text().replace("  name: Quickstart\n", "  name: Quickstart\n  prune: true\n")
    )
    group = tmp_path / "manifests" / "q1-brand.yaml"
    text = group.read_text()
    text = text.replace("dailyBudget: 50 USD", "dailyBudget: 60 USD")
    text = text.replace("dailyBudget: 30 USD", "dailyBudget: 40 USD")
    story = (
        "          - name: Customer story\n            intendedStatus: ACTIVE\n"
        '            content: {reference: "urn:li:share:7012345678901234568"}\n'
    )
    assert story in text
    group.write_text(text.replace(story, ""))
    return tmp_path


def changed(document: dict[str, object]) -> list[tuple[str, str]]:
    return [(c["action"], " / ".join(c["path"])) for c in document["changes"]]  # type: ignore[attr-defined]


def test_the_whole_plan_updates_both_and_prunes_the_creative(workdir: Path) -> None:
    whole = json.loads(cli("plan", "manifests", "-f", "json").stdout)
    assert sorted(changed(whole)) == sorted([("update", AWARENESS), ("update", VISITS), ("archive", STORY)])


def test_plan_only_one_campaign_says_it_is_partial(workdir: Path) -> None:
    result = cli("plan", "manifests", "--only", VISITS, "--detailed-exitcode")
    assert result.exit_code == 2, result.output
    assert f"~ update campaign {VISITS}" in result.stdout
    assert f"campaign {AWARENESS}" not in result.stdout and "Customer story" not in result.stdout
    assert f"Partial plan (--only {VISITS})" in result.stdout
    assert f"warning: partial plan (--only {VISITS}): everything else is left out" in result.stderr


def test_apply_only_one_campaign_prunes_nothing_outside_it(workdir: Path) -> None:
    result = cli("apply", "manifests", "--only", VISITS, "--auto-approve")
    assert result.exit_code == 0, result.output
    after = json.loads(cli("plan", "manifests", "-f", "json").stdout)
    # The addressed campaign is done; the rest, the prune included, still waits.
    assert sorted(changed(after)) == sorted([("update", AWARENESS), ("archive", STORY)])


def test_apply_only_the_group_applies_all_of_it(workdir: Path) -> None:
    result = cli("apply", "manifests", "--only", GROUP, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert cli("plan", "manifests", "--detailed-exitcode").exit_code == 0


def test_drift_only_reports_the_addressed_campaign(workdir: Path) -> None:
    document = json.loads(cli("drift", "manifests", "--only", VISITS, "-f", "json").stdout)
    assert [" / ".join(i["path"]) for i in document["items"]] == [VISITS]


def test_only_with_a_saved_plan_or_a_bad_address_is_refused(workdir: Path) -> None:
    saved = cli("apply", "--plan", "plan.json", "--only", VISITS, "--auto-approve")
    assert saved.exit_code == 1
    assert (
        "error: --only plans part of the manifests; a saved plan (--plan) is applied as it is" in saved.stderr
    )
    typo = cli("plan", "manifests", "--only", f"{GROUP} / Nope")
    assert typo.exit_code == 1
    assert f"error: --only '{GROUP} / Nope': no campaign group, campaign or creative" in typo.stderr
