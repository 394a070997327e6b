"""The loader's fast paths on libyaml (when PyYAML was built with it): YAML events made in C.

- :class:`LibyamlComposer`: libyaml's parser under PyYAML's Python composer. It builds the same
  nodes and marks as the pure-Python reader of :mod:`~reconciler.manifest.loader`, which uses it
  whenever it can. libyaml's own composer is not used: it overflows the C stack on deeply nested
  input, where Python's ends in a RecursionError the loader reports.
- :func:`parse_direct`: events straight to plain data and positions, with no node graph at all,
  for the common document: no anchor, alias, explicit tag or merge key, keys that are plain
  scalars, no duplicate key, scalars that convert, nesting within the limit. It raises
  :class:`Unusual` for anything else, and the loader then takes its node-graph path, which handles
  every case and words every problem.

For the 101 files (5 MB) of an account at LinkedIn's limits: pure-Python reader and node graph
14.2 s, libyaml events under the composer 1.8 s, direct 1.0 s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.error import YAMLError
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from reconciler.manifest.document import JsonPath, Places
from reconciler.manifest.yamltags import MERGE, STR, CoreResolver, convert_scalar

HAVE_LIBYAML: bool = yaml.__with_libyaml__
try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the loader reads everything in Python
    CParser = object  # type: ignore[assignment,misc]
    HAVE_LIBYAML = False
_NODE_STARTS = (ScalarEvent, MappingStartEvent, SequenceStartEvent)


class Unusual(Exception):
    """The document needs the loader's node graph (see :func:`parse_direct`)."""


class PythonOnly(YAMLError):
    """Where libyaml and PyYAML disagree, so the pure-Python reader must read the file: an empty
    plain scalar (libyaml marks it at the next token, PyYAML right after the previous one) or a
    non-specific ``!`` tag (libyaml makes an empty one a string, PyYAML null)."""


def _python_only(event: Any, kind: type) -> bool:
    return event.tag == "!" or (kind is ScalarEvent and event.value == "" and event.implicit[0])


# The first characters of the plain scalars the core schema may type (and of ``<<``): any other plain
# scalar, and every quoted or block one, is a string whatever follows, so it needs no resolver.
_TYPED_FIRST = frozenset(first for first in CoreResolver.yaml_implicit_resolvers if first)


def _plain_string(text: str, implicit: tuple[bool, bool]) -> bool:
    """Whether an untagged scalar is a string without asking the resolver (most are: names, URNs)."""
    return not implicit[0] or (text != "" and text[0] not in _TYPED_FIRST)


class LibyamlComposer(CParser, Composer, CoreResolver):
    """libyaml's parser (text -> events, in C) under PyYAML's Python composer.

    :meth:`compose_node` is PyYAML's for nodes without an anchor, in fewer steps: one event fetch
    per node, no resolver descend/ascend (only path resolvers use them, and the core resolver has
    none), plain scalars' tags remembered by value. Aliases and anchored nodes take PyYAML's own.
    """

    _resolve: Any = BaseResolver.resolve  # untyped in the stubs

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        Composer.__init__(self)
        CoreResolver.__init__(self)
        self._tags: dict[tuple[str, Any], str] = {}

    def scalar_tag(self, event: Any) -> str:
        """The tag of a scalar event: its own, or resolved from its text (remembered by text)."""
        tag: str | None = event.tag
        if tag is None and _plain_string(event.value, event.implicit):
            return STR
        if tag is None or tag == "!":
            key = (event.value, event.implicit)
            tag = self._tags.get(key)
            if tag is None:
                tag = self._tags[key] = self._resolve(ScalarNode, event.value, event.implicit)
        return tag

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        event: Any = self.peek_event()
        kind = type(event)
        if kind in _NODE_STARTS and _python_only(event, kind):
            raise PythonOnly("read in Python")
        if event.anchor is not None or kind not in _NODE_STARTS:
            node = Composer.compose_node(self, parent, index)
            assert node is not None
            return node
        self.get_event()
        if kind is ScalarEvent:
            tag = self.scalar_tag(event)
            return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        tag = event.tag
        if kind is SequenceStartEvent:
            if tag is None or tag == "!":
                tag = self._resolve(SequenceNode, None, event.implicit)
            items = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
            while type(self.peek_event()) is not SequenceEndEvent:
                items.value.append(self.compose_node(items, len(items.value)))
            items.end_mark = self._end_mark()
            return items
        if tag is None or tag == "!":
            tag = self._resolve(MappingNode, None, event.implicit)
        pairs = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
        while type(self.peek_event()) is not MappingEndEvent:
            key_node = self.compose_node(pairs, None)
            pairs.value.append((key_node, self.compose_node(pairs, key_node)))
        pairs.end_mark = self._end_mark()
        return pairs

    def _end_mark(self) -> Any:
        end: Any = self.get_event()
        return end.end_mark


