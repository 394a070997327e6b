"""Two applies at once, on two machines: keep exactly one entity of each name under a parent.

There is no lock service across machines and LinkedIn has no idempotency keys or unique names, so
two applies that planned the same create both make it. The race is settled after each create
phase, before anything is created below the new entities or any of them is activated: one search
per kind and account lists the live siblings of every (parent, name) this run created, and every
run keeps the **earliest** of them (the lowest id: LinkedIn allocates ids in increasing order —
INFERRED from the ids it hands out; the emulator does so). A run whose own entity is not the
earliest adopts the earliest (its children and activation go there) and removes its own; any later
one of another run is removed too (that run, when it checks, adopts the same earliest).

Why it holds: each run checks after its own create answered. Of two creates of one name, the later
one is made after the earlier one exists, so the run that made it sees both and keeps the earlier;
a run can keep its own only if it is the earliest. Removing means deleting (LinkedIn deletes only
DRAFTs: new campaigns that go live later are DRAFT), else renaming to ``<name> (duplicate of
<id>)`` and archiving, so it never shares a name again. A run killed between its create and its
check leaves a later duplicate with nothing below it: the next plan keeps the earliest and plans
that one's removal (:mod:`reconciler.planner.rules`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reconciler.api.collection import Collection, Patch
from reconciler.apply.lookup import Sibling
from reconciler.errors import ApiError, NotFound
from reconciler.plan import Kind, duplicate_name


@dataclass(frozen=True)
class Settlement:
    """What one sibling check decided: ``adopt`` maps a change (index) to the earlier id it keeps
    instead of its own; ``remove`` maps each duplicate id to (the id kept, its name)."""

    adopt: dict[int, int] = field(default_factory=dict)
    remove: dict[int, tuple[int, str]] = field(default_factory=dict)


def settle(created: Mapping[int, tuple[Sibling, int]], found: Mapping[Sibling, Sequence[int]]) -> Settlement:
    """Decide, for each change (index -> its (parent, name) and the id this run created), which
    live sibling of that name to keep: the earliest of ``found`` (live ids by pair) and its own."""
    out = Settlement()
    for index, (pair, ours) in created.items():
        ids = sorted({*found.get(pair, ()), ours})
        keep = ids[0]
        if keep != ours:
            out.adopt[index] = keep
        for later in ids[1:]:
            out.remove[later] = (keep, pair[1])
    return out


def remove(collection: Collection[object], kind: Kind, doomed: Mapping[int, tuple[int, str]]) -> list[str]:
    """Delete each duplicate; one that is not a DRAFT is renamed and archived instead. Returns one
    line per duplicate that could not be removed (the next plan sees it and plans its removal)."""
    if not doomed:
        return []
    ids = sorted(doomed)
    refused = [r.key for r in collection.batch_delete(ids) if not r.ok and not isinstance(r.error, NotFound)]
    if not refused:
        return []
    status = "intendedStatus" if kind is Kind.CREATIVE else "status"
    patches = {
        i: Patch({"name": duplicate_name(doomed[i][1], doomed[i][0]), status: "ARCHIVED"}) for i in refused
    }
    problems = []
    for result in collection.batch_partial_update(patches):
        if not result.ok:
            error = result.error or ApiError("no result for this item")
            problems.append(f"{kind.value} {result.key} (a duplicate of {doomed[result.key][0]}): {error}")
    return problems
