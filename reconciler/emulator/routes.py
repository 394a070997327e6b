"""Rest.li routing: which resource, key and method a ``/rest/`` request names.

Owns: resolving paths (keys percent-decoded; creative URNs, raw or encoded; compound keys),
parsing the query (protocol 2.0 when ``X-Restli-Protocol-Version: 2.0.0``, else 1.0), deciding the
Rest.li method from the verb, the URL shape and ``X-RestLi-Method`` (required where LinkedIn says
so), and rendering any failure in the envelope of the resource it concerns. The methods
themselves are in ``methods``; ``adAccountUsers`` in ``users``; ``organizationAcls`` in ``orgs``.

Must not: touch auth, versions, faults or transports (``core`` does), nor entity rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.emulator import access, insights, methods, orgs, toplevel, users
from reconciler.emulator.errors import ApiError, Envelope, classic, not_found, param_invalid
from reconciler.emulator.resources import ACCOUNTS, CREATIVES, SCOPED, Resource, Scope
from reconciler.emulator.restli import Params, RestliSyntaxError, decode, parse_query
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind
from reconciler.emulator.wire import Call, Reply, error_reply

BY_VERB = {
    "GET": frozenset({"GET", "BATCH_GET", "FINDER", "GET_ALL", "BATCH_FINDER"}),
    "POST": frozenset({"CREATE", "BATCH_CREATE", "PARTIAL_UPDATE", "BATCH_PARTIAL_UPDATE", "ACTION"}),
    "PUT": frozenset({"UPDATE", "BATCH_UPDATE"}),
    "DELETE": frozenset({"DELETE", "BATCH_DELETE"}),
}
NEEDS_KEY = frozenset({"GET", "PARTIAL_UPDATE", "DELETE", "UPDATE"})
NEEDS_IDS = frozenset({"BATCH_GET", "BATCH_PARTIAL_UPDATE", "BATCH_DELETE", "BATCH_UPDATE"})
# Rest.li requires the header for these; LinkedIn adds PARTIAL_UPDATE (reference §2.5).
HEADER_REQUIRED = frozenset({"BATCH_CREATE", "PARTIAL_UPDATE", "BATCH_PARTIAL_UPDATE"})
# LinkedIn's creative docs say the header "must be included" for these (enforced, INFERRED).
CREATIVE_HEADER_REQUIRED = frozenset({"FINDER", "DELETE"})


@dataclass
class _Target:
    resource: Resource | None  # None: adAccountUsers (or organizationAcls, ``acls``)
    account: Entity | None
    key: str | None
    acls: bool = False


def dispatch(ctx: Ctx, call: Call) -> Reply:
    """Answer one ``/rest/`` call; every failure becomes an error reply in the right envelope."""
    envelope = Envelope.CLASSIC
    try:
        if insights.handles(call.path):  # targeting, audience, pricing, analytics: read-only finders
            return insights.answer(ctx, call)
        content = toplevel.resolve(call.path)
        if content is not None:
            return _content(ctx, call, content)
        target = _resolve(ctx, call.path)
        if target.resource is not None:
            envelope = target.resource.envelope
        params = _params(call)
        method = restli_method(call, target, params)
        _check_access(ctx, call, target, method)
        if target.acls:
            return orgs.answer(ctx, method, params)
        if target.resource is None:
            return users.answer(ctx, method, target.key, params, call.body)
        reply = methods.run(Scope(ctx, target.resource, target.account), method, target.key, params, call)
        if target.resource is ACCOUNTS and 200 <= reply.status < 300:
            access.count_test_accounts(ctx, call.body, method)
        return reply
    except ApiError as error:
        return error_reply(error, envelope)


def _content(ctx: Ctx, call: Call, content: toplevel.Target) -> Reply:
    """Images, videos, documents, posts, inMailContents, conversationAds (``toplevel``)."""
    params = _params(call)
    method = restli_method(call, _Target(None, None, content.key), params, optional=toplevel.HEADER_OPTIONAL)
    toplevel.check_scope(ctx, content, method, call)
    return toplevel.run(ctx, content, method, params, call)


def _check_access(ctx: Ctx, call: Call, target: _Target, method: str) -> None:
    """Scopes on every call; the member's role and the access tier on every write (``access``)."""
    write = method not in BY_VERB["GET"]
    access.check_scope(ctx, call.method, call.path.removeprefix("/rest"), write)
    if not write or target.resource is None:
        return
    account = target.account
    if target.resource is ACCOUNTS and target.key is not None and target.key.isdigit():
        account = ctx.store.get(Kind.ACCOUNT, int(target.key), int(target.key))
    role = None if account is None else users.role_of(ctx, account)
    access.check_write(ctx, target.resource.kind, account, role)
    if target.resource is CREATIVES:
        orgs.check_sponsor(ctx, account, call.body, method)
    if target.resource is ACCOUNTS and target.key is None:
        access.check_account_create(ctx, call.body, method)


