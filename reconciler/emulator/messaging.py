"""Conversation ads: ``/rest/conversationAds`` and its ``sponsoredMessageContents`` subresource
(InMail contents, the opening message and creative target of a conversation ad, are ``inmail``'s).

conversationAds (CREATE, GET, BATCH_GET, PARTIAL_UPDATE): ``parentAccount`` (required),
``headlineText``, ``name``, ``firstMessageContent`` (set by a later PARTIAL_UPDATE; must be a message
of this conversation). Messages (CREATE, BATCH_CREATE, GET, GET_ALL, PARTIAL_UPDATE, BATCH_DELETE):
``bodySource`` with ``text`` (≤ 8,000) or ``leadGenerationForm`` (an adForm URN),
``nextAction.options`` (≤ 5) of ``{replyType, optionText (1-35), nextContent?, landingPage?}``. A
message points only at messages that already exist in the same conversation, so a tree is created
leaves first; an update may not make a cycle; at most 25 messages per conversation. Message URNs are
compound: ``urn:li:sponsoredMessageContent:(urn:li:sponsoredConversation:C,M)``. Limits from public
integrations' notes (GUESS where the docs were not read: see docs/emulator.md).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from reconciler.emulator import ids
from reconciler.emulator.batchget import batch_get_body
from reconciler.emulator.errors import ApiError, Envelope, Problems, classic, not_found, param_invalid, render
from reconciler.emulator.finders import list_param
from reconciler.emulator.inmail import (
    CONVERSATION_PREFIX,
    check_account,
    check_writable,
    inmail,
    inmail_urn,
    is_url,
    json_object,
    patch_of,
)
from reconciler.emulator.restli import Params, reduced_encode
from reconciler.emulator.rules.common import Ctx, apply_patch, check_text, numeric_urn
from reconciler.emulator.store import Entity, Kind

MESSAGE_URN = re.compile(r"^urn:li:sponsoredMessageContent:\(urn:li:sponsoredConversation:(\d+),(\d+)\)$")
BUCKET = 0
# 8,000: a message's text in LinkedIn's published conversation ad specs (Help a426057); the API's
# own limit is not documented (GUESS), and refusing below the published one would refuse valid ads.
MESSAGE_TEXT_MAX, OPTION_TEXT_MAX, OPTIONS_MAX, MESSAGES_MAX = 8000, 35, 5, 25
REPLY_TYPES = frozenset({"SIMPLE_REPLY", "EXTERNAL_WEBSITE", "LEAD_GENERATION", "LEAD_GENERATION_THANK_YOU"})
CONVERSATION_FIELDS = frozenset({"parentAccount", "headlineText", "name", "firstMessageContent"})
MESSAGE_FIELDS = frozenset({"bodySource", "nextAction"})


def message_urn(conversation: int, message: int) -> str:
    """``urn:li:sponsoredMessageContent:(urn:li:sponsoredConversation:C,M)``."""
    return f"urn:li:sponsoredMessageContent:({CONVERSATION_PREFIX}{conversation},{message})"


def conversation(ctx: Ctx, urn: object) -> Entity | None:
    """The stored conversation a URN names."""
    key = numeric_urn(CONVERSATION_PREFIX, urn)
    return None if key is None else ctx.store.get(Kind.CONVERSATION, BUCKET, key)


# --- conversationAds --------------------------------------------------------------------------


def create_conversation(ctx: Ctx, body: Any) -> str:
    """Validate and store a conversation; its URN (no first message yet)."""
    entity = json_object(body)
    problems = Problems()
    check_writable(problems, entity, CONVERSATION_FIELDS - {"firstMessageContent"})
    check_account(problems, ctx, entity, "parentAccount")
    check_text(problems, entity.get("headlineText"), "headlineText", 255)
    check_text(problems, entity.get("name"), "name", 255)
    problems.raise_if_any()
    key = ids.allocate(ctx.store, Kind.CONVERSATION, ctx.seed)[0]
    entity["id"] = f"{CONVERSATION_PREFIX}{key}"
    ctx.store.put(Kind.CONVERSATION, BUCKET, key, entity)
    return str(entity["id"])


def update_conversation(ctx: Ctx, urn: str, body: Any) -> None:
    """PARTIAL_UPDATE of ``firstMessageContent`` (a message of this conversation), headline or name."""
    key = numeric_urn(CONVERSATION_PREFIX, urn)
    current = conversation(ctx, urn)
    if current is None or key is None:
        raise not_found(f"Conversation {urn}")
    after, touched = apply_patch(current, patch_of(body))
    problems = Problems()
    for name in sorted(touched - (CONVERSATION_FIELDS - {"parentAccount"})):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} can't be changed")
    first = after.get("firstMessageContent")
    if first is not None and _message_key(key, first) is None:
        problems.add(
            "FIELD_VALUE_DOES_NOT_EXIST", "firstMessageContent", f"{first!r} is not a message of {urn}"
        )
    elif first is not None and ctx.store.get(Kind.MESSAGE, key, _message_key(key, first) or 0) is None:
        problems.add("FIELD_VALUE_DOES_NOT_EXIST", "firstMessageContent", f"message {first} does not exist")
    problems.raise_if_any()
    ctx.store.put(Kind.CONVERSATION, BUCKET, key, after)


def create_message(ctx: Ctx, conversation_urn: str, body: Any) -> str:
    """Validate and store one message of a conversation; its compound URN."""
    parent = _parent(ctx, conversation_urn)
    entity = json_object(body)
    problems = Problems()
    check_writable(problems, entity, MESSAGE_FIELDS)
    _body_source(problems, entity.get("bodySource"))
    _next_action(problems, ctx, parent, entity.get("nextAction"))
    if ctx.store.count(Kind.MESSAGE, parent) >= MESSAGES_MAX:
        problems.add(
            "FIELD_VALUE_TOO_HIGH", "bodySource", f"a conversation holds at most {MESSAGES_MAX} messages"
        )
    problems.raise_if_any()
    key = ids.allocate(ctx.store, Kind.MESSAGE, ctx.seed)[0]
    entity["id"] = message_urn(parent, key)
    entity["sponsoredConversation"] = f"{CONVERSATION_PREFIX}{parent}"
    ctx.store.put(Kind.MESSAGE, parent, key, entity)
    return str(entity["id"])


def batch_create_messages(ctx: Ctx, conversation_urn: str, body: Any) -> dict[str, Any]:
    """BATCH_CREATE ``{"elements": [...]}``: index-aligned statuses and ids (or errors)."""
    _parent(ctx, conversation_urn)
    value = json_object(body)
    elements = value.get("elements")
    if set(value) != {"elements"} or not isinstance(elements, list):
        raise classic(400, 'a batch create body is {"elements": [...]}')
    out: list[dict[str, Any]] = []
    for element in elements:
        try:
            out.append({"status": 201, "id": create_message(ctx, conversation_urn, element)})
        except ApiError as error:
            out.append({"status": error.status, "error": render(error, Envelope.CLASSIC)})
    return {"elements": out}


def update_message(ctx: Ctx, conversation_urn: str, raw_key: str, body: Any) -> None:
    """PARTIAL_UPDATE of a message's ``bodySource`` or ``nextAction``, checked as on create."""
    parent = _parent(ctx, conversation_urn)
    current = message(ctx, conversation_urn, raw_key)
    after, touched = apply_patch(current, patch_of(body))
    problems = Problems()
    check_writable(problems, {name: True for name in touched}, MESSAGE_FIELDS)
    _body_source(problems, after.get("bodySource"))
    _next_action(problems, ctx, parent, after.get("nextAction"))
    key = _message_key(parent, raw_key)
    assert key is not None
    if _reaches(ctx, parent, after, key):
        problems.add("INVALID_VALUE_FOR_FIELD", "nextAction", "a message can't lead back to itself")
    problems.raise_if_any()
    ctx.store.put(Kind.MESSAGE, parent, key, after)


