"""The JSON view of a plan: ``Plan.to_json()`` drawn from the dict form.

Sorted keys, two-space indent, UTF-8 kept as is, one trailing newline: the same dict always gives
the same bytes, so saved plans and golden files diff cleanly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def render(plan: Mapping[str, Any]) -> str:
    """The plan as stable JSON text (what ``--out plan.json`` writes)."""
    return json.dumps(plan, sort_keys=True, indent=2, ensure_ascii=False, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    """Mappings and sequences that are not dicts and lists (a frozen view, a tuple of sets)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"a plan holds JSON values only, not {type(value).__name__}")
