"""Message and conversation ads, for the content maker: the InMail content a message ad references,
and a conversation (its messages leaves first, its first message, the InMail content that opens it).

Made one creative at a time, in the run's main thread, each announced in the journal first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.adcontent.render import (
    Urns,
    content_mark,
    conversation_body,
    inmail_body,
    marked,
    message_body,
    message_levels,
    opening_body,
)
from reconciler.api.content import ContentApi
from reconciler.apply.journal import Journal
from reconciler.errors import ApiError
from reconciler.model import account_urn

JSON = dict[str, Any]


@dataclass
class Item:
    """One creative to create whose content is managed; ``body`` is its body without content."""

    index: int
    address: str
    name: str
    managed: Mapping[str, Any]
    body: JSON = field(default_factory=dict)


def token(account: int, item: Item) -> str:
    """The mark of what a creative references (see :func:`~reconciler.adcontent.render.content_mark`)."""
    return content_mark(item.address, str(item.managed["fingerprint"]))


def make_inmail(api: ContentApi, journal: Journal, account: int, item: Item, urns: Urns) -> JSON | ApiError:
    """The InMail content of a message ad; the creative body referencing it."""
    mark = token(account, item)
    try:
        body = inmail_body(
            item.managed["spec"], urns, account=account_urn(account), name=marked(item.name, mark)
        )
    except KeyError as error:
        return ApiError(f"a file of it was not uploaded: {error}")
    journal.write({"type": "inmail", "address": item.address, "mark": mark})
    try:
        urn = api.create_inmail(body)
    except ApiError as error:
        return error
    return {**item.body, "content": {"reference": urn}}


def make_conversation(api: ContentApi, journal: Journal, account: int, item: Item) -> JSON | ApiError:
    """A conversation ad's conversation, messages and opening InMail content; the creative body
    referencing the opening. Its name carries the content's fingerprint (what plans compare)."""
    spec = item.managed["spec"]
    mark = item.managed["fingerprint"][:12]
    try:
        levels = message_levels(spec)
    except ValueError as error:
        return ApiError(f"{item.address}: {error}")
    journal.write({"type": "conversation", "address": item.address, "mark": mark})
    name = marked(item.name, mark)
    sponsor = account_urn(account)
    try:
        conversation = api.create_conversation(conversation_body(account=sponsor, name=name))
        made: dict[str, str] = {}
        for level in levels:
            results = api.create_messages(conversation, [message_body(spec, key, made) for key in level])
            for key, result in zip(level, results, strict=True):
                if result.urn is None:
                    return result.error or ApiError(f"message {key!r} not created")
                made[key] = result.urn
        api.set_first_message(conversation, made[spec["start"]])
        opening = api.create_inmail(opening_body(spec, conversation, account=sponsor, name=name))
    except ApiError as error:
        return error
    return {**item.body, "content": {"reference": opening}}
