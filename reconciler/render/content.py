"""Managed content in plans, for people: each new creative's content field by field, each content
change as the lines that differ, and the files apply will upload. Texts are shown whole, never cut
(a reviewer approves the words that will run). Pure functions over ``Plan.to_dict()``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from reconciler.render.values import label

Line = tuple[str, str]  # ("" | "-" | "+", text)


def is_managed(change: Mapping[str, Any], field: Mapping[str, Any]) -> bool:
    """Whether a field change is about managed content: a ``content.<field>`` difference, or the
    content of a creative whose body carries managed content."""
    name = str(field.get("field", ""))
    if name.startswith("content."):
        return True
    body = change.get("body") or {}
    return name == "content" and isinstance((body.get("content") or {}).get("managed"), Mapping)


def content_lines(field: Mapping[str, Any]) -> list[Line]:
    """A content field change as lines: each leaf of the old value (``-``) and the new (``+``) that
    differ, by dotted path; a new content (no old value) as its leaves, unmarked. (Files are named
    in the values themselves: the old file and the new, with size and sha256.)"""
    name = str(field["field"])
    old, new = _leaves(name, field.get("old")), _leaves(name, field.get("new"))
    if field.get("old") is None:
        return [("", f"{path}: {value}") for path, value in new.items()]
    lines: list[Line] = []
    for path in dict.fromkeys([*old, *new]):
        if old.get(path) == new.get(path):
            continue
        if path in old:
            lines.append(("-", f"{path}: {old[path]}"))
        if path in new:
            lines.append(("+", f"{path}: {new[path]}"))
    return lines


def uploads(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The files apply will upload (no asset for that file and owner yet), each once, in plan order;
    ``sizes`` gives the size of each file sent with it (a video's thumbnail and captions)."""
    seen: dict[tuple[str, str], Mapping[str, Any]] = {}
    for change in plan.get("changes", ()):
        managed = ((change.get("body") or {}).get("content") or {}).get("managed")
        if not isinstance(managed, Mapping):
            continue
        sizes = {str(f.get("path")): int(f.get("size") or 0) for f in managed.get("files") or ()}
        for upload in managed.get("uploads") or ():
            if upload.get("urn") is None:
                key = (str(upload.get("key")), str(managed.get("owner")))
                seen.setdefault(
                    key, {**upload, "sizes": {p: sizes.get(str(p), 0) for p in upload.get("with") or ()}}
                )
    return list(seen.values())


def upload_lines(plan: Mapping[str, Any]) -> list[str]:
    """``Uploads: 3 files, 12,345 bytes`` (a video's thumbnail and captions counted with it) and one
    line per file (with why, for a file uploaded before that LinkedIn cannot serve); nothing when
    there are none."""
    found = uploads(plan)
    if not found:
        return []
    total = sum(int(u.get("size") or 0) + sum(u["sizes"].values()) for u in found)
    many = "file" if len(found) == 1 else "files"
    lines = [f"Uploads: {len(found):,} {many}, {total:,} bytes"]
    for upload in found:
        sent = [f"{label(str(p))} ({n:,} bytes)" for p, n in upload["sizes"].items()]
        extra = ", with " + ", ".join(sent) if sent else ""
        again = f" — upload again: {label(str(upload['again']))}" if upload.get("again") else ""
        lines.append(
            f"  {label(upload['path'])} ({label(upload['media'])}, {int(upload['size']):,} bytes{extra})"
            + again
        )
    return lines


def _leaves(prefix: str, value: Any) -> dict[str, str]:
    return dict(_walk(prefix, value))


def _walk(path: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping) and value:
        for key, inner in value.items():
            yield from _walk(f"{path}.{key}", inner)
    elif isinstance(value, list) and value:
        for index, inner in enumerate(value):
            yield from _walk(f"{path}[{index}]", inner)
    elif value is not None:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        yield label(path), label(text)
