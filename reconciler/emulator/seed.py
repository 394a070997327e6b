"""Seeding: load entities in API shape (as GET returns them), keeping their ids — as given.

Input is a JSON object with any of the keys ``adAccounts``, ``adCampaignGroups``, ``adCampaigns``,
``creatives`` and ``adAccountUsers`` (and the content sections of ``seed_content``); each value is
a list of entities, a finder response (``{"elements": [...]}``) or a BATCH_GET response
(``{"results": {...}}``). A seed file is a
snapshot of a real account, so entities are stored exactly as given: rules are not run, no
default, ``version``, audit stamp or default group is added, and serving holds the emulator does
not compute itself (``BILLING_HOLD``, …) are kept. Only read-time fields the emulator computes
(``isServing``, ``RUNNABLE``/``STOPPED``/date holds) are recomputed when read. What is checked:

* shape: each entity is an object with a positive id, nesting no deeper than a request body may
  (``jsontext.MAX_DEPTH``); known fields have their JSON type (holds are lists of texts);
* references: each group/campaign/creative names an existing account, each campaign an existing
  group, each creative an existing campaign; each account user a seeded account, a member
  (``urn:li:person:…`` or ``urn:li:member:…``) and a documented role (ValueError otherwise).

An account's default group is the lowest-id group whose name starts with "Default" (remembered
only; none is created). ``emulator seed --generate`` is what invents entities. Everything happens
in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.emulator import ids, jsontext, users
from reconciler.emulator.core import SYSTEM_ACTOR, Emulator
from reconciler.emulator.present import strip_computed
from reconciler.emulator.rules.accounts import default_group_id, set_default_group
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.seed_content import SECTIONS as CONTENT_SECTIONS
from reconciler.emulator.seed_content import seed_content
from reconciler.emulator.store import Entity, Kind, urn_id

SECTIONS = (
    ("adAccounts", Kind.ACCOUNT),
    ("adCampaignGroups", Kind.GROUP),
    ("adCampaigns", Kind.CAMPAIGN),
    ("creatives", Kind.CREATIVE),
)
USERS = "adAccountUsers"
# JSON types of the fields a seed commonly holds; a value of another type is refused.
_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "status": str,
    "intendedStatus": str,
    "type": str,
    "currency": str,
    "reference": str,
    "test": bool,
    "isTest": bool,
    "servingStatuses": list,
    "servingHoldReasons": list,
    "version": dict,
    "changeAuditStamps": dict,
    "runSchedule": dict,
    "lastModifiedBy": str,
    "createdBy": str,
    "account": str,
    "campaignGroup": str,
    "campaign": str,
    "associatedEntity": str,
    "content": dict,
    "review": dict,
    "leadgenCallToAction": dict,
}
# Values the emulator itself reads inside those fields (serving, finders, update rules).
_INNER: dict[tuple[str, str], type] = {
    ("review", "status"): str,
    ("content", "reference"): str,
    ("leadgenCallToAction", "destination"): str,
}
_TEXT_LISTS = ("servingStatuses", "servingHoldReasons")


@dataclass(frozen=True)
class SeedReport:
    """How many entities of each kind were loaded."""

    accounts: int
    groups: int
    campaigns: int
    creatives: int
    users: int = 0
    content: int = 0  # media, posts, InMail contents, conversations and messages (``seed_content``)


def seed_file(emulator: Emulator, path: str | Path) -> SeedReport:
    """Load a seed file (see the module docstring); ValueError when it is inconsistent."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError(f"{path}: nesting deeper than {jsontext.MAX_DEPTH} levels") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a seed file holds a JSON object")
    try:
        return seed_entities(emulator, data)
    except jsontext.Unrepresentable as error:
        raise ValueError(f"{path}: {error} (API fields hold 64-bit integers and valid text)") from None


def seed_entities(emulator: Emulator, data: Mapping[str, Any]) -> SeedReport:
    """Load entities in API shape into the emulator's store, keeping ids."""
    unknown = set(data) - {name for name, _ in SECTIONS} - {USERS} - set(CONTENT_SECTIONS)
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
            _remember_default_group(ctx, account_key)
        seeded_users = _entities(data.get(USERS, []), USERS)
        _seed_users(ctx, seeded_users)
        content = seed_content(ctx, data, _entities)
    return SeedReport(
        counts[Kind.ACCOUNT],
        counts[Kind.GROUP],
        counts[Kind.CAMPAIGN],
        counts[Kind.CREATIVE],
        len(seeded_users),
        content,
    )


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
    _check_shape(entity, where)
    entity = strip_computed(entity)
    key = urn_id(entity.get("id")) if kind is Kind.CREATIVE else entity.get("id")
    if not isinstance(key, int) or isinstance(key, bool) or key <= 0:
        raise ValueError(f"{where}: missing or invalid id")
    if kind is Kind.ACCOUNT:
        return key, key, entity
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
    return account_id, key, entity


def _check_shape(entity: Entity, where: str) -> None:
    if jsontext.depth(entity) > jsontext.MAX_DEPTH:  # what a request body may hold, and what answers can
        raise ValueError(f"{where}: nesting deeper than {jsontext.MAX_DEPTH} levels")
    for name, wanted in _TYPES.items():
        _check_type(entity.get(name), wanted, f"{where}.{name}")
    for (outer, name), wanted in _INNER.items():
        inner = entity.get(outer)
        if isinstance(inner, dict):
            _check_type(inner.get(name), wanted, f"{where}.{outer}.{name}")
    for name in _TEXT_LISTS:
        for i, hold in enumerate(entity.get(name) or ()):
            _check_type(hold, str, f"{where}.{name}[{i}]")


def _check_type(value: Any, wanted: type | tuple[type, ...], where: str) -> None:
    if value is not None and (
        not isinstance(value, wanted) or (wanted is not bool and isinstance(value, bool))
    ):
        raise ValueError(f"{where}: expected {_type_name(wanted)}, got {type(value).__name__}")


def _type_name(wanted: type | tuple[type, ...]) -> str:
    names = {str: "a string", bool: "a boolean", list: "a list", dict: "an object"}
    return names.get(wanted, str(wanted)) if isinstance(wanted, type) else str(wanted)


def _remember_default_group(ctx: Ctx, account: int) -> None:
    """Point at the group a real account calls its default; never create one (a seed states its groups)."""
    if default_group_id(ctx.store, account) is not None:
        return
    for key, group in ctx.store.scan(Kind.GROUP, account):
        if str(group.get("name", "")).lower().startswith("default"):
            set_default_group(ctx.store, account, key)
            return


def _seed_users(ctx: Ctx, records: list[Entity]) -> None:
    """Store the seeded account users, grouped by account (ValueError on a malformed one)."""
    by_account: dict[int, list[Entity]] = {}
    for i, record in enumerate(records):
        where = f"{USERS}[{i}]"
        problem = users.check_record(record)
        if problem is None and jsontext.depth(record) > jsontext.MAX_DEPTH:
            problem = f"nesting deeper than {jsontext.MAX_DEPTH} levels"
        if problem:
            raise ValueError(f"{where}: {problem}")
        jsontext.check(record)  # answered as entities are: 64-bit integers, valid text (Unrepresentable)
        account_id = urn_id(record["account"])
        if account_id is None or ctx.store.get(Kind.ACCOUNT, account_id, account_id) is None:
            raise ValueError(f"{where}: account {record['account']!r} is not seeded")
        by_account.setdefault(account_id, []).append(record)
    for account_id, seeded in by_account.items():
        users.store_users(ctx.store, account_id, seeded)
