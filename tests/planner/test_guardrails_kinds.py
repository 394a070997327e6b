"""Guardrails per kind and in both directions (issue 12 item 5): removals are counted against their
own kind, so many untouched creatives cannot dilute a mass archive of campaigns or groups, and a
deep cut of the total daily budget needs --force like a rise."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.emulator import TEST_ACCOUNT_ID, open_emulator
from reconciler.emulator.generate import generate_account
from reconciler.errors import UnsafePlan
from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.live import read_accounts
from reconciler.model import Safety
from reconciler.planner import PlanOptions
from reconciler.workflow import build_plan
from tests.planner.builders import (
    account,
    campaign,
    creative,
    group,
    live_account,
    live_campaign,
    live_creative,
    live_group,
)
from tests.planner.test_planner import plan


def test_creatives_cannot_dilute_a_mass_archive_of_campaigns() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(100 + i, 10, f"C{i}") for i in range(12)],
        [live_creative(1000 + 10 * i + r, 100 + i, f"Ad {i}-{r}") for i in range(12) for r in range(5)],
    )
    campaigns = [
        campaign(
            f"C{i}",
            *[creative(f"Ad {i}-{r}", 1000 + 10 * i + r) for r in range(5)],
            status="ARCHIVED" if i < 5 else "ACTIVE",
        )
        for i in range(12)
    ]
    p = plan(account(group("Brand", *campaigns)), live)
    # 5 of 73 managed entities (7%) would pass; 5 of 12 campaigns (42%) does not
    assert [v.message for v in p.violations] == [
        "account 500000001: archives, deletes or replaces 5 of 12 managed campaigns (42%, more than 30%)"
    ]
    with pytest.raises(UnsafePlan, match="needs --force"):
        p.check_guardrails()
    p.check_guardrails(force=True)


def test_a_deep_cut_of_the_total_daily_budget_needs_force() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20, 10, "A"), live_campaign(21, 10, "B")])
    cut = account(group("Brand", campaign("A", daily="40 USD"), campaign("B", status="PAUSED")))
    p = plan(cut, live)
    assert (p.budgets[0].daily_before, p.budgets[0].daily_after) == ("100", "40")
    assert [v.message for v in p.violations] == [
        "account 500000001: cuts total daily budget from 100 to 40 USD (-60%, more than 50% less)"
    ]
    half = account(group("Brand", campaign("A"), campaign("B", status="PAUSED")))
    assert plan(half, live).violations == ()  # exactly 50% less is allowed


def test_the_cut_threshold_is_set_per_account() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20, 10, "A"), live_campaign(21, 10, "B")])
    cut = account(group("Brand", campaign("A", daily="10 USD"), campaign("B", status="PAUSED")))
    assert len(plan(cut, live).violations) == 1
    assert plan(replace(cut, safety=Safety(max_daily_budget_decrease=0.95)), live).violations == ()
    assert len(plan(replace(cut, safety=Safety(max_daily_budget_decrease=0.95)), live).budgets) == 1


def test_few_managed_entities_of_a_kind_are_not_judged() -> None:
    paused = [live_campaign(20 + i, 10, f"C{i}", "PAUSED") for i in range(9)]
    desired = account(group("Brand", *[campaign(f"C{i}", status="ARCHIVED") for i in range(9)]))
    live = live_account([live_group(10, "Brand")], paused)
    assert plan(desired, live).violations == ()


def test_pruning_half_the_groups_of_the_benchmark_account_needs_force(tmp_path: Path) -> None:
    """benchmarks/limits.py's account, scaled down: generated in the emulator and imported as it is."""
    emulator = open_emulator(None)
    generate_account(emulator, TEST_ACCOUNT_ID, groups=10, campaigns=60, creatives=180)
    http = httpx.Client(
        transport=emulator.transport(), base_url="https://api.linkedin.com/rest", auth=BearerAuth(Secret("t"))
    )
    with LinkedInClient(http) as client:
        live = read_accounts(client, [TEST_ACCOUNT_ID])[TEST_ACCOUNT_ID]
        manifests = tmp_path / "manifests"
        write_files(manifests, build_manifests(live, ImportOptions()).files)
        assert build_plan([manifests], client, target="t").plan.empty
        _prune_half_the_groups(manifests)
        p = build_plan([manifests], client, target="t", options=PlanOptions()).plan
    emulator.close()
    messages = [v.message for v in p.violations]
    assert any("managed campaign groups" in m for m in messages), messages
    assert any("managed campaigns" in m for m in messages), messages
    with pytest.raises(UnsafePlan, match="needs --force"):
        p.check_guardrails()


def _prune_half_the_groups(manifests: Path) -> None:
    """Set ``prune: true`` on the account and drop every other group's file (one file per group)."""
    head = manifests / "account.yaml"
    text = head.read_text(encoding="utf-8")
    head.write_text(
        text.replace("  currency: USD\n", "  currency: USD\n  prune: true\n", 1), encoding="utf-8"
    )
    files = sorted((manifests / "groups").glob("*.yaml"))
    assert len(files) == 10
    for path in files[::2]:
        path.unlink()
