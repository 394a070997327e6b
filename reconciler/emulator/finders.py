"""Finders: ``q=search`` (accounts, groups, campaigns) and ``q=criteria`` (creatives).

Owns: reading finder criteria out of parsed query parameters (2.0 records or legacy dotted
names give the same shape), checking typed criteria (enum symbols per kind, URN types: 400
PARAM_INVALID naming the value otherwise), matching them — values within a criterion are ORed,
criteria are ANDed, an empty ``List()`` matches nothing, no criteria match everything — and
feeding the matches, in id order, to ``paging``.
The store pre-filters on its index columns (parent, status) so pages stay cheap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from reconciler.emulator.errors import ApiError, param_invalid
from reconciler.emulator.paging import Limits, Scan, page
from reconciler.emulator.present import present
from reconciler.emulator.restli import Params, Value
from reconciler.emulator.rules import status as st
from reconciler.emulator.rules.enums import ACCOUNT_TYPES, CAMPAIGN_TYPES
from reconciler.emulator.serving import Lineage
from reconciler.emulator.store import Entity, Kind, Store, urn_id

CHUNK = 256
SEARCH_FIELDS = {
    Kind.ACCOUNT: frozenset({"id", "name", "reference", "type", "status", "test"}),
    Kind.GROUP: frozenset({"id", "status", "name", "test"}),
    Kind.CAMPAIGN: frozenset({"id", "campaignGroup", "name", "type", "status", "test", "associatedEntity"}),
}
Predicate = Callable[[Entity], bool]
# Typed criteria: Rest.li checks each value against the parameter's enum or URN type before the
# finder runs, and answers a value that does not fit with 400 PARAM_INVALID (reference §12.3).
# The symbols are each kind's documented ones: no COMPLETED for groups or creatives.
ENUM_CRITERIA: dict[tuple[Kind, str], frozenset[str]] = {
    (Kind.ACCOUNT, "status"): st.ACCOUNT_STATUSES,
    (Kind.ACCOUNT, "type"): frozenset(ACCOUNT_TYPES),
    (Kind.GROUP, "status"): st.GROUP_STATUSES,
    (Kind.CAMPAIGN, "status"): st.CAMPAIGN_STATUSES,
    (Kind.CAMPAIGN, "type"): frozenset(CAMPAIGN_TYPES),
    (Kind.CREATIVE, "intendedStatuses"): st.CREATIVE_STATUSES,
}
URN_CRITERIA: dict[tuple[Kind, str], tuple[str, ...]] = {
    (Kind.ACCOUNT, "id"): ("sponsoredAccount",),
    (Kind.ACCOUNT, "reference"): ("organization", "person"),
    (Kind.GROUP, "id"): ("sponsoredCampaignGroup",),
    (Kind.CAMPAIGN, "id"): ("sponsoredCampaign",),
    (Kind.CAMPAIGN, "campaignGroup"): ("sponsoredCampaignGroup",),
    (Kind.CREATIVE, "campaigns"): ("sponsoredCampaign",),
    (Kind.CREATIVE, "creatives"): ("sponsoredCreative",),
}
_ANY_URN = re.compile(r"^urn:li:[A-Za-z]+:.+$")
# q=criteria list parameters matched against a field path of the creative.
_CRITERIA_PATHS = {
    "creatives": ("id",),
    "contentReferences": ("content", "reference"),
    "leadgenCreativeCallToActionDestinations": ("leadgenCallToAction", "destination"),
}


def too_many() -> ApiError:
    """The documented 400 of an unpaged campaign search matching more than 1,000 campaigns."""
    message = "Request would return too many entities. "
    return ApiError(400, "TOO_MANY_ENTITIES", message, body={"message": message, "status": 400})


def list_param(params: Params, name: str) -> list[str] | None:
    """A list-of-primitives parameter (``List(a,b)``, or 1.0 ``a``/repeated); PARAM_INVALID otherwise."""
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        # A 2.0 list that arrived with its structure percent-encoded decodes to "List(…)": refuse it.
        if value.startswith(("List(", "(")):
            raise param_invalid(name)
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    raise param_invalid(name)


def bool_param(params: Params, name: str) -> bool | None:
    """``true``/``false`` or absent."""
    value = params.get(name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise param_invalid(name)
    return value == "true"


def descending(params: Params) -> bool:
    """``sortOrder=ASCENDING|DESCENDING`` (or legacy ``sort=(field:ID,order:…)``), by id."""
    order = params.get("sortOrder")
    legacy = params.get("sort")
    if order is None and isinstance(legacy, dict):
        order = legacy.get("order")
    if order is None:
        return False
    if order not in ("ASCENDING", "DESCENDING"):
        raise param_invalid("sortOrder")
    return order == "DESCENDING"


def scanner(
    store: Store,
    kind: Kind,
    account: int | None,
    now_ms: int,
    *,
    desc: bool,
    predicate: Predicate,
    parents: list[int] | None = None,
    statuses: list[str] | None = None,
) -> Scan:
    """A paging scan over the store: pre-filtered by index columns, then by ``predicate``."""

    def scan(after: int | None, want: int | None = None) -> Iterator[tuple[int, Entity]]:
        lineage = Lineage(store, now_ms)  # per page: parents read once for all their children
        cursor = after
        limit = want or CHUNK  # the first query fetches what the page wants, if it said
        while True:
            rows = store.scan(
                kind, account, after=cursor, descending=desc, limit=limit, parents=parents, statuses=statuses
            )
            for key, entity in rows:
                if predicate(entity):
                    # Only accounts are searched across accounts: each is stored under its own id.
                    at = (key if account is None else account, key)
                    yield key, present(kind, entity, lineage, at)
            if len(rows) < limit:
                return
            cursor = rows[-1][0]
            limit = CHUNK

    return scan


def search(
    store: Store, kind: Kind, account: int | None, params: Params, now_ms: int, limits: Limits
) -> dict[str, Any]:
    """``q=search``: criteria optional for every kind (none: every entity of the scope)."""
    criteria = params.get("search")
    if criteria is None:
        criteria = {}  # no criteria, no filter: how connectors list a whole account
    if not isinstance(criteria, dict):
        raise param_invalid("search")
    checks: list[Predicate] = []
    parents = statuses = None
    for name, value in criteria.items():
        if name not in SEARCH_FIELDS[kind]:
            raise param_invalid(f"search/{name}")
        if name == "test":
            checks.append(_test_check(value, "test", f"search/{name}"))
            continue
        values = typed(kind, name, _values(value, f"search/{name}"), f"search/{name}")
        if name == "status":
            statuses = values
        elif name == "campaignGroup":
            parents = [i for i in (urn_id(v) for v in values) if i is not None]
        checks.append(_field_check(name, values))
    desc = descending(params)
    scan = scanner(
        store, kind, account, now_ms, desc=desc, predicate=_all(checks), parents=parents, statuses=statuses
    )
    return page(params, scan, limits)


def typed(kind: Kind, name: str, values: list[str], path: str) -> list[str]:
    """``values`` when each is a symbol of the criterion's enum (or a URN of its type); else
    PARAM_INVALID naming the first value that is not."""
    symbols = ENUM_CRITERIA.get((kind, name))
    entity_types = URN_CRITERIA.get((kind, name))
    for value in values:
        if symbols is not None and value not in symbols:
            raise param_invalid(path, value)
        # GUESS: an ``id`` criterion also takes the bare number (the docs' tables call it the
        # entity's id; their samples send URNs), as the match below always allowed.
        bare_id = name == "id" and kind is not Kind.CREATIVE and value.isdigit()
        if entity_types is not None and not _is_urn(value, entity_types) and not bare_id:
            raise param_invalid(path, value)
    return values


def _is_urn(value: str, entity_types: tuple[str, ...]) -> bool:
    """``urn:li:<one of entity_types>:<id>``; ids are numeric except for members (``person``)."""
    if not value.startswith("urn:li:"):
        return False
    entity_type, _, tail = value[7:].partition(":")
    if entity_type not in entity_types:
        return False
    return tail.isdigit() or (entity_type == "person" and tail.isalnum())


def criteria(store: Store, account: int, params: Params, now_ms: int, limits: Limits) -> dict[str, Any]:
    """``q=criteria`` for creatives; CANCELED creatives are hidden unless asked for by status."""
    checks: list[Predicate] = []
    campaigns = _typed_list(params, "campaigns")
    parents = None if campaigns is None else [i for i in (urn_id(v) for v in campaigns) if i is not None]
    statuses = _typed_list(params, "intendedStatuses")
    if statuses is None:
        checks.append(lambda e: e.get("intendedStatus") != "CANCELED")
    for param, path in _CRITERIA_PATHS.items():
        values = _typed_list(params, param)
        if values is not None:
            checks.append(_member(path, values))
    test = bool_param(params, "isTestAccount")
    if test is not None:
        checks.append(lambda e: bool(e.get("isTest")) == test)
    total = bool_param(params, "isTotalIncluded") is True
    scan = scanner(
        store,
        Kind.CREATIVE,
        account,
        now_ms,
        desc=descending(params),
        predicate=_all(checks),
        parents=parents,
        statuses=statuses,
    )
    return page(params, scan, limits, with_total=total)


def _typed_list(params: Params, name: str) -> list[str] | None:
    """A q=criteria list; None (no filter) when absent or ``List()``: the creatives page gives each
    list parameter ``default=[]`` and its sample sends ``leadgenCreativeCallToActionDestinations=List()``
    beside other criteria, so an empty list is the default, not a filter matching nothing."""
    values = list_param(params, name)
    if not values:
        return None
    if (Kind.CREATIVE, name) not in ENUM_CRITERIA and (Kind.CREATIVE, name) not in URN_CRITERIA:
        # contentReferences / leadgen destinations: URNs of several types (GUESS: any URN).
        for value in values:
            if not _ANY_URN.match(value):
                raise param_invalid(name, value)
        return values
    return typed(Kind.CREATIVE, name, values, name)


def _values(value: Value, path: str) -> list[str]:
    if not isinstance(value, dict) or set(value) != {"values"}:
        raise param_invalid(path)
    items = value["values"]
    if isinstance(items, str) and not items.startswith(("List(", "(")):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise param_invalid(path)
    return [str(v) for v in items]


def _test_check(value: Value, field: str, path: str) -> Predicate:
    if value not in ("true", "false"):
        raise param_invalid(path)
    wanted = value == "true"
    return lambda e: bool(e.get(field)) == wanted


def _field_check(name: str, values: list[str]) -> Predicate:
    wanted = frozenset(values)
    if name == "id":
        ids = frozenset(v if v.isdigit() else str(urn_id(v)) for v in values)
        return lambda e: str(e.get("id")) in ids
    return lambda e: e.get(name) in wanted


def _member(path: tuple[str, ...], values: list[str]) -> Predicate:
    wanted = frozenset(values)

    def check(entity: Entity) -> bool:
        value: Any = entity
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        return value in wanted

    return check


def _all(checks: list[Predicate]) -> Predicate:
    if len(checks) == 1:  # the usual creatives search: called for every creative paged through
        return checks[0]
    return lambda e: all(check(e) for check in checks)
