"""Validators shared by the entity rules: fields, enums, strings, money, schedules, URNs, patches.

Every validator appends to a :class:`~reconciler.emulator.errors.Problems` and returns the
normalised value (or None when invalid), so a rule can check everything and answer once.
Field paths use LinkedIn's slash form (``runSchedule/start``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from reconciler.emulator import money
from reconciler.emulator.errors import ApiError, Problems
from reconciler.emulator.store import Entity, Store

DAY_MS = 86_400_000
# ISO 4217 codes LinkedIn lists as supported account currencies (reference §3.1).
CURRENCIES = frozenset(
    {
        "AED",
        "AUD",
        "BRL",
        "CAD",
        "CHF",
        "CNY",
        "DKK",
        "EUR",
        "GBP",
        "HKD",
        "IDR",
        "ILS",
        "INR",
        "JPY",
        "KRW",
        "MXN",
        "MYR",
        "NOK",
        "NZD",
        "PHP",
        "PLN",
        "SAR",
        "SEK",
        "SGD",
        "THB",
        "TRY",
        "TWD",
        "USD",
        "ZAR",
    }
)


@dataclass
class Settings:
    """Rule knobs the reference leaves to the emulator (see docs/emulator.md)."""

    # Minimum daily budget per currency (FIELD_VALUE_TOO_LOW below it): LinkedIn's 10 USD and its
    # local equivalents, the same table adBudgetPricing answers (``money``).
    min_daily_budget: Mapping[str, Decimal] = field(default_factory=money.daily_minimums)
    # How far in the past a start date may be when a campaign or group is first activated.
    start_tolerance_ms: int = DAY_MS
    # Creative review: how long a creative that left DRAFT stays UNDER_REVIEW (0: decided at once),
    # and the share of reviews that end REJECTED (drawn per creative from the seed).
    review_ms: int = 0
    reject_rate: float = 0.0
    # Who the caller is (see ``access``): the role every token's member holds on every account not
    # seeded with users, the scopes of every token (None: all) and the Development access tier.
    role: str = "ACCOUNT_MANAGER"
    scopes: frozenset[str] | None = None
    development_tier: bool = False
    # Multiplies every audience count (``serve --audience-scale``), so tests can make any audience small.
    audience_scale: float = 1.0
    # The role every token's member holds on every organization not seeded with ACLs (``orgs``).
    page_role: str = "ADMINISTRATOR"
    # Media (images, videos, documents): how long an upload stays PROCESSING before its verdict,
    # and the share of uploads whose processing ends PROCESSING_FAILED (drawn per asset from the seed).
    media_processing_ms: int = 0
    media_fail_rate: float = 0.0


@dataclass
class Ctx:
    """What a rule may consult: the store (read-only by convention), the clock and the caller."""

    store: Store
    now_ms: int
    actor: str
    seed: int
    settings: Settings
    # scheme://host the request reached: where upload URLs point (the emulator's own host).
    origin: str = "https://api.linkedin.com"


def check_fields(
    problems: Problems, keys: Collection[str], writable: Collection[str], read_only: Collection[str]
) -> None:
    """Refuse read-only fields (FIELD_NOT_ALLOWED) and fields the entity does not have."""
    for key in keys:
        if key in read_only:
            problems.add("FIELD_NOT_ALLOWED", key, f"{key} is not allowed to be set")
        elif key not in writable:
            problems.add("FIELD_NOT_ALLOWED", key, f"{key} is an unrecognized field and is not allowed")


def require(problems: Problems, entity: Mapping[str, Any], name: str, path: str = "") -> bool:
    """MISSING_FIELD unless ``entity[name]`` is present and not null."""
    if entity.get(name) is None:
        where = path or name
        problems.add("MISSING_FIELD", where, f"{where} is required but missing")
        return False
    return True


def check_enum(problems: Problems, value: Any, path: str, allowed: Collection[str]) -> str | None:
    """The value when it is one of ``allowed``; INVALID_VALUE_FOR_FIELD otherwise."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", path, f"{path} value {value!r} is not one of {sorted(allowed)}"
        )
        return None
    return value


def check_bool(problems: Problems, value: Any, path: str) -> None:
    """INVALID_VALUE_FOR_FIELD unless absent or a JSON boolean."""
    if value is not None and not isinstance(value, bool):
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must be a boolean")


def check_text(problems: Problems, value: Any, path: str, max_len: int | None = None) -> str | None:
    """A non-blank string no longer than ``max_len`` (FIELD_LENGTH_TOO_LONG, INVALID_VALUE_BLANK_FIELD)."""
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must be a string")
        return None
    if not value.strip():
        problems.add("INVALID_VALUE_BLANK_FIELD", path, f"{path} can't be blank")
        return None
    if max_len is not None and len(value) > max_len:
        problems.add(
            "FIELD_LENGTH_TOO_LONG",
            path,
            f"{path} length {len(value)} can't exceeded maximum {max_len} length",
        )
        return None
    return value


def check_urn(problems: Problems, value: Any, path: str, prefixes: tuple[str, ...]) -> str | None:
    """A URN starting with one of ``prefixes``; INVALID_VALUE_FOR_FIELD otherwise."""
    if value is None:
        return None
    if not isinstance(value, str) or not any(value.startswith(p) and len(value) > len(p) for p in prefixes):
        problems.add(
            "INVALID_VALUE_FOR_FIELD", path, f"{path} value {value!r} is not a valid {prefixes[0]}… URN"
        )
        return None
    return value


def numeric_urn(prefix: str, value: Any) -> int | None:
    """The id of ``prefix<digits>``, or None."""
    if isinstance(value, str) and value.startswith(prefix) and value[len(prefix) :].isdigit():
        return int(value[len(prefix) :])
    return None


