"""``adAccountUsers``: who may use which account (reference §3.1).

The emulator is single-tenant: the caller (the member its token maps to) holds
ACCOUNT_BILLING_ADMIN on every account in the store; nobody else holds a role.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.errors import classic, param_invalid
from reconciler.emulator.paging import index_page
from reconciler.emulator.present import account_urn
from reconciler.emulator.restli import Params, RestliSyntaxError, parse_value
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, urn_id
from reconciler.emulator.wire import Reply, unsupported


def answer(ctx: Ctx, method: str, key: str | None, params: Params) -> Reply:
    """``adAccountUsers``: the caller holds ACCOUNT_BILLING_ADMIN on every account (emulator rule)."""
    if method == "FINDER":
        if params.get("q") != "authenticatedUser":
            raise param_invalid("q")

        def scan(after: int | None, want: int | None = None) -> Any:
            for key, account in ctx.store.scan(Kind.ACCOUNT, None):
                yield key, _user_record(ctx, account)

        return Reply(200, index_page(params, scan))
    if method == "GET" and key is not None:
        try:
            record = parse_value(key, "key")
        except RestliSyntaxError:
            raise param_invalid("key") from None
        if not isinstance(record, dict) or set(record) != {"account", "user"}:
            raise param_invalid("key")
        account_id = urn_id(record["account"])
        account = None if account_id is None else ctx.store.get(Kind.ACCOUNT, account_id, account_id)
        if account is None or record["user"] != ctx.actor:
            raise classic(404, "No such ad account user")
        return Reply(200, _user_record(ctx, account))
    raise unsupported(method, "adAccountUsers")


def _user_record(ctx: Ctx, account: Entity) -> Entity:
    return {
        "account": account_urn(int(account["id"])),
        "user": ctx.actor,
        "role": "ACCOUNT_BILLING_ADMIN",
        "changeAuditStamps": account.get("changeAuditStamps", {}),
        "version": {"versionTag": "1"},
    }
