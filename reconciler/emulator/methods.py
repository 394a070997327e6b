"""Rest.li methods over one resource: CREATE, BATCH_CREATE, GET, BATCH_GET, FINDER, PARTIAL_UPDATE,
BATCH_PARTIAL_UPDATE, DELETE, BATCH_DELETE, and the creatives' ``createInline`` action.

Owns: the request and response shapes of each method (reference §2.4): 201 with an empty body and
the id in ``x-restli-id``/``x-linkedin-id``; 204 for updates and deletes; batch maps keyed by
reduced-encoded ids (``{"results","statuses","errors"}``); BATCH_CREATE index-aligned with a status,
and an id or an error, per element; ``fields`` projections on everything that returns entities.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reconciler.emulator import jsontext, posts
from reconciler.emulator.errors import ApiError, classic, param_invalid, render
from reconciler.emulator.resources import CREATIVES, Resource, Scope
from reconciler.emulator.restli import (
    Params,
    Projection,
    RestliSyntaxError,
    decode,
    parse_projection,
    project,
)
from reconciler.emulator.store import Entity
from reconciler.emulator.wire import Call, Reply, unsupported

SUPPORTED = frozenset(
    {
        "CREATE",
        "BATCH_CREATE",
        "GET",
        "BATCH_GET",
        "FINDER",
        "PARTIAL_UPDATE",
        "BATCH_PARTIAL_UPDATE",
        "DELETE",
        "BATCH_DELETE",
    }
)


def run(scope: Scope, method: str, key: str | None, params: Params, call: Call) -> Reply:
    """Answer ``method`` on ``scope``'s resource; 405 for methods the ads resources do not offer."""
    resource = scope.resource
    if method == "ACTION" and resource is CREATIVES and params.get("action") == "createInline":
        return _create_inline(scope, call.body)
    if method not in SUPPORTED:
        raise unsupported(method, resource.name)
    return _HANDLERS[method](scope, key, params, call)


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
    """``?action=createInline``: create the post of ``inlineContent.post`` and the creative
    referencing it, in one call (both or neither).

    The post is validated as ``POST /rest/posts`` would; a DSC post without
    ``adContext.dscAdAccount`` belongs to the account of the path. GUESS (reference §5, docs/
    emulator.md): the response is a Rest.li action value ``{"value": {"creative": …, "post": …}}``
    with the creative URN in ``x-restli-id`` too, so a client reading either finds it.
    """
    body = _json_object(raw)
    creative = body.get("creative")
    inline = creative.get("inlineContent") if isinstance(creative, dict) else None
    if set(body) != {"creative"} or not isinstance(inline, dict):
        raise ApiError(
            400, "INVALID_VALUE_FOR_FIELD", 'createInline takes {"creative": {..., "inlineContent": {...}}}'
        )
    assert isinstance(creative, dict)
    if "content" in creative:
        raise ApiError(400, "FIELD_NOT_ALLOWED", "createInline takes inlineContent, not content")
    post_body = inline.get("post") if set(inline) == {"post"} else inline
    post = posts.create(scope.ctx, post_body, default_account=scope.account_id)
    fields = {k: v for k, v in creative.items() if k != "inlineContent"}
    try:
        new = scope.create({**fields, "content": {"reference": post}})
    except ApiError:
        posts.delete(scope.ctx, post)  # neither: the memory store has no rollback of its own
        raise
    value = {"creative": scope.resource.key_text(new), "post": post}
    return Reply(200, {"value": value}, _created_headers(scope, new))


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


def _parsed(raw: bytes | str) -> Any:
    """A request body's value; 400 when it is not JSON or holds a value no API field can."""
    try:
        return jsontext.parse_body(raw)
    except jsontext.Unrepresentable as error:
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", f"the request body holds {error}") from None
    except ValueError:
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "the request body is not valid JSON") from None


def _json_object(raw: bytes) -> dict[str, Any]:
    value = _parsed(raw)
    if not isinstance(value, dict):
        raise ApiError(400, "INVALID_VALUE_FOR_FIELD", "the request body must be a JSON object")
    return value
