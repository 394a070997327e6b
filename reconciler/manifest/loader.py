"""Bytes of one manifest file -> a :class:`Document`, safely.

What this module guarantees:
- Safe YAML only: nodes are composed by PyYAML and turned into plain data here; no tag ever
  constructs an object. Explicit tags other than the standard str/int/float/bool/null/map/seq
  are refused.
- Scalars follow the YAML 1.2 core schema (what editors and the yaml-language-server use):
  ``true``/``false``, integers, floats and ``null`` are typed; everything else, dates included, stays
  a string (``2027-01-01`` is never turned into a date, ``NO`` is never ``False``).
- Duplicate keys are an error at the duplicate; PyYAML would silently keep the last one.
- Every key and value keeps its file:line:column (1-based, in characters).
- Alias expansion is bounded (a billion-laughs file fails fast), as is nesting depth; recursive
  aliases, binary files, invalid UTF-8, tab indentation and files over 10 MB get clear errors.

How it reads: the common document (no anchors, aliases, tags, merges or problems) goes straight
from libyaml's events to data (:mod:`~reconciler.manifest.fastload`); anything else goes through
PyYAML's node graph here, on libyaml's events where libyaml and PyYAML agree, else on PyYAML's
pure-Python reader, whose messages and positions are the ones every problem keeps.

It does not look at what the data means: that is the schema's and the rules' job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from yaml.composer import Composer
from yaml.error import Mark, MarkedYAMLError, YAMLError
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from reconciler.errors import Position, Problem
from reconciler.manifest.document import Document, JsonPath, Places, format_path
from reconciler.manifest.fastload import HAVE_LIBYAML, LibyamlComposer, Unusual, lazy_places, parse_plain
from reconciler.manifest.yamltags import MAP, MERGE, SEQ, TAG_PREFIX, CoreResolver, convert_scalar, short_tag

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ALIAS_VALUES = 50_000
MAX_DEPTH = 100


class _Composer(Reader, Scanner, Parser, Composer, CoreResolver):
    """PyYAML's pure-Python reader, scanner, parser and composer: text -> node graph, nothing more."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        CoreResolver.__init__(self)


