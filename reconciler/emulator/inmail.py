"""Message ads: ``/rest/inMailContents`` (CREATE, GET, BATCH_GET, PARTIAL_UPDATE of ``name``).

Fields: ``account``, ``sender`` (a member), ``subject`` (≤ 60), ``htmlBody`` (≤ 1,500 for Message
ads; may be left out for a conversation's opening), ``subContent`` holding exactly one of ``regular
{callToActionText ≤ 20, callToActionLandingPageUrl, rightRailAdPicture?}``, ``form
{callToActionText, rightRailAdPicture?}`` or ``guidedReplies {sponsoredConversation,
rightRailAdPicture?}``; optional ``name``, ``customFooter`` and ``legalText`` (GUESS: the footer
fields as public clients send them). Also the field checks the conversation ads share.
"""

from __future__ import annotations

import re
from typing import Any

from reconciler.emulator import ids, media
from reconciler.emulator.errors import Problems, classic, not_found
from reconciler.emulator.rules.common import Ctx, apply_patch, check_text, numeric_urn
from reconciler.emulator.store import Entity, Kind, urn_id

INMAIL_PREFIX = "urn:li:adInMailContent:"
CONVERSATION_PREFIX = "urn:li:sponsoredConversation:"
BUCKET = 0
SUBJECT_MAX, BODY_MAX, CTA_MAX = 60, 1500, 20
INMAIL_FIELDS = frozenset(
    {"account", "name", "sender", "subject", "htmlBody", "subContent", "customFooter", "legalText"}
)


def inmail(ctx: Ctx, urn: object) -> Entity | None:
    """The stored InMail content a URN names."""
    key = numeric_urn(INMAIL_PREFIX, urn)
    return None if key is None else ctx.store.get(Kind.INMAIL, BUCKET, key)


def inmail_urn(key: str) -> str:
    """An InMail content key as a URN: the URN itself, or its number (the Postman collection's
    ``/rest/inMailContents/:adInMailContentId`` example is ``123456``; GUESS that both are keys)."""
    return f"{INMAIL_PREFIX}{key}" if key.isdigit() else key


def create_inmail(ctx: Ctx, body: Any) -> str:
    """Validate and store InMail content; its URN."""
    entity = json_object(body)
    problems = Problems()
    check_writable(problems, entity, INMAIL_FIELDS)
    check_account(problems, ctx, entity, "account")
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
    if name == "regular" and not is_url(inner.get("callToActionLandingPageUrl")):
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
    after, touched = apply_patch(current, patch_of(body))
    problems = Problems()
    for name in sorted(touched - {"name"}):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} can't be changed; create new InMail content")
    check_text(problems, after.get("name"), "name", 255)
    problems.raise_if_any()
    key = numeric_urn(INMAIL_PREFIX, urn)
    assert key is not None
    ctx.store.put(Kind.INMAIL, BUCKET, key, after)


def check_account(problems: Problems, ctx: Ctx, entity: Entity, name: str) -> None:
    value = entity.get(name)
    account_id = numeric_urn("urn:li:sponsoredAccount:", value)
    if value is None:
        problems.add("MISSING_FIELD", name, f"{name} is required but missing")
    elif account_id is None or ctx.store.get(Kind.ACCOUNT, account_id, account_id) is None:
        problems.add("FIELD_VALUE_DOES_NOT_EXIST", name, f"ad account {value!r} does not exist")


def check_writable(problems: Problems, entity: Entity, allowed: frozenset[str]) -> None:
    for name in sorted(set(entity) - allowed):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} is not a writable field")


def json_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise classic(400, "the request body must be a JSON object")
    return dict(body)


def patch_of(body: Any) -> Any:
    if not isinstance(body, dict) or set(body) != {"patch"}:
        raise classic(400, 'a partial update body is {"patch": {...}}')
    return body["patch"]


def is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) > 8


def account_of(entity: Entity) -> int | None:
    """The ad account an InMail content or conversation belongs to."""
    return urn_id(entity.get("account") or entity.get("parentAccount"))
