"""A plan that reads like a review, end to end against served emulators: the audience minimum, and
no new calls for a plan without changes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reconciler.emulator import open_emulator, serve_in_thread
from reconciler.emulator.rules.common import Settings
from tests.workflows.support import ROOT, cli

TOKEN = "review-token-0123456789"
NEW_CALLS = {"audienceCounts", "adBudgetPricing", "adAnalytics", "adTargetingEntities"}


@contextmanager
def served(scale: float = 1.0) -> Iterator[str]:
    emulator = open_emulator(None, settings=Settings(audience_scale=scale))
    server, base_url = serve_in_thread(emulator)
    try:
        yield base_url + "/rest"
    finally:
        server.shutdown()
        server.server_close()
        emulator.close()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LINKEDIN_ACCESS_TOKEN", TOKEN)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "manifests")
    return tmp_path


def test_the_quickstart_under_300_members_is_refused_before_any_write(workdir: Path) -> None:
    with served(scale=0.00001) as url:
        plan = cli("plan", "manifests", "--target", url, "--format", "json")
        assert plan.exit_code == 1, plan.output
        assert "300-member minimum" in plan.stdout
        assert "a 300-member audience" in plan.stderr
        document = json.loads(plan.stdout)
        campaigns = [c for c in document["changes"] if c["kind"] == "campaign"]
        assert campaigns and all(c["audienceSize"] == 0 for c in campaigns)
        apply = cli("apply", "manifests", "--target", url, "--auto-approve")
        assert apply.exit_code == 1, apply.output
        assert "300-member minimum" in apply.stderr
        after = json.loads(cli("plan", "manifests", "--target", url, "--format", "json").stdout)
        assert after["summary"]["create"] == document["summary"]["create"]  # nothing was written


def test_created_campaigns_carry_their_audience_and_a_no_op_plan_asks_nothing_new(workdir: Path) -> None:
    with served() as url:
        first = json.loads(cli("plan", "manifests", "--target", url, "--format", "json").stdout)
        campaigns = [c for c in first["changes"] if c["kind"] == "campaign"]
        assert campaigns and all(c["audienceSize"] >= 300 for c in campaigns)
        assert set(first["api"]["by_resource"]) & NEW_CALLS
        assert cli("apply", "manifests", "--target", url, "--auto-approve").exit_code == 0
        again = json.loads(cli("plan", "manifests", "--target", url, "--format", "json").stdout)
        assert again["changes"] == []
        assert not set(again["api"]["by_resource"]) & NEW_CALLS


def test_adding_one_excluded_seniority_shows_exactly_that_value_by_name(workdir: Path) -> None:
    with served() as url:
        assert cli("apply", "manifests", "--target", url, "--auto-approve").exit_code == 0
        account = workdir / "manifests" / "account.yaml"
        text = account.read_text(encoding="utf-8")
        edited = text.replace(
            "      employers: [urn:li:organization:2414183]",
            "      employers: [urn:li:organization:2414183]\n      seniorities: [urn:li:seniority:3]",
        )
        assert edited != text
        account.write_text(edited, encoding="utf-8")
        human = cli("plan", "manifests", "--target", url)
        markdown = cli("plan", "manifests", "--target", url, "--format", "markdown")
    assert human.exit_code == 0, human.output
    facets = [line for line in human.stdout.splitlines() if line.startswith(("        + ", "        - "))]
    assert facets == ["        + exclude seniorities: Entry"] * 2  # the two campaigns share the audience
    assert "# audience:" in human.stdout
    diff = [line for line in markdown.stdout.splitlines() if line.startswith(("+  ", "-  "))]
    assert diff == ["+       exclude seniorities: Entry"] * 2
