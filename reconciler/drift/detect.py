"""Drift from a plan: which of its changes are departures of the live state, and who made them.

The plan made from the manifests against the live accounts already holds every difference; this
module sorts them into drift states and adds, from the live entities' audit stamps, when each was
last changed and by whom:

- updates, archives and replaces of live entities -> CHANGED (or IGNORED when every changed field
  is covered by ``ignoreChanges``);
- creates of resources that were live once -> MISSING: a pinned id that no longer exists or was
  removed (see :func:`unpin_missing`), or a removed live sibling of the same name; their children
  follow them;
- creates of anything else -> NOT_APPLIED (not drift: the manifests are ahead of the account);
- unmanaged live entities, and those a ``prune: true`` plan would archive -> UNMANAGED.

A DRAFT that LinkedIn deleted outright leaves no trace unless it was pinned: unpinned, it reads as
not yet applied. Pure functions; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reconciler.drift.report import DriftItem, DriftReport, DriftState, FieldDrift, sort_items
from reconciler.errors import Position
from reconciler.live import GONE, LiveAccount
from reconciler.manifest import DesiredState
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    campaign_urn,
    group_urn,
    review_state,
    status_of,
    urn_id,
)
from reconciler.plan import Action, Kind, Plan, ResourceChange, Unmanaged, loses_history

Path = tuple[str, ...]
Entity = CampaignGroup | Campaign | Creative


@dataclass(frozen=True)
class Missing:
    """A resource pinned by ``id`` to an entity that is gone: deleted, or in a status LinkedIn only
    sets when removing (``status`` None when the id is not found at all)."""

    kind: Kind
    path: Path
    id: int
    status: str | None = None
    modified_at: int | None = None
    modified_by: str | None = None


def unpin_missing(
    accounts: Iterable[Account], live: Mapping[int, LiveAccount]
) -> tuple[tuple[Account, ...], dict[Path, Missing]]:
    """The accounts with every pin to a gone entity removed (so the planner plans to create the
    resource again instead of refusing the missing pin), and what was unpinned, by path."""
    missing: dict[Path, Missing] = {}
    out = []
    for account in accounts:
        index = _index(live[account.id])
        root = (str(account.id),)
        groups = tuple(_unpin_group(g, (*root, g.name), index, missing) for g in account.groups)
        out.append(replace(account, groups=groups))
    return tuple(out), missing


def detect(
    plan: Plan,
    live: Mapping[int, LiveAccount],
    desired: DesiredState,
    missing: Mapping[Path, Missing] | None = None,
    *,
    count_unmanaged: bool = True,
) -> DriftReport:
    """The drift report of ``plan`` (made from ``desired`` against ``live``)."""
    items = drift_items(plan.changes, plan.unmanaged, live, desired.accounts, desired.positions, missing)
    return DriftReport(
        target=plan.target,
        api_version=plan.api_version,
        manifest_checksum=plan.manifest_checksum,
        items=sort_items(items),
        count_unmanaged=count_unmanaged,
    )


def drift_items(
    changes: Sequence[ResourceChange],
    unmanaged: Iterable[Unmanaged],
    live: Mapping[int, LiveAccount],
    accounts: Iterable[Account],
    positions: Mapping[Path, Position],
    missing: Mapping[Path, Missing] | None = None,
) -> list[DriftItem]:
    """The drift items (unsorted) of a plan's ``changes`` (parents first, as a plan lists them) and
    ``unmanaged`` entities, made from ``accounts`` (written at ``positions``) against ``live``.

    Each account's items depend on that account alone, so the items of several accounts are those
    of each found on its own (see :mod:`reconciler.drift.pipeline`)."""
    accounts = tuple(accounts)
    gone = dict(missing or {})
    index = {key: entity for account in live.values() for key, entity in _index(account).items()}
    defined = set(_paths(accounts))

    def where(path: Path) -> str | None:  # looked up per item: finding a place may re-read its file
        found = positions.get(path)
        return str(found) if found is not None else None

    items = [_missing_item(m, where(m.path)) for m in gone.values()]
    lost = set(gone)  # paths of missing resources; their children follow (the plan lists parents first)
    for change in changes:
        if change.action is Action.CREATE and change.path in gone:
            continue
        item = _item(change, index, live, defined, lost, where(change.path))
        if item.state is DriftState.MISSING:
            lost.add(item.path)
        items.append(item)
    items.extend(_unmanaged(unmanaged, index))
    items.extend(_rejected(accounts, live, where))
    return items


# -- unpinning ---------------------------------------------------------------------------------


def _unpin_group(
    group: CampaignGroup, path: Path, index: Mapping[tuple[Kind, int], Entity], missing: dict[Path, Missing]
) -> CampaignGroup:
    campaigns = tuple(_unpin_campaign(c, (*path, c.name), index, missing) for c in group.campaigns)
    out: CampaignGroup = _unpinned(replace(group, campaigns=campaigns), Kind.GROUP, path, index, missing)
    return out


def _unpin_campaign(
    campaign: Campaign, path: Path, index: Mapping[tuple[Kind, int], Entity], missing: dict[Path, Missing]
) -> Campaign:
    creatives = tuple(
        _unpinned(r, Kind.CREATIVE, (*path, r.name), index, missing) for r in campaign.creatives
    )
    out: Campaign = _unpinned(replace(campaign, creatives=creatives), Kind.CAMPAIGN, path, index, missing)
    return out


def _unpinned(
    entity: Any,
    kind: Kind,
    path: Path,
    index: Mapping[tuple[Kind, int], Entity],
    missing: dict[Path, Missing],
) -> Any:
    if entity.id is None:
        return entity
    found = index.get((kind, entity.id))
    status = _status_or_none(found) if found is not None else None
    if found is not None and status not in GONE:
        return entity
    meta = found.meta if found is not None else None
    missing[path] = Missing(
        kind,
        path,
        entity.id,
        status,
        meta.last_modified_at if meta else None,
        meta.last_modified_by if meta else None,
    )
    return replace(entity, id=None)


# -- classifying the plan's changes ------------------------------------------------------------


def _item(
    change: ResourceChange,
    index: Mapping[tuple[Kind, int], Entity],
    live: Mapping[int, LiveAccount],
    defined: set[Path],
    lost: set[Path],
    where: str | None,
) -> DriftItem:
    if change.path not in defined:
        return _pruned(change, index)
    if change.action is Action.CREATE:
        return _created(change, live, lost, where)
    fields = tuple(FieldDrift(f.field, f.new, f.old, f.ignored) for f in change.fields)
    ignored = all(f.ignored for f in fields)
    entity = index.get((change.kind, change.id or 0))
    return DriftItem(
        DriftState.IGNORED if ignored else DriftState.CHANGED,
        change.kind.value,
        change.path,
        change.id,
        fields,
        status=_status_or_none(entity) if entity is not None else None,
        **_stamps(entity),
        where=where,
        note=_fix_note(change) if not ignored else "",
    )


def _fix_note(change: ResourceChange) -> str:
    if change.action is Action.REPLACE:
        flag = "; --allow-replace" if loses_history(change) else ""
        return f"{change.reason}: reverting replaces it (a new entity, the old one archived{flag})"
    if change.action is Action.ARCHIVE:
        return "the manifests say ARCHIVED: the fix archives it"
    return ""


def _created(
    change: ResourceChange, live: Mapping[int, LiveAccount], lost: set[Path], where: str | None
) -> DriftItem:
    removed = _removed_twin(change, live[int(change.path[0])])
    if removed is not None:
        return DriftItem(
            DriftState.MISSING,
            change.kind.value,
            change.path,
            removed.id,
            status=_status_or_none(removed),
            **_stamps(removed),
            where=where,
            note=f"{_status_or_none(removed)} at LinkedIn; the fix creates it again",
        )
    parent = next((p for p in _prefixes(change.path) if p in lost), None)
    if parent is not None:
        note = f"its parent {' / '.join(parent[1:])} is missing; the fix creates it again with its parent"
        return DriftItem(DriftState.MISSING, change.kind.value, change.path, where=where, note=note)
    return DriftItem(DriftState.NOT_APPLIED, change.kind.value, change.path, where=where)


def _removed_twin(change: ResourceChange, account: LiveAccount) -> Entity | None:
    """A live sibling of the same name that LinkedIn removed: the resource was live once."""
    siblings: list[Any]
    if change.kind is Kind.GROUP:
        siblings = list(account.groups)
    elif change.parent_id is None:
        return None
    elif change.kind is Kind.CAMPAIGN:
        siblings = account.campaigns_of(group_urn(change.parent_id))
    else:
        siblings = account.creatives_of(campaign_urn(change.parent_id))
    twins = [s for s in siblings if s.name == change.name and _status_or_none(s) in GONE]
    return max(twins, key=lambda s: (s.meta.last_modified_at or 0) if s.meta else 0, default=None)


def _missing_item(missing: Missing, where: str | None) -> DriftItem:
    if missing.status is None:
        what = f"pinned id {missing.id} no longer exists"
    else:
        what = f"pinned id {missing.id} is {missing.status} at LinkedIn"
    note = f"{what}; the fix creates it again: remove the `id:` pin from the manifest"
    return DriftItem(
        DriftState.MISSING,
        missing.kind.value,
        missing.path,
        missing.id,
        status=missing.status,
        modified_at=missing.modified_at,
        modified_by=missing.modified_by,
        where=where,
        note=note,
    )


def _pruned(change: ResourceChange, index: Mapping[tuple[Kind, int], Entity]) -> DriftItem:
    """An entity no manifest mentions, which the plan prunes (``prune: true``)."""
    entity = index.get((change.kind, change.id or 0))
    verb = "deletes" if change.action is Action.DELETE else "archives"
    return DriftItem(
        DriftState.UNMANAGED,
        change.kind.value,
        change.path,
        change.id,
        status=_status_or_none(entity) if entity is not None else None,
        **_stamps(entity),
        note=f"no manifest mentions it and prune is on: the fix {verb} it",
    )


def _unmanaged(
    unmanaged: Iterable[Unmanaged], index: Mapping[tuple[Kind, int], Entity]
) -> Iterator[DriftItem]:
    for entity in unmanaged:
        found = index.get((entity.kind, entity.id))
        yield DriftItem(
            DriftState.UNMANAGED,
            entity.kind.value,
            entity.path,
            entity.id,
            status=entity.status,
            **_stamps(found),
            note="no manifest mentions it: add it to the manifests, or set prune: true on its parent",
        )


def _rejected(
    accounts: Iterable[Account], live: Mapping[int, LiveAccount], where: Any
) -> Iterator[DriftItem]:
    """Managed creatives LinkedIn's review rejected (matched as the planner does: id pin, else the
    live path by names)."""
    for account in accounts:
        if account.id not in live:
            continue
        found = live[account.id]
        root = (str(account.id),)
        pinned: dict[int, Path] = {}
        named: set[Path] = set()
        for group, campaign, creative in account.creatives():
            path: Path = (*root, group.name, campaign.name, creative.name)
            if creative.id is not None:
                pinned[creative.id] = path
            else:
                named.add(path)
        groups = {g.id: g.name for g in found.groups}
        campaigns = {c.id: c for c in found.campaigns}
        for creative in found.creatives:
            if review_state(creative) != "REJECTED":
                continue
            found_path = pinned.get(creative.id or 0) or _live_path(root, creative, campaigns, groups)
            if found_path is None or (creative.id not in pinned and found_path not in named):
                continue
            path = found_path
            yield DriftItem(
                DriftState.REJECTED,
                Kind.CREATIVE.value,
                path,
                creative.id,
                status="REJECTED",
                **_stamps(creative),
                where=where(path),
                note="LinkedIn's review rejected it: it does not serve; give it new content or archive it",
            )


def _live_path(
    root: Path, creative: Creative, campaigns: Mapping[int | None, Campaign], groups: Mapping[int | None, str]
) -> Path | None:
    parent = creative.meta.parent if creative.meta else None
    campaign = campaigns.get(urn_id(parent)) if parent else None
    if campaign is None or campaign.meta is None or campaign.meta.parent is None:
        return None
    group = groups.get(urn_id(campaign.meta.parent))
    return None if group is None else (*root, group, campaign.name, creative.name)


# -- helpers -----------------------------------------------------------------------------------


def _index(account: LiveAccount) -> dict[tuple[Kind, int], Entity]:
    out: dict[tuple[Kind, int], Entity] = {}
    for kind, entities in (
        (Kind.GROUP, account.groups),
        (Kind.CAMPAIGN, account.campaigns),
        (Kind.CREATIVE, account.creatives),
    ):
        for entity in entities:
            if entity.id is not None:
                out[(kind, entity.id)] = entity
    return out


def _paths(accounts: Iterable[Account]) -> Iterator[Path]:
    for account in accounts:
        root = (str(account.id),)
        for group in account.groups:
            yield (*root, group.name)
            for campaign in group.campaigns:
                yield (*root, group.name, campaign.name)
                for creative in campaign.creatives:
                    yield (*root, group.name, campaign.name, creative.name)


def _prefixes(path: Path) -> Iterator[Path]:
    for end in range(len(path) - 1, 1, -1):
        yield path[:end]


def _stamps(entity: Entity | None) -> dict[str, Any]:
    meta = entity.meta if entity is not None else None
    if meta is None:
        return {"modified_at": None, "modified_by": None, "created_at": None}
    return {
        "modified_at": meta.last_modified_at,
        "modified_by": meta.last_modified_by,
        "created_at": meta.created_at,
    }


def _status_or_none(entity: Entity | None) -> str | None:
    return status_of(entity) or None
