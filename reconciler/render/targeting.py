"""Targeting in the views: per facet, the values added and removed, by name, never cut.

A ``targetingCriteria`` field change is drawn as a heading and one line per facet and direction
(``+ exclude seniorities: Entry``) instead of two one-line values, which a long targeting makes look
alike. Values read by the name the plan's ``names`` gives (from the lock file or LinkedIn's
``adTargetingEntities``), else by URN. Pure functions over the plan's dict form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.facetdiff import FIELD, describe_all
from reconciler.render.common import PlanDict
from reconciler.render.values import label


def names_of(plan: PlanDict) -> Mapping[str, str]:
    """URN -> name, as the plan carries them (empty when it carries none)."""
    names = plan.get("names")
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, Mapping) else {}


def is_targeting(field: Mapping[str, Any]) -> bool:
    """Whether a field change is a targeting that is drawn facet by facet."""
    return field.get("field") == FIELD and (
        isinstance(field.get("new"), Mapping) or isinstance(field.get("old"), Mapping)
    )


def facet_lines(field: Mapping[str, Any], names: Mapping[str, str], *, created: bool) -> list[str]:
    """The facet lines of a targeting field change: ``+ exclude seniorities: Entry``, ``- …``; for a
    create the facets without signs (a targeting set where there was none: every value added). A
    targeting cleared reads ``- (all targeting removed)``; one that differs only in form, ``(no facet
    value changes)``."""
    old, new = field.get("old"), field.get("new")
    if new is None:
        return ["- (all targeting removed)"]
    lines = describe_all(None if created else (old or {}), new, names)
    return [label(line) for line in lines] or ["(no facet value changes)"]
