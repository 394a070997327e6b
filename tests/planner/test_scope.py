"""``--only``: a partial plan covers its addresses, what is below them and the parents they need,
says it is partial, and never prunes outside them."""

from __future__ import annotations

import pytest

from reconciler.errors import PlanError
from reconciler.live import LiveAccount
from reconciler.model import Account
from reconciler.plan import Plan
from reconciler.planner import PlanOptions, Scope, make_plan
from reconciler.planner.scope import parse_address
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


def plan(desired: Account, live: LiveAccount, *only: str) -> Plan:
    return make_plan(
        [desired],
        {ACCOUNT: live},
        target="test",
        api_version="202610",
        manifest_checksum="sha256:x",
        options=PlanOptions(only=Scope.parse(only)),
    )


def actions(p: Plan) -> list[tuple[str, str]]:
    return [(c.action.value, c.address) for c in p.changes]


def live_two_groups() -> LiveAccount:
    """Brand (10) with campaigns A (20, one creative) and Stray (21); Other (11) with B (22)."""
    return live_account(
        [live_group(10, "Brand"), live_group(11, "Other"), live_group(12, "Old")],
        [live_campaign(20, 10, "A"), live_campaign(21, 10, "Stray"), live_campaign(22, 11, "B")],
        [live_creative(30, 20, "Hero"), live_creative(31, 22, "Ad"), live_creative(32, 22, "Old ad")],
    )


def desired_budgets(daily: str, *, prune: bool = True) -> Account:
    """Every live campaign but the strays, at ``daily``; a new group and campaign; pruning on."""
    return account(
        group("Brand", campaign("A", creative("Hero", 30), daily=daily)),
        group("Other", campaign("B", creative("Ad", 31), daily=daily)),
        group("New", campaign("N", creative("Fresh", 40), daily=daily)),
        prune=prune,
    )


def test_the_whole_plan_touches_every_group() -> None:
    whole = plan(desired_budgets("60 USD"), live_two_groups())
    touched = {c.path[1] for c in whole.changes}
    assert touched == {"Brand", "Other", "New", "Old"}
    assert not any(note.startswith("Partial plan") for note in whole.notes)


def test_only_one_group_plans_that_group_and_what_is_below_it() -> None:
    p = plan(desired_budgets("60 USD"), live_two_groups(), "500000001 / Other")
    assert actions(p) == [
        ("update", "500000001 / Other / B"),
        ("archive", "500000001 / Other / B / Old ad"),  # pruned: it is inside the scope
    ]
    assert p.notes[0] == (
        "Partial plan (--only 500000001 / Other): only these resources, what is below them and the "
        "parents they need are planned; everything else is left out and nothing outside them is pruned."
    )
    assert p.unmanaged == ()  # Brand / Stray and the Old group lie outside: not even listed


def test_nothing_outside_the_scope_is_pruned() -> None:
    p = plan(desired_budgets("50 USD"), live_two_groups(), "Brand / A")
    # Pruning is on, and Brand / Stray, Other / B / Old ad and the Old group are in no manifest:
    # a whole plan archives them (see above); the partial one touches none of them.
    assert p.changes == ()
    assert p.empty and p.unmanaged == ()
    whole = plan(desired_budgets("50 USD"), live_two_groups())
    assert {c.address for c in whole.changes} == {
        "500000001 / Brand / Stray",
        "500000001 / Other / B / Old ad",
        "500000001 / Old",
        "500000001 / New",
        "500000001 / New / N",
        "500000001 / New / N / Fresh",
    }


def test_only_one_campaign_of_a_new_group_creates_the_group_it_needs() -> None:
    desired = account(
        group("New", campaign("N", creative("Fresh", 40)), campaign("M", creative("Other", 41))),
    )
    p = plan(desired, live_account(), "New / N")
    assert actions(p) == [
        ("create", "500000001 / New"),
        ("create", "500000001 / New / N"),
        ("create", "500000001 / New / N / Fresh"),
    ]


def test_only_one_campaign_leaves_its_group_and_siblings_alone() -> None:
    live = live_two_groups()
    desired = account(
        group("Brand", campaign("A", creative("Hero", 30), daily="60 USD"), total_budget=None),
        group("Other", campaign("B", creative("Ad", 31), daily="70 USD")),
    )
    p = plan(desired, live, "500000001 / Brand / A")
    assert actions(p) == [("update", "500000001 / Brand / A")]
    (budget,) = p.budgets  # the budget impact is the partial plan's own
    assert (budget.daily_before, budget.daily_after) == ("150", "160")


def test_an_address_that_names_nothing_is_refused() -> None:
    with pytest.raises(PlanError, match=r"--only 'Brand / Typo': no campaign group, campaign or creative"):
        plan(desired_budgets("50 USD"), live_two_groups(), "Brand / Typo")


@pytest.mark.parametrize("text", ["", " / Brand", "Brand /  / A"])
def test_an_empty_address_or_part_is_not_an_address(text: str) -> None:
    with pytest.raises(ValueError, match="not an address"):
        parse_address(text)


def test_a_duplicate_left_by_two_applies_is_not_removed_outside_the_scope() -> None:
    # Brand / A has a later DRAFT duplicate (id 23) with nothing below it: a whole plan deletes it.
    live = live_account(
        [live_group(10, "Brand"), live_group(11, "Other")],
        [live_campaign(20, 10, "A"), live_campaign(23, 10, "A", "DRAFT"), live_campaign(22, 11, "B")],
        [],
    )
    desired = account(group("Brand", campaign("A")), group("Other", campaign("B")))
    assert actions(plan(desired, live)) == [("delete", "500000001 / Brand / A (id 23)")]
    assert actions(plan(desired, live, "Other / B")) == []
    assert actions(plan(desired, live, "Brand / A")) == [("delete", "500000001 / Brand / A (id 23)")]


def test_a_move_into_the_scope_replaces_the_old_entity_outside_it() -> None:
    # Without the move, the partial plan would create a second live campaign beside the old one.
    live = live_account(
        [live_group(10, "Brand"), live_group(11, "Demand")], [live_campaign(20, 10, "Brand US")], []
    )
    desired = account(group("Brand"), group("Demand", campaign("Brand US")))
    p = plan(desired, live, "Demand")
    assert actions(p) == [("replace", "500000001 / Demand / Brand US")]
    assert p.changes[0].id == 20
    assert p.changes[0].reason.startswith("looks like a move from 500000001 / Brand / Brand US (id 20)")
    assert actions(plan(desired, live, "Brand")) == []  # the destination is out of scope: nothing