class _Fatal(Exception):
    """The file cannot be turned into data at all; carries the one problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Parsed:
    """The outcome of parsing one file: the document (None when unreadable) and the problems found.

    ``reported`` holds paths the loader already complained about (duplicate keys, bad tags), so
    later stages do not report the same value again.
    """

    document: Document | None
    problems: list[Problem] = field(default_factory=list)
    reported: set[JsonPath] = field(default_factory=set)


def parse_document(file: str, raw: bytes) -> Parsed:
    """Parse the bytes of one manifest file named ``file`` (as it should be shown to the user).

    The common document is read straight from libyaml's events (:func:`fastload.parse_plain`, its
    places found only if asked for);
    anything else, problems included, goes through the node graph below.
    """
    try:
        text = _decode(file, raw)
        if _libyaml_reads(text):
            try:
                data, values, keys = parse_plain(file, text, MAX_DEPTH)
                return Parsed(Document(file, data, values, keys))
            except (Unusual, YAMLError, ValueError):
                pass
        node = _compose(file, text)
    except _Fatal as fatal:
        return Parsed(None, [fatal.problem])
    if node is None:
        empty = "the file is empty; a manifest starts with 'version: 1'"
        return Parsed(None, [Problem(Position(file, 1, 1), "", empty)])
    builder = _Builder(file)
    try:
        if "*" in text:  # only an alias (``*name``) can make a node appear twice
            builder.check_expansion(node)
        data = builder.build(node, (), 0)
    except _Fatal as fatal:
        return Parsed(None, [fatal.problem])
    document = Document(file, data, builder.values, builder.keys)
    return Parsed(document, builder.problems, builder.reported)


def document_from(
    file: str,
    raw: bytes,
    data: Any,
    places: tuple[dict[JsonPath, tuple[int, int]], dict[JsonPath, tuple[int, int]]] | None,
) -> Document:
    """The Document of ``raw`` from its data as :func:`parse_document` made it elsewhere (another
    process), with its (value, key) places, or None to find them from the text if ever asked for."""
    if places is not None:
        return Document(file, data, Places(file, places[0]), Places(file, places[1]))
    return Document(file, data, *lazy_places(file, _decode(file, raw), MAX_DEPTH))


def _decode(file: str, raw: bytes) -> str:
    """UTF-8 text without BOM, or a _Fatal naming the first offending byte."""
    if len(raw) > MAX_FILE_BYTES:
        size = len(raw) / (1024 * 1024)
        message = f"the file is {size:.1f} MB; manifests may be at most 10 MB"
        raise _Fatal(Problem(Position(file, 1, 1), "", message))
    nul = raw.find(b"\0")
    if nul >= 0:
        message = "binary file (NUL byte found); manifests are UTF-8 text"
        raise _Fatal(Problem(_byte_position(file, raw, nul), "", message))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = raw[err.start : err.start + 1].hex()
        message = f"invalid UTF-8 (byte 0x{bad}); manifests must be UTF-8 text"
        raise _Fatal(Problem(_byte_position(file, raw, err.start), "", message)) from None
    return text.removeprefix("\ufeff")


def _byte_position(file: str, raw: bytes, offset: int) -> Position:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return Position(file, raw.count(b"\n", 0, offset) + 1, column)


def _compose(file: str, text: str) -> Node | None:
    """The single document's root node (None for an empty file), or a _Fatal.

    libyaml (when PyYAML has it) reads what it can; a file it refuses is read again by the
    pure-Python parser, whose messages and positions are the ones reported.
    """
    if _libyaml_reads(text):
        try:
            return _compose_with(LibyamlComposer, file, text)
        except (_Fatal, YAMLError, ValueError):
            pass
    return _compose_with(_Composer, file, text)


def _libyaml_reads(text: str) -> bool:
    """Whether libyaml may read ``text``: it is there, and the text has no tab (libyaml accepts a tab
    after ``key:`` where PyYAML, and so the rule on tabs in this loader, refuses it)."""
    return HAVE_LIBYAML and "\t" not in text


# PyYAML composes nodes recursively, so how deep it gets before a RecursionError depends on how deep
# the caller's stack already is (this process or the manifest child): nesting beyond this is refused
# before composing, the same wherever it is read. Within it, the builder's limit (MAX_DEPTH) speaks.
COMPOSE_DEPTH = 200


def _too_deep(factory: type[Any], text: str) -> Mark | None:
    """Where ``text`` first nests deeper than COMPOSE_DEPTH (read as events: no recursion), if it does."""
    events: Any = None
    depth = 0
    try:
        events = factory(text)
        while not events.check_event(StreamEndEvent):
            event = events.get_event()
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                depth += 1
                if depth > COMPOSE_DEPTH:
                    mark: Any = event.start_mark
                    return cast(Mark, mark)
            elif isinstance(event, MappingEndEvent | SequenceEndEvent):
                depth -= 1
    except (YAMLError, RecursionError):
        return None  # composing will report it
    finally:
        if events is not None:
            events.dispose()
    return None


def _compose_with(factory: type[Any], file: str, text: str) -> Node | None:
    composer: Any = None
    deep = _too_deep(factory, text)
    if deep is not None:
        raise _Fatal(Problem(_position(file, deep), "", "the YAML nests too deeply to be read"))
    try:
        composer = factory(text)
        composer.get_event()  # the stream start
        node = None
        if not composer.check_event(StreamEndEvent):
            node = composer.compose_document()
        if not composer.check_event(StreamEndEvent):
            mark = composer.get_event().start_mark
            message = "a manifest file holds one YAML document; move this one to a file of its own"
            raise _Fatal(Problem(_position(file, mark), "", message))
        return node
    except MarkedYAMLError as err:
        raise _Fatal(_yaml_problem(file, text, err)) from None
    except ReaderError as err:
        message = f"unacceptable character #x{err.character:04x}: control characters are not allowed"
        raise _Fatal(Problem(_offset_position(file, text, err.position), "", message)) from None
    except RecursionError:
        raise _Fatal(Problem(Position(file, 1, 1), "", "the YAML nests too deeply to be read")) from None
    finally:
        if composer is not None:
            composer.dispose()


def _offset_position(file: str, text: str, offset: int) -> Position:
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(file, text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _position(file: str, mark: Mark) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


def _yaml_problem(file: str, text: str, err: MarkedYAMLError) -> Problem:
    """PyYAML's complaint, at the place it gives, in one line; tab indentation named as such."""
    mark = err.problem_mark or err.context_mark
    position = _position(file, mark) if mark else Position(file, 1, 1)
    if mark is not None and _tab_at(text, mark):
        return Problem(position, "", "tab character in indentation; YAML indents with spaces only")
    message = f"invalid YAML: {err.problem or err.context}"
    if err.context and err.problem and err.context_mark is not None:
        where = _position(file, err.context_mark)
        message += f" ({err.context} at line {where.line}, column {where.column})"
    if "<block end>" in message:
        message += "; check the indentation"
    return Problem(position, "", message)


