"""The canonical form of a manifest file, for ``reconciler fmt``.

Canonical means: keys in the order the manifest schema lists them (keys the schema does not name,
such as audience names, keep their order, after the named ones); money written ``<amount>
<CURRENCY>`` (``30 USD``, never ``{amount: "30", currencyCode: USD}`` or a quoted string), dates
and date-times as plain YAML scalars (``2027-01-04``, ``2027-01-11T09:00:00Z``); block mappings
indented by two, sequences by four with the dash at two. Everything else is kept as written:
comments, anchors and aliases, flow or block style, quoting of other strings, amounts' digits.

It uses ruamel.yaml's round-trip mode, which keeps comments and anchors, not the project's
loader (which keeps places, not comments). ruamel keeps a full-line comment with the key *before*
it; keys are reordered with their comments moved to stay above the key they were above.
Pure text to text; no file I/O.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from reconciler.errors import ConfigError

Schema = Mapping[str, Any]
_MONEY = "#/$defs/money"
_INSTANT = "#/$defs/instant"


def canonical(text: str, *, name: str = "<manifest>") -> str:
    """``text`` (one manifest file) in canonical form; ConfigError when it is not YAML."""
    yaml = _yaml()
    try:
        document = yaml.load(text)
    except YAMLError as err:
        raise ConfigError(f"{name}: not valid YAML, so not formatted: {_first_line(err)}") from err
    if document is None:
        return text
    _walk(document, _root())
    # ruamel keeps a "---" only when asked to.
    yaml.explicit_start = any(line.rstrip() == "---" for line in _leading(text))
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _yaml() -> YAML:
    yaml = YAML()  # round-trip, YAML 1.2: as editors and the project's loader read it
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{a: 1}] stays so, not [a: 1]
    return yaml


def _leading(text: str) -> Iterator[str]:
    """The lines before the document's first key: comments, blank lines, a ``---``."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#") and line.rstrip() != "---":
            return
        yield line


def _first_line(err: YAMLError) -> str:
    return " ".join(str(err).split())


