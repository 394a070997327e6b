"""Turning one resource's comparison into plan changes: create, update, archive, delete, replace.

A mixin of the account planner: it appends to ``self.changes`` and records the after-state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from reconciler.adcontent.plandata import explain_content, needs_owner, plan_content
from reconciler.diff import NO_DIFFERENCE, Difference, compare, explain, explain_create
from reconciler.errors import PlanError
from reconciler.live import GONE, LiveAccount
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    ManagedContent,
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
    managed: Counter[str]
    removed: Counter[str]
    owners: dict[tuple[str, ...], str | None]

    def _diff(
        self,
        desired: Any,
        current: Any,
        path: tuple[str, ...],
        *,
        moved: str | None = None,
        but_content: bool = False,
    ) -> Difference:
        """``desired``'s differences from ``current`` (and its move to ``moved``, a parent URN);
        ``but_content``: a creative's content left out, compared as if ``desired`` had ``current``'s."""
        kind = _kind(desired)
        topic = self.options.explain
        if not topic and unchanged(kind, desired, current, but_content=but_content):
            diff = NO_DIFFERENCE
        else:
            if but_content:
                desired = replace(desired, content=current.content)
            want, have = desired.api_fields(), current.api_fields()
            if topic and (topic in want or topic in have) and self.options.only.covers(path):
                self.notes.append(f"{' / '.join(path)}: {explain(topic, want, have, self.options.names)}")
            diff = compare(want, have, clearable=CLEARABLE[kind], ignore=desired.ignore_changes)
        if moved:
            parent = "campaign" if isinstance(desired, Creative) else "campaignGroup"
            move = FieldChange(parent, current.meta.parent if current.meta else None, moved)
            diff = Difference((*diff.changes, move), diff.cleared)
        return diff

    def _create(
        self, desired: Any, path: tuple[str, ...], *, parent_id: int | None, activate: bool = False
    ) -> bool:
        """Plan to create ``desired``; False (nothing planned) when a partial plan does not need it."""
        if not self.options.only.needs(path):
            return False
        _check_create_status(desired, path)
        body = _create_fields(desired)
        fields = tuple(FieldChange(k, None, v) for k, v in sorted(body.items()))
        body = self._managed(desired, path, body)
        topic = self.options.explain
        if topic and topic in body:
            self.notes.append(f"{' / '.join(path)}: {explain_create(topic, body, self.options.names)}")
        elif topic and isinstance(content := getattr(desired, "content", None), ManagedContent):
            said = explain_content(topic, content, None)
            if said:
                self.notes.append(f"{' / '.join(path)}: {said}")
        if activate:
            # New campaigns are born DRAFT and switched on once their creatives exist.
            body["status"] = "DRAFT"
        self.changes.append(
            ResourceChange(
                _kind_enum(desired), Action.CREATE, path, None, parent_id, fields, body, activate=activate
            )
        )
        return True

    def _update(
        self,
        desired: Any,
        current: Any,
        path: tuple[str, ...],
        *,
        parent_id: int | None,
        diff: Difference | None = None,
        activate: bool = False,
    ) -> bool:
        """Plan the update of ``current`` to ``desired``; False when there is nothing to write or
        a partial plan does not cover it."""
        if not self.options.only.covers(path):
            return False
        diff = diff or self._diff(desired, current, path)
        if not diff.changes:
            return False
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
            return True
        if action is Action.ARCHIVE:
            self.removed[_kind(desired)] += 1
        self.changes.append(
            self._change(desired, current, action, path, parent_id, diff, body, activate=late)
        )
        return True

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
    ) -> bool:
        """Plan to replace ``current`` by ``desired``; False when a partial plan does not need it."""
        if not self.options.only.needs(path):
            return False
        pins = _pins(desired)
        if pins:
            # Once applied, the pin points at the retired entity (renamed "… (replaced DATE)" and
            # archived): later plans pass over it and match by name, and say to update the pin.
            why += (
                f"; pinned by id ({', '.join(pins)}): after the replace, update those `id:` lines to "
                "the new ids apply reports"
            )
        self.removed[_kind(desired)] += 1
        self.state.archive(live_key(current))
        _check_create_status(desired, path)
        body = self._managed(desired, path, _create_fields(desired))
        activate = isinstance(desired, Campaign) and status_of(desired) == "ACTIVE"
        if activate:
            body["status"] = "DRAFT"
        change = self._change(
            desired, current, Action.REPLACE, path, parent_id, diff, body, activate=activate
        )
        self.changes.append(replace(change, reason=why))
        return True

    def _managed(self, desired: Any, path: tuple[str, ...], body: dict[str, Any]) -> dict[str, Any]:
        """A managed creative's create body carries its content as apply needs it (files, owner)."""
        content = getattr(desired, "content", None)
        if not isinstance(desired, Creative) or not isinstance(content, ManagedContent):
            return body
        owner = self.owners.get(path[:-1])
        if owner is None and needs_owner(content):
            raise PlanError(
                f"{' / '.join(path)}: a {content.kind} ad is posted by its campaign's organization; "
                "set the campaign's associatedEntity (urn:li:organization:N)"
            )
        return {**body, "content": plan_content(content, owner, self.options.assets, self.options.reuploads)}

    def _prune(self, entity: Any, path: tuple[str, ...], *, parent_id: int | None) -> None:
        if not self.options.only.covers(path):
            return  # a partial plan never prunes outside what it covers
        status = status_of(entity)
        if status in GONE or status == ARCHIVED:
            return
        self.managed[_kind(entity)] += 1
        self.removed[_kind(entity)] += 1
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
        if not self.options.only.covers(path):
            return
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


def _create_fields(desired: Any) -> dict[str, Any]:
    """What a create of ``desired`` sends (a campaign adds the defaults LinkedIn requires on create)."""
    body: dict[str, Any] = desired.create_fields() if isinstance(desired, Campaign) else desired.api_fields()
    return body


# The statuses LinkedIn creates each kind in (campaign groups: ACTIVE or DRAFT, Postman "Create a
# Campaign Group"; campaigns and creatives: ACTIVE, PAUSED or DRAFT, INFERRED).
CREATE_STATUSES: dict[type, tuple[str, ...]] = {
    CampaignGroup: ("ACTIVE", "DRAFT"),
    Campaign: ("ACTIVE", "PAUSED", "DRAFT"),
    Creative: ("ACTIVE", "PAUSED", "DRAFT"),
}


def _check_create_status(desired: Any, path: tuple[str, ...]) -> None:
    """Refuse, before any write, a create LinkedIn would refuse for its status (what is live decides
    whether an entity is created, so ``validate`` cannot)."""
    status = status_of(desired)
    allowed = CREATE_STATUSES[type(desired)]
    if status and status not in allowed:
        words = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
        fix = (
            "there is nothing to archive: leave it out of the manifests"
            if status == ARCHIVED
            else f"create it {words} and set {status} in a later apply"
        )
        raise PlanError(
            f"{' / '.join(path)}: not live yet, and LinkedIn creates a {_kind(desired)} only {words}, "
            f"not {status}; {fix} (or pin the id of the live one if it exists under another name)"
        )
