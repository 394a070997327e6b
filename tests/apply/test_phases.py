"""The order of an apply, derived from actions and kinds alone (no I/O)."""

from __future__ import annotations

from reconciler.apply.phases import Step, build_phases, last_steps, phase_order, steps_of
from reconciler.plan import Action, FieldChange, Kind, ResourceChange

A = "500000001"


def change(kind: Kind, action: Action, *path: str, **kw: object) -> ResourceChange:
    body = kw.pop("body", {"x": 1})
    return ResourceChange(kind, action, (A, *path), body=body, **kw)  # type: ignore[arg-type]


def test_phases_run_parents_first_then_activations_then_removals_children_first() -> None:
    order = [(step.value, kind.value) for step, kind in phase_order()]
    assert order == [
        ("retire", "creative"),
        ("retire", "campaign"),
        ("retire", "campaignGroup"),
        ("create", "campaignGroup"),
        ("update", "campaignGroup"),
        ("create", "campaign"),
        ("update", "campaign"),
        ("create", "creative"),
        ("update", "creative"),
        ("activate", "campaign"),
        ("archive", "creative"),
        ("delete", "creative"),
        ("archive", "campaign"),
        ("delete", "campaign"),
        ("archive", "campaignGroup"),
        ("delete", "campaignGroup"),
    ]


def test_each_action_takes_its_steps() -> None:
    assert steps_of(change(Kind.CAMPAIGN, Action.CREATE, "G", "C", activate=True)) == (
        Step.CREATE,
        Step.ACTIVATE,
    )
    assert steps_of(change(Kind.CAMPAIGN, Action.REPLACE, "G", "C", id=1, activate=True)) == (
        Step.RETIRE,
        Step.CREATE,
        Step.ACTIVATE,
    )
    assert steps_of(change(Kind.CAMPAIGN, Action.UPDATE, "G", "C", id=1, body={}, activate=True)) == (
        Step.ACTIVATE,
    )
    assert steps_of(change(Kind.CREATIVE, Action.ARCHIVE, "G", "C", "R", id=1)) == (Step.ARCHIVE,)
    assert steps_of(change(Kind.GROUP, Action.DELETE, "G", id=1, body={})) == (Step.DELETE,)
    clear_only = change(Kind.CAMPAIGN, Action.UPDATE, "G", "C", id=1, body={}, delete_fields=("totalBudget",))
    assert steps_of(clear_only) == (Step.UPDATE,)
    ignored = change(
        Kind.CAMPAIGN, Action.UPDATE, "G", "C", id=1, body={}, fields=(FieldChange("x", 1, 2, True),)
    )
    assert steps_of(ignored) == ()


def test_build_phases_groups_changes_and_knows_each_ones_last_phase() -> None:
    changes = [
        change(Kind.CREATIVE, Action.ARCHIVE, "G", "Old", "R", id=9),
        change(Kind.CREATIVE, Action.CREATE, "G", "C", "R"),
        change(Kind.CAMPAIGN, Action.CREATE, "G", "C", activate=True),
        change(Kind.GROUP, Action.CREATE, "G"),
    ]
    phases = build_phases(changes)
    assert [(p.step, p.kind, p.changes) for p in phases] == [
        (Step.CREATE, Kind.GROUP, (3,)),
        (Step.CREATE, Kind.CAMPAIGN, (2,)),
        (Step.CREATE, Kind.CREATIVE, (1,)),
        (Step.ACTIVATE, Kind.CAMPAIGN, (2,)),
        (Step.ARCHIVE, Kind.CREATIVE, (0,)),
    ]
    assert last_steps(phases) == {3: 0, 2: 3, 1: 2, 0: 4}
