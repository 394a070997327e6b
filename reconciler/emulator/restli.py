"""The emulator's own Rest.li parser: query strings, keys and projections, as a server reads them.

Owns: turning the raw, still percent-encoded request target into Python values:

* protocol 2.0 values — ``List(a,b)``, records ``(k:v,k2:v2)``, nesting, ``''`` for the empty
  string, percent-encoded primitives; URNs with raw colons are accepted (a colon only separates a
  record key from its value);
* protocol 1.0 / legacy forms — repeated parameters (``ids=1&ids=2``) and dotted names
  (``search.status.values[0]=ACTIVE``), accepted under both protocols as LinkedIn's own samples use them;
* ``fields=`` projections (LinkedIn keeps the 1.0 form ``fields=a,b,c:(d)``);
* reduced encoding of keys in batch maps and headers.

Primitives come back as ``str``; the resource layer converts them. A structural character that
arrives percent-encoded stays inside a primitive, so the caller's type check turns it into the
documented PARAM_INVALID answer.

Must not: import anything from the client package (a parser shared with the client would agree
with the client's bugs).
"""

from __future__ import annotations

import functools
import re
from typing import Any, TypeAlias
from urllib.parse import unquote

Value: TypeAlias = str | list["Value"] | dict[str, "Value"]
Params = dict[str, Value]
Projection = dict[str, "Projection | None"]

_STRUCTURAL = ",()':%"
# The deepest Rest.li value, projection or dotted parameter name read. Real finders nest three or
# four levels (``search=(status:(values:List(ACTIVE)))``); LinkedIn's own limit is not documented, so
# this is a guess with a margin. Deeper input is a syntax error (400), never a failed recursion (500).
MAX_NESTING = 32
_INDEXED = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>\d+)\]$")


class RestliSyntaxError(ValueError):
    """A value could not be parsed; ``param`` names the offending query parameter."""

    def __init__(self, param: str, detail: str) -> None:
        super().__init__(f"{param}: {detail}")
        self.param = param


@functools.lru_cache(maxsize=1 << 16)
def decode(raw: str, param: str = "") -> str:
    """Percent-decode one primitive; malformed escapes or non-UTF-8 bytes are a syntax error.

    Cached (strings in, a string out): every page of a paged search sends the same criteria again,
    for creatives often hundreds of campaign URNs.
    """
    if "%" in raw and re.search(r"%(?![0-9A-Fa-f]{2})", raw):
        raise RestliSyntaxError(param, "malformed percent escape")
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError as exc:
        raise RestliSyntaxError(param, "percent escape is not UTF-8") from exc


# "%" first, so the escapes of the others are not escaped again. One ``str.replace`` per character
# (str.translate with multi-character replacements is ten times slower on a URN).
_REDUCED = tuple((c, f"%{ord(c):02X}") for c in sorted(_STRUCTURAL, key=lambda c: c != "%"))


def reduced_encode(text: str) -> str:
    """Rest.li reduced encoding (batch map keys, ``x-restli-id``): only ``% , ( ) ' :`` escaped."""
    for char, escape in _REDUCED:
        if char in text:
            text = text.replace(char, escape)
    return text


@functools.cache
def _stop_pattern(stops: str) -> re.Pattern[str]:
    """Matches any character of ``stops`` and either parenthesis."""
    return re.compile("[" + re.escape(stops + "()") + "]")