def batch_delete_messages(ctx: Ctx, conversation_urn: str, params: Params) -> dict[str, Any]:
    """BATCH_DELETE ``ids=List(…)``: a message another message or ``firstMessageContent`` leads to
    is refused (GUESS: the docs do not say; a tree with a dangling option could not be served)."""
    parent = _parent(ctx, conversation_urn)
    urns = list_param(params, "ids")
    if not urns:
        raise param_invalid("ids")
    first = (conversation(ctx, conversation_urn) or {}).get("firstMessageContent")
    results: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for urn in urns:
        key = _message_key(parent, urn)
        if key is None or ctx.store.get(Kind.MESSAGE, parent, key) is None:
            errors[reduced_encode(urn)] = {"message": f"Message {urn} does not exist", "status": 404}
        elif urn == first or any(key in _targets(parent, m) for m in messages(ctx, conversation_urn)):
            errors[reduced_encode(urn)] = {"message": f"{urn} is still led to", "status": 400}
        else:
            ctx.store.delete(Kind.MESSAGE, parent, key)
            results[reduced_encode(urn)] = {"status": 204}
    return {"results": results, "errors": errors}


def batch_get_messages(ctx: Ctx, conversation_urn: str, params: Params) -> dict[str, Any]:
    """BATCH_GET ``ids=List(…)`` of a conversation's messages (Postman "Batch Get Sponsored Message
    Content"): results, statuses and errors keyed by the reduced-encoded URN."""
    _parent(ctx, conversation_urn)
    return batch_get_body(
        params, lambda urn: message(ctx, conversation_urn, urn), lambda error: render(error, Envelope.CLASSIC)
    )


