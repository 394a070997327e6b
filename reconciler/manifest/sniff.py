"""Which ad account a manifest file names, found from the first YAML events of its bytes.

A project of many accounts is loaded and planned account by account (so memory is bounded by the
largest account, not the sum); for that, each file must be assigned to its account before it is
loaded. :func:`account_of` reads libyaml's events only as far as the top-level ``account: {id: N}``
(the first lines of every file ``reconciler import`` writes) and stops there.

It is deliberately narrow: it answers only for a plain decimal ``id`` (no tag, quote, anchor or alias)
of a plain ``account`` key in a top-level mapping, the one form whose value the loader (YAML 1.2
core schema) is certain to read as that same integer. Anything else — a YAML error before the id,
an ``account`` that is an alias or carries a tag, an id written ``0x1F`` — answers None, and the
caller then loads the project in one piece, as the loader always could. Validating the file is the
loader's job, never this module's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
    StreamStartEvent,
)

_DECIMAL = re.compile(r"[0-9]{1,19}")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def account_of(raw: bytes) -> int | None:
    """The ad account id of the top-level ``account`` mapping of ``raw``; None when it cannot be told
    for certain without loading the file."""
    try:
        return _account(yaml.parse(raw, Loader=_LOADER))
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, StopIteration):
        return None


def _account(events: Iterator[Event]) -> int | None:
    if not isinstance(next(events), StreamStartEvent) or not isinstance(next(events), DocumentStartEvent):
        return None
    top = next(events)
    if not isinstance(top, MappingStartEvent) or top.tag is not None or top.anchor is not None:
        return None
    while True:
        key = next(events)
        if not _plain(key):
            return None  # the end of the mapping, or a key this module does not follow (e.g. ``<<``)
        assert isinstance(key, ScalarEvent)
        if key.value == "account":
            return _id(events)
        _skip(events)


def _id(events: Iterator[Event]) -> int | None:
    start = next(events)
    if not isinstance(start, MappingStartEvent) or start.tag is not None:
        return None
    while True:
        key = next(events)
        if not _plain(key):
            return None
        assert isinstance(key, ScalarEvent)
        if key.value == "id":
            value = next(events)
            if _plain(value) and isinstance(value, ScalarEvent) and _DECIMAL.fullmatch(value.value):
                return int(value.value)
            return None
        _skip(events)


def _plain(event: Event) -> bool:
    """A plain (unquoted, untagged, unanchored) scalar: read by the loader exactly as written."""
    return (
        isinstance(event, ScalarEvent)
        and event.tag is None
        and event.anchor is None
        and not event.style  # None (PyYAML) or "" (libyaml) for plain
        and event.implicit[0]
    )


def _skip(events: Iterator[Event]) -> None:
    """Pass over one value (a scalar, an alias, or a whole collection)."""
    event = next(events)
    if isinstance(event, ScalarEvent | AliasEvent):
        return
    if not isinstance(event, CollectionStartEvent):
        raise ValueError("not a value")
    depth = 1
    while depth:
        event = next(events)
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
