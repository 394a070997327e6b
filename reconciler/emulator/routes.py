"""Rest.li framing: which resource and method a request names, and the response it gets.

Owns: resolving ``/rest/…`` paths (keys percent-decoded; creative URNs; compound keys), deciding
the Rest.li method from the verb, the URL shape and ``X-RestLi-Method`` (required where LinkedIn
says so), batch request/response maps keyed by reduced-encoded ids, BATCH_CREATE index alignment,
``fields`` projections, and rendering errors in the envelope of the resource that raised them.

Must not: touch auth, versions, faults or transports (``core`` does), nor entity rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.emulator.errors import ApiError, Envelope, classic, not_found, param_invalid, render
from reconciler.emulator.paging import index_page
from reconciler.emulator.present import account_urn
from reconciler.emulator.resources import ACCOUNTS, CREATIVES, SCOPED, Resource, Scope
from reconciler.emulator.restli import (
    Params,
    Projection,
    RestliSyntaxError,
    decode,
    parse_projection,
    parse_query,
    parse_value,
    project,
)
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, urn_id

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
SUPPORTED = frozenset(
    [
        "CREATE",
        "BATCH_CREATE",
        "GET",
        "BATCH_GET",
        "FINDER",
        "PARTIAL_UPDATE",
        "BATCH_PARTIAL_UPDATE",
        "DELETE",
        "BATCH_DELETE",
    ]
)
WRITE_METHODS = frozenset(BY_VERB["POST"] | BY_VERB["PUT"] | BY_VERB["DELETE"])


@dataclass(frozen=True)
class Reply:
    """A response before serialisation: status, JSON body (None for empty), extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """A request after tunnelling is undone: effective verb, raw path and query, headers, body."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes


@dataclass
class _Target:
    resource: Resource | None  # None: adAccountUsers
    account: Entity | None
    key: str | None


def dispatch(ctx: Ctx, call: Call) -> Reply:
    """Answer one ``/rest/`` call; every failure becomes an error reply in the right envelope."""
    envelope = Envelope.CLASSIC
    try:
        target = _resolve(ctx, call.path)
        if target.resource is not None:
            envelope = target.resource.envelope
        params = _params(call)
        method = restli_method(call, target, params)
        if target.resource is None:
            return _users(ctx, method, target, params)
        return _run(Scope(ctx, target.resource, target.account), method, target.key, params, call)
    except ApiError as error:
        return error_reply(error, envelope)


def error_reply(error: ApiError, envelope: Envelope) -> Reply:
    """The reply for ``error`` in ``envelope``, flagged as a Rest.li error response."""
    return Reply(error.status, render(error, envelope), {"X-RestLi-Error-Response": "true", **error.headers})


def _resolve(ctx: Ctx, raw_path: str) -> _Target:
    raw = raw_path.split("/")[2:]
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


def restli_method(call: Call, target: _Target, params: Params) -> str:
    """The Rest.li method: ``X-RestLi-Method`` when sent (and consistent), else inferred."""
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


def _unsupported(method: str, name: str) -> ApiError:
    return classic(405, f"{method} is not supported by the {name} resource")


def _run(scope: Scope, method: str, key: str | None, params: Params, call: Call) -> Reply:
    resource = scope.resource
    if method == "ACTION" and resource is CREATIVES and params.get("action") == "createInline":
        return _create_inline(scope, call.body)
    if method not in SUPPORTED:
        raise _unsupported(method, resource.name)
    handler = _HANDLERS[method]
    return handler(scope, key, params, call)


def _create(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    new = scope.create(call.body)
    return Reply(201, None, _created_headers(scope, new))


def _created_headers(scope: Scope, key: int) -> dict[str, str]:
    # Both names: x-restli-id is protocol 2.0's, x-linkedin-id 1.0's; LinkedIn often sends both.
    text = scope.resource.key_text(key)
    location = f"/rest/{scope.resource.name}/{scope.resource.map_key(key)}"
    if scope.account is not None:
        location = f"/rest/adAccounts/{scope.account_id}/{scope.resource.name}/{scope.resource.map_key(key)}"
    return {"x-restli-id": text, "x-linkedin-id": text, "Location": location}


def _batch_create(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    body = _json_object(call.body)
    elements = body.get("elements")
    if set(body) != {"elements"} or not isinstance(elements, list):
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", 'a batch create body is {"elements": [...]}')
    out = []
    for element in elements:
        try:
            new = scope.create(element)
        except ApiError as error:
            out.append({"status": error.status, "error": render(error, scope.resource.envelope)})
        else:
            out.append({"status": 201, "id": scope.resource.key_text(new)})
    return Reply(200, {"elements": out})


def _get(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    assert key is not None
    return Reply(200, _project(scope.get(scope.resource.parse_key(key)), params))


def _batch_get(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    results, statuses, errors = {}, {}, {}
    for k in _ids(scope.resource, params):
        try:
            results[scope.resource.map_key(k)] = _project(scope.get(k), params)
            statuses[scope.resource.map_key(k)] = 200
        except ApiError as error:
            errors[scope.resource.map_key(k)] = render(error, scope.resource.envelope)
    return Reply(200, {"results": results, "statuses": statuses, "errors": errors})


def _finder(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    if params.get("q") != scope.resource.finder:
        raise param_invalid("q")
    body = scope.find(params)
    body["elements"] = [_project(e, params) for e in body["elements"]]
    return Reply(200, body)


def _partial_update(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    assert key is not None
    scope.update(scope.resource.parse_key(key), call.body)
    return Reply(204)


def _batch_partial_update(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    wanted = _ids(scope.resource, params)
    body = _json_object(call.body)
    entities = body.get("entities")
    if set(body) != {"entities"} or not isinstance(entities, dict):
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", 'a batch partial update body is {"entities": {...}}')
    by_key = {scope.resource.parse_key(decode(k, "entities")): v for k, v in entities.items()}
    if set(by_key) != set(wanted):
        raise classic(400, "the keys of the body's entities do not match the ids of the URL")
    return _per_key(scope, wanted, lambda k: scope.update(k, by_key[k]))


def _delete(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    assert key is not None
    scope.delete(scope.resource.parse_key(key))
    return Reply(204)


def _batch_delete(scope: Scope, key: str | None, params: Params, call: Call) -> Reply:
    return _per_key(scope, _ids(scope.resource, params), scope.delete)


def _per_key(scope: Scope, keys: list[int], operation: Callable[[int], None]) -> Reply:
    results, errors = {}, {}
    for k in keys:
        try:
            operation(k)
        except ApiError as error:
            errors[scope.resource.map_key(k)] = render(error, scope.resource.envelope)
        else:
            results[scope.resource.map_key(k)] = {"status": 204}
    return Reply(200, {"results": results, "errors": errors})


_HANDLERS: dict[str, Callable[[Scope, str | None, Params, Call], Reply]] = {
    "CREATE": _create,
    "BATCH_CREATE": _batch_create,
    "GET": _get,
    "BATCH_GET": _batch_get,
    "FINDER": _finder,
    "PARTIAL_UPDATE": _partial_update,
    "BATCH_PARTIAL_UPDATE": _batch_partial_update,
    "DELETE": _delete,
    "BATCH_DELETE": _batch_delete,
}


def _create_inline(scope: Scope, raw: bytes) -> Reply:
    """``?action=createInline``: the post is "created" as a share URN, then the creative.

    The response shape is undocumented (reference §5); the emulator answers as a Rest.li action
    ({"value": …}) and also sets ``x-restli-id``, so a client reading either finds the id.
    """
    body = _json_object(raw)
    creative = body.get("creative")
    if (
        set(body) != {"creative"}
        or not isinstance(creative, dict)
        or not isinstance(creative.get("inlineContent"), dict)
    ):
        raise ApiError(
            400, "INVALID_VALUE_FOR_FIELD", 'createInline takes {"creative": {..., "inlineContent": {...}}}'
        )
    share = f"urn:li:share:{7_000_000_000_000_000_000 + scope.ctx.now_ms % 10**12}"
    fields = {k: v for k, v in creative.items() if k != "inlineContent"}
    new = scope.create({**fields, "content": {"reference": share}})
    value = {"creative": scope.resource.key_text(new), "post": share}
    return Reply(200, {"value": value}, _created_headers(scope, new))


def _users(ctx: Ctx, method: str, target: _Target, params: Params) -> Reply:
    """``adAccountUsers``: the caller holds ACCOUNT_BILLING_ADMIN on every account (emulator rule)."""
    if method == "FINDER":
        if params.get("q") != "authenticatedUser":
            raise param_invalid("q")

        def scan(after: int | None) -> Any:
            for key, account in ctx.store.scan(Kind.ACCOUNT, None):
                yield key, _user_record(ctx, account)

        return Reply(200, index_page(params, scan))
    if method == "GET" and target.key is not None:
        try:
            key = parse_value(target.key, "key")
        except RestliSyntaxError:
            raise param_invalid("key") from None
        if not isinstance(key, dict) or set(key) != {"account", "user"}:
            raise param_invalid("key")
        account_id = urn_id(key["account"])
        account = None if account_id is None else ctx.store.get(Kind.ACCOUNT, account_id, account_id)
        if account is None or key["user"] != ctx.actor:
            raise classic(404, "No such ad account user")
        return Reply(200, _user_record(ctx, account))
    raise _unsupported(method, "adAccountUsers")


def _user_record(ctx: Ctx, account: Entity) -> Entity:
    return {
        "account": account_urn(int(account["id"])),
        "user": ctx.actor,
        "role": "ACCOUNT_BILLING_ADMIN",
        "changeAuditStamps": account.get("changeAuditStamps", {}),
        "version": {"versionTag": "1"},
    }


def _ids(resource: Resource, params: Params) -> list[int]:
    raw = params.get("ids")
    items = [raw] if isinstance(raw, str) and not raw.startswith(("List(", "(")) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise param_invalid("ids")
    try:
        return [resource.parse_key(str(i)) for i in items]
    except ApiError:
        raise param_invalid("ids") from None


def _project(entity: Entity, params: Params) -> Entity:
    raw = params.get("fields")
    if not isinstance(raw, str):
        return entity
    try:
        projection: Projection = parse_projection(raw)
    except RestliSyntaxError:
        raise param_invalid("fields") from None
    return project(entity, projection)


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"null")
    except ValueError:
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "the request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "the request body must be a JSON object")
    return value
