"""Message ads and Conversation ads: ``/rest/inMailContents`` and ``/rest/conversationAds`` with its
``sponsoredMessageContents`` subresource.

inMailContents (CREATE, GET, BATCH_GET, PARTIAL_UPDATE of ``name``): ``account``, ``sender`` (a
member), ``subject`` (≤ 60), ``htmlBody`` (≤ 1,500 for Message ads; "n/a"-able for conversations),
``subContent`` holding exactly one of ``regular {callToActionText ≤ 20,
callToActionLandingPageUrl, rightRailAdPicture?}``, ``form {callToActionText, rightRailAdPicture?}``
or ``guidedReplies {sponsoredConversation, rightRailAdPicture?}``; optional ``name``,
``customFooter`` and ``legalText`` (GUESS: the docs' footer fields as public clients send them).

conversationAds (CREATE, GET, BATCH_GET, PARTIAL_UPDATE): ``parentAccount`` (required),
``headlineText``, ``name``, ``firstMessageContent`` (set by a later PARTIAL_UPDATE; must be a message
of this conversation). Messages (CREATE, BATCH_CREATE, GET, GET_ALL): ``bodySource`` with
``text`` (≤ 500) or ``leadGenerationForm`` (an adForm URN), ``nextAction.options`` (≤ 5) of
``{replyType, optionText (1-35), nextContent?, landingPage?}``. A message points only at messages
that already exist in the same conversation, so a tree is created leaves first and can hold no
cycle; at most 25 messages per conversation. Message URNs are compound:
``urn:li:sponsoredMessageContent:(urn:li:sponsoredConversation:C,M)``.
Limits from public integrations' notes (GUESS where the docs were not read: see docs/emulator.md).
"""

from __future__ import annotations

import re
from typing import Any

from reconciler.emulator import ids, media
from reconciler.emulator.errors import ApiError, Envelope, Problems, classic, not_found, param_invalid, render
from reconciler.emulator.finders import list_param
from reconciler.emulator.restli import Params, reduced_encode
from reconciler.emulator.rules.common import Ctx, apply_patch, check_text, numeric_urn
from reconciler.emulator.store import Entity, Kind, urn_id

INMAIL_PREFIX = "urn:li:adInMailContent:"
CONVERSATION_PREFIX = "urn:li:sponsoredConversation:"
MESSAGE_URN = re.compile(r"^urn:li:sponsoredMessageContent:\(urn:li:sponsoredConversation:(\d+),(\d+)\)$")
BUCKET = 0
SUBJECT_MAX, BODY_MAX, CTA_MAX = 60, 1500, 20
MESSAGE_TEXT_MAX, OPTION_TEXT_MAX, OPTIONS_MAX, MESSAGES_MAX = 500, 35, 5, 25
REPLY_TYPES = frozenset({"SIMPLE_REPLY", "EXTERNAL_WEBSITE", "LEAD_GENERATION", "LEAD_GENERATION_THANK_YOU"})
INMAIL_FIELDS = frozenset(
    {"account", "name", "sender", "subject", "htmlBody", "subContent", "customFooter", "legalText"}
)
CONVERSATION_FIELDS = frozenset({"parentAccount", "headlineText", "name", "firstMessageContent"})
MESSAGE_FIELDS = frozenset({"bodySource", "nextAction"})


def message_urn(conversation: int, message: int) -> str:
    """``urn:li:sponsoredMessageContent:(urn:li:sponsoredConversation:C,M)``."""
    return f"urn:li:sponsoredMessageContent:({CONVERSATION_PREFIX}{conversation},{message})"


def inmail(ctx: Ctx, urn: object) -> Entity | None:
    """The stored InMail content a URN names."""
    key = numeric_urn(INMAIL_PREFIX, urn)
    return None if key is None else ctx.store.get(Kind.INMAIL, BUCKET, key)


def conversation(ctx: Ctx, urn: object) -> Entity | None:
    """The stored conversation a URN names."""
    key = numeric_urn(CONVERSATION_PREFIX, urn)
    return None if key is None else ctx.store.get(Kind.CONVERSATION, BUCKET, key)


# --- inMailContents ---------------------------------------------------------------------------


def create_inmail(ctx: Ctx, body: Any) -> str:
    """Validate and store InMail content; its URN."""
    entity = _object(body)
    problems = Problems()
    _fields(problems, entity, INMAIL_FIELDS)
    _account(problems, ctx, entity, "account")
    sender = entity.get("sender")
    if not isinstance(sender, str) or not re.fullmatch(r"urn:li:(person|member):[A-Za-z0-9_-]+", sender):
        problems.add("INVALID_VALUE_FOR_FIELD", "sender", "sender must be a member (urn:li:person:…)")
    if entity.get("subject") is None:
        problems.add("MISSING_FIELD", "subject", "subject is required but missing")
    check_text(problems, entity.get("subject"), "subject", SUBJECT_MAX)
    check_text(problems, entity.get("name"), "name", 255)
    guided = _sub_content(problems, ctx, entity.get("subContent"))
    if entity.get("htmlBody") is None and not guided:
        problems.add("MISSING_FIELD", "htmlBody", "htmlBody is required but missing")
    check_text(problems, entity.get("htmlBody"), "htmlBody", BODY_MAX)
    problems.raise_if_any()
    key = ids.allocate(ctx.store, Kind.INMAIL, ctx.seed)[0]
    entity["id"] = f"{INMAIL_PREFIX}{key}"
    ctx.store.put(Kind.INMAIL, BUCKET, key, entity)
    return str(entity["id"])


