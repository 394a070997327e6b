"""Renderers: the human, Markdown and JSON views of a plan.

Each view is a pure function of ``Plan.to_dict()`` (architecture rule 1): it never sees the
planner, the model or a client, so a saved plan renders exactly like a fresh one and a new format
never touches diff logic. Output is deterministic: the same dict gives the same text.

    from reconciler.render import render
    text = render(plan.to_dict(), "markdown", max_chars=60_000)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.render import human, jsonout, markdown
from reconciler.render.markdown import MAX_CHARS

FORMATS = ("human", "markdown", "json")


def render(
    plan: Mapping[str, Any],
    fmt: str = "human",
    *,
    color: bool = False,
    max_chars: int | None = MAX_CHARS,
) -> str:
    """Render a plan's dict form as ``fmt`` (one of FORMATS); ``color`` is for ``human`` only,
    ``max_chars`` for ``markdown`` only (None: every change). Raises ValueError for an unknown
    format."""
    if fmt == "human":
        return human.render(plan, color=color)
    if fmt == "markdown":
        return markdown.render(plan, max_chars=max_chars)
    if fmt == "json":
        return jsonout.render(plan)
    raise ValueError(f"unknown plan format {fmt!r}; choose one of {', '.join(FORMATS)}")


def color_wanted(isatty: bool, environ: Mapping[str, str]) -> bool:
    """Whether the human view should be coloured: on a terminal, unless ``NO_COLOR`` is set to
    anything but the empty string (https://no-color.org) or the terminal is ``TERM=dumb``."""
    return isatty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


__all__ = ["FORMATS", "MAX_CHARS", "color_wanted", "human", "jsonout", "markdown", "render"]
