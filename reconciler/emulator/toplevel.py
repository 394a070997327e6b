"""Routing and Rest.li framing of the content resources outside ``/rest/adAccounts``: ``images``,
``videos``, ``documents``, ``posts``, ``inMailContents`` and ``conversationAds`` (with
``conversationAds/{urn}/sponsoredMessageContents``).

Owns: which path names which of them, which Rest.li methods each offers (405 otherwise), and the
shapes of answers: 201 with the URN in ``x-restli-id``/``x-linkedin-id``; BATCH_GET maps keyed by
reduced-encoded URNs; actions answer ``{"value": …}``; ``fields`` projections on reads. Errors use
the classic envelope (these APIs do not use the new one). The rules are in ``media``, ``posts``
and ``messaging``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconciler.emulator import inmail, jsontext, media, messaging, posts
from reconciler.emulator.errors import ApiError, classic, param_invalid
from reconciler.emulator.inmail import CONVERSATION_PREFIX
from reconciler.emulator.restli import (
    Params,
    RestliSyntaxError,
    decode,
    parse_projection,
    project,
    reduced_encode,
)
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind
from reconciler.emulator.wire import Call, Reply, unsupported

NAMES = frozenset({*media.RESOURCES, "posts", "inMailContents", "conversationAds"})
MESSAGES = "sponsoredMessageContents"
# The content pages' update samples (Posts, InMail content, conversations, their messages) send no
# X-RestLi-Method: a POST to an entity is a PARTIAL_UPDATE, as Rest.li infers it.
HEADER_OPTIONAL = frozenset({"PARTIAL_UPDATE"})
_READS = frozenset({"GET", "BATCH_GET", "FINDER", "GET_ALL"})
# The OAuth scopes each call takes (LinkedIn's permissions-by-endpoint table): media and posts are
# Community Management permissions, not rw_ads (except the media library finder and uploads).
_MEDIA_WRITE = frozenset({"w_organization_social", "rw_ads", "w_member_social"})
_SCOPES: dict[tuple[str, bool], frozenset[str]] = {
    ("media", True): frozenset({"w_organization_social", "r_organization_social", "w_member_social"}),
    ("media", False): _MEDIA_WRITE,
    ("media-finder", True): frozenset({"w_organization_social", "rw_ads"}),
    ("posts", True): frozenset({"r_organization_social"}),
    ("posts", False): frozenset({"w_organization_social", "w_member_social"}),
    ("ads", True): frozenset({"r_ads", "rw_ads"}),
    ("ads", False): frozenset({"rw_ads"}),
}


@dataclass(frozen=True)
class Target:
    """A content resource path: the collection, the key (decoded), and for messages the conversation."""

    name: str
    key: str | None
    conversation: str | None = None


def resolve(raw_path: str) -> Target | None:
    """The content resource a ``/rest/`` path names; None when it is not one (404 when malformed)."""
    raw = raw_path.split("/")[2:]
    if not raw or raw[0] not in NAMES:
        return None
    segments = [decode(s, "path") for s in raw]
    if segments[0] == "conversationAds" and len(segments) > 1 and segments[1].isdigit():
        # GUESS: the Postman collection's message paths name the conversation by its number
        # (``/conversationAds/123456/sponsoredMessageContents``); it is the same key as its URN.
        segments[1] = f"{CONVERSATION_PREFIX}{segments[1]}"
    if any(not s for s in segments[1:]) or len(segments) > 4:
        raise classic(404, f"No resource found for {raw_path}")
    if len(segments) <= 2:
        return Target(segments[0], segments[1] if len(segments) == 2 else None)
    if segments[0] == "conversationAds" and segments[2] == MESSAGES:
        return Target(segments[0], segments[3] if len(segments) == 4 else None, segments[1])
    raise classic(404, f"No resource found for {raw_path}")


def check_scope(ctx: Ctx, target: Target, method: str, call: Call) -> None:
    """LinkedIn's 403 when the token holds none of the scopes the call takes (``--scopes``)."""
    held = ctx.settings.scopes
    if held is None:
        return
    group = "posts" if target.name == "posts" else "ads"
    if target.name in media.RESOURCES:
        group = "media-finder" if method == "FINDER" else "media"
    allowed = _SCOPES[(group, method in _READS)]
    if not allowed & held:
        path = call.path.removeprefix("/rest")
        raise classic(403, f"Not enough permissions to access: {call.method} {path}", service_code=100)


def run(ctx: Ctx, target: Target, method: str, params: Params, call: Call) -> Reply:
    """Answer ``method`` on ``target``."""
    if target.name in media.RESOURCES:
        return _media(ctx, media.RESOURCES[target.name], target, method, params, call)
    if target.name == "posts":
        return _posts(ctx, target, method, params, call)
    if target.conversation is not None:
        return _messages(ctx, target, method, params, call)
    return _messaging(ctx, target, method, params, call)


