"""Compact, deterministic text for the API-form values inside a plan.

Money ``{"amount": "50", "currencyCode": "USD"}`` reads ``50 USD``; a run schedule's epoch
milliseconds read as ISO dates (or datetimes) in UTC; targeting reads as facet short names with
their value lists; other mappings have sorted keys. Every result is one line of printable text,
cut to a maximum length, so a renderer can put it anywhere (a terminal, a Markdown code fence).

Pure functions over JSON values. It must not import the model: a saved plan is rendered without
it, so these functions know the API's shapes, not the model's classes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

FACET_PREFIX = "urn:li:adTargetingFacet:"
MAX_VALUE = 80  # characters of one value before it is cut
MAX_FACET_VALUES = 4  # values listed per targeting facet before "+N more"
UNSET = "(unset)"
ELLIPSIS = "…"

_BARE = re.compile(r"^(?:[A-Z][A-Z0-9_]*|urn:\S+|\([^()]*\))$")


def show(value: Any, *, limit: int = MAX_VALUE) -> str:
    """One value as compact text of at most ``limit`` characters; None reads ``(unset)``."""
    return cut(_text(value), limit)


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def label(text: Any) -> str:
    """Free text (a name, a message) made printable: control characters escaped."""
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in str(text))


def amount(text: Any) -> str:
    """A decimal string with thousands separators: ``12500.5`` -> ``12,500.5``."""
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return label(text)
    if not value.is_finite():
        return label(text)
    return format(value, ",f")


def delta(before: Any, after: Any) -> str:
    """The signed difference of two decimal strings: ``+50``, ``-12.5``, ``no change``."""
    try:
        change = Decimal(str(after)) - Decimal(str(before))
    except InvalidOperation:
        return "?"
    if change == 0:
        return "no change"
    sign = "+" if change > 0 else "-"
    return sign + amount(_normal(abs(change)))


def instant(ms: int) -> str:
    """Epoch milliseconds in UTC: a date at midnight, else a datetime (``Z``)."""
    try:
        moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return str(ms)
    if ms % 86_400_000 == 0:
        return moment.date().isoformat()
    spec = "seconds" if ms % 1000 == 0 else "milliseconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def facet(urn: str) -> str:
    """A targeting facet's short name: ``urn:li:adTargetingFacet:locations`` -> ``locations``."""
    return urn.removeprefix(FACET_PREFIX)


# -- shapes ----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return UNSET
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        return _mapping(value)
    if isinstance(value, Sequence):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return label(value)


def _string(value: str) -> str:
    """Enum-like words, URNs and ``(placeholders)`` bare; other text quoted, as JSON quotes it."""
    if _BARE.match(value) and value.isprintable():
        return value
    return json.dumps(value, ensure_ascii=False)


def _mapping(value: Mapping[str, Any]) -> str:
    keys = set(value)
    if keys == {"amount", "currencyCode"}:
        return f"{amount(value['amount'])} {label(value['currencyCode'])}"
    if "start" in keys and keys <= {"start", "end"} and all(_is_int(v) for v in value.values()):
        return _schedule(value)
    if keys == {"country", "language"}:
        return f"{label(value['language'])}_{label(value['country'])}"
    if keys and keys <= {"include", "exclude"} and all(isinstance(v, Mapping) for v in value.values()):
        return _targeting(value)
    return "{" + ", ".join(f"{label(k)}: {_text(value[k])}" for k in sorted(value)) + "}"


def _schedule(value: Mapping[str, Any]) -> str:
    start = instant(value["start"])
    end = value.get("end")
    return f"{start} to {instant(end)}" if end is not None else f"from {start}, no end"


def _targeting(value: Mapping[str, Any]) -> str:
    clauses = [item.get("or", {}) for item in value.get("include", {}).get("and", [])]
    parts = [_clause(c, wrap=len(clauses) > 1) for c in clauses if isinstance(c, Mapping)]
    text = " AND ".join(parts) or "everyone"
    excluded = value.get("exclude", {}).get("or")
    if isinstance(excluded, Mapping) and excluded:
        text += " AND NOT " + _clause(excluded, wrap=True)
    return text


def _clause(clause: Mapping[str, Any], *, wrap: bool) -> str:
    facets = [f"{label(facet(k))}: {_values(clause[k])}" for k in sorted(clause, key=facet)]
    text = " OR ".join(facets)
    return f"({text})" if wrap and len(facets) > 1 else text


def _values(values: Any) -> str:
    if not isinstance(values, Sequence) or isinstance(values, str):
        return _text(values)
    shown = [_text(v) for v in values[:MAX_FACET_VALUES]]
    hidden = len(values) - len(shown)
    if hidden:
        shown.append(f"+{hidden} more")
    return "[" + ", ".join(shown) + "]"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _normal(value: Decimal) -> Decimal:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text or "0")


def _escape(ch: str) -> str:
    return json.dumps(ch)[1:-1] if ch in "\n\r\t" else f"\\u{ord(ch):04x}"
