"""The order of an apply, derived from a Plan: which step runs on which changes, phase by phase.

Pure functions, no I/O. The plan's own order is for people; the applier re-derives its phases
from each change's action and kind:

1. retire the old entity of every replace, children first (rename + archive, or delete a DRAFT),
   so a crash between retiring and creating never leaves two live siblings with one name;
2. groups: creates, then updates; campaigns: creates (as DRAFT where they activate later), then
   updates; creatives: creates, then updates;
3. activations: campaigns switched to ACTIVE once their creatives exist;
4. archives and deletes, children first (creatives, campaigns, groups).

A change can take part in several phases (a replace retires, creates and maybe activates); its
result is final after the last of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from reconciler.plan import Action, Kind, ResourceChange, writes

CHILDREN_FIRST = (Kind.CREATIVE, Kind.CAMPAIGN, Kind.GROUP)
PARENTS_FIRST = (Kind.GROUP, Kind.CAMPAIGN, Kind.CREATIVE)


class Step(StrEnum):
    """What a phase does to each of its changes."""

    RETIRE = "retire"
    CREATE = "create"
    UPDATE = "update"
    ACTIVATE = "activate"
    ARCHIVE = "archive"
    DELETE = "delete"


@dataclass(frozen=True)
class Phase:
    """One step on the changes (indexes into ``plan.changes``) of one kind."""

    step: Step
    kind: Kind
    changes: tuple[int, ...]


def steps_of(change: ResourceChange) -> tuple[Step, ...]:
    """The steps one change takes, in the order they run."""
    if not writes(change):
        return ()
    action = change.action
    out: list[Step] = []
    if action is Action.REPLACE:
        out += [Step.RETIRE, Step.CREATE]
    elif action is Action.CREATE:
        out.append(Step.CREATE)
    elif action is Action.UPDATE and (change.body or change.delete_fields):
        out.append(Step.UPDATE)
    elif action is Action.ARCHIVE:
        out.append(Step.ARCHIVE)
    elif action is Action.DELETE:
        out.append(Step.DELETE)
    if change.activate and change.kind is Kind.CAMPAIGN:
        out.append(Step.ACTIVATE)
    return tuple(out)


def phase_order() -> tuple[tuple[Step, Kind], ...]:
    """Every (step, kind) pair in the order phases run."""
    order: list[tuple[Step, Kind]] = [(Step.RETIRE, kind) for kind in CHILDREN_FIRST]
    for kind in PARENTS_FIRST:
        order += [(Step.CREATE, kind), (Step.UPDATE, kind)]
    order.append((Step.ACTIVATE, Kind.CAMPAIGN))
    for kind in CHILDREN_FIRST:
        order += [(Step.ARCHIVE, kind), (Step.DELETE, kind)]
    return tuple(order)


def build_phases(changes: Sequence[ResourceChange]) -> list[Phase]:
    """The non-empty phases of an apply of ``changes``, in order."""
    slots: dict[tuple[Step, Kind], list[int]] = {key: [] for key in phase_order()}
    for index, change in enumerate(changes):
        for step in steps_of(change):
            slots[(step, change.kind)].append(index)
    return [Phase(step, kind, tuple(ids)) for (step, kind), ids in slots.items() if ids]


def last_steps(phases: Sequence[Phase]) -> dict[int, int]:
    """For each change, the position of the last phase it takes part in."""
    last: dict[int, int] = {}
    for position, phase in enumerate(phases):
        for index in phase.changes:
            last[index] = position
    return last


def parent_path(change: ResourceChange) -> tuple[str, ...] | None:
    """The path of the change's parent resource (None for a group: its parent is the account)."""
    return None if change.kind is Kind.GROUP else change.path[:-1]
