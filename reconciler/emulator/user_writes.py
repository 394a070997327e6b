"""Writes of ``adAccountUsers`` by compound key ``(account:…,user:…)`` (Ad Account Users API page).

- CREATE (an upsert): ``PUT /rest/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A1,``
  ``user:urn%3Ali%3Aperson%3Aa)`` with ``{"account","user","role"}`` → 201 when the member had
  no role on the account, 204 when the role is replaced (GUESS: the docs show the 201; the 204
  of a replaced role is Rest.li's UPDATE answer);
- PARTIAL_UPDATE ``{"patch":{"$set":{"role":…}}}`` → 204; DELETE → 204; a member without a role on
  the account → 404.

Who may: a member holding ACCOUNT_BILLING_ADMIN or ACCOUNT_MANAGER on the account (the role table:
those two "manage user access for the account"); any other role gets the 403
``NO_PERMISSION_ON_ENTITY`` the other writes use. Errors use the classic envelope, as the
resource's reads do. An account not seeded with users gets its users stored on the first write:
the caller in the configured role, then the change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reconciler.emulator import jsontext
from reconciler.emulator.errors import ApiError, classic, param_invalid, refusal
from reconciler.emulator.restli import RestliSyntaxError, decode, parse_value, reduced_encode
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, Store, urn_id
from reconciler.emulator.wire import Reply

ADMIN_ROLES = frozenset({"ACCOUNT_BILLING_ADMIN", "ACCOUNT_MANAGER"})
_BODY_FIELDS = frozenset({"account", "user", "role"})
_READ_ONLY = frozenset({"changeAuditStamps", "version"})


# The documented account roles (account-access-controls page, reference §1).
ROLES = frozenset(
    {"ACCOUNT_BILLING_ADMIN", "ACCOUNT_MANAGER", "CAMPAIGN_MANAGER", "CREATIVE_MANAGER", "VIEWER"}
)
# Members appear as person URNs, and in some responses as member URNs (reference §12.3).
MEMBER = re.compile(r"^urn:li:(person|member):[A-Za-z0-9_-]+$")
UsersOf = Callable[[Ctx, Entity], list[Entity]]
Save = Callable[[Store, int, list[Entity]], None]


def check_role(role: Any) -> None:
    """400 unless ``role`` is one of the documented account roles."""
    if not isinstance(role, str) or role not in ROLES:
        raise classic(400, f"role must be one of {', '.join(sorted(ROLES))}")


def write(ctx: Ctx, method: str, key: str, body: bytes, users_of: UsersOf, save: Save) -> Reply:
    """Answer CREATE (PUT), PARTIAL_UPDATE or DELETE of one account user; ``users_of`` and ``save``
    read and store an account's users (``users``)."""
    account, member = _key(ctx, key)
    records = users_of(ctx, account)
    _check_admin(ctx, account, records)
    index = next((i for i, r in enumerate(records) if r.get("user") == member), None)
    if method == "DELETE":
        if index is None:
            raise classic(404, "No such ad account user")
        del records[index]
        save(ctx.store, int(account["id"]), records)
        return Reply(204)
    value = _object(body)
    if method == "PARTIAL_UPDATE":
        if index is None:
            raise classic(404, "No such ad account user")
        role = _patched_role(value, records[index])
    else:
        _check_record(value, account, member)
        role = value["role"]
    check_role(role)
    if not MEMBER.match(member):
        raise classic(400, "user must be a urn:li:person or urn:li:member URN")
    record = _record(ctx, account, member, role, None if index is None else records[index])
    if index is None:
        records.append(record)
    else:
        records[index] = record
    save(ctx.store, int(account["id"]), records)
    if index is None:
        created = f"(account:{reduced_encode(record['account'])},user:{reduced_encode(member)})"
        # The access-controls page shows {account, role, user} as the PUT's sample response.
        shown = {name: record[name] for name in ("account", "role", "user")}
        return Reply(201, shown, {"x-restli-id": created, "x-linkedin-id": created})
    return Reply(204)