class _Reader:
    """Recursive-descent reader over one raw (still encoded) protocol 2.0 value."""

    def __init__(self, raw: str, param: str) -> None:
        self.raw = raw
        self.pos = 0
        self.param = param
        self.depth = 0

    def fail(self, detail: str) -> RestliSyntaxError:
        return RestliSyntaxError(self.param, f"{detail} at offset {self.pos}")

    def value(self, stops: str) -> Value:
        if not self.raw.startswith(("List(", "("), self.pos):
            return self.primitive(stops)
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(f"nesting deeper than {MAX_NESTING} levels")
        if self.raw.startswith("List(", self.pos):
            self.pos += 5
            found: Value = self.list_body()
        else:
            self.pos += 1
            found = self.record_body()
        self.depth -= 1
        return found

    def list_body(self) -> list[Value]:
        end = self.raw.find(")", self.pos)
        if end >= 0 and self.raw.find("(", self.pos, end) < 0:
            # Primitives only, read in one step: a creatives search by 250 campaign URNs sends one
            # such list on every page (3 ms a page read item by item), a batch get 200 post URNs.
            body, self.pos = self.raw[self.pos : end], end + 1
            if not body:
                return []
            texts = body.split(",")
            # Decoded at once (one escape never spans a comma), unless an item holds an encoded
            # comma: then decoding would split it, and the items are decoded one by one.
            decoded = decode(body, self.param).split(",")
            if len(decoded) != len(texts):
                decoded = [decode(text, self.param) for text in texts]
            return ["" if text == "''" else item for text, item in zip(texts, decoded, strict=True)]
        items: list[Value] = []
        if self.take(")"):
            return items
        while True:
            items.append(self.value(",)"))
            if self.take(")"):
                return items
            if not self.take(","):
                raise self.fail("expected ',' or ')' in List")

    def record_body(self) -> dict[str, Value]:
        record: dict[str, Value] = {}
        if self.take(")"):
            return record
        while True:
            key = self.primitive(":,)")
            if not self.take(":"):
                raise self.fail("expected ':' after record key")
            if not key:
                raise self.fail("empty record key")
            record[key] = self.value(",)")
            if self.take(")"):
                return record
            if not self.take(","):
                raise self.fail("expected ',' or ')' in record")

    def primitive(self, stops: str) -> str:
        start = self.pos
        # The first stop or parenthesis, found by a regular expression: a loop over characters cost
        # the emulator 8 ms a page for creatives searched by 250 campaign URNs.
        found = _stop_pattern(stops).search(self.raw, start)
        self.pos = found.start() if found else len(self.raw)
        if found and found.group() not in stops:
            raise self.fail("unexpected parenthesis")
        text = self.raw[start : self.pos]
        if text == "''":
            return ""
        return decode(text, self.param)

    def take(self, char: str) -> bool:
        if self.raw.startswith(char, self.pos):
            self.pos += len(char)
            return True
        return False


def parse_value(raw: str, param: str = "") -> Value:
    """Parse one protocol 2.0 value as sent on the wire; the whole text must be consumed."""
    reader = _Reader(raw, param)
    if raw.startswith(("List(", "(")):
        result = reader.value("")
        if reader.pos != len(raw):
            raise reader.fail("trailing characters")
        return result
    if "(" in raw or ")" in raw:
        raise reader.fail("unexpected parenthesis")
    return "" if raw == "''" else decode(raw, param)


def split_query(raw_query: str) -> list[tuple[str, str]]:
    """Split a raw query string into (decoded name, raw value) pairs, keeping order and repeats."""
    pairs: list[tuple[str, str]] = []
    for part in raw_query.split("&"):
        if not part:
            continue  # the official client sends "?&fields=" (recorded request 4)
        name, _, value = part.partition("=")
        pairs.append((decode(name, name), value))
    return pairs


def parse_query(raw_query: str, *, v2: bool) -> Params:
    """All parameters of a raw query string; ``v2`` selects protocol 2.0 value syntax.

    ``fields`` is kept raw (see :func:`parse_projection`), and so is ``projection`` (the decoration
    syntax, ``(elements*(*,organization~(localizedName)))``, is no Rest.li value). Dotted and
    indexed names build nested records and lists; a repeated plain name becomes a list (protocol
    1.0 batch ids).
    """
    tree: dict[str | int, Any] = {}
    for name, raw in split_query(raw_query):
        if name in ("fields", "projection"):
            tree[name] = raw
            continue
        value = parse_value(raw, name) if v2 else decode(raw, name)
        path = _path_of(name)
        if len(path) == 1 and path[0] in tree:
            existing = tree[path[0]]
            tree[path[0]] = [*existing, value] if isinstance(existing, list) else [existing, value]
            continue
        node = tree
        for step in path[:-1]:
            node = node.setdefault(step, {})
            if not isinstance(node, dict):
                raise RestliSyntaxError(name, "conflicting parameter shapes")
        if path[-1] in node:
            raise RestliSyntaxError(name, "parameter given twice")
        node[path[-1]] = value
    finished = _finish(tree, "query")
    assert isinstance(finished, dict)
    return finished