def _media(ctx: Ctx, kind: Kind, target: Target, method: str, params: Params, call: Call) -> Reply:
    action = params.get("action")
    if method == "ACTION" and action == "initializeUpload":
        return media.initialize(ctx, kind, _body(call))
    if method == "ACTION" and action == "finalizeUpload" and kind is Kind.VIDEO:
        return media.finalize(ctx, _body(call))
    if method == "GET" and target.key is not None:
        return Reply(200, _project(media.get(ctx, kind, target.key).body, params))
    if method == "BATCH_GET":
        return _projected_batch(media.batch_get(ctx, kind, params).body, params)
    if method == "FINDER":
        return _projected_finder(media.find(ctx, kind, params).body, params)
    if method == "PARTIAL_UPDATE" and target.key is not None and kind is not Kind.DOCUMENT:
        media.update(ctx, kind, target.key, _body(call))
        return Reply(204)
    raise unsupported(method if method != "ACTION" else f"action {action}", target.name)


def _posts(ctx: Ctx, target: Target, method: str, params: Params, call: Call) -> Reply:
    if method == "CREATE":
        return _created("posts", posts.create(ctx, _body(call)))
    if method == "GET" and target.key is not None:
        return Reply(200, _project(posts.get(ctx, target.key), params))
    if method == "BATCH_GET":
        return _projected_batch(posts.batch_get(ctx, params), params)
    if method == "FINDER":
        return _projected_finder(posts.find(ctx, params), params)
    if method == "PARTIAL_UPDATE" and target.key is not None:
        posts.update(ctx, target.key, _body(call))
        return Reply(204)
    if method == "DELETE" and target.key is not None:
        posts.delete(ctx, target.key)
        return Reply(204)
    raise unsupported(method, "posts")


def _messaging(ctx: Ctx, target: Target, method: str, params: Params, call: Call) -> Reply:
    is_inmail = target.name == "inMailContents"
    kind = Kind.INMAIL if is_inmail else Kind.CONVERSATION
    if is_inmail and target.key is not None:
        target = Target(target.name, inmail.inmail_urn(target.key))
    if method == "CREATE":
        make = inmail.create_inmail if is_inmail else messaging.create_conversation
        return _created(target.name, make(ctx, _body(call)))
    if method == "GET" and target.key is not None:
        find = inmail.inmail if is_inmail else messaging.conversation
        entity = find(ctx, target.key)
        if entity is None:
            raise ApiError(404, "NOT_FOUND", f"{target.key} does not exist")
        return Reply(200, _project(entity, params))
    if method == "BATCH_GET":
        return _projected_batch(messaging.batch_get(ctx, kind, params), params)
    if method == "PARTIAL_UPDATE" and target.key is not None:
        update = inmail.update_inmail if is_inmail else messaging.update_conversation
        update(ctx, target.key, _body(call))
        return Reply(204)
    raise unsupported(method, target.name)


def _messages(ctx: Ctx, target: Target, method: str, params: Params, call: Call) -> Reply:
    conversation = target.conversation
    assert conversation is not None
    if method == "CREATE":
        urn = messaging.create_message(ctx, conversation, _body(call))
        return Reply(201, None, {"x-restli-id": urn, "x-linkedin-id": urn})
    if method == "BATCH_CREATE":
        return Reply(200, messaging.batch_create_messages(ctx, conversation, _body(call)))
    if method == "GET" and target.key is not None:
        return Reply(200, _project(messaging.message(ctx, conversation, target.key), params))
    if method == "BATCH_GET":
        return _projected_batch(messaging.batch_get_messages(ctx, conversation, params), params)
    if method == "BATCH_PARTIAL_UPDATE":
        return Reply(200, messaging.batch_update_messages(ctx, conversation, params, _body(call)))
    if method == "PARTIAL_UPDATE" and target.key is not None:
        messaging.update_message(ctx, conversation, target.key, _body(call))
        return Reply(204)
    if method == "BATCH_DELETE":
        return Reply(200, messaging.batch_delete_messages(ctx, conversation, params))
    if method == "GET_ALL":
        found = messaging.messages(ctx, conversation)
        paging = {"start": 0, "count": len(found), "total": len(found), "links": []}
        return Reply(200, {"elements": [_project(m, params) for m in found], "paging": paging})
    raise unsupported(method, MESSAGES)


def _created(name: str, urn: str) -> Reply:
    headers = {"x-restli-id": urn, "x-linkedin-id": urn, "Location": f"/rest/{name}/{reduced_encode(urn)}"}
    return Reply(201, None, headers)


def _projected_batch(body: dict[str, Any], params: Params) -> Reply:
    body["results"] = {k: _project(v, params) for k, v in body["results"].items()}
    return Reply(200, body)


def _projected_finder(body: dict[str, Any], params: Params) -> Reply:
    body["elements"] = [_project(e, params) for e in body["elements"]]
    return Reply(200, body)


def _project(entity: Entity, params: Params) -> Entity:
    raw = params.get("fields")
    if not isinstance(raw, str):
        return entity
    try:
        return project(entity, parse_projection(raw))
    except RestliSyntaxError:
        raise param_invalid("fields") from None


def _body(call: Call) -> Any:
    try:
        return jsontext.parse_body(call.body)
    except jsontext.Unrepresentable as error:
        raise classic(400, f"the request body holds {error}") from None
    except ValueError:
        raise classic(400, "the request body is not valid JSON") from None
