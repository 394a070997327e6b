"""The limits of message ads (Sponsored InMail) and conversation ads that the JSON Schema cannot say.

The schema holds the text lengths (subject 60, body 1,500 or 8,000, button 20 or 25 characters) and
the button counts (1 to 5 a message). What is here, from LinkedIn's published specs (LinkedIn Help
a425533 "Message ads advertising specifications" and a426057 "Conversation ads advertising
specifications") and from what the API refuses:

- a conversation holds at most 25 messages (the API refuses the 26th ``sponsoredMessageContents``;
  the number is from public integrations' notes, not a page of LinkedIn's we read: unsure);
- a conversation is a tree: its messages are created leaves first, each button pointing at a
  message that exists, so a button that leads back to a message before it can never be created;
- a text or button that is only spaces is refused as blank;
- at most 10 emojis in a message (each conversation message, a message ad's body);
- a message ad's body has at most 3 links, each link's text at most 70 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

JsonPath = tuple[str | int, ...]
MESSAGES_MAX = 25
EMOJIS_MAX = 10
LINKS_MAX = 3
LINK_TEXT_MAX = 70
_LINK = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_ZWJ, _VS16, _KEYCAP = 0x200D, 0xFE0F, 0x20E3
# The blocks of pictographs (emoticons, symbols and pictographs, transport, miscellaneous symbols)
# and the dingbats shown as emoji: a few symbols that can also show as emoji are not counted, so no
# ad within the limit is refused. Regional indicators pair into flags; skin tones join the emoji before them.
_PICTOGRAPHS = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x26FF),
    *((point, point) for point in (0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E, 0x2757, 0x2764)),
    (0x2753, 0x2755),
    (0x2795, 0x2797),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
)
_REGIONAL = (0x1F1E6, 0x1F1FF)
_TONES = (0x1F3FB, 0x1F3FF)


def conversation_limits(spec: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """The problems of a conversation ad's messages (paths under the conversation's body)."""
    messages = spec.get("messages")
    if not isinstance(messages, Mapping):
        return
    if len(messages) > MESSAGES_MAX:
        yield (
            ("messages",),
            f"a conversation holds at most {MESSAGES_MAX} messages; this one has {len(messages)}",
        )
    for key, message in messages.items():
        if not isinstance(message, Mapping):
            continue
        yield from _text(("messages", key, "body"), message.get("body"), "a message")
        for index, button in enumerate(_list(message.get("buttons"))):
            if isinstance(button, Mapping):
                yield from _blank(("messages", key, "buttons", index, "label"), button.get("label"))
    start = spec.get("start")
    if isinstance(start, str) and start in messages and len(messages) <= MESSAGES_MAX:
        yield from _loops(messages, start)


def message_limits(spec: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """The problems of a message ad's subject, body and button (paths under the message's body)."""
    yield from _blank(("subject",), spec.get("subject"))
    body = spec.get("body")
    yield from _text(("body",), body, "a message ad")
    if isinstance(body, str):
        links = _LINK.findall(body)
        if len(links) > LINKS_MAX:
            yield ("body",), f"a message ad has at most {LINKS_MAX} links; this body has {len(links)}"
        for inner in links:
            text = _TAG.sub("", inner).strip()
            if len(text) > LINK_TEXT_MAX:
                yield (
                    ("body",),
                    f"a link's text may be at most {LINK_TEXT_MAX} characters; '{text}' is {len(text)}",
                )
    action = spec.get("callToAction")
    if isinstance(action, Mapping):
        yield from _blank(("callToAction", "label"), action.get("label"))


def emojis(text: str) -> int:
    """How many emojis ``text`` shows: a sequence joined by zero-width joiners, an emoji with its
    skin tone or presentation selector, and a flag (two regional indicators) each count once."""
    count, joined, regional = 0, False, False
    for char in text:
        point = ord(char)
        if point in (_ZWJ, _VS16, _KEYCAP) or _TONES[0] <= point <= _TONES[1]:
            joined = point == _ZWJ
            continue
        if _REGIONAL[0] <= point <= _REGIONAL[1]:
            if not regional:
                count += 1
            regional = not regional
            joined = False
            continue
        regional = False
        if not joined and any(low <= point <= high for low, high in _PICTOGRAPHS):
            count += 1
        joined = False
    return count


def _text(path: JsonPath, value: Any, what: str) -> Iterator[tuple[JsonPath, str]]:
    yield from _blank(path, value)
    if isinstance(value, str) and (found := emojis(value)) > EMOJIS_MAX:
        yield path, f"{what} may use at most {EMOJIS_MAX} emojis; this one uses {found}"


def _blank(path: JsonPath, value: Any) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, str) and value and not value.strip():
        yield path, "must not be blank (only spaces): LinkedIn refuses it"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _loops(messages: Mapping[str, Any], start: str) -> Iterator[tuple[JsonPath, str]]:
    """Each button that leads back to a message on its own way from the first message (a depth-first
    walk's back edges): the messages are created leaves first, so a loop can never be created."""
    done: set[str] = set()
    on_way: set[str] = set()

    def walk(key: str) -> Iterator[tuple[JsonPath, str]]:
        on_way.add(key)
        message = messages.get(key)
        buttons = _list(message.get("buttons")) if isinstance(message, Mapping) else []
        for index, button in enumerate(buttons):
            target = button.get("next") if isinstance(button, Mapping) else None
            if not isinstance(target, str) or target not in messages or target in done:
                continue
            if target in on_way:
                yield (
                    ("messages", key, "buttons", index, "next"),
                    (
                        f"button '{button.get('label')}' leads back to '{target}': a conversation is a "
                        "tree (its messages are created last first), so it cannot loop"
                    ),
                )
            else:
                yield from walk(target)
        on_way.discard(key)
        done.add(key)

    yield from walk(start)