def _path_of(name: str) -> list[str | int]:
    path: list[str | int] = []
    if name.count(".") + name.count("[") > MAX_NESTING:
        raise RestliSyntaxError(name[:100], f"nesting deeper than {MAX_NESTING} levels")
    for piece in name.split("."):
        match = _INDEXED.match(piece)
        if match:
            path.extend([match["name"], int(match["index"])])
        elif piece:
            path.append(piece)
        else:
            raise RestliSyntaxError(name, "empty name segment")
    return path


def _finish(node: Any, name: str) -> Value:
    """Turn the index-keyed dicts built from ``a[0]``/``a[1]`` names into lists."""
    if isinstance(node, list):
        return [item if type(item) is str else _finish(item, name) for item in node]
    if not isinstance(node, dict):
        return str(node)
    keys = list(node)
    if keys and all(isinstance(k, int) for k in keys):
        if sorted(keys) != list(range(len(keys))):
            # Indices must be 0, 1, 2… as every client sends them; gaps are ambiguous.
            raise RestliSyntaxError(name, "list indices must be consecutive from 0")
        return [_finish(node[i], name) for i in range(len(keys))]
    if any(isinstance(k, int) for k in keys):
        raise RestliSyntaxError(name, "mixed indexed and named parameters")
    return {str(k): _finish(v, str(k) if name == "query" else name) for k, v in node.items()}


def parse_projection(raw: str) -> Projection:
    """Parse ``fields=a,b,c:(d,e)`` (also tolerating a 2.0 ``List(...)`` wrapper)."""
    text = decode(raw, "fields")
    if text.startswith("List(") and text.endswith(")"):
        text = text[5:-1]
    if _paren_depth(text) > MAX_NESTING:
        raise RestliSyntaxError("fields", f"nesting deeper than {MAX_NESTING} levels")
    projection, pos = _projection_body(text, 0)
    if pos != len(text):
        raise RestliSyntaxError("fields", "unbalanced parentheses")
    return projection


def _paren_depth(text: str) -> int:
    deepest = level = 0
    for char in text:
        if char == "(":
            level += 1
            deepest = max(deepest, level)
        elif char == ")":
            level -= 1
    return deepest


def _projection_body(text: str, pos: int) -> tuple[Projection, int]:
    result: Projection = {}
    while pos < len(text) and text[pos] != ")":
        end = pos
        while end < len(text) and text[end] not in ",:()":
            end += 1
        name = text[pos:end].strip()
        pos = end
        sub: Projection | None = None
        if text.startswith(":(", pos):
            sub, pos = _projection_body(text, pos + 2)
            if not text.startswith(")", pos):
                raise RestliSyntaxError("fields", "unbalanced parentheses")
            pos += 1
        if name:
            result[name] = sub
        if text.startswith(",", pos):
            pos += 1
        elif pos < len(text) and text[pos] != ")":
            raise RestliSyntaxError("fields", f"unexpected {text[pos]!r}")
    return result, pos


def project(entity: dict[str, object], projection: Projection) -> dict[str, object]:
    """Keep only the projected fields of ``entity`` (recursively for ``a:(b)``)."""
    out: dict[str, object] = {}
    for name, sub in projection.items():
        if name not in entity:
            continue
        value = entity[name]
        out[name] = project(value, sub) if sub and isinstance(value, dict) else value
    return out
