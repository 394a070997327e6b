"""detect() and unpin_missing() on small desired/live pairs: each drift state, and who/when."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reconciler.drift import DriftState, detect, unpin_missing
from reconciler.errors import Position
from reconciler.live import LiveAccount
from reconciler.manifest import DesiredState
from reconciler.model import Account
from reconciler.planner import make_plan
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

ACCOUNT = 500000001
WHO = "urn:li:person:marketer"
STAMPS = {
    "changeAuditStamps": {"created": {"time": 5}, "lastModified": {"time": 1_793_000_000_000, "actor": WHO}}
}


def report(desired: Account, live: LiveAccount, *, count_unmanaged: bool = True) -> Any:
    accounts, missing = unpin_missing([desired], {ACCOUNT: live})
    state = DesiredState(accounts=(desired,), checksum="sha256:x", files=())
    plan = make_plan(
        accounts, {ACCOUNT: live}, target="t", api_version="202610", manifest_checksum="sha256:x"
    )
    return detect(plan, {ACCOUNT: live}, state, missing, count_unmanaged=count_unmanaged)


def states(result: Any) -> list[tuple[str, tuple[str, ...]]]:
    return [(i.state.value, i.path[1:]) for i in result.items]


def test_nothing_differs_nothing_reported() -> None:
    live = live_account([live_group(10, "G")], [live_campaign(20, 10, "C")], [live_creative(30, 20, "R")])
    desired = account(group("G", campaign("C", creative("R", 30))))

    result = report(desired, live)

    assert result.items == ()
    assert not result.drifted
    assert result.summary()["drift"] == 0


def test_changed_fields_carry_manifest_and_live_values_and_the_audit_stamps() -> None:
    live = live_account(
        [live_group(10, "G")],
        [
            live_campaign(
                20, 10, "C", status="PAUSED", dailyBudget={"amount": "80", "currencyCode": "USD"}, **STAMPS
            )
        ],
    )
    desired = account(group("G", campaign("C")))

    (item,) = report(desired, live).items

    assert item.state is DriftState.CHANGED
    assert (item.kind, item.id, item.path) == ("campaign", 20, (str(ACCOUNT), "G", "C"))
    assert [(f.field, f.manifest, f.live, f.ignored) for f in item.fields] == [
        (
            "dailyBudget",
            {"amount": "50", "currencyCode": "USD"},
            {"amount": "80", "currencyCode": "USD"},
            False,
        ),
        ("status", "ACTIVE", "PAUSED", False),
    ]
    assert (item.modified_at, item.modified_by, item.created_at) == (1_793_000_000_000, WHO, 5)


def test_only_ignored_fields_changed_is_ignored_not_drift() -> None:
    live = live_account([live_group(10, "G")], [live_campaign(20, 10, "C", status="PAUSED")])
    desired = account(group("G", campaign("C", ignore_changes=("status",))))

    result = report(desired, live)

    assert states(result) == [("ignored", ("G", "C"))]
    assert result.items[0].fields[0].ignored
    assert not result.drifted


def test_a_mix_of_ignored_and_not_is_changed_with_the_ignored_marked() -> None:
    live = live_account(
        [live_group(10, "G")],
        [live_campaign(20, 10, "C", status="PAUSED", dailyBudget={"amount": "80", "currencyCode": "USD"})],
    )
    desired = account(group("G", campaign("C", ignore_changes=("status",))))

    (item,) = report(desired, live).items

    assert item.state is DriftState.CHANGED
    assert [(f.field, f.ignored) for f in item.fields] == [("dailyBudget", False), ("status", True)]


def test_never_created_resources_are_not_applied_not_drift() -> None:
    live = live_account([live_group(10, "G")])
    desired = account(group("G"), group("New", campaign("C", creative("R", 1))))

    result = report(desired, live)

    assert states(result) == [
        ("not_applied", ("New",)),
        ("not_applied", ("New", "C")),
        ("not_applied", ("New", "C", "R")),
    ]
    assert not result.drifted


def test_a_removed_live_twin_makes_a_create_missing_and_its_children_follow() -> None:
    live = live_account(
        [live_group(10, "G")],
        [live_campaign(20, 10, "C", status="REMOVED", **STAMPS)],
        [live_creative(30, 20, "R")],
    )
    desired = account(group("G", campaign("C", creative("R", 30))))

    result = report(desired, live)

    assert states(result) == [("missing", ("G", "C")), ("missing", ("G", "C", "R"))]
    campaign_item, creative_item = result.items
    assert (campaign_item.id, campaign_item.status, campaign_item.modified_by) == (20, "REMOVED", WHO)
    assert campaign_item.note == "REMOVED at LinkedIn; the fix creates it again"
    assert creative_item.note.startswith("its parent G / C is missing")
    assert result.drifted


def test_a_pin_to_a_deleted_entity_is_missing_and_the_plan_recreates_it() -> None:
    live = live_account([live_group(10, "G")])
    desired = account(group("G", campaign("C", id=99)))

    accounts, missing = unpin_missing([desired], {ACCOUNT: live})
    result = report(desired, live)

    assert accounts[0].groups[0].campaigns[0].id is None
    assert list(missing) == [(str(ACCOUNT), "G", "C")]
    (item,) = result.items
    assert (item.state, item.id, item.status) == (DriftState.MISSING, 99, None)
    assert "pinned id 99 no longer exists" in item.note
    assert "remove the `id:` pin" in item.note


def test_a_pin_to_a_removed_entity_is_missing_with_its_status_and_stamps() -> None:
    live = live_account(
        [live_group(10, "G")], [live_campaign(20, 10, "C", status="PENDING_DELETION", **STAMPS)]
    )
    desired = account(group("G", campaign("C", id=20)))

    (item,) = report(desired, live).items

    assert (item.state, item.status, item.modified_by) == (DriftState.MISSING, "PENDING_DELETION", WHO)
    assert "pinned id 20 is PENDING_DELETION at LinkedIn" in item.note


def test_unmanaged_newcomers_count_unless_asked_not_to() -> None:
    live = live_account(
        [live_group(10, "G")], [live_campaign(20, 10, "C"), live_campaign(21, 10, "Stray", **STAMPS)]
    )
    desired = account(group("G", campaign("C")))

    counted = report(desired, live)
    listed = report(desired, live, count_unmanaged=False)

    assert states(counted) == [("unmanaged", ("G", "Stray"))]
    assert (counted.items[0].status, counted.items[0].created_at) == ("ACTIVE", 5)
    assert counted.drifted
    assert not listed.drifted
    assert listed.summary()["unmanaged"] == 1


def test_what_prune_would_archive_is_an_unmanaged_newcomer() -> None:
    live = live_account([live_group(10, "G")], [live_campaign(20, 10, "C"), live_campaign(21, 10, "Stray")])
    desired = account(group("G", campaign("C"), prune=True))

    (item,) = report(desired, live).items

    assert (item.state, item.id) == (DriftState.UNMANAGED, 21)
    assert item.note == "no manifest mentions it and prune is on: the fix archives it"


def test_items_are_sorted_by_state_then_path() -> None:
    live = live_account(
        [live_group(10, "A"), live_group(11, "B")],
        [live_campaign(20, 11, "x", status="PAUSED"), live_campaign(21, 10, "y", status="PAUSED")],
    )
    desired = account(
        group("A", campaign("y")), group("B", campaign("x", ignore_changes=("status",))), group("C")
    )

    result = report(desired, live)

    assert states(result) == [("changed", ("A", "y")), ("ignored", ("B", "x")), ("not_applied", ("C",))]
    assert result.to_dict()["summary"] == {
        "changed": 1,
        "missing": 0,
        "unmanaged": 0,
        "ignored": 1,
        "not_applied": 1,
        "rejected": 0,
        "drift": 1,
    }


def test_positions_of_the_manifests_are_carried() -> None:
    live = live_account([live_group(10, "G", status="PAUSED")])
    desired = account(group("G"))
    accounts, missing = unpin_missing([desired], {ACCOUNT: live})
    plan = make_plan(accounts, {ACCOUNT: live}, target="t", api_version="202610", manifest_checksum="x")
    state = DesiredState((desired,), "x", ("m.yaml",), {(str(ACCOUNT), "G"): Position("m.yaml", 3, 5)})

    (item,) = detect(plan, {ACCOUNT: live}, state, missing).items

    assert item.where == "m.yaml:3:5"
    assert replace(item, where=None).where is None
