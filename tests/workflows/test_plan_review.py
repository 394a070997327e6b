"""A plan that reads like a review, end to end against served emulators: the audience minimum, and
no new calls for a plan without changes."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reconciler.apply import apply_plan
from reconciler.emulator import Settings, open_emulator, seed_entities, serve_in_thread
from reconciler.render.values import amount
from reconciler.workflow import build_plan
from tests.workflows.support import ROOT, cli, client_as

TOKEN = "review-token-0123456789"
DAY_MS = 86_400_000
NEW_CALLS = {"audienceCounts", "adBudgetPricing", "adAnalytics", "adTargetingEntities"}


EUR_ACCOUNT = 600_000_002


@contextmanager
def served(scale: float = 1.0) -> Iterator[str]:
    emulator = open_emulator(None, settings=Settings(audience_scale=scale))
    account = {"id": EUR_ACCOUNT, "name": "EUR", "currency": "EUR", "status": "ACTIVE", "type": "BUSINESS"}
    seed_entities(emulator, {"adAccounts": [account]})
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
        assert cli("plan", "manifests", "--target", url, "--out", "plan.json").exit_code == 1
        saved = cli("apply", "--plan", "plan.json", "--target", url, "--auto-approve")
        assert saved.exit_code == 1 and "300-member minimum" in saved.stderr, saved.output
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
            "      employers: [Northwind Analytics]",
            "      employers: [Northwind Analytics]\n      seniorities: [Entry]",
        )
        assert edited != text
        account.write_text(edited, encoding="utf-8")
        assert cli("lock", "manifests", "--target", url).exit_code == 0  # pins Entry
        human = cli("plan", "manifests", "--target", url)
        markdown = cli("plan", "manifests", "--target", url, "--format", "markdown")
    assert human.exit_code == 0, human.output
    facets = [line for line in human.stdout.splitlines() if line.startswith(("        + ", "        - "))]
    assert facets == ["        + exclude seniorities: Entry"] * 2  # the two campaigns share the audience
    assert "# audience:" in human.stdout
    diff = [line for line in markdown.stdout.splitlines() if line.startswith(("+  ", "-  "))]
    assert diff == ["+       exclude seniorities: Entry"] * 2


def test_a_bid_of_one_cent_is_refused_with_the_bid_floor_shown(workdir: Path) -> None:
    brand = workdir / "manifests" / "q1-brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace("unitCost: 12 USD", "unitCost: 0.01 USD"))
    with served() as url:
        plan = cli("plan", "manifests", "--target", url)
    assert plan.exit_code == 1, plan.output
    assert "unitCost 0.01 USD is below LinkedIn's bid floor of 5 USD" in plan.stdout
    assert "bid floor 5 USD" in plan.stdout  # beside the campaign, with the suggested bid


def eur_manifest(workdir: Path, daily: str) -> Path:
    text = (ROOT / "examples" / "quickstart" / "q1-brand.yaml").read_text(encoding="utf-8")
    text = text.replace("id: 500000001\n  currency: USD", f"id: {EUR_ACCOUNT}\n  currency: EUR")
    text = text.replace(" USD", " EUR").replace("dailyBudget: 50 EUR", f"dailyBudget: {daily}")
    project = workdir / f"eur-{daily.split()[0]}"
    project.mkdir()
    (project / "q1-brand.yaml").write_text(text, encoding="utf-8")
    account = (workdir / "manifests" / "account.yaml").read_text(encoding="utf-8")
    (project / "account.yaml").write_text(
        account.replace("500000001", str(EUR_ACCOUNT)).replace("USD", "EUR")
    )
    shutil.copy(workdir / "manifests" / "reconciler.lock.yaml", project)
    return project


def test_a_eur_account_gets_its_own_budget_minimum(workdir: Path) -> None:
    with served() as url:
        under = cli("plan", str(eur_manifest(workdir, "9.10 EUR")), "--target", url)
        at = cli("plan", str(eur_manifest(workdir, "9.20 EUR")), "--target", url)
    assert under.exit_code == 1, under.output
    assert "dailyBudget 9.1 EUR is below LinkedIn's minimum daily budget of 9.2 EUR" in under.stdout
    assert at.exit_code == 0, at.output
    assert "minimum daily budget 9.2 EUR" in at.stdout


def test_a_plan_that_archives_a_campaign_shows_its_last_7_days_spend(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN")  # the embedded emulator, whose clock can be set
    now = int(time.time() * 1000)
    began = now - 10 * DAY_MS
    start = time.strftime("%Y-%m-%d", time.gmtime(began / 1000))
    manifests = workdir / "manifests"
    for path in manifests.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("2027-01-04", start).replace("2027-01-11T09:00:00Z", start))
    with client_as(workdir, clock=lambda: began) as client:  # applied ten days ago
        made = build_plan([manifests], client, target="emulator")
        assert apply_plan(made.plan, client).ok
    brand = manifests / "q1-brand.yaml"
    text = brand.read_text(encoding="utf-8")
    brand.write_text(
        text.replace("status: ACTIVE\n        type: TEXT_AD", "status: ARCHIVED\n        type: TEXT_AD")
    )
    plan = cli("plan", "manifests", "--format", "json")
    assert plan.exit_code == 0, plan.output
    document = json.loads(plan.stdout)
    (archive,) = document["changes"]
    assert archive["action"] == "archive"
    spent = archive["recentSpend"]
    assert spent["currencyCode"] == "USD" and spent["days"] == 7 and spent["impressions"] > 0
    assert document["api"]["by_resource"]["adAnalytics"] == 1
    human = cli("plan", "manifests").stdout
    assert f"# archiving a campaign that spent {amount(spent['amount'])} USD and had" in human


def test_the_readmes_review_excerpt_is_what_the_plan_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README, "A plan reads like a review": the quickstart applied, `seniorities: [Entry]` added to
    its audience's exclude, `reconciler lock`, then `reconciler plan` on the embedded emulator."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = "running `reconciler lock`:\n\n```text\n"
    shown = readme[readme.index(intro) + len(intro) :].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "examples" / "quickstart")
    assert cli("apply", "examples/quickstart", "--auto-approve").exit_code == 0
    account = tmp_path / "examples" / "quickstart" / "account.yaml"
    text = account.read_text(encoding="utf-8")
    edited = text.replace(
        "      employers: [Northwind Analytics]",
        "      employers: [Northwind Analytics]\n      seniorities: [Entry]",
    )
    assert edited != text
    account.write_text(edited, encoding="utf-8")
    assert cli("lock", "examples/quickstart").exit_code == 0
    plan = cli("plan", "examples/quickstart")
    assert plan.exit_code == 0, plan.output
    assert shown and shown in plan.stdout
