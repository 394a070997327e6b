"""Every string a manifest holds is one line of text LinkedIn can be sent.

Names, texts and URLs reach the API as UTF-8 JSON or Rest.li query text, and names are one line:
so control characters (NUL, CR, LF, tab, DEL, C1), the line and paragraph separators U+2028 and
U+2029, and unpaired surrogates (which YAML's ``\\ud800`` escape makes, and which cannot be encoded)
are refused in every string value and key, each with its ``file:line:col``. No manifest field holds
multi-line text, so none is exempt. A problem names the character by code point, never by showing it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from reconciler.errors import Problem
from reconciler.manifest.document import Document, JsonPath, format_path

_UNSENDABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Bytes whose presence in the file may let a YAML string hold one of the above: an escape (\0, \r,
# \ud800, \u2028…), a raw control character (tab, CR) or NEL, U+2028, U+2029 written as they are.
# A file with none of them (most files) needs no walk at all.
_MAY_HOLD = re.compile(rb"[\\\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]")
# The bytes that may start a match of _MAY_HOLD. Deleting them (bytes.translate) tells whether any is
# there at memory speed, where the pattern's alternatives make the regex engine try each byte in turn
# (0.6 s for the 10 MB of 20 imported accounts, against 0.01 s).
_FIRST_BYTES = bytes([*b"\\", *range(0x0A), *range(0x0B, 0x20), 0x7F, 0xC2, 0xE2])
_NAMES = {"\u2028": "a line separator", "\u2029": "a paragraph separator"}
_LABELS = {0: "NUL", 9: "TAB", 10: "LF", 13: "CR", 127: "DEL"}


def unsendable(document: Document, raw: bytes) -> tuple[list[Problem], set[JsonPath]]:
    """The problems of strings in ``document`` (parsed from ``raw``) that cannot be sent, and their paths."""
    if len(raw.translate(None, _FIRST_BYTES)) == len(raw) or not _MAY_HOLD.search(raw):
        return [], set()
    problems: list[Problem] = []
    paths: set[JsonPath] = set()
    _walk(document, document.data, (), problems, paths)
    return problems, paths


def _walk(doc: Document, value: Any, path: JsonPath, problems: list[Problem], paths: set[JsonPath]) -> None:
    if isinstance(value, str):
        found = _UNSENDABLE.search(value)
        if found:
            paths.add(path)
            problems.append(Problem(doc.position(path), format_path(path), _message(found, "text")))
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _walk(doc, item, (*path, index), problems, paths)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            found = _UNSENDABLE.search(key) if isinstance(key, str) else None
            if found:
                paths.add(path)
                where = doc.key_position((*path, key))
                problems.append(Problem(where, format_path(path), _message(found, "key")))
                continue
            _walk(doc, item, (*path, key), problems, paths)


def _message(found: re.Match[str], what: str) -> str:
    char = found.group()
    point = f"U+{ord(char):04X}"
    if char in _NAMES:
        kind = f"{_NAMES[char]} ({point})"
    elif 0xD800 <= ord(char) <= 0xDFFF:
        kind = f"an unpaired surrogate ({point})"
    else:
        label = unicodedata.name(char, "") or _LABELS.get(ord(char), "")
        kind = f"a control character ({point}{' ' + label if label else ''})"
    return (
        f"the {what} holds {kind} at character {found.start() + 1}: names, texts and URLs sent to "
        "LinkedIn must be one line of printable text"
    )