def _resolve(ctx: Ctx, raw_path: str) -> _Target:
    raw = raw_path.split("/")[2:]
    if raw == [orgs.SECTION]:
        return _Target(None, None, None, acls=True)
    if raw and raw[0] == "adAccountUsers" and len(raw) <= 2:
        # The compound key stays raw: parse_value decodes its primitives itself.
        return _Target(None, None, raw[1] if len(raw) == 2 else None)
    segments = [decode(s, "path") for s in raw]
    if not segments or segments[0] != "adAccounts" or any(not s for s in segments) or len(segments) > 4:
        raise classic(404, f"No resource found for {raw_path}")
    if len(segments) <= 2:
        return _Target(ACCOUNTS, None, segments[1] if len(segments) == 2 else None)
    resource = SCOPED.get(segments[2])
    if resource is None:
        raise classic(404, f"No resource found for {raw_path}")
    account = (
        ctx.store.get(Kind.ACCOUNT, int(segments[1]), int(segments[1])) if segments[1].isdigit() else None
    )
    if account is None:
        raise not_found(f"Ad account {segments[1]}")
    return _Target(resource, account, segments[3] if len(segments) == 4 else None)


def _params(call: Call) -> Params:
    v2 = call.headers.get("x-restli-protocol-version", "").strip().startswith("2.")
    try:
        return parse_query(call.query, v2=v2)
    except RestliSyntaxError as exc:
        raise param_invalid(exc.param or "query") from None


def restli_method(
    call: Call, target: _Target, params: Params, *, optional: frozenset[str] = frozenset()
) -> str:
    """The Rest.li method: ``X-RestLi-Method`` when sent (and consistent), else inferred; the
    header may be left out for the methods in ``optional`` even where the ads resources need it."""
    has_key, has_ids = target.key is not None, "ids" in params
    header = call.headers.get("x-restli-method", "").strip().upper()
    if call.method not in BY_VERB:
        raise classic(405, f"HTTP method {call.method} is not supported")
    method = header or _infer(call.method, has_key, has_ids, "q" in params, "action" in params)
    if method not in BY_VERB[call.method]:
        raise classic(400, f"X-RestLi-Method {method} does not match HTTP method {call.method}")
    shape_ok = (
        (method in NEEDS_KEY) == has_key
        and (method not in NEEDS_IDS or has_ids)
        and (method != "FINDER" or "q" in params)
        and (method != "ACTION" or "action" in params)
    )
    if not shape_ok:
        raise classic(400, f"the request URL does not fit X-RestLi-Method {method}")
    required = HEADER_REQUIRED | (CREATIVE_HEADER_REQUIRED if target.resource is CREATIVES else frozenset())
    required -= optional
    if not header and method in required:
        raise classic(400, f"the X-RestLi-Method header is required for {method}")
    return method


def _infer(verb: str, has_key: bool, has_ids: bool, has_q: bool, has_action: bool) -> str:
    if verb == "GET":
        return "GET" if has_key else "BATCH_GET" if has_ids else "FINDER" if has_q else "GET_ALL"
    if verb == "POST":
        return (
            "ACTION"
            if has_action
            else "PARTIAL_UPDATE"
            if has_key
            else "BATCH_PARTIAL_UPDATE"
            if has_ids
            else "CREATE"
        )
    if verb == "PUT":
        return "UPDATE" if has_key else "BATCH_UPDATE"
    return "DELETE" if has_key else "BATCH_DELETE"
