"""Seeding the content creatives show: media, posts, InMail contents, conversations and messages.

Sections of a seed file (each a list of entities as GET returns them, or a finder / BATCH_GET
response): ``images``, ``videos``, ``documents``, ``posts``, ``inMailContents``,
``conversationAds`` and ``sponsoredMessageContents``. Entities are stored as given, ids kept (real
LinkedIn media URNs included); what is checked: each has an ``id`` URN of its kind, nests no deeper
than a request may, names an ad account that is seeded (``adContext.dscAdAccount``, ``account``,
``parentAccount``, ``mediaLibraryMetadata.associatedAccount``), and each message's conversation is
seeded (ValueError otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reconciler.emulator import ids, inmail, jsontext, media, messaging, posts
from reconciler.emulator.rules.common import Ctx, numeric_urn
from reconciler.emulator.store import Entity, Kind, urn_id

SECTIONS = {
    "images": Kind.IMAGE,
    "videos": Kind.VIDEO,
    "documents": Kind.DOCUMENT,
    "posts": Kind.POST,
    "inMailContents": Kind.INMAIL,
    "conversationAds": Kind.CONVERSATION,
    "sponsoredMessageContents": Kind.MESSAGE,
}
_ACCOUNT_FIELDS = (
    ("adContext", "dscAdAccount"),
    ("account",),
    ("parentAccount",),
    ("mediaLibraryMetadata", "associatedAccount"),
)
# Keys below this were allocated by the emulator itself (media codes, activity ids): later
# allocations must stay above them. Hashed keys of foreign media URNs are far larger.
_OWN_KEYS = 10**19


def seed_content(ctx: Ctx, data: Mapping[str, Any], entities: Callable[[Any, str], list[Entity]]) -> int:
    """Store every content section of ``data``; how many entities were stored."""
    total = 0
    for name, kind in SECTIONS.items():
        rows = [
            _row(ctx, kind, entity, f"{name}[{i}]")
            for i, entity in enumerate(entities(data.get(name, []), name))
        ]
        for bucket, key, entity in rows:
            ctx.store.put(kind, bucket, key, entity)
            if key < _OWN_KEYS and (kind not in media.PREFIX or entity["id"] == media.urn_of(kind, key)):
                ids.observe(ctx.store, kind, ctx.seed, key)
        total += len(rows)
    return total


def _row(ctx: Ctx, kind: Kind, entity: Entity, where: str) -> tuple[int, int, Entity]:
    if jsontext.depth(entity) > jsontext.MAX_DEPTH:
        raise ValueError(f"{where}: nesting deeper than {jsontext.MAX_DEPTH} levels")
    jsontext.check(entity)
    urn = entity.get("id")
    bucket, key = 0, None
    if kind in media.PREFIX:
        key = media.key_of(kind, urn)
    elif kind is Kind.POST:
        key = posts.key_of(urn)
    elif kind is Kind.INMAIL:
        key = numeric_urn(inmail.INMAIL_PREFIX, urn)
    elif kind is Kind.CONVERSATION:
        key = numeric_urn(inmail.CONVERSATION_PREFIX, urn)
    else:
        match = messaging.MESSAGE_URN.match(urn) if isinstance(urn, str) else None
        if match is not None:
            bucket, key = int(match[1]), int(match[2])
            if ctx.store.get(Kind.CONVERSATION, 0, bucket) is None:
                raise ValueError(f"{where}: conversation {bucket} is not seeded")
    if key is None:
        raise ValueError(f"{where}: missing or invalid id {urn!r}")
    for path in _ACCOUNT_FIELDS:
        value: Any = entity
        for name in path:
            value = value.get(name) if isinstance(value, dict) else None
        account = urn_id(value) if isinstance(value, str) else None
        if value is not None and (account is None or ctx.store.get(Kind.ACCOUNT, account, account) is None):
            raise ValueError(f"{where}: {'.'.join(path)} {value!r} is not a seeded account")
    return bucket, key, dict(entity)