# -- the schema ---------------------------------------------------------------------------------


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("reconciler").joinpath("schemas/manifest.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _root() -> Schema:
    return _schema()


def _resolve(schema: Schema) -> Schema:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/$defs/"):
        return schema
    return {**_schema()["$defs"][ref.removeprefix("#/$defs/")], **schema, "$ref": ref}


def _child(schema: Schema, key: str) -> Schema:
    properties = schema.get("properties") or {}
    if key in properties:
        return _resolve(properties[key])
    extra = schema.get("additionalProperties")
    return _resolve(extra) if isinstance(extra, Mapping) else {}


# -- walking the document -----------------------------------------------------------------------


def _walk(node: Any, schema: Schema, lead: Slot | None = None) -> None:
    """Make ``node`` canonical in place, children first (their last lines carry comments).

    ``lead`` is where the comment above ``node``'s first key lives (the line of the key holding
    it); None for the document and for an item of a sequence, where it stays put.
    """
    if isinstance(node, CommentedMap):
        for key in list(node):
            child = _child(schema, str(key))
            # Past CommentedMap's own setter, which would give a plain string the old one's quotes.
            super(CommentedMap, node).__setitem__(key, _value(node[key], child))
            _walk(node[key], child, (node.ca.items, key, 2))
        _reorder(node, list((schema.get("properties") or {}).keys()), lead)
    elif isinstance(node, CommentedSeq):
        items = _resolve(schema.get("items") or {})
        for index, item in enumerate(node):
            node[index] = _value(item, items)
            _walk(node[index], items)


def _value(value: Any, schema: Schema) -> Any:
    """Money and instants in the form the docs write them; other values as they are."""
    ref = schema.get("$ref")
    if ref == _MONEY:
        return _money(value)
    if ref == _INSTANT and isinstance(value, str) and not _anchored(value):
        plain = _yaml().load(str(value))  # the scalar as YAML reads it unquoted: a date or a time
        return plain if not isinstance(plain, str) else value
    return value


def _money(value: Any) -> Any:
    if isinstance(value, Mapping):
        amount, currency = value.get("amount"), value.get("currencyCode")
        whole = isinstance(amount, str) and isinstance(currency, str) and len(value) == 2
        # An anchored mapping may be aliased elsewhere: it is kept whole.
        return f"{amount} {currency}" if whole and not _anchored(value) else value
    if isinstance(value, str) and not _anchored(value):
        return str(value)  # plain: a quoted "150 USD" loses its quotes
    return value


def _anchored(value: Any) -> bool:
    anchor = getattr(value, "anchor", None)
    return bool(anchor is not None and anchor.value)


# -- reordering keys with their comments --------------------------------------------------------


def _reorder(node: CommentedMap, order: list[str], lead: Slot | None) -> None:
    keys = list(node)
    rank = {name: index for index, name in enumerate(order)}
    wanted = sorted(keys, key=lambda k: (0, rank[k]) if k in rank else (1, keys.index(k)))
    if wanted == keys:
        return
    # What follows a key's last line (its end-of-line comment, then full lines): the full lines
    # belong above the next key, or after the mapping for the last key.
    slots = {key: _tail_slot(node, key) for key in keys}
    seen: set[int] = set()
    lead_own, above = _split(_get(lead, seen)) if lead else ("", "")
    above += _take_lead(lead)
    eol, before = {}, {keys[0]: above}
    for index, key in enumerate(keys):
        before[key] = before.get(key, "") + _take_above(node, key)
        own, rest = _split(_get(slots[key], seen))
        eol[key] = own
        before[keys[index + 1] if index + 1 < len(keys) else None] = rest
    for key in wanted:
        node.move_to_end(key)
    if lead:
        _set(lead, lead_own, before[wanted[0]])
    else:  # nowhere above the first key (a "- " item): keep the comment, above the second key
        before[wanted[1]] = before[wanted[0]] + before[wanted[1]]
    for index, key in enumerate(wanted):
        after = wanted[index + 1] if index + 1 < len(wanted) else None
        _set(slots[key], eol[key], before[after])


def _take_above(node: CommentedMap, key: Any) -> str:
    """The comment ruamel holds *before* ``key`` (it does after an alias), removed from there."""
    return _take_list(node.ca.items, key, 1)


def _take_lead(lead: Slot | None) -> str:
    """The comment ruamel holds below a ``key:`` line that has no comment of its own (above the
    first key of the mapping under it), removed from there."""
    return _take_list(lead[0], lead[1], 3) if lead else ""


def _take_list(items: Any, key: Any, position: int) -> str:
    entry = items.get(key)
    tokens = entry[position] if entry and len(entry) > position else None
    if not isinstance(tokens, list) or not tokens:
        return ""
    entry[position] = None
    lines = []
    for token in tokens:
        for line in str(token.value).splitlines(keepends=True):
            lines.append(" " * token.column + line if line.startswith("#") else line)
    return "".join(lines)


Slot = tuple[Any, Any, int]  # (comment holder's ``ca.items``, key or index, position in the entry)


def _tail_slot(node: CommentedMap, key: Any) -> Slot:
    """Where the comment after ``node[key]``'s last line lives."""
    owner: Any = node
    for holder, last in _last_entries(node[key]):
        owner, key = holder, last
    position = 0 if isinstance(owner, CommentedSeq) else 2
    return owner.ca.items, key, position


def _last_entries(value: Any) -> Iterator[tuple[Any, Any]]:
    """The chain of (collection, last key or index) down a block value's last line."""
    while isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
        last = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        yield value, last
        value = value[last]


def _get(slot: Slot, seen: set[int]) -> str:
    """The comment text at ``slot``; a token already read (an alias shares its anchor's) reads empty."""
    items, key, position = slot
    entry = items.get(key)
    token = entry[position] if entry and len(entry) > position else None
    if not isinstance(token, CommentToken) or id(token) in seen:
        return ""
    seen.add(id(token))
    return str(token.value)


def _split(text: str) -> tuple[str, str]:
    """A comment token's text as (end-of-line comment, the full lines after it)."""
    if not text:
        return "", ""
    own, _, rest = text.partition("\n")
    return own, rest


def _set(slot: Slot, own: str, rest: str) -> None:
    items, key, position = slot
    entry = items.get(key)
    old = entry[position] if entry and len(entry) > position else None
    if not own and not rest:
        if old is not None:
            entry[position] = None
        return
    # A new token each time: ruamel may hold one token in two places.
    column = old.column if isinstance(old, CommentToken) else 0
    if entry is None:
        entry = items[key] = [None] * (2 if position == 0 else 4)
    entry[position] = CommentToken(f"{own}\n{rest}", CommentMark(column), None)