def compound_key(key: str) -> dict[str, str]:
    """``{"account", "user"}`` of a path key: the 2.0 ``(account:urn%3A…,user:urn%3A…)``, the form
    the docs' samples print, ``(account=urn:li:sponsoredAccount:1,user=urn:li:person:a)``, or the 1.0
    ``account=…&user=…`` (accepted whatever the protocol header: GUESS); PARAM_INVALID otherwise."""
    try:
        if key.startswith("(") and "=" not in key:
            record = parse_value(key, "key")
        else:
            inner = key[1:-1] if key.startswith("(") and key.endswith(")") else key
            pairs = [part.partition("=") for part in inner.replace("&", ",").split(",")]
            record = {decode(name, "key"): decode(value, "key") for name, _, value in pairs}
    except RestliSyntaxError:
        raise param_invalid("key") from None
    if not isinstance(record, dict) or set(record) != {"account", "user"}:
        raise param_invalid("key")
    if not all(isinstance(value, str) for value in record.values()):
        raise param_invalid("key")
    return {name: str(value) for name, value in record.items()}


def _key(ctx: Ctx, key: str) -> tuple[Entity, str]:
    record = compound_key(key)
    account_urn, member = record["account"], record["user"]
    account_id = urn_id(account_urn) if account_urn.startswith("urn:li:sponsoredAccount:") else None
    account = None if account_id is None else ctx.store.get(Kind.ACCOUNT, account_id, account_id)
    if account is None:
        raise classic(404, f"Ad account {account_urn} does not exist")
    return account, member


def _check_admin(ctx: Ctx, account: Entity, records: list[Entity]) -> None:
    role = next((str(r.get("role")) for r in records if r.get("user") == ctx.actor), None)
    # A member absent from a seeded account's users is not role-checked (docs/emulator.md 33).
    if role is not None and role not in ADMIN_ROLES:
        raise ApiError(
            403,
            "NO_PERMISSION_ON_ENTITY",
            f"Viewer may not have permission WRITE_ACCOUNT_USER on entity {_urn(account)} (role {role})",
        )


def _object(body: bytes) -> dict[str, Any]:
    try:
        value = jsontext.parse_body(body)
    except ValueError:
        raise classic(400, "the request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise classic(400, "the request body must be a JSON object")
    return value


def _check_record(value: dict[str, Any], account: Entity, member: str) -> None:
    unknown = sorted(set(value) - _BODY_FIELDS - _READ_ONLY)
    if unknown:
        raise classic(400, f"{unknown[0]} is an unrecognized field and is not allowed")
    if "role" not in value:
        raise classic(400, "role is required but missing")
    # Reasons and messages of the account-users page's error table (classic validation envelope).
    if value.get("account", _urn(account)) != _urn(account):
        message = (
            f"The account ID {_urn(account)} in the query parameters doesn't match "
            f"the account ID {value.get('account')} in the body."
        )
        raise refusal("ACCOUNT_ID_MISMATCH_IN_PARAM_AND_BODY", "account", message)
    if value.get("user", member) != member:
        message = (
            f"The user ID {member} in the query parameters doesn't match "
            f"the user ID {value.get('user')} in the body."
        )
        raise refusal("USER_MISMATCH_IN_PARAM_AND_BODY", "user", message)


def _patched_role(value: dict[str, Any], current: Entity) -> Any:
    patch = value.get("patch")
    if set(value) != {"patch"} or not isinstance(patch, dict) or set(patch) - {"$set"}:
        raise classic(400, 'a partial update takes {"patch":{"$set":{"role":…}}}')
    fields = patch.get("$set", {})
    if not isinstance(fields, dict) or set(fields) - {"role"}:
        raise classic(400, "only role may be changed")  # account and user are the key
    return fields.get("role", current.get("role"))


def _record(ctx: Ctx, account: Entity, member: str, role: str, old: Entity | None) -> Entity:
    stamp = {"actor": ctx.actor, "time": ctx.now_ms}
    created = (old or {}).get("changeAuditStamps", {}).get("created", stamp)
    tag = str(((old or {}).get("version") or {}).get("versionTag", "0"))
    version = int(tag) + 1 if tag.isdigit() else 1
    return {
        "account": _urn(account),
        "user": member,
        "role": role,
        "changeAuditStamps": {"created": created, "lastModified": stamp},
        "version": {"versionTag": str(version)},
    }


def _urn(account: Entity) -> str:
    return f"urn:li:sponsoredAccount:{account['id']}"
