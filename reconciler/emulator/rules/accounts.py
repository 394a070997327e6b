"""Ad account rules (reference §3.1): create, patch, delete; the default campaign group link."""

from __future__ import annotations

from typing import Any

from reconciler.emulator.errors import Problems, refusal
from reconciler.emulator.rules import status as st
from reconciler.emulator.rules.common import (
    CURRENCIES,
    Ctx,
    apply_patch,
    changed,
    check_bool,
    check_enum,
    check_fields,
    check_urn,
    require,
)
from reconciler.emulator.rules.enums import ACCOUNT_TYPES
from reconciler.emulator.store import Entity, Kind, Store

NOTIFICATIONS = (
    "notifiedOnCampaignOptimization",
    "notifiedOnCreativeApproval",
    "notifiedOnCreativeRejection",
    "notifiedOnEndOfCampaign",
    "notifiedOnNewFeaturesEnabled",
)
WRITABLE = frozenset({"name", "currency", "reference", "status", "type", "test", *NOTIFICATIONS})
READ_ONLY = frozenset({"id", "servingStatuses", "changeAuditStamps", "version", "referenceInfo"})
CREATE_ONLY = ("test", "currency", "type")


def default_group_id(store: Store, account: int) -> int | None:
    """The id of the account's default campaign group (created with the account), if any."""
    value = store.get_meta(f"default_group:{account}")
    return int(value) if value is not None else None


def set_default_group(store: Store, account: int, group: int) -> None:
    """Remember which group is the account's default (exempt from the 2,000-campaign cap)."""
    store.set_meta(f"default_group:{account}", str(group))


def build(ctx: Ctx, body: Entity) -> Entity:
    """Validate a create body; the account to store (defaults applied, no id or stamps yet)."""
    problems = Problems()
    check_fields(problems, body.keys(), WRITABLE, READ_ONLY)
    entity: Entity = {
        "currency": "USD",
        "status": "ACTIVE",
        "test": False,
        **dict.fromkeys(NOTIFICATIONS, False),
    }
    entity.update({k: v for k, v in body.items() if k in WRITABLE})
    _validate(problems, entity)
    if entity.get("type") == "ENTERPRISE":
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "type", "only BUSINESS accounts can be created through the API"
        )
    if entity.get("status") in st.ACCOUNT_STATUSES - {"ACTIVE", "DRAFT"}:
        problems.add("INVALID_VALUE_FOR_FIELD", "status", "an account is created ACTIVE or DRAFT")
    problems.raise_if_any()
    return entity


def merge(ctx: Ctx, current: Entity, patch: Any) -> Entity:
    """Validate a patch against ``current``; the account to store."""
    problems = Problems()
    if current.get("status") in ("CANCELED", "PENDING_DELETION", "REMOVED"):
        st.check_frozen(problems, current["status"], "Account", current.get("id"))
        problems.raise_if_any()
    after, touched = apply_patch(current, patch)
    check_fields(problems, touched, WRITABLE, READ_ONLY)
    _validate(problems, after)
    for name in CREATE_ONLY:
        if changed(current, after, name):
            problems.add("FIELD_NOT_ALLOWED", name, f"{name} can only be set at creation")
    if changed(current, after, "reference") and ctx.store.count(Kind.CAMPAIGN, int(current["id"])) > 0:
        problems.add(
            "UPDATE_REFERENCE_NOT_ALLOWED",
            "reference",
            "reference can't be changed once the account has campaigns",
        )
    st.check_move(
        problems, st.ACCOUNT, current.get("status"), after.get("status"), code="INVALID_STATUS_TRANSITION"
    )
    problems.raise_if_any()
    return after


def check_delete(current: Entity) -> None:
    """Only DRAFT accounts can be deleted (DELETE_NOT_ALLOWED otherwise)."""
    if current.get("status") != "DRAFT":
        message = f"Cannot delete account {current.get('id')} if the account status is not DRAFT."
        raise refusal("DELETE_NOT_ALLOWED", "status", message)


def _validate(problems: Problems, entity: Entity) -> None:
    name = entity.get("name")
    if name is None:
        require(problems, entity, "name")
    elif not isinstance(name, str) or not name.strip():
        problems.add("BLANK_ACCOUNT_NAME", "name", "Account name can't be blank")
    if require(problems, entity, "type"):
        check_enum(problems, entity.get("type"), "type", ACCOUNT_TYPES)
    check_enum(problems, entity.get("status"), "status", st.ACCOUNT_STATUSES)
    currency = entity.get("currency")
    if currency is not None and currency not in CURRENCIES:
        problems.add("CURRENCY_NOT_SUPPORTED", "currency", f"currency {currency!r} is not supported")
    check_urn(problems, entity.get("reference"), "reference", ("urn:li:organization:", "urn:li:person:"))
    for flag in ("test", *NOTIFICATIONS):
        check_bool(problems, entity.get(flag), flag)
