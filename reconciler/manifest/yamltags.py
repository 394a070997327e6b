"""YAML scalars as the manifests read them: the YAML 1.2 core schema, shared by both YAML readers.

The tag names, :class:`CoreResolver` (implicit typing of plain scalars, plus ``<<`` merge keys) and
:func:`convert_scalar` (a resolved scalar's Python value) are used by :mod:`~reconciler.manifest.loader`
(PyYAML's node graph) and :mod:`~reconciler.manifest.fastload` (libyaml's events), so both give
the same values.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.resolver import BaseResolver

TAG_PREFIX = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null"))
MAP, SEQ, MERGE = TAG_PREFIX + "map", TAG_PREFIX + "seq", TAG_PREFIX + "merge"


class CoreResolver(BaseResolver):
    """Implicit typing of plain scalars per the YAML 1.2 core schema, plus ``<<`` merge keys."""


for _tag, _regexp, _first in (
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (MERGE, r"^(?:<<)$", "<"),
):
    CoreResolver.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def short_tag(tag: str) -> str:
    """``!!int`` for ``tag:yaml.org,2002:int``; other tags as they are."""
    return "!!" + tag.removeprefix(TAG_PREFIX) if tag.startswith(TAG_PREFIX) else tag


def convert_scalar(tag: str, text: str) -> Any:
    """The value of a scalar with a resolved (or explicit) standard tag; KeyError for other tags,
    ValueError for text the tag does not allow."""
    if tag == STR:
        return text
    if tag == INT:
        return _to_int(text)
    if tag == FLOAT:
        return _to_float(text)
    if tag == BOOL:
        return text.lower() == "true" if text.lower() in ("true", "false") else _bad(text)
    if tag == NULL:
        return None if text in ("", "~", "null", "Null", "NULL") else _bad(text)
    raise KeyError(tag)


def _to_int(text: str) -> int:
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _to_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


def _bad(text: str) -> Any:
    raise ValueError(text)
