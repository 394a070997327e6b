"""A parsed manifest file: plain data plus the file:line:column of every key and value.

The data is what JSON Schema validates (dicts with string keys, lists, str, int, float, bool,
None); the positions live beside it, keyed by the value's path from the document root, so the
data itself stays plain. A path element is a mapping key (str) or a list index (int).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from reconciler.errors import Position, Problem

JsonPath: TypeAlias = tuple[str | int, ...]


def format_path(path: Iterable[str | int]) -> str:
    """A path in manifest terms: ``campaignGroups[0].campaigns[2].dailyBudget``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class Places(Mapping[JsonPath, Position]):
    """Positions by path, kept as (line, column) pairs and made into Positions when looked up: a
    document of 5,000 campaigns has half a million places, and only those of problems and resources
    are ever asked for (a Position costs a microsecond to make, a pair a hundredth of that).

    Either the pairs are given, or ``find`` makes them on first use (once; see
    :func:`reconciler.manifest.fastload.parse_plain`).
    """

    __slots__ = ("_find", "_pairs", "file")

    def __init__(
        self,
        file: str,
        pairs: dict[JsonPath, tuple[int, int]] | None = None,
        *,
        find: Callable[[], dict[JsonPath, tuple[int, int]]] | None = None,
    ) -> None:
        self.file = file
        self._pairs = pairs if pairs is not None or find is None else None
        self._find = find

    @property
    def pairs(self) -> dict[JsonPath, tuple[int, int]]:
        """The (line, column) pairs by path."""
        pairs = self._pairs
        if pairs is None:
            assert self._find is not None  # kept once used: two threads finding at once both succeed
            pairs = self._pairs = self._find()
        return pairs

    def __getitem__(self, path: JsonPath) -> Position:
        line, column = self.pairs[path]
        return Position(self.file, line, column)

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def place_of(values: Mapping[JsonPath, Position], file: str, path: JsonPath) -> Position:
    """Where the value at ``path`` is in a file with these value places, or its nearest ancestor's
    place when it is absent (the file's start when nothing is)."""
    for end in range(len(path), -1, -1):
        found = values.get(path[:end])
        if found is not None:
            return found
    return Position(file, 1, 1)


@dataclass(frozen=True)
class Document:
    """One manifest file. ``file`` is the path as the user gave it (or relative to a directory given).

    ``values[path]`` is where the value at ``path`` starts; ``keys[path]`` where the key of the
    mapping entry ending at ``path`` starts. Every path present in ``data`` has a ``values`` entry.
    """

    file: str
    data: Any
    values: Mapping[JsonPath, Position] = field(default_factory=dict)
    keys: Mapping[JsonPath, Position] = field(default_factory=dict)

    def position(self, path: JsonPath) -> Position:
        """Where the value at ``path`` is, or its nearest ancestor's place when it is absent."""
        return place_of(self.values, self.file, path)

    def key_position(self, path: JsonPath) -> Position:
        """Where the key of the entry at ``path`` is; the value's place for list items and the root."""
        return self.keys.get(path) or self.position(path)

    def get(self, path: JsonPath) -> Any:
        """The value at ``path``, or None when the path does not exist."""
        node = self.data
        for part in path:
            found = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
            found = found or (isinstance(node, dict) and part in node)
            if not found:
                return None
            node = node[part]
        return node


@dataclass(frozen=True)
class Loc:
    """A place in a document, by path: what rules use to cite the value they judge."""

    doc: Document
    path: JsonPath

    def child(self, *parts: str | int) -> Loc:
        """The place of a value below this one."""
        return Loc(self.doc, self.path + parts)

    @property
    def position(self) -> Position:
        """The value's file:line:column."""
        return self.doc.position(self.path)

    @property
    def key_position(self) -> Position:
        """The file:line:column of the value's key (for "unknown field" style problems)."""
        return self.doc.key_position(self.path)

    @property
    def dotted(self) -> str:
        """The field path in manifest terms."""
        return format_path(self.path)

    def problem(self, message: str, *, at_key: bool = False) -> Problem:
        """A Problem about this value, cited at the value (or its key)."""
        return Problem(self.key_position if at_key else self.position, self.dotted, message)
