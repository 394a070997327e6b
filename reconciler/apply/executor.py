"""Executing a Plan through the client: ordered phases, batched writes, journal, dependents skipped.

:class:`Executor` owns the write side of an apply. It runs the phases of :mod:`reconciler.apply.phases`
one after the other, one batch call per phase, kind and account (the client splits long batches and
sends the pieces concurrently), and turns every per-item answer into a final
:class:`~reconciler.apply.events.ChangeResult`.

Rules it keeps:

- A create is journalled before it is sent, its unknown outcome resolved by looking, never by
  re-sending, and of two entities of one name (two applies at once) the earliest kept
  (:mod:`reconciler.apply.creates`).
- A permanent failure skips what depends on it (the children of a create that failed, the activation
  of a campaign whose creatives failed), not the independent rest; ``fail_fast`` stops everything.
- A campaign created as DRAFT is activated only once all of its creatives planned here exist.
- Updates, archives, activations and deletes whose item failed temporarily are sent once more.
- Once the client is halted (a signal, LinkedIn's daily quota), no new write starts: writes in
  flight finish (or fail with their outcome unknown); what was not sent ends skipped, "not started".

It never prints: results, phases and notices go to the listener.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from reconciler.api.client import LinkedInClient
from reconciler.api.collection import ItemResult, Patch
from reconciler.api.refusals import explain
from reconciler.apply.content import ContentMaker
from reconciler.apply.creates import ChangeState, Creates, unsent
from reconciler.apply.events import (
    ApplyReport,
    ChangeResult,
    ErrorInfo,
    Listener,
    PhaseStarted,
    Status,
    ignore,
)
from reconciler.apply.journal import Journal
from reconciler.apply.phases import Phase, Step, build_phases, last_steps, parent_path
from reconciler.apply.stale import moved_since
from reconciler.errors import (
    ApiError,
    Conflict,
    NotFound,
    PermissionDenied,
    QuotaExhausted,
    TemporaryApiError,
)
from reconciler.live import GONE
from reconciler.model import status_of
from reconciler.plan import Action, Kind, Plan, ResourceChange

NAME_LIMIT = 100


class Executor(Creates):
    """Applies one plan. Use :meth:`run` once."""

    def __init__(
        self,
        plan: Plan,
        client: LinkedInClient,
        *,
        journal: Journal | None = None,
        listener: Listener = ignore,
        fail_fast: bool = False,
        today: date | None = None,
        content: ContentMaker | None = None,
    ) -> None:
        self.plan = plan
        self.content = content
        self.contents: dict[int, dict[str, Any]] = {}
        self.changes = plan.changes
        self.client = client
        self.journal = journal or Journal(None, "in-memory")
        self.listener = listener
        self.fail_fast = fail_fast
        self.today = today or datetime.now(UTC).date()
        self.phases = build_phases(self.changes)
        self.last = last_steps(self.phases)
        self.state = {index: ChangeState() for index in self.last}
        self.creates = {c.path: i for i, c in enumerate(self.changes) if i in self.last and _creates(c)}
        self.new_creatives: dict[tuple[str, ...], list[int]] = {}
        for path, index in self.creates.items():
            if self.changes[index].kind is Kind.CREATIVE:
                self.new_creatives.setdefault(path[:-1], []).append(index)
        self.failures = 0
        self.stopped = False
        self._position = 0

    # -- the run -----------------------------------------------------------------------------------

    def run(self) -> ApplyReport:
        """Run every phase; every change that writes ends applied, failed or skipped."""
        began = time.monotonic()
        if not self.halted:
            self.make_contents()
        for position, phase in enumerate(self.phases):
            if self.stopped or self.halted:
                break
            self._position = position
            self._run_phase(phase)
            if self.fail_fast and self.failures:
                self.stopped = True
        halted = self.halted or ""
        why = "not attempted"
        if halted:
            why = f"not started: {halted}"
        elif self.stopped:
            why = "--fail-fast stopped the apply after the first failure"
        for index in sorted(self.state):
            state = self.state[index]
            if state.result is None:
                done = f"created (id {state.created}) but not finished; " if state.created is not None else ""
                self._finish(index, Status.SKIPPED, state.created, note=done + why)
        results = tuple(r for r in (self.state[i].result for i in sorted(self.state)) if r is not None)
        return ApplyReport(results, self.stopped, time.monotonic() - began, interrupted=halted)

    @property
    def halted(self) -> str | None:
        """Why the client stopped starting writes (a signal, the daily quota), if it did."""
        return self.client.wire.halted

    def _run_phase(self, phase: Phase) -> None:
        ready = [i for i in phase.changes if self._ready(i, phase.step)]
        if not ready:
            return
        self.listener(PhaseStarted(phase.step.value, phase.kind, len(ready)))
        handler = {
            Step.RETIRE: self._retire,
            Step.CREATE: self._create,
            Step.UPDATE: self._update,
            Step.ACTIVATE: self._activate,
            Step.ARCHIVE: self._archive,
            Step.DELETE: self._delete,
        }[phase.step]
        for account, indexes in _by_account(self.changes, ready).items():
            if self.stopped or self.halted:
                return
            handler(phase.kind, account, indexes)
            if self.fail_fast and self.failures:
                self.stopped = True

    # -- readiness and dependents --------------------------------------------------------------------

    def _ready(self, index: int, step: Step) -> bool:
        if self.state[index].result is not None:
            return False
        if step is Step.CREATE:
            return self._resolve_parent(index)
        if step is Step.ACTIVATE:
            return self._creatives_exist(index)
        return True

    def _resolve_parent(self, index: int) -> bool:
        change = self.changes[index]
        above = parent_path(change)
        if above is None:
            self.state[index].parent = int(change.path[0])
            return True
        planned = self.creates.get(above)
        if planned is None:
            if change.parent_id is None:
                self._finish(index, Status.FAILED, error=ErrorInfo("the plan names no live parent for it"))
                return False
            self.state[index].parent = change.parent_id
            return True
        parent = self.state[planned]
        if parent.created is None:
            self._finish(index, Status.SKIPPED, note=f"its parent {' / '.join(above)} was not created")
            return False
        self.state[index].parent = parent.created
        return True

    def _creatives_exist(self, index: int) -> bool:
        change = self.changes[index]
        below = self.new_creatives.get(change.path, [])
        missing = [self.changes[i].name for i in below if self.state[i].created is None]
        if not missing:
            return True
        entity = self._live_id(index)
        names = ", ".join(f'"{n}"' for n in sorted(missing))
        note = f"left DRAFT, not activated: creative {names} not created"
        self._finish(index, Status.SKIPPED, entity, note=note)
        return False

    # -- steps -----------------------------------------------------------------------------------------

    def _update(self, kind: Kind, account: int, indexes: list[int]) -> None:
        fresh = self._unchanged(kind, account, indexes)
        patches = {i: Patch(dict(self.changes[i].body), self.changes[i].delete_fields) for i in fresh}
        self._patch(Step.UPDATE, kind, account, patches)

    def _archive(self, kind: Kind, account: int, indexes: list[int]) -> None:
        self._update(kind, account, indexes)

    def _activate(self, kind: Kind, account: int, indexes: list[int]) -> None:
        # A live DRAFT switched on with no update before it is re-read here; one this run updated or
        # created carries this run's own versionTag by now.
        alone = [i for i in indexes if not (self.changes[i].body or self.changes[i].delete_fields)]
        fresh = set(self._unchanged(kind, account, alone)) | (set(indexes) - set(alone))
        self._patch(
            Step.ACTIVATE, kind, account, {i: Patch({"status": "ACTIVE"}) for i in indexes if i in fresh}
        )

    def _delete(self, kind: Kind, account: int, indexes: list[int]) -> None:
        fresh = self._unchanged(kind, account, indexes)
        self._remove(kind, account, {i: self._live_id(i) for i in fresh})

    def _unchanged(self, kind: Kind, account: int, indexes: list[int]) -> list[int]:
        """The changes whose entity nobody changed since the plan read it; the others fail as stale.

        Just before an update, archive or delete, one batch get per kind and account (per chunk)
        re-reads the entities the plan recorded a versionTag (or last-modified time) for: another
        apply, or a person in Campaign Manager, may have written since, and writing over them would
        lose their update. Entities this run created are not re-read.
        """
        checked = {
            i: c.id
            for i in indexes
            if (c := self.changes[i]).id is not None and self.state[i].created is None
        }
        checked = {
            i: e for i, e in checked.items() if self.changes[i].version_tag or self.changes[i].last_modified
        }
        if not checked:
            return indexes
        try:
            current = self._collection(kind, account).batch_get(checked.values())
        except ApiError as error:
            for index in checked:
                self._fail(index, error, note="could not re-read it before writing; run apply again")
            return [i for i in indexes if i not in checked]
        fresh = []
        for index in indexes:
            why = moved_since(self.changes[index], current.get(checked[index])) if index in checked else ""
            if not why:
                fresh.append(index)
                continue
            stale = Conflict(f"changed since the plan was made ({why}); not written, so nothing is lost")
            self._fail(index, stale, note="run apply again: it plans from the new state")
        return fresh

    def _retire(self, kind: Kind, account: int, indexes: list[int]) -> None:
        """The old entity of each replace: renamed and archived, or deleted while still a DRAFT."""
        collection = self._collection(kind, account)
        try:
            current = collection.batch_get(self.changes[i].id or 0 for i in indexes)
        except ApiError as error:
            for index in indexes:
                self._fail(index, error)
            return
        patches: dict[int, Patch] = {}
        drafts: dict[int, int] = {}
        for index in indexes:
            change = self.changes[index]
            entity = current.get(change.id or 0)
            status = status_of(entity) if entity is not None else None
            if entity is None or status in GONE:
                self._succeeded(index)
            elif status == "DRAFT":
                drafts[index] = change.id or 0
            else:
                key = "intendedStatus" if kind is Kind.CREATIVE else "status"
                patches[index] = Patch({"name": retired_name(change.name, self.today), key: "ARCHIVED"})
        if patches:
            self._patch(Step.RETIRE, kind, account, patches)
        if drafts:
            self._remove(kind, account, drafts)

    # -- batch writes ---------------------------------------------------------------------------------

    def _patch(self, step: Step, kind: Kind, account: int, patches: Mapping[int, Patch]) -> None:
        collection = self._collection(kind, account)
        ids = {i: self._live_id(i) for i in patches}

        def send(indexes: list[int]) -> list[tuple[int, ItemResult]]:
            self.journal.sent(step.value, ((self.changes[i], ids[i]) for i in indexes))
            results = collection.batch_partial_update({ids[i]: patches[i] for i in indexes})
            return list(zip(indexes, results, strict=True))

        self._settle(send, list(patches))

    def _remove(self, kind: Kind, account: int, ids: Mapping[int, int]) -> None:
        collection = self._collection(kind, account)

        def send(indexes: list[int]) -> list[tuple[int, ItemResult]]:
            self.journal.sent("delete", ((self.changes[i], ids[i]) for i in indexes))
            return list(zip(indexes, collection.batch_delete(ids[i] for i in indexes), strict=True))

        self._settle(send, list(ids), gone_is_done=True)

    def _settle(self, send: Any, indexes: list[int], *, gone_is_done: bool = False) -> None:
        """Send, send the temporarily failed items once more, and record every item's outcome."""
        outcomes = dict(send(indexes))
        again = [i for i, r in outcomes.items() if _retryable(r.error)]
        if again and not self.halted:
            outcomes.update(send(again))
        for index in indexes:
            result = outcomes[index]
            if result.ok:
                self._succeeded(index)
            elif gone_is_done and isinstance(result.error, NotFound):
                self.state[index].note = "already gone"
                self._succeeded(index)
            elif unsent(result.error):
                continue  # not written: left for the end of the run, "not started"
            elif self.halted and isinstance(result.error, TemporaryApiError):
                note = f"outcome unknown ({self.halted}); the next apply checks it"
                self._fail(index, result.error, note=note)
            else:
                self._fail(index, result.error or ApiError("no result for this item"))

    # -- results ---------------------------------------------------------------------------------------

    def _succeeded(self, index: int) -> None:
        if self.last[index] == self._position:
            state = self.state[index]
            self._finish(index, Status.APPLIED, self._live_id(index), note=state.note)

    def _fail(self, index: int, error: ApiError, *, note: str = "") -> None:
        if isinstance(error, PermissionDenied):
            # Scope, role or tier: every later write would meet the same refusal (or start a
            # half-applied plan on another account), so the run stops here like an interrupt.
            self.client.wire.halt(explain(error))
        self.failures += 1
        entity = self.state[index].created or self.changes[index].id
        self._finish(index, Status.FAILED, entity, error=ErrorInfo.of(error), note=note)

    def _finish(
        self,
        index: int,
        status: Status,
        entity_id: int | None = None,
        *,
        error: ErrorInfo | None = None,
        note: str = "",
    ) -> None:
        change = self.changes[index]
        result = ChangeResult(change.address, change.kind, change.action, status, entity_id, error, note)
        self.state[index].result = result
        self.journal.done(result)
        self.listener(result)

    # -- helpers ---------------------------------------------------------------------------------------

    def _live_id(self, index: int) -> int:
        """The entity a step writes to: the one this run created, else the plan's id."""
        created = self.state[index].created
        if created is not None:
            return created
        return self.changes[index].id or 0