def batch_update_messages(ctx: Ctx, conversation_urn: str, params: Params, body: Any) -> dict[str, Any]:
    """BATCH_PARTIAL_UPDATE ``ids=List(…)`` with ``{"entities": {urn: {"patch": …}}}`` (Postman "Batch
    Update Sponsored Message Content"); each message is checked as a single update. Body keys may be
    raw or percent-encoded URNs and must be the URL's ids."""
    _parent(ctx, conversation_urn)
    urns = list_param(params, "ids") or []
    value = json_object(body)
    entities = value.get("entities")
    if set(value) != {"entities"} or not isinstance(entities, dict):
        raise classic(400, 'a batch partial update body is {"entities": {key: {"patch": {...}}}}')
    patches = {unquote(key): patch for key, patch in entities.items()}
    if not urns or set(patches) != set(urns):
        raise classic(400, "the keys of entities must be the ids of the URL")
    results: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for urn in urns:
        try:
            update_message(ctx, conversation_urn, urn, patches[urn])
            results[reduced_encode(urn)] = {"status": 204}
        except ApiError as error:
            errors[reduced_encode(urn)] = render(error, Envelope.CLASSIC)
    return {"results": results, "errors": errors}


def _targets(parent: int, entity: Entity) -> set[int]:
    """The keys of the messages a message's options lead to."""
    options = (entity.get("nextAction") or {}).get("options") or []
    found = {_message_key(parent, o.get("nextContent")) for o in options if isinstance(o, dict)}
    return {key for key in found if key is not None}


def _reaches(ctx: Ctx, parent: int, start: Entity, goal: int) -> bool:
    """Whether following options from ``start`` comes back to message ``goal`` (a cycle)."""
    seen: set[int] = set()
    todo = list(_targets(parent, start))
    while todo:
        key = todo.pop()
        if key == goal:
            return True
        if key in seen:
            continue
        seen.add(key)
        found = ctx.store.get(Kind.MESSAGE, parent, key)
        todo.extend(_targets(parent, found or {}))
    return False


def messages(ctx: Ctx, conversation_urn: str) -> list[Entity]:
    """Every message of a conversation, in creation order (GET_ALL)."""
    return [entity for _, entity in ctx.store.scan(Kind.MESSAGE, _parent(ctx, conversation_urn))]


def message(ctx: Ctx, conversation_urn: str, raw_key: str) -> Entity:
    """One message of a conversation, by its compound URN or its number."""
    parent = _parent(ctx, conversation_urn)
    key = _message_key(parent, raw_key)
    found = None if key is None else ctx.store.get(Kind.MESSAGE, parent, key)
    if found is None:
        raise not_found(f"Message {raw_key}")
    return found


