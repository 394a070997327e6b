"""``adAccountUsers``: who may use which account (reference §3.1).

Finders: ``q=accounts`` (the users of the first account named by ``accounts``: a 2.0 ``List(…)``
of encoded URNs, one raw URN, or the 1.0 ``accounts[0]=…`` form; only the caller unless they manage
the account) and ``q=authenticatedUser`` (the
caller's own roles), both paged by ``start``/``count`` with ``paging.links``; GET by the compound
key ``(account:…,user:…)``; CREATE (PUT), PARTIAL_UPDATE and DELETE by that key (``user_writes``).

Who holds a role: an account seeded with users (``emulator seed --from``, section
``adAccountUsers``) has exactly those, returned as seeded. Any other account follows the
emulator's single-tenant rule: the caller (the member its token maps to) holds the configured role
(``Settings.role``, ACCOUNT_MANAGER unless ``emulator serve --role`` says otherwise) on it and
nobody else holds a role.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reconciler.emulator import user_writes
from reconciler.emulator.errors import classic, param_invalid
from reconciler.emulator.finders import list_param
from reconciler.emulator.paging import index_page
from reconciler.emulator.present import account_urn
from reconciler.emulator.restli import Params
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, Store, urn_id
from reconciler.emulator.user_writes import MEMBER as _MEMBER
from reconciler.emulator.user_writes import ROLES as ROLES
from reconciler.emulator.wire import Reply, unsupported

_ACCOUNT = re.compile(r"^urn:li:sponsoredAccount:\d+$")
# Rest.li method -> write: the docs create a user with PUT on its key (an UPDATE that upserts).
WRITES = {"UPDATE": "CREATE", "PARTIAL_UPDATE": "PARTIAL_UPDATE", "DELETE": "DELETE"}


def check_record(record: Entity) -> str | None:
    """What is wrong with a seeded account user, or None."""
    if not isinstance(record.get("account"), str) or not _ACCOUNT.match(record["account"]):
        return "account must be a urn:li:sponsoredAccount URN"
    if not isinstance(record.get("user"), str) or not _MEMBER.match(record["user"]):
        return "user must be a urn:li:person or urn:li:member URN"
    role = record.get("role")
    if not isinstance(role, str) or role not in ROLES:
        return f"role must be one of {', '.join(sorted(ROLES))}"
    return None


def store_users(store: Store, account: int, records: list[Entity]) -> None:
    """Replace the users of ``account`` with ``records`` (kept as given)."""
    store.set_meta(f"users:{account}", json.dumps(records))


def _seeded(store: Store, account: int) -> list[Entity] | None:
    raw = store.get_meta(f"users:{account}")
    return None if raw is None else list(json.loads(raw))


def users_of(ctx: Ctx, account: Entity) -> list[Entity]:
    """The users of one account: as seeded, else the caller in the configured role."""
    seeded = _seeded(ctx.store, int(account["id"]))
    return seeded if seeded is not None else [_caller_record(ctx, account)]


def role_of(ctx: Ctx, account: Entity) -> str | None:
    """The caller's role on ``account``; None when the account is seeded without the caller."""
    for user in users_of(ctx, account):
        if user.get("user") == ctx.actor:
            return str(user.get("role"))
    return None


def answer(ctx: Ctx, method: str, key: str | None, params: Params, body: bytes = b"") -> Reply:
    """Answer one ``adAccountUsers`` call (FINDER, GET, or a write by key: ``user_writes``)."""
    if method == "FINDER":
        finder = params.get("q")
        if finder == "accounts":
            rows = _by_accounts(ctx, params)
        elif finder == "authenticatedUser":
            rows = [
                u
                for _, a in ctx.store.scan(Kind.ACCOUNT, None)
                for u in users_of(ctx, a)
                if u["user"] == ctx.actor
            ]
        else:
            raise param_invalid("q")

        def scan(after: int | None, want: int | None = None) -> Any:
            yield from enumerate(rows)

        return Reply(200, index_page(params, scan))
    if method == "GET" and key is not None:
        return Reply(200, _get(ctx, key))
    if method in WRITES and key is not None:
        return user_writes.write(ctx, WRITES[method], key, body, users_of, store_users)
    raise unsupported(method, "adAccountUsers")


def _by_accounts(ctx: Ctx, params: Params) -> list[Entity]:
    """The users of the first account named (account-users page: the finder "only returns
    matching results of the first account ID … even if there are multiple"); a caller who does
    not manage the account sees only themselves (access-controls page: "the authenticated user
    can only view themselves unless they're an account manager")."""
    accounts = list_param(params, "accounts")
    if not accounts:
        raise param_invalid("accounts")
    for urn in accounts:
        if not _ACCOUNT.match(urn):
            raise param_invalid("accounts", urn)
    account_id = urn_id(accounts[0])
    assert account_id is not None
    account = ctx.store.get(Kind.ACCOUNT, account_id, account_id)
    if account is None:  # GUESS: an account nobody can see has no users to list
        return []
    rows = users_of(ctx, account)
    role = role_of(ctx, account)
    if role is None or role in user_writes.ADMIN_ROLES:  # no role: not checked (docs/emulator.md 33)
        return rows
    return [row for row in rows if row.get("user") == ctx.actor]


def _get(ctx: Ctx, key: str) -> Entity:
    record = user_writes.compound_key(key)
    account_id = urn_id(record["account"])
    account = None if account_id is None else ctx.store.get(Kind.ACCOUNT, account_id, account_id)
    if account is not None:
        for user in users_of(ctx, account):
            if user.get("user") == record["user"]:
                return user
    raise classic(404, "No such ad account user")


def _caller_record(ctx: Ctx, account: Entity) -> Entity:
    return {
        "account": account_urn(int(account["id"])),
        "user": ctx.actor,
        "role": ctx.settings.role,
        "changeAuditStamps": account.get("changeAuditStamps", {}),
        "version": {"versionTag": "1"},
    }
