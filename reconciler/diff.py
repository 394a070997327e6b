"""Field-level differences between the desired and the live form of ONE resource.

The only module that imports deepdiff. Both sides arrive as API-form field maps built through the
model, which already canonicalises values (Decimal money, sorted targeting sets, singular
objectives, epoch-ms schedules), so plain equality is the fast path: unchanged resources never
reach deepdiff. deepdiff is used to say *why* two values differ (``plan --explain``).

Only fields the desired side sets are compared: a field a manifest leaves out is not managed and
the server's value (or default) stands, except for the ``clearable`` fields, whose absence means
"none" and which are cleared with ``$delete``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.facetdiff import FIELD as TARGETING
from reconciler.facetdiff import describe_all
from reconciler.plan import FieldChange

JSONMap = Mapping[str, Any]


@dataclass(frozen=True)
class Difference:
    """The outcome of comparing one resource: changed fields, fields to clear, ignored drift."""

    changes: tuple[FieldChange, ...] = ()
    cleared: tuple[str, ...] = ()

    @property
    def effective(self) -> tuple[FieldChange, ...]:
        """Changes that are not ignored: what an apply would write."""
        return tuple(c for c in self.changes if not c.ignored)

    def set_body(self) -> dict[str, Any]:
        """The ``$set`` map of an update: each changed, non-ignored field, whole."""
        return {c.field: c.new for c in self.effective if c.new is not None}


NO_DIFFERENCE = Difference()  # what an unchanged resource compares to


def compare(
    desired: JSONMap,
    live: JSONMap,
    *,
    clearable: Collection[str] = (),
    ignore: Collection[str] = (),
) -> Difference:
    """Compare the managed fields of one resource.

    ``desired`` holds the fields the manifest sets; ``live`` the same fields as read back.
    ``clearable`` fields absent from ``desired`` but present live are to be cleared; ``ignore``
    lists field paths (top-level names, or dotted paths whose first element is the field) whose
    drift is reported as ignored and never written.
    """
    ignored_tops = {path.split(".", 1)[0] for path in ignore}
    changes = [
        FieldChange(key, live.get(key), value, ignored=key in ignored_tops)
        for key, value in desired.items()
        if live.get(key) != value
    ]
    cleared = [key for key in clearable if key not in desired and live.get(key) is not None]
    changes.extend(FieldChange(key, live[key], None, ignored=key in ignored_tops) for key in cleared)
    kept = tuple(k for k in cleared if k not in ignored_tops)
    return Difference(tuple(sorted(changes, key=lambda c: c.field)), kept)


def explain(field: str, desired: JSONMap, live: JSONMap, names: Mapping[str, str] | None = None) -> str:
    """Say in words why ``field`` is judged equal or different for one resource. A targeting is
    told facet by facet, its values by name where ``names`` (URN -> name) knows them."""
    if field not in desired:
        shown = _show(live.get(field))
        return f"{field}: not set in the manifest, so not managed (live value {shown} stands)"
    want, have = desired[field], live.get(field)
    if want == have:
        return f"{field}: equal after normalisation ({_show(want)})"
    if field == TARGETING and isinstance(want, Mapping):
        facets = describe_all(have if isinstance(have, Mapping) else None, want, names or {})
        return "\n".join([f"{field}: different, facet by facet", *(f"  {line}" for line in facets)])
    from deepdiff import DeepDiff  # here: only --explain needs it, and it costs every command 0.1 s to load

    detail = DeepDiff(have, want, ignore_order=True, verbose_level=2).to_dict()
    lines = [f"{field}: different", f"  live:     {_show(have)}", f"  manifest: {_show(want)}"]
    lines.extend(f"  {kind}: {_show(entry)}" for kind, entry in sorted(detail.items()))
    return "\n".join(lines)


def explain_create(field: str, desired: JSONMap, names: Mapping[str, str] | None = None) -> str:
    """Say in words what a resource to be created (no live value yet) gets for ``field``, which
    the manifest sets (a targeting facet by facet, as :func:`explain`)."""
    if field == TARGETING and isinstance(desired[field], Mapping):
        facets = describe_all(None, desired[field], names or {})
        return "\n".join([f"{field}: not live yet: created with", *(f"  {line}" for line in facets)])
    return f"{field}: not live yet: created with {_show(desired[field])}"


def _show(value: Any) -> str:
    return "(unset)" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