def batch_get(ctx: Ctx, kind: Kind, params: Params) -> dict[str, Any]:
    """BATCH_GET of InMail contents or conversations."""

    def read(urn: str) -> dict[str, Any]:
        entity = inmail(ctx, inmail_urn(urn)) if kind is Kind.INMAIL else conversation(ctx, urn)
        if entity is None:
            raise not_found(urn)
        return entity

    return batch_get_body(params, read)


def _parent(ctx: Ctx, conversation_urn: str) -> int:
    key = numeric_urn(CONVERSATION_PREFIX, conversation_urn)
    if key is None or conversation(ctx, conversation_urn) is None:
        raise not_found(f"Conversation {conversation_urn}")
    return key


def _message_key(parent: int, raw: object) -> int | None:
    if isinstance(raw, str) and raw.isdigit():
        return int(raw)
    match = MESSAGE_URN.match(raw) if isinstance(raw, str) else None
    if match is None or int(match[1]) != parent:
        return None
    return int(match[2])


def _body_source(problems: Problems, value: Any) -> None:
    if (
        not isinstance(value, dict)
        or len(value) != 1
        or next(iter(value)) not in ("text", "leadGenerationForm")
    ):
        problems.add("INVALID_VALUE_FOR_FIELD", "bodySource", "bodySource holds text or leadGenerationForm")
        return
    if "text" in value:
        check_text(problems, value["text"], "bodySource/text", MESSAGE_TEXT_MAX)
    elif numeric_urn("urn:li:adForm:", value["leadGenerationForm"]) is None:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "bodySource/leadGenerationForm", "leadGenerationForm is an adForm URN"
        )


def _next_action(problems: Problems, ctx: Ctx, parent: int, value: Any) -> None:
    if value is None:
        return
    options = value.get("options") if isinstance(value, dict) else None
    if not isinstance(value, dict) or set(value) != {"options"} or not isinstance(options, list):
        problems.add("INVALID_VALUE_FOR_FIELD", "nextAction", "nextAction is {options: [...]}")
        return
    if len(options) > OPTIONS_MAX:
        problems.add(
            "FIELD_VALUE_TOO_HIGH", "nextAction/options", f"a message has at most {OPTIONS_MAX} options"
        )
    for i, option in enumerate(options):
        _option(problems, ctx, parent, option, f"nextAction/options/{i}")


def _option(problems: Problems, ctx: Ctx, parent: int, option: Any, path: str) -> None:
    if not isinstance(option, dict) or not set(option) <= {
        "replyType",
        "optionText",
        "nextContent",
        "landingPage",
    }:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            path,
            "an option is {replyType, optionText, nextContent?, landingPage?}",
        )
        return
    reply = option.get("replyType")
    if not isinstance(reply, str) or reply not in REPLY_TYPES:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", f"{path}/replyType", f"replyType is one of {sorted(REPLY_TYPES)}"
        )
    if option.get("optionText") is None:
        problems.add("MISSING_FIELD", f"{path}/optionText", "optionText is required")
    check_text(problems, option.get("optionText"), f"{path}/optionText", OPTION_TEXT_MAX)
    if reply == "EXTERNAL_WEBSITE" and not is_url(option.get("landingPage")):
        problems.add(
            "MISSING_FIELD", f"{path}/landingPage", "an EXTERNAL_WEBSITE option needs an http(s) landingPage"
        )
    target = option.get("nextContent")
    if target is not None:
        key = _message_key(parent, target)
        found = None if key is None else ctx.store.get(Kind.MESSAGE, parent, key)
        if found is None:
            problems.add(
                "FIELD_VALUE_DOES_NOT_EXIST",
                f"{path}/nextContent",
                f"{target!r} is not an existing message of this conversation (create messages leaves first)",
            )
        elif reply == "LEAD_GENERATION" and "leadGenerationForm" not in (found.get("bodySource") or {}):
            problems.add(
                "INVALID_VALUE_FOR_FIELD", f"{path}/nextContent", "LEAD_GENERATION leads to a form message"
            )
    elif reply == "LEAD_GENERATION":
        problems.add("MISSING_FIELD", f"{path}/nextContent", "a LEAD_GENERATION option needs nextContent")
