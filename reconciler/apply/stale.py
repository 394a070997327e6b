"""Refusing a saved plan once the world moved on (docs/plan-format.md, "Refusing a stale plan").

Before anything is written, a plan loaded from a file must still describe the world it was made
against:

- the same target and ``LinkedIn-Version`` (:func:`check_origin`);
- the same manifests, when their paths are given (:func:`check_manifests`);
- every entity it touches unchanged — same ``versionTag``, or same last-modified time when the plan
  recorded no tag — and still there (:func:`check_live`, one batch get per kind and account);
- nothing it would create already there under its parent (e.g. created by an earlier apply of the
  same plan): one search per kind and account.

Each check raises :class:`~reconciler.errors.StalePlan` naming everything that moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reconciler.api.client import LinkedInClient
from reconciler.apply.lookup import Sibling, find_by_name
from reconciler.errors import StalePlan
from reconciler.plan import Action, Kind, Plan, ResourceChange, writes

REMAKE = "make a new plan (reconciler plan … --out plan.json), review it, and apply that"
SHOWN = 20


def target_label(description: str) -> str:
    """A target's description without the reason it was chosen (``… — no LinkedIn credentials set``)."""
    return description.split(" — ", 1)[0].strip()


def check_origin(plan: Plan, *, target: str, api_version: str) -> None:
    """Refuse a plan made for another target or another LinkedIn-Version."""
    if target_label(plan.target) != target_label(target):
        raise StalePlan(f"the plan was made for target {plan.target!r}, not {target!r}; {REMAKE}")
    if plan.api_version != api_version:
        raise StalePlan(
            f"the plan was made with LinkedIn-Version {plan.api_version}, this apply uses {api_version}; "
            f"{REMAKE}"
        )


def check_manifests(plan: Plan, manifest_checksum: str) -> None:
    """Refuse a plan whose manifests changed since it was made."""
    if plan.manifest_checksum != manifest_checksum:
        raise StalePlan(
            "plan is stale: the manifests changed since the plan was made "
            f"(plan {plan.manifest_checksum[:19]}…, now {manifest_checksum[:19]}…); {REMAKE}"
        )


def check_live(plan: Plan, client: LinkedInClient) -> None:
    """Refuse the plan when an entity it touches moved, or something it creates already exists."""
    moved = moved_entities(plan, client) + existing_creates(plan, client)
    if moved:
        shown = moved[:SHOWN]
        more = f"\n  … and {len(moved) - SHOWN} more" if len(moved) > SHOWN else ""
        noun = "entity" if len(moved) == 1 else "entities"
        raise StalePlan(
            f"plan is stale: {len(moved)} {noun} changed since it was made:\n  "
            + "\n  ".join(shown)
            + more
            + f"\n{REMAKE}"
        )


def moved_entities(plan: Plan, client: LinkedInClient) -> list[str]:
    """One line per touched entity whose versionTag / last-modified moved, or that is gone."""
    touched: dict[tuple[int, Kind], list[ResourceChange]] = {}
    for change in plan.changes:
        if change.id is not None and writes(change):
            touched.setdefault((int(change.path[0]), change.kind), []).append(change)
    lines = []
    for (account, kind), changes in touched.items():
        found = _collection(client, kind, account).batch_get(c.id for c in changes if c.id is not None)
        for change in changes:
            why = moved_since(change, found.get(change.id or 0))
            if why:
                lines.append(f"{change.kind.value} {change.address} (id {change.id}): {why}")
    return lines


def moved_since(change: ResourceChange, entity: Any) -> str:
    """How the live ``entity`` moved since the plan recorded it (versionTag, else last-modified
    time; "gone" when it no longer exists); empty when it did not."""
    if entity is None:
        return "gone"
    meta = entity.meta
    tag = meta.version_tag if meta else None
    modified = meta.last_modified_at if meta else None
    if change.version_tag is not None:
        return "" if tag == change.version_tag else f"versionTag {change.version_tag} → {tag}"
    if change.last_modified is not None and modified != change.last_modified:
        return f"last modified {change.last_modified} → {modified}"
    return ""


def existing_creates(plan: Plan, client: LinkedInClient) -> list[str]:
    """One line per planned create whose entity already exists under its live parent."""
    wanted: dict[tuple[int, Kind], dict[Sibling, ResourceChange]] = {}
    created_paths = {c.path for c in plan.changes if c.action in (Action.CREATE, Action.REPLACE)}
    for change in _creates(plan.changes):
        account = int(change.path[0])
        if change.kind is Kind.GROUP:
            parent = account
        elif change.parent_id is None or change.path[:-1] in created_paths:
            continue  # its parent is new: if the parent does not exist, neither can it
        else:
            parent = change.parent_id
        wanted.setdefault((account, change.kind), {})[(parent, change.name)] = change
    lines = []
    for (account, kind), pairs in wanted.items():
        found = find_by_name(client, account, kind, pairs)
        for pair, change in pairs.items():
            if pair in found:
                ids = ", ".join(str(i) for i in found[pair])
                lines.append(f"{change.kind.value} {change.address}: already exists (id {ids})")
    return lines


def _creates(changes: Iterable[ResourceChange]) -> Iterable[ResourceChange]:
    return (c for c in changes if c.action is Action.CREATE)


def _collection(client: LinkedInClient, kind: Kind, account: int) -> Any:
    if kind is Kind.GROUP:
        return client.groups(account)
    if kind is Kind.CAMPAIGN:
        return client.campaigns(account)
    return client.creatives(account)