def check_money(
    problems: Problems, value: Any, path: str, currency: str, *, minimum: Decimal | None = None
) -> Decimal | None:
    """Validate ``{amount: "<decimal>", currencyCode}``; normalises ``amount`` in place ("10.00" → "10")."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"amount", "currencyCode"}:
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must be {{amount, currencyCode}}")
        return None
    amount = _decimal(value["amount"])
    if amount is None:
        problems.add("INVALID_VALUE_FOR_FIELD", f"{path}/amount", f"{path}/amount must be a decimal string")
        return None
    if value["currencyCode"] != currency:
        problems.add(
            "CURRENCY_MISMATCH",
            f"{path}/currencyCode",
            f"The currency {value['currencyCode']} of the {path} "
            f"doesn't match the currency {currency} of the account.",
        )
        return None
    floor = Decimal(0) if minimum is None else minimum
    if amount < floor:
        problems.add(
            "FIELD_VALUE_TOO_LOW",
            f"{path}/amount",
            f"{path}/amount value {amount} can't be lower than {floor}",
        )
        return None
    value["amount"] = format_amount(amount)
    return amount


def _decimal(raw: Any) -> Decimal | None:
    if not isinstance(raw, str) or not re.fullmatch(r"-?\d+(\.\d+)?", raw.strip()):
        return None
    try:
        return Decimal(raw.strip())
    except InvalidOperation:
        return None


def format_amount(amount: Decimal) -> str:
    """LinkedIn echoes amounts without trailing zeros: ``Decimal("1000.00")`` → ``"1000"``."""
    text = format(amount.normalize(), "f")
    return text if text != "-0" else "0"


def check_schedule(
    problems: Problems, value: Any, path: str = "runSchedule"
) -> tuple[int | None, int | None]:
    """``{start, end?}`` in epoch ms, start required, end exclusive and after start."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or not set(value) <= {"start", "end"}:
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must be {{start, end}} in epoch milliseconds")
        return None, None
    start, end = value.get("start"), value.get("end")
    for name, item in (("start", start), ("end", end)):
        if item is not None and (not isinstance(item, int) or isinstance(item, bool) or item < 0):
            problems.add(
                "INVALID_VALUE_FOR_FIELD", f"{path}/{name}", f"{path}/{name} must be epoch milliseconds"
            )
            return None, None
    if start is None:
        problems.add("MISSING_FIELD", f"{path}/start", f"{path}/start is required but missing")
    elif end is not None and end <= start:
        problems.add("START_DATE_AFTER_END_DATE", f"{path}/end", f"{path}/start must be before {path}/end")
    return start, end


def check_start_not_past(problems: Problems, ctx: Ctx, start: int | None, entity_name: str) -> None:
    """DATE_TOO_EARLY when a first activation would start before now (minus the tolerance)."""
    earliest = ctx.now_ms - ctx.settings.start_tolerance_ms
    if start is not None and start < earliest:
        problems.add(
            "DATE_TOO_EARLY",
            "runSchedule/start",
            f"/{entity_name}/runSchedule/start value {start} must be no earlier than {earliest}",
        )


def check_passed_start(problems: Problems, ctx: Ctx, before: Entity, after: Entity) -> None:
    """DATE_IMMUTABLE_WHEN_PASSED: a non-draft schedule whose start has passed keeps its start."""
    old = (before.get("runSchedule") or {}).get("start")
    new = (after.get("runSchedule") or {}).get("start")
    if before.get("status") != "DRAFT" and isinstance(old, int) and old <= ctx.now_ms and new != old:
        problems.add(
            "DATE_IMMUTABLE_WHEN_PASSED", "runSchedule/start", "runSchedule/start can't change once passed"
        )


def apply_patch(entity: Entity, patch: Any) -> tuple[Entity, set[str]]:
    """Apply a Rest.li patch (``$set``, ``$delete``, nested field patches) to a copy of ``entity``.

    ``$unset`` removes fields like ``$delete``, given as a list of names or as an object whose keys
    are the names (``{"$unset": {"end": ""}}``): the form LinkedIn's campaign-management material
    shows next to ``$set`` (GUESS: Rest.li's own name is ``$delete``; both are accepted).

    Returns the patched copy and the top-level fields the patch touches. A malformed patch is a 400.
    """
    if not isinstance(patch, dict):
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "patch must be an object")
    result = copy.deepcopy(entity)
    touched: set[str] = set()
    _patch_into(result, patch, touched, top=True)
    return result, touched


def _patch_into(target: dict[str, Any], patch: dict[str, Any], touched: set[str], *, top: bool) -> None:
    for key, value in patch.items():
        if key == "$set":
            if not isinstance(value, dict):
                raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "$set must be an object")
            target.update(copy.deepcopy(value))
            names: Collection[str] = value.keys()
        elif key in ("$delete", "$unset"):
            if key == "$unset" and isinstance(value, dict):
                value = list(value)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ApiError(400, "INVALID_VALUE_FOR_FIELD", f"{key} must be a list of field names")
            for name in value:
                target.pop(name, None)
            names = value
        elif isinstance(value, dict):
            child = target.get(key)
            child = copy.deepcopy(child) if isinstance(child, dict) else {}
            _patch_into(child, value, set(), top=False)
            target[key] = child
            names = [key]
        else:
            raise ApiError(400, "INVALID_VALUE_FOR_FIELD", f"unsupported patch operation {key!r}")
        if top:
            touched.update(names)


def changed(before: Mapping[str, Any], after: Mapping[str, Any], name: str) -> bool:
    """Whether a patch changed field ``name`` (setting the same value is not a change)."""
    return before.get(name) != after.get(name)
