"""The per-facet difference a campaign change's targeting makes, recorded on the change."""

from __future__ import annotations

from dataclasses import replace

from reconciler.facetdiff import FIELD, facet_changes
from reconciler.plan import Kind, ResourceChange


def with_facet_diff(change: ResourceChange) -> ResourceChange:
    """``change`` with ``targetingDiff`` set when it changes a campaign's targeting (not as ignored
    drift); the same change otherwise."""
    if change.kind is not Kind.CAMPAIGN:
        return change
    for field in change.fields:
        if field.field == FIELD and not field.ignored and field.new is not None:
            diff = tuple(c.to_dict() for c in facet_changes(field.old, field.new))
            return replace(change, targetingDiff=diff) if diff else change
    return change