def apply_plan(
    plan: Plan,
    client: LinkedInClient,
    *,
    journal: Journal | None = None,
    listener: Listener = ignore,
    fail_fast: bool = False,
    today: date | None = None,
    content: ContentMaker | None = None,
) -> ApplyReport:
    """Apply ``plan`` through ``client`` (checks of a saved plan come first, see stale.py).
    ``content`` makes the uploads and posts of managed creatives (see apply/content.py)."""
    executor = Executor(
        plan, client, journal=journal, listener=listener, fail_fast=fail_fast, today=today, content=content
    )
    return executor.run()


def retired_name(name: str, today: date) -> str:
    """The name a replaced entity keeps once archived: ``<name> (replaced YYYY-MM-DD)``, ≤ 100 chars."""
    suffix = f" (replaced {today.isoformat()})"
    room = NAME_LIMIT - len(suffix)
    return (name if len(name) <= room else name[: room - 1] + "…") + suffix


def _retryable(error: ApiError | None) -> bool:
    return isinstance(error, TemporaryApiError) and not isinstance(error, QuotaExhausted)


def _creates(change: ResourceChange) -> bool:
    return change.action in (Action.CREATE, Action.REPLACE)


def _by_account(changes: Sequence[ResourceChange], indexes: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for index in indexes:
        out.setdefault(int(changes[index].path[0]), []).append(index)
    return out