def _tab_at(text: str, mark: Mark) -> bool:
    lines = text.split("\n")
    if mark.line >= len(lines):
        return False
    line = lines[mark.line]
    return line[mark.column : mark.column + 1] == "\t" or "\t" in line[: len(line) - len(line.lstrip())]


class _Builder:
    """Node graph -> plain data, recording positions and collecting non-fatal problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}
        self.problems: list[Problem] = []
        self.reported: set[JsonPath] = set()
        self._active: set[int] = set()
        self._expanded = 0
        self._sizes: dict[int, int] = {}
        self._sizing: set[int] = set()

    def build(self, node: Node, path: JsonPath, depth: int) -> Any:
        """The plain value of ``node`` found at ``path``."""
        where = _position(self.file, node.start_mark)
        self._guard(node, path, depth, where)
        self.values[path] = where
        if isinstance(node, ScalarNode):
            return self._scalar(node, path, where)
        self._active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                self._check_tag(node, SEQ, path, where)
                items = enumerate(node.value)
                return [self.build(item, (*path, i), depth + 1) for i, item in items]
            assert isinstance(node, MappingNode)
            self._check_tag(node, MAP, path, where)
            return self._mapping(node, path, depth)
        finally:
            self._active.discard(id(node))

    def _guard(self, node: Node, path: JsonPath, depth: int, where: Position) -> None:
        if id(node) in self._active:
            message = "this alias refers to a value that contains it (a recursive alias)"
            raise _Fatal(Problem(where, format_path(path), message))
        if depth > MAX_DEPTH:
            raise _Fatal(Problem(where, format_path(path), f"the YAML nests deeper than {MAX_DEPTH} levels"))

    def check_expansion(self, root: Node) -> None:
        """Refuse a document whose aliases expand to too many values, before building any of it.

        Walks the node graph once in document order (an alias is sized, not entered), so an alias
        bomb is caught in time proportional to the file, not to its expansion.
        """
        seen: set[int] = set()
        expanded = 0

        def walk(node: Node, path: JsonPath, cite: tuple[JsonPath, Mark]) -> None:
            nonlocal expanded
            if id(node) in seen:
                expanded += self._size(node)
                if expanded > MAX_ALIAS_VALUES:
                    message = (
                        f"YAML aliases expand to more than {MAX_ALIAS_VALUES:,} values (an alias bomb?); "
                        "use 'audiences' and 'defaults' for reuse instead"
                    )
                    raise _Fatal(Problem(_position(self.file, cite[1]), format_path(cite[0]), message))
                return
            seen.add(id(node))
            if isinstance(node, SequenceNode):
                for index, item in enumerate(node.value):
                    walk(item, (*path, index), cite)
            elif isinstance(node, MappingNode):
                for key, value in node.value:
                    child = (*path, str(key.value)) if isinstance(key, ScalarNode) else path
                    walk(key, path, cite)
                    walk(value, child, (child, key.start_mark))

        walk(root, (), ((), root.start_mark))

    def _size(self, node: Node) -> int:
        """How many nodes ``node`` stands for once expanded (memoised, so a bomb costs nothing to size)."""
        key = id(node)
        if key in self._sizes:
            return self._sizes[key]
        if key in self._sizing:
            return 0  # a recursive alias: build() reports it
        self._sizing.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(self._size(item) for item in node.value)
        elif isinstance(node, MappingNode):
            total += sum(self._size(k) + self._size(v) for k, v in node.value)
        self._sizing.discard(key)
        self._sizes[key] = total
        return total

    def _check_tag(self, node: Node, expected: str, path: JsonPath, where: Position) -> None:
        if node.tag != expected:
            self._report(path, where, f"unsupported YAML tag '{short_tag(node.tag)}'")

    def _report(self, path: JsonPath, where: Position, message: str) -> None:
        self.problems.append(Problem(where, format_path(path), message))
        self.reported.add(path)

    def _scalar(self, node: ScalarNode, path: JsonPath, where: Position) -> Any:
        text: str = node.value
        try:
            return convert_scalar(node.tag, text)
        except KeyError:
            self._report(path, where, f"unsupported YAML tag '{short_tag(node.tag)}'")
        except ValueError:
            self._report(path, where, f"'{text}' is not a valid {node.tag.removeprefix(TAG_PREFIX)}")
        return text

    def _mapping(self, node: MappingNode, path: JsonPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node, merged in self._pairs(node, path):
            if not isinstance(key_node, ScalarNode):
                where = _position(self.file, key_node.start_mark)
                self._report(path, where, "mapping keys must be plain names, not lists or mappings")
                continue
            key: str = key_node.value
            child = (*path, key)
            if key in out:
                if not merged:  # explicit keys win over merged ones; two explicit ones are an error
                    self._duplicate(key_node, child)
                continue
            self.keys[child] = _position(self.file, key_node.start_mark)
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def _duplicate(self, key_node: ScalarNode, path: JsonPath) -> None:
        first = self.keys[path]
        where = _position(self.file, key_node.start_mark)
        message = (
            f"duplicate key '{key_node.value}' (first at line {first.line}, column {first.column}); "
            "YAML would silently keep only the last one"
        )
        self._report(path, where, message)

    def _pairs(self, node: MappingNode, path: JsonPath) -> list[tuple[Node, Node, bool]]:
        """The entries of a mapping: its own first, then those merged in with ``<<`` (in order)."""
        own: list[tuple[Node, Node, bool]] = []
        merged: list[tuple[Node, Node, bool]] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == MERGE:
                merged.extend((k, v, True) for k, v, _ in self._merge_sources(value_node, path, set()))
            else:
                own.append((key_node, value_node, False))
        return own + merged

    def _merge_sources(
        self, value: Node, path: JsonPath, visiting: set[int]
    ) -> list[tuple[Node, Node, bool]]:
        sources = value.value if isinstance(value, SequenceNode) else [value]
        out: list[tuple[Node, Node, bool]] = []
        for source in sources:
            if not isinstance(source, MappingNode):
                where = _position(self.file, source.start_mark)
                self._report(path, where, "'<<' merges a mapping or a list of mappings")
                continue
            if id(source) in visiting:
                where = _position(self.file, source.start_mark)
                raise _Fatal(Problem(where, format_path(path), "'<<' merges a mapping into itself"))
            visiting.add(id(source))
            for key_node, value_node in source.value:
                if isinstance(key_node, ScalarNode) and key_node.tag == MERGE:
                    out.extend(self._merge_sources(value_node, path, visiting))
                else:
                    out.append((key_node, value_node, True))
            visiting.discard(id(source))
        return out