def _sub_content(problems: Problems, ctx: Ctx, value: Any) -> bool:
    """Check ``subContent``; whether it is ``guidedReplies`` (a conversation's opening)."""
    shapes = {
        "regular": {"callToActionText", "callToActionLandingPageUrl", "rightRailAdPicture"},
        "form": {"callToActionText", "rightRailAdPicture"},
        "guidedReplies": {"sponsoredConversation", "rightRailAdPicture"},
    }
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in shapes:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "subContent", "subContent holds one of regular, form, guidedReplies"
        )
        return False
    name: str = str(next(iter(value)))
    inner = value[name]
    path = f"subContent/{name}"
    if not isinstance(inner, dict) or not set(inner) <= shapes[name]:
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} holds {sorted(shapes[name])}")
        return name == "guidedReplies"
    if name in ("regular", "form"):
        if inner.get("callToActionText") is None:
            problems.add("MISSING_FIELD", f"{path}/callToActionText", "callToActionText is required")
        check_text(problems, inner.get("callToActionText"), f"{path}/callToActionText", CTA_MAX)
    if name == "regular" and not _url(inner.get("callToActionLandingPageUrl")):
        problems.add(
            "MISSING_FIELD",
            f"{path}/callToActionLandingPageUrl",
            "callToActionLandingPageUrl is an http(s) URL",
        )
    if name == "guidedReplies":
        target = inner.get("sponsoredConversation")
        if numeric_urn(CONVERSATION_PREFIX, target) is None:
            problems.add(
                "INVALID_VALUE_FOR_FIELD",
                f"{path}/sponsoredConversation",
                "a sponsoredConversation URN is required",
            )
    picture = inner.get("rightRailAdPicture")
    if picture is not None:
        asset = media.lookup(ctx, picture)
        if media.kind_of_urn(picture) is not Kind.IMAGE:
            problems.add(
                "INVALID_VALUE_FOR_FIELD", f"{path}/rightRailAdPicture", "rightRailAdPicture is an image URN"
            )
        elif asset is not None and asset.get("status") != "AVAILABLE":
            problems.add(
                "MEDIA_ASSET_NOT_AVAILABLE", f"{path}/rightRailAdPicture", f"{picture} is not AVAILABLE"
            )
    return name == "guidedReplies"


def update_inmail(ctx: Ctx, urn: str, body: Any) -> None:
    """PARTIAL_UPDATE: only ``name`` changes (GUESS: content of a message ad is fixed once made)."""
    current = inmail(ctx, urn)
    if current is None:
        raise not_found(f"InMail content {urn}")
    after, touched = apply_patch(current, _patch(body))
    problems = Problems()
    for name in sorted(touched - {"name"}):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} can't be changed; create new InMail content")
    check_text(problems, after.get("name"), "name", 255)
    problems.raise_if_any()
    key = numeric_urn(INMAIL_PREFIX, urn)
    assert key is not None
    ctx.store.put(Kind.INMAIL, BUCKET, key, after)


# --- conversationAds --------------------------------------------------------------------------


def create_conversation(ctx: Ctx, body: Any) -> str:
    """Validate and store a conversation; its URN (no first message yet)."""
    entity = _object(body)
    problems = Problems()
    _fields(problems, entity, CONVERSATION_FIELDS - {"firstMessageContent"})
    _account(problems, ctx, entity, "parentAccount")
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
    after, touched = apply_patch(current, _patch(body))
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
    entity = _object(body)
    problems = Problems()
    _fields(problems, entity, MESSAGE_FIELDS)
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
    value = _object(body)
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
    urns = list_param(params, "ids")
    if not urns:
        raise param_invalid("ids")
    find = inmail if kind is Kind.INMAIL else conversation
    results, statuses, errors = {}, {}, {}
    for urn in urns:
        entity = find(ctx, urn)
        if entity is None:
            errors[reduced_encode(urn)] = {"message": f"{urn} does not exist", "status": 404}
        else:
            results[reduced_encode(urn)] = entity
            statuses[reduced_encode(urn)] = 200
    return {"results": results, "statuses": statuses, "errors": errors}


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
    if reply not in REPLY_TYPES:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", f"{path}/replyType", f"replyType is one of {sorted(REPLY_TYPES)}"
        )
    if option.get("optionText") is None:
        problems.add("MISSING_FIELD", f"{path}/optionText", "optionText is required")
    check_text(problems, option.get("optionText"), f"{path}/optionText", OPTION_TEXT_MAX)
    if reply == "EXTERNAL_WEBSITE" and not _url(option.get("landingPage")):
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


def _account(problems: Problems, ctx: Ctx, entity: Entity, name: str) -> None:
    value = entity.get(name)
    account_id = numeric_urn("urn:li:sponsoredAccount:", value)
    if value is None:
        problems.add("MISSING_FIELD", name, f"{name} is required but missing")
    elif account_id is None or ctx.store.get(Kind.ACCOUNT, account_id, account_id) is None:
        problems.add("FIELD_VALUE_DOES_NOT_EXIST", name, f"ad account {value!r} does not exist")


def _fields(problems: Problems, entity: Entity, allowed: frozenset[str]) -> None:
    for name in sorted(set(entity) - allowed):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} is not a writable field")


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise classic(400, "the request body must be a JSON object")
    return dict(body)


def _patch(body: Any) -> Any:
    if not isinstance(body, dict) or set(body) != {"patch"}:
        raise classic(400, 'a partial update body is {"patch": {...}}')
    return body["patch"]


def _url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) > 8


def account_of(entity: Entity) -> int | None:
    """The ad account an InMail content or conversation belongs to."""
    return urn_id(entity.get("account") or entity.get("parentAccount"))
