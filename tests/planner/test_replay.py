"""Limits and guardrails recomputed from a plan's own changes (reconciler.planner.replay) agree with
the planner's for honest plans, and find what an edited plan hides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from reconciler.live import LiveAccount
from reconciler.model import Account, CostType, Money
from reconciler.plan import Action, Kind, Plan, ResourceChange, Violation
from reconciler.planner.replay import accounts_of, recheck
from tests.planner.builders import (
    ACCOUNT,
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


def busy_live() -> LiveAccount:
    return live_account(
        [
            live_group(10, "Brand", dailyBudget={"amount": "30", "currencyCode": "USD"}),
            live_group(11, "Demand"),
        ],
        [live_campaign(20, 10, "A"), live_campaign(21, 10, "B"), live_campaign(22, 11, "C", status="DRAFT")],
        [live_creative(30, 20, "Hero"), live_creative(31, 21, "Side"), live_creative(32, 22, "Draft")],
    )


SCENARIOS: dict[str, Callable[[], Account]] = {
    "new account": lambda: account(group("New", campaign("N", creative("Ad", 1), daily="80 USD"))),
    "no change": lambda: account(
        group(
            "Brand",
            campaign("A", creative("Hero", 30)),
            campaign("B", creative("Side", 31)),
            daily_budget=Money.parse("30 USD"),
        ),
        group("Demand", campaign("C", creative("Draft", 32), status="DRAFT")),
    ),
    "budgets, archive, activation": lambda: account(
        group("Brand", campaign("A", creative("Hero", 30), daily="90 USD"), campaign("B", status="ARCHIVED")),
        group("Demand", campaign("C", creative("Draft", 32), creative("More", 5))),
    ),
    "replace and move": lambda: account(
        group("Brand", campaign("A", creative("Hero", 30), cost_type=CostType.CPC)),
        group("Demand", campaign("B", creative("Side", 31)), campaign("C", status="DRAFT")),
    ),
    "prune": lambda: replace(account(group("Brand", campaign("A", creative("Hero", 30))), prune=True)),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_recomputed_budgets_and_headroom_equal_the_planners(name: str) -> None:
    live = busy_live()
    made = plan(SCENARIOS[name](), live, allow_replace=True)
    again = recheck(made, {ACCOUNT: live}) if made.changes else made
    assert again.budgets == made.budgets
    assert [(h.limit, h.before, h.after, h.maximum) for h in again.headroom] == [
        (h.limit, h.before, h.after, h.maximum) for h in made.headroom
    ]
    assert {v.guard for v in again.violations} <= {v.guard for v in made.violations} | {"threshold"}


def test_an_edited_amount_is_judged_by_what_apply_would_write() -> None:
    live = busy_live()
    made = plan(SCENARIOS["budgets, archive, activation"](), live)
    edited = tuple(
        replace(c, body={**c.body, "dailyBudget": {"amount": "5000", "currencyCode": "USD"}})
        if c.kind is Kind.CAMPAIGN and c.id == 20
        else c
        for c in made.changes
    )
    again = recheck(replace(made, changes=edited, violations=()), {ACCOUNT: live})
    assert again.budgets[0].daily_after == "5050"
    assert any("raises total daily budget" in v.message for v in again.violations)


def test_the_files_own_violations_are_kept() -> None:
    live = busy_live()
    made = plan(SCENARIOS["budgets, archive, activation"](), live)
    said = Violation("limit", "campaigns: 5,001 / 5,000 after apply")
    again = recheck(replace(made, violations=(said,)), {ACCOUNT: live})
    assert said in again.violations


def test_removals_are_counted_per_kind_against_the_live_account() -> None:
    live = live_account([live_group(10, "Brand")], [live_campaign(20 + i, 10, f"C{i}") for i in range(10)])
    archives = tuple(
        ResourceChange(
            Kind.CAMPAIGN,
            Action.ARCHIVE,
            (str(ACCOUNT), "Brand", f"C{i}"),
            20 + i,
            10,
            (),
            {"status": "ARCHIVED"},
        )
        for i in range(4)
    )
    again = recheck(Plan("t", "202610", "sha256:x", changes=archives), {ACCOUNT: live})
    assert any(
        "archives, deletes or replaces 4 of 10 managed campaigns" in v.message for v in again.violations
    )
    assert accounts_of(Plan("t", "202610", "sha256:x", changes=archives)) == [ACCOUNT]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_what_a_planned_change_writes_is_what_it_shows(name: str) -> None:
    from reconciler.apply.saved import inconsistencies

    made = plan(SCENARIOS[name](), busy_live(), allow_replace=True)
    assert inconsistencies(made) == []
    if made.changes:  # and a body edited behind its fields is found
        first = made.changes[0]
        edited = replace(first, body={**first.body, "status": "PAUSED"})
        assert len(inconsistencies(replace(made, changes=(edited, *made.changes[1:])))) == 1


def test_duplicates_left_by_two_applies_count_as_no_removal_as_in_the_planner() -> None:
    # Ten campaigns, each with a later DRAFT duplicate with nothing below it: the plan deletes the ten
    # duplicates, which the planner does not count against the removal threshold; neither may the
    # recheck of its saved form (with the manifests: its changes are those of a fresh plan).
    names = [f"C{i}" for i in range(10)]
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20 + i, 10, n) for i, n in enumerate(names)]
        + [live_campaign(40 + i, 10, n, status="DRAFT") for i, n in enumerate(names)],
    )
    made = plan(account(group("Brand", *(campaign(n) for n in names))), live)
    assert [c.action for c in made.changes] == [Action.DELETE] * 10 and not made.violations
    again = recheck(made, {ACCOUNT: live}, managed={ACCOUNT: {"campaign": 10}})
    assert not again.violations
