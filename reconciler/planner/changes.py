"""Turning one resource's comparison into plan changes: create, update, archive, delete, replace.

A mixin of the account planner: it appends to ``self.changes`` and records the after-state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from reconciler.diff import Difference, compare, explain
from reconciler.errors import PlanError
from reconciler.live import GONE, LiveAccount
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    group_urn,
    status_of,
)
from reconciler.plan import (
    Action,
    FieldChange,
    ResourceChange,
    Unmanaged,
    duplicate_name,
)
from reconciler.planner.options import PlanOptions
from reconciler.planner.rules import ARCHIVED, CLEARABLE, _kind, _kind_enum, _pins, unchanged
from reconciler.planner.state import StateBuilder, live_key


class ChangeBuilder:
    """The change-building half of the account planner (see :mod:`reconciler.planner.account`)."""

    account: Account
    live: LiveAccount
    options: PlanOptions
    changes: list[ResourceChange]
    unmanaged: list[Unmanaged]
    notes: list[str]
    state: StateBuilder
    managed: int
    removed: int

    def _diff(
        self, desired: Any, current: Any, path: tuple[str, ...], *, moved: str | None = None
    ) -> Difference:
        kind = _kind(desired)
        topic = self.options.explain
        if not topic and unchanged(kind, desired, current):
            diff = Difference()
        else:
            want, have = desired.api_fields(), current.api_fields()
            if topic and (topic in want or topic in have):
                self.notes.append(f"{' / '.join(path)}: {explain(topic, want, have)}")
            diff = compare(want, have, clearable=CLEARABLE[kind], ignore=desired.ignore_changes)
        if moved:
            move = FieldChange("campaignGroup", current.meta.parent if current.meta else None, moved)
            diff = Difference((*diff.changes, move), diff.cleared)
        return diff

    def _create(
        self, desired: Any, path: tuple[str, ...], *, parent_id: int | None, activate: bool = False
    ) -> None:
        body = desired.api_fields()
        if activate:
            # New campaigns are born DRAFT and switched on once their creatives exist.
            body["status"] = "DRAFT"
        fields = tuple(FieldChange(k, None, v) for k, v in sorted(desired.api_fields().items()))
        self.changes.append(
            ResourceChange(
                _kind_enum(desired), Action.CREATE, path, None, parent_id, fields, body, activate=activate
            )
        )

    def _update(
        self,
        desired: Any,
        current: Any,
        path: tuple[str, ...],
        *,
        parent_id: int | None,
        diff: Difference | None = None,
        activate: bool = False,
    ) -> None:
        diff = diff or self._diff(desired, current, path)
        if not diff.changes:
            return
        body = diff.set_body()
        status_key = "intendedStatus" if isinstance(desired, Creative) else "status"
        becomes = body.get(status_key)
        action = Action.ARCHIVE if becomes == ARCHIVED else Action.UPDATE
        late = activate and becomes == "ACTIVE" and status_of(current) == "DRAFT"
        if late:
            # Keep a DRAFT campaign DRAFT until the creatives below it exist.
            body.pop(status_key)
        if not body and not diff.cleared and not late:
            # Only ignored drift: recorded so the plan can say it was ignored, but writes nothing.
            self.changes.append(self._change(desired, current, Action.UPDATE, path, parent_id, diff, {}))
            return
        if action is Action.ARCHIVE:
            self.removed += 1
        self.changes.append(
            self._change(desired, current, action, path, parent_id, diff, body, activate=late)
        )

    def _change(
        self,
        desired: Any,
        current: Any,
        action: Action,
        path: tuple[str, ...],
        parent_id: int | None,
        diff: Difference,
        body: Mapping[str, Any],
        *,
        activate: bool = False,
    ) -> ResourceChange:
        meta = current.meta
        return ResourceChange(
            _kind_enum(desired),
            action,
            path,
            current.id,
            parent_id,
            diff.changes,
            dict(body),
            diff.cleared,
            activate=activate,
            version_tag=meta.version_tag if meta else None,
            last_modified=meta.last_modified_at if meta else None,
        )

    def _replace(
        self,
        desired: Any,
        current: Any,
        path: tuple[str, ...],
        parent_id: int | None,
        diff: Difference,
        why: str,
    ) -> None:
        pins = _pins(desired)
        if pins:
            # The pin would keep pointing at the retired entity, so every later plan would replace
            # it again and leave one more live copy behind: refuse, and say how to proceed.
            raise PlanError(
                f"{' / '.join(path)}: {why}, so it must be replaced by a new {_kind(desired)}, but it is "
                f"pinned by id ({', '.join(pins)}); remove those `id:` lines to replace it (the old one is "
                "renamed and archived), or undo the change"
            )
        self.removed += 1
        self.state.archive(live_key(current))
        body = desired.api_fields()
        activate = isinstance(desired, Campaign) and status_of(desired) == "ACTIVE"
        if activate:
            body["status"] = "DRAFT"
        change = self._change(
            desired, current, Action.REPLACE, path, parent_id, diff, body, activate=activate
        )
        self.changes.append(replace(change, reason=why))

    def _prune(self, entity: Any, path: tuple[str, ...], *, parent_id: int | None) -> None:
        status = status_of(entity)
        if status in GONE or status == ARCHIVED:
            return
        self.managed += 1
        self.removed += 1
        key = "intendedStatus" if isinstance(entity, Creative) else "status"
        action = Action.DELETE if status == "DRAFT" else Action.ARCHIVE
        body = {} if action is Action.DELETE else {key: ARCHIVED}
        meta = entity.meta
        self.changes.append(
            ResourceChange(
                _kind_enum(entity),
                action,
                path,
                entity.id,
                parent_id,
                (FieldChange(key, status, None if action is Action.DELETE else ARCHIVED),),
                body,
                reason="not in the manifests and pruning is on",
                version_tag=meta.version_tag if meta else None,
                last_modified=meta.last_modified_at if meta else None,
            )
        )
        if action is Action.DELETE:
            self.state.delete(live_key(entity))
        else:
            self.state.archive(live_key(entity))

    def _remove_spare(self, entity: Any, parent: tuple[str, ...], parent_id: int | None, keep: int) -> None:
        """Remove a later duplicate of ``keep`` that two applies at once left (it never counts as a
        removal for the guardrails): delete a DRAFT, else rename and archive it."""
        status = status_of(entity)
        key = "intendedStatus" if isinstance(entity, Creative) else "status"
        action = Action.DELETE if status == "DRAFT" else Action.ARCHIVE
        renamed = duplicate_name(entity.name, keep)
        body = {} if action is Action.DELETE else {key: ARCHIVED, "name": renamed}
        fields = [FieldChange(key, status, None if action is Action.DELETE else ARCHIVED)]
        if action is Action.ARCHIVE:
            fields.append(FieldChange("name", entity.name, renamed))
        meta = entity.meta
        self.changes.append(
            ResourceChange(
                _kind_enum(entity),
                action,
                (*parent, f"{entity.name} (id {entity.id})"),
                entity.id,
                parent_id,
                tuple(fields),
                body,
                reason=f"a later duplicate of id {keep} with nothing below it, left by two applies at once",
                version_tag=meta.version_tag if meta else None,
                last_modified=meta.last_modified_at if meta else None,
            )
        )
        if action is Action.DELETE:
            self.state.delete(live_key(entity))
        else:
            self.state.archive(live_key(entity))

    def _note_unmanaged(self, entity: Any, path: tuple[str, ...]) -> None:
        status = status_of(entity)
        if status in GONE or status in (ARCHIVED, "COMPLETED"):
            return
        if (
            isinstance(entity, CampaignGroup)
            and entity.is_default
            and not self.live.campaigns_of(group_urn(entity.id or 0))
        ):
            return  # LinkedIn's own empty default group is not worth a line in every plan
        self.unmanaged.append(Unmanaged(_kind_enum(entity), path, entity.id, status))
