"""Seeding: load entities in API shape (as GET returns them), keeping their ids.

Input is a JSON object with any of the keys ``adAccounts``, ``adCampaignGroups``, ``adCampaigns``,
``creatives``; each value is a list of entities, a finder response (``{"elements": [...]}``) or a
BATCH_GET response (``{"results": {...}}``). Entities are stored as given — rules are not run, so
a real account can be reproduced even where it breaks a rule the emulator infers — after:

* dropping read-time fields (``servingStatuses``, ``isServing``, ``servingHoldReasons``);
* filling documented defaults and missing ``version``/audit stamps;
* checking references: each group/campaign/creative names an existing account, each campaign an
  existing group, each creative an existing campaign (ValueError otherwise).

An account's default group is the lowest-id group whose name starts with "Default"; an account
left without any group gets a new default group. Everything happens in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.emulator import ids, jsontext
from reconciler.emulator.core import SYSTEM_ACTOR, Emulator
from reconciler.emulator.present import apply_defaults, stamp_create, strip_computed
from reconciler.emulator.resources import create_default_group
from reconciler.emulator.rules.accounts import default_group_id, set_default_group
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, urn_id

SECTIONS = (
    ("adAccounts", Kind.ACCOUNT),
    ("adCampaignGroups", Kind.GROUP),
    ("adCampaigns", Kind.CAMPAIGN),
    ("creatives", Kind.CREATIVE),
)
ACCOUNT_DEFAULTS: Entity = {"currency": "USD", "status": "ACTIVE", "test": False, "type": "BUSINESS"}


@dataclass(frozen=True)
class SeedReport:
    """How many entities of each kind were loaded."""

    accounts: int
    groups: int
    campaigns: int
    creatives: int


def seed_file(emulator: Emulator, path: str | Path) -> SeedReport:
    """Load a seed file (see the module docstring); ValueError when it is inconsistent."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a seed file holds a JSON object")
    try:
        return seed_entities(emulator, data)
    except jsontext.Unrepresentable as error:
        raise ValueError(f"{path}: {error} (API fields hold 64-bit integers and valid text)") from None


def seed_entities(emulator: Emulator, data: Mapping[str, Any]) -> SeedReport:
    """Load entities in API shape into the emulator's store, keeping ids."""
    unknown = set(data) - {name for name, _ in SECTIONS}
    if unknown:
        raise ValueError(f"unknown seed sections: {sorted(unknown)}")
    store = emulator.store
    ctx = emulator.ctx(SYSTEM_ACTOR)
    counts = {}
    with store.transaction(write=True):
        for name, kind in SECTIONS:
            entities = _entities(data.get(name, []), name)
            rows = [_prepare(ctx, kind, entity, f"{name}[{i}]") for i, entity in enumerate(entities)]
            store.put_many(kind, rows)
            for _, key, _ in rows:
                ids.observe(store, kind, ctx.seed, key)
            counts[kind] = len(rows)
        for account_key, _ in store.scan(Kind.ACCOUNT, None):
            _settle_default_group(ctx, account_key)
    return SeedReport(counts[Kind.ACCOUNT], counts[Kind.GROUP], counts[Kind.CAMPAIGN], counts[Kind.CREATIVE])


def _entities(section: Any, name: str) -> list[Entity]:
    if isinstance(section, dict) and isinstance(section.get("elements"), list):
        section = section["elements"]
    elif isinstance(section, dict) and isinstance(section.get("results"), dict):
        section = list(section["results"].values())
    if not isinstance(section, list) or not all(isinstance(e, dict) for e in section):
        raise ValueError(f"{name}: expected a list of entities")
    return section


def _prepare(ctx: Ctx, kind: Kind, entity: Entity, where: str) -> tuple[int, int, Entity]:
    """(account, key, entity to store) for one seeded entity."""
    entity = strip_computed(entity)
    key = urn_id(entity.get("id")) if kind is Kind.CREATIVE else entity.get("id")
    if not isinstance(key, int) or isinstance(key, bool) or key <= 0:
        raise ValueError(f"{where}: missing or invalid id")
    if kind is Kind.ACCOUNT:
        return key, key, _stamped(ctx, kind, {**ACCOUNT_DEFAULTS, **entity}, key)
    account_id = urn_id(entity.get("account"))
    account = None if account_id is None else ctx.store.get(Kind.ACCOUNT, account_id, account_id)
    if account is None or account_id is None:
        raise ValueError(f"{where}: account {entity.get('account')!r} is not seeded")
    parent_kind, parent_field = {
        Kind.CAMPAIGN: (Kind.GROUP, "campaignGroup"),
        Kind.CREATIVE: (Kind.CAMPAIGN, "campaign"),
    }.get(kind, (None, ""))
    if parent_kind is not None:
        parent = urn_id(entity.get(parent_field))
        if parent is None or ctx.store.get(parent_kind, account_id, parent) is None:
            raise ValueError(
                f"{where}: {parent_field} {entity.get(parent_field)!r} is not seeded in the same account"
            )
    return account_id, key, _stamped(ctx, kind, apply_defaults(kind, entity, account), key)


def _stamped(ctx: Ctx, kind: Kind, entity: Entity, key: int) -> Entity:
    """Keep the entity's own stamps and id; add what is missing."""
    return {**stamp_create(kind, entity, key, ctx), **entity}


def _settle_default_group(ctx: Ctx, account: int) -> None:
    if default_group_id(ctx.store, account) is not None:
        return
    groups = ctx.store.scan(Kind.GROUP, account)
    for key, group in groups:
        if str(group.get("name", "")).lower().startswith("default"):
            set_default_group(ctx.store, account, key)
            return
    if not groups:
        stored = ctx.store.get(Kind.ACCOUNT, account, account)
        assert stored is not None
        create_default_group(ctx, stored)