assert not CoreResolver.yaml_path_resolvers  # compose_node skips descend_resolver/ascend_resolver


def parse_direct(file: str, text: str, max_depth: int) -> tuple[Any, Places, Places]:
    """(data, value places, key places) of the one document in ``text``, exactly as the loader's
    node graph would give them; :class:`Unusual` (or libyaml's YAMLError) otherwise."""
    reader = _Direct(LibyamlComposer(text), max_depth)
    try:
        data = reader.document()
    finally:
        reader.events.dispose()
    return data, Places(file, reader.values), Places(file, reader.keys)


def parse_plain(file: str, text: str, max_depth: int) -> tuple[Any, Places, Places]:
    """As :func:`parse_direct`, but the places are found when first asked for, by reading ``text``
    again: a valid document never needs them (only problems and their resources do), and leaving
    them out makes the read about a third cheaper (1.1 s -> 0.8 s for the 5 MB at the limits)."""
    events = LibyamlComposer(text)
    try:
        data = _Plain(events, max_depth).document()
    finally:
        events.dispose()
    return (data, *lazy_places(file, text, max_depth))


def lazy_places(file: str, text: str, max_depth: int) -> tuple[Places, Places]:
    """(value places, key places) of ``text``, read from it (once, for both) when first asked for."""
    found: list[tuple[Places, Places]] = []

    def places() -> tuple[Places, Places]:
        if not found:
            _, values, keys = parse_direct(file, text, max_depth)
            found.append((values, keys))
        return found[0]

    return Places(file, find=lambda: places()[0].pairs), Places(file, find=lambda: places()[1].pairs)


def _one_document(events: LibyamlComposer, read_root: Callable[[], Any]) -> Any:
    """The value ``read_root`` reads between the stream's one document start and end."""
    events.get_event()  # the stream start
    if type(events.peek_event()) is not DocumentStartEvent:
        raise Unusual("no document")
    events.get_event()
    data = read_root()
    if type(events.get_event()) is not DocumentEndEvent or type(events.peek_event()) is not StreamEndEvent:
        raise Unusual("more than one document")
    return data


def _plain_start(event: Any, depth: int, max_depth: int) -> type:
    """The kind of an event that starts a value with no anchor or tag within the depth limit;
    :class:`Unusual` for any other."""
    kind = type(event)
    if kind not in _NODE_STARTS or event.anchor is not None or event.tag is not None or depth > max_depth:
        raise Unusual("an alias, anchor or tag, or deep nesting")
    return kind


