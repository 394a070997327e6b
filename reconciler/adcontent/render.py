"""Managed content → LinkedIn's bodies, and both desired and live content → one comparable *view*.

One table per kind maps each manifest field (dotted, e.g. ``callToAction.label``) to where it lives
in LinkedIn's entity (``subContent.regular.callToActionText``). The same table writes the bodies
apply sends and reads what LinkedIn returns, so what is compared is exactly what is sent. A *view* is
the manifest-shaped dict of the fields a kind sends, file fields holding the asset URN (or, for a
file not uploaded yet for that owner, ``"<path> (new file, N bytes)"``): plans show it, and two
equal views mean "no change".

Where the docs did not settle a shape, the choice is marked GUESS here and in docs/client.md.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

JSON = dict[str, Any]
Urns = Callable[[str], str | None]  # a file's path -> its asset URN for this owner, None if not uploaded

POST_KINDS = frozenset({"image", "video", "document", "carousel", "article", "event"})
DYNAMIC_KINDS = {"follower": "follow", "spotlight": "spotlight", "jobs": "jobs"}  # manifest -> API key

# Per post kind: (manifest field, post field).
POST_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "image": (
        ("introText", "commentary"),
        ("file", "content.media.id"),
        ("altText", "content.media.altText"),
        ("headline", "content.media.title"),
        ("landingPage", "contentLandingPage"),
        ("callToAction", "contentCallToActionLabel"),
    ),
    "video": (
        ("introText", "commentary"),
        ("file", "content.media.id"),
        ("headline", "content.media.title"),
        ("landingPage", "contentLandingPage"),
        ("callToAction", "contentCallToActionLabel"),
    ),
    "document": (
        ("introText", "commentary"),
        ("file", "content.media.id"),
        ("title", "content.media.title"),
    ),
    "article": (
        ("introText", "commentary"),
        ("url", "content.article.source"),
        ("title", "content.article.title"),
        ("description", "content.article.description"),
        ("thumbnail", "content.article.thumbnail"),
    ),
    "carousel": (("introText", "commentary"),),
    # GUESS: an event ad as a DSC post whose content references the event (the docs we read show the
    # event's URN on the creative from 202505, not the body).
    "event": (("introText", "commentary"), ("event", "content.reference.id")),
}
CARD_FIELDS = (("file", "media.id"), ("headline", "media.title"), ("landingPage", "landingPage"))
# The post's adContext.dscAdType per kind (the posts finder's dscAdTypes values; DOCUMENT and EVENT
# are GUESSES).
DSC_AD_TYPES = {
    "image": "STANDARD",
    "article": "STANDARD",
    "video": "VIDEO",
    "carousel": "CAROUSEL",
    "document": "NATIVE_DOCUMENT",
    "event": "EVENT",
}
# Sponsored InMail (GUESS for the field names past subject/sender: the inMailContents page lists
# htmlBody, subContent.regular and legalText, not every sub-field).
INMAIL_FIELDS = (
    ("sender", "sender"),
    ("subject", "subject"),
    ("body", "htmlBody"),
    ("callToAction.label", "subContent.regular.callToActionText"),
    ("callToAction.landingPage", "subContent.regular.callToActionLandingPageUrl"),
    ("banner", "subContent.regular.rightRailAdPicture"),
    ("legalText", "legalText.customLegalText"),
)
# Dynamic ads: each manifest field goes into content.<follow|spotlight|jobs> under its own name.
DYNAMIC_FIELDS = (
    "headline",
    "description",
    "callToAction",
    "landingPage",
    "logo",
    "backgroundImage",
    "organizationName",
    "showMemberProfilePhoto",
)
# The fingerprint a post (dscName) or conversation (name) carries, so a run that was killed after
# making it finds it again: `` [rc:<12 hex>]``.
MARK = " [rc:"
NAME_ROOM = 100  # dscName / conversation name length we keep to (GUESS: no limit is documented)


@functools.cache
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def get(data: Mapping[str, Any] | None, path: str) -> Any:
    """The value at a dotted path, or None."""
    node: Any = data
    for part in _parts(path):
        # dict first: the abstract Mapping check costs ten times more, on 15,000 creatives a plan
        if type(node) is not dict and not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def put(data: JSON, path: str, value: Any) -> None:
    """Set the value at a dotted path (creating objects on the way); None is left out."""
    if value is None:
        return
    *parents, last = _parts(path)
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def content_mark(address: str, fingerprint: str) -> str:
    """The mark of what a creative references (its post's ``dscName``): the same creative (by its
    address, account first) with the same content, the same mark."""
    account = address.split(" / ", 1)[0]
    return hashlib.sha256(f"{account}|{address}|{fingerprint}".encode()).hexdigest()[:12]


def marked(name: str, token: str) -> str:
    """``name`` with the mark `` [rc:<token>]``, cut so the whole fits NAME_ROOM characters."""
    suffix = f"{MARK}{token}]"
    room = NAME_ROOM - len(suffix)
    return (name if len(name) <= room else name[: room - 1] + "…") + suffix


def mark_of(name: Any) -> str:
    """The token of a mark in ``name`` ("" when there is none)."""
    if not isinstance(name, str) or not name.endswith("]") or MARK not in name:
        return ""
    return name.rsplit(MARK, 1)[1][:-1]


# -- desired → bodies -------------------------------------------------------------------------------


def post_body(
    kind: str, spec: Mapping[str, Any], urns: Urns, *, owner: str, account: str, dsc_name: str
) -> JSON:
    """The Direct Sponsored Content ("dark") post of a post kind: authored by ``owner`` (the
    campaign's organization), sponsored by ``account``, distributed to no feed."""
    body: JSON = {
        "author": owner,
        "commentary": "",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "NONE",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        "adContext": {
            "dscAdAccount": account,
            "dscAdType": DSC_AD_TYPES[kind],
            "dscName": dsc_name,
            "dscStatus": "ACTIVE",
        },
    }
    for field, where in POST_FIELDS[kind]:
        put(body, where, _desired(field, spec.get(field), urns, sent=True))
    if kind == "carousel":
        cards = []
        for card in spec.get("cards") or ():
            out: JSON = {}
            for field, where in CARD_FIELDS:
                put(out, where, _desired(field, card.get(field), urns, sent=True))
            cards.append(out)
        put(body, "content.carousel.cards", cards)
    return body


def dynamic_content(kind: str, spec: Mapping[str, Any], urns: Urns) -> JSON:
    """A dynamic ad's creative ``content``: ``{"follow"|"spotlight"|"jobs": {...}}``."""
    inner: JSON = {}
    for field in DYNAMIC_FIELDS:
        put(inner, field, _desired(field, spec.get(field), urns, sent=True))
    return {DYNAMIC_KINDS[kind]: inner}


def inmail_body(spec: Mapping[str, Any], urns: Urns, *, account: str, name: str) -> JSON:
    """The ``inMailContents`` create body of a message ad."""
    body: JSON = {"account": account, "name": name}
    for field, where in INMAIL_FIELDS:
        put(body, where, _desired(field, get(spec, field), urns, sent=True))
    return body


def conversation_body(*, account: str, name: str) -> JSON:
    """The ``conversationAds`` create body: ``parentAccount`` and ``name``."""
    return {"parentAccount": account, "name": name}


def opening_body(spec: Mapping[str, Any], conversation: str, *, account: str, name: str) -> JSON:
    """The InMail content that opens a conversation (its sender; ``subContent.guidedReplies``
    names the conversation); the creative references it. GUESS: the subject LinkedIn requires is
    not shown in a conversation ad, so the creative's name (cut to 60) fills it."""
    return {
        "account": account,
        "name": name,
        "sender": spec.get("sender"),
        "subject": name[:60],
        "subContent": {"guidedReplies": {"sponsoredConversation": conversation}},
    }


def message_levels(spec: Mapping[str, Any]) -> list[list[str]]:
    """The conversation's message keys, deepest first: a message's buttons point at messages made
    before it (a batch cannot name its own members). ValueError for a loop or a missing key."""
    messages: Mapping[str, Any] = spec.get("messages") or {}
    depth: dict[str, int] = {}

    def height(key: str, trail: tuple[str, ...]) -> int:
        if key in trail:
            raise ValueError(f"the conversation loops back to message {key!r}")
        if key not in messages:
            raise ValueError(f"a button leads to message {key!r}, which the conversation does not have")
        if key not in depth:
            nexts = [b["next"] for b in messages[key].get("buttons") or () if "next" in b]
            depth[key] = 1 + max((height(n, (*trail, key)) for n in nexts), default=-1)
        return depth[key]

    for key in messages:
        height(key, ())
    levels: dict[int, list[str]] = {}
    for key, level in depth.items():
        levels.setdefault(level, []).append(key)
    return [sorted(levels[level]) for level in sorted(levels)]


def message_body(spec: Mapping[str, Any], key: str, made: Mapping[str, str]) -> JSON:
    """One ``sponsoredMessageContents`` body; ``made`` maps the keys created so far to their URNs.
    A button leads to another message (``SIMPLE_REPLY``, ``nextContent``) or to a web page
    (``EXTERNAL_WEBSITE``, ``landingPage``)."""
    message = spec["messages"][key]
    options = []
    for button in message.get("buttons") or ():
        if "next" in button:
            options.append(
                {
                    "optionText": button["label"],
                    "replyType": "SIMPLE_REPLY",
                    "nextContent": made[button["next"]],
                }
            )
        else:
            options.append(
                {"optionText": button["label"], "replyType": "EXTERNAL_WEBSITE", "landingPage": button["url"]}
            )
    return {"bodySource": {"text": message.get("body", "")}, "nextAction": {"options": options}}


# -- views ----------------------------------------------------------------------------------------


def desired_view(kind: str, spec: Mapping[str, Any], urns: Urns, sizes: Mapping[str, int]) -> JSON:
    """The view of desired content: the fields its kind sends, files as their URN (or as a new file)."""
    view: JSON = {}
    for field in _fields(kind):
        put(view, field, _desired(field, get(spec, field), urns, sent=False, sizes=sizes))
    if kind == "carousel":
        view["cards"] = [
            {
                f: _desired(f, c.get(f), urns, sent=False, sizes=sizes)
                for f, _ in CARD_FIELDS
                if c.get(f) is not None
            }
            for c in spec.get("cards") or ()
        ]
    return view


def live_view(kind: str, entity: Mapping[str, Any] | None) -> JSON | None:
    """The view of what LinkedIn holds (a post, a creative's content, an InMail content); None when
    there is nothing to read (the post is gone)."""
    if entity is None:
        return None
    view: JSON = {}
    if kind in POST_KINDS:
        for field, where in POST_FIELDS[kind]:
            value = get(entity, where)
            put(view, field, None if value == "" and field == "introText" else value)
        if kind == "carousel":
            view["cards"] = [
                {f: get(card, where) for f, where in CARD_FIELDS if get(card, where) is not None}
                for card in get(entity, "content.carousel.cards") or ()
            ]
    elif kind in DYNAMIC_KINDS:
        inner = entity.get(DYNAMIC_KINDS[kind]) or {}
        for field in DYNAMIC_FIELDS:
            put(view, field, inner.get(field))
    elif kind == "message":
        for field, where in INMAIL_FIELDS:
            put(view, field, get(entity, where))
    return view


def _fields(kind: str) -> Sequence[str]:
    if kind in POST_KINDS:
        return [field for field, _ in POST_FIELDS[kind]]
    if kind in DYNAMIC_KINDS:
        return DYNAMIC_FIELDS
    if kind == "message":
        return [field for field, _ in INMAIL_FIELDS]
    return ()


FILE_FIELDS = frozenset({"file", "thumbnail", "logo", "backgroundImage", "banner"})


def _desired(
    field: str, value: Any, urns: Urns, *, sent: bool, sizes: Mapping[str, int] | None = None
) -> Any:
    """A manifest value as sent (files as URNs) or as viewed (files not uploaded yet named so)."""
    if value is None or field.rsplit(".", 1)[-1] not in FILE_FIELDS:
        return value
    urn = urns(str(value))
    if urn is not None:
        return urn
    if sent:
        raise KeyError(f"{value}: not uploaded")
    size = (sizes or {}).get(str(value))
    return f"{value} (new file{'' if size is None else f', {size:,} bytes'})"