class _Plain:
    """Events -> data, no places: the same judgement as :class:`_Direct` in fewer steps per event
    (this is the hot loop of loading: 280,000 events at the limits). A scalar's value is
    remembered by its text and style, and scalars below a mapping are read in the mapping's loop."""

    def __init__(self, events: LibyamlComposer, max_depth: int) -> None:
        self.events = events
        self.max_depth = max_depth
        self.scalars: dict[tuple[str, Any], Any] = {}

    def document(self) -> Any:
        return _one_document(self.events, lambda: self.value(self.events.get_event(), 0))

    def scalar(self, event: Any) -> Any:
        """The value of a scalar event without anchor or tag."""
        key = (event.value, event.implicit)
        found = self.scalars.get(key, _UNSEEN)
        return self.new_scalar(event, key) if found is _UNSEEN else found

    def new_scalar(self, event: Any, key: tuple[str, Any]) -> Any:
        """:meth:`scalar` of a text and style not seen before (``key``), remembered."""
        value = event.value
        if not _plain_string(value, event.implicit):
            if _python_only(event, ScalarEvent):
                raise PythonOnly("read in Python")
            try:
                value = convert_scalar(self.events.scalar_tag(event), value)
            except (KeyError, ValueError):
                raise Unusual("a scalar that does not convert") from None
        self.scalars[key] = value
        return value

    def value(self, event: Any, depth: int) -> Any:
        """The value that ``event`` starts, at nesting ``depth``."""
        kind = _plain_start(event, depth, self.max_depth)
        if kind is ScalarEvent:
            return self.scalar(event)
        if _python_only(event, kind):
            raise PythonOnly("read in Python")
        if kind is SequenceStartEvent:
            items: list[Any] = []
            get = self.events.get_event
            event = get()
            while type(event) is not SequenceEndEvent:
                items.append(self.value(event, depth + 1))
                event = get()
            return items
        return self.mapping(depth)

    def mapping(self, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        get, new_scalar, scalars = self.events.get_event, self.new_scalar, self.scalars
        leaf_ok = depth < self.max_depth  # the depth a child of this mapping may have
        while True:
            key: Any = get()
            if type(key) is MappingEndEvent:
                return out
            if type(key) is not ScalarEvent or key.anchor is not None or key.tag is not None:
                raise Unusual("a key that is not a plain scalar")
            name = key.value
            if name in out or (name == "<<" and self.events.scalar_tag(key) == MERGE):
                raise Unusual("a duplicate key or a merge")
            event: Any = get()
            if type(event) is ScalarEvent and event.anchor is None and event.tag is None and leaf_ok:
                seen = (event.value, event.implicit)
                found = scalars.get(seen, _UNSEEN)
                out[name] = new_scalar(event, seen) if found is _UNSEEN else found
            else:
                out[name] = self.value(event, depth + 1)


_UNSEEN = object()


class _Direct:
    """Events -> data and the place of every value and key by path."""

    def __init__(self, events: LibyamlComposer, max_depth: int) -> None:
        self.events = events
        self.max_depth = max_depth
        self.values: dict[JsonPath, tuple[int, int]] = {}  # 1-based (line, column)
        self.keys: dict[JsonPath, tuple[int, int]] = {}

    def document(self) -> Any:
        return _one_document(self.events, lambda: self.value((), 0))

    def value(self, path: JsonPath, depth: int) -> Any:
        """The value whose events start now, at ``path``; its place recorded before its children's."""
        event: Any = self.events.get_event()
        kind = _plain_start(event, depth, self.max_depth)
        if _python_only(event, kind):
            raise PythonOnly("read in Python")
        mark = event.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if kind is ScalarEvent:
            try:
                return convert_scalar(self.events.scalar_tag(event), event.value)
            except (KeyError, ValueError):
                raise Unusual("a scalar that does not convert") from None
        if kind is SequenceStartEvent:
            items: list[Any] = []
            while type(self.events.peek_event()) is not SequenceEndEvent:
                items.append(self.value((*path, len(items)), depth + 1))
            self.events.get_event()
            return items
        return self.mapping(path, depth)

    def mapping(self, path: JsonPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while type(self.events.peek_event()) is not MappingEndEvent:
            key: Any = self.events.get_event()
            if type(key) is not ScalarEvent or key.anchor is not None or key.tag is not None:
                raise Unusual("a key that is not a plain scalar")
            if key.value in out or self.events.scalar_tag(key) == MERGE:
                raise Unusual("a duplicate key or a merge")
            child = (*path, key.value)
            mark: Any = key.start_mark
            self.keys[child] = (mark.line + 1, mark.column + 1)
            out[key.value] = self.value(child, depth + 1)
        self.events.get_event()
        return out
