"""Drift reports of disjoint ad accounts of one project -> the report one run would have made.

A repository of many accounts may check drift one account per process (a CI matrix job each, with
``drift --account ID --format json``); :func:`merge_reports` draws their JSON forms together for one
issue. The reports must be of the same manifests (checksum), target, API version and unmanaged
counting, and no account may be in two of them. Items are ordered as a single run orders them
(:func:`~reconciler.drift.report.sort_items`) and the summary is counted again. Works on the dict
form only, as the renderers do: what a report file says is what is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.drift.report import DRIFT_STATES, STATE_ORDER, DriftState
from reconciler.errors import PlanError

SAME = ("target", "api_version", "manifest_checksum", "count_unmanaged")
_RANK = {state.value: n for n, state in enumerate(STATE_ORDER)}


def is_report(data: object) -> bool:
    """Whether ``data`` looks like the JSON form of a drift report (not a plan)."""
    return isinstance(data, Mapping) and "items" in data and "drifted" in data and "changes" not in data


def merge_reports(reports: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """One report of every account of ``reports`` (``names`` label them in errors, e.g. file names).

    PlanError when they are of different manifests, targets, API versions or unmanaged counting, or
    share an account, or an item is not one a report holds.
    """
    if not reports:
        raise PlanError("no drift reports to merge")
    first = reports[0]
    for report, name in zip(reports[1:], names[1:], strict=True):
        for key in SAME:
            if report.get(key) != first.get(key):
                raise PlanError(
                    f"{name} and {names[0]} were made from different {key}: {report.get(key)!r} and "
                    f"{first.get(key)!r}; merge only drift reports of one commit, made against one target"
                )
    seen: dict[str, str] = {}
    items: list[Mapping[str, Any]] = []
    for report, name in zip(reports, names, strict=True):
        mine = {str(item["path"][0]) for item in _items(report, name)}
        for account in sorted(mine):
            if account in seen:
                raise PlanError(f"ad account {account} is in both {seen[account]} and {name}")
            seen[account] = name
        items.extend(_items(report, name))
    items.sort(key=lambda i: (_RANK[i["state"]], list(i["path"]), i.get("id") or 0, i["kind"]))
    counts = {state.value: 0 for state in STATE_ORDER}
    for item in items:
        counts[item["state"]] += 1
    counted = DRIFT_STATES if first.get("count_unmanaged", True) else DRIFT_STATES - {DriftState.UNMANAGED}
    counts["drift"] = sum(counts[state.value] for state in counted)
    return {
        "target": first.get("target"),
        "api_version": first.get("api_version"),
        "manifest_checksum": first.get("manifest_checksum"),
        "items": items,
        "count_unmanaged": first.get("count_unmanaged", True),
        "summary": counts,
        "drifted": counts["drift"] > 0,
    }


def _items(report: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    items = report.get("items")
    if not isinstance(items, list) or not all(
        isinstance(i, Mapping) and i.get("state") in _RANK and isinstance(i.get("path"), list) and i["path"]
        for i in items
    ):
        raise PlanError(f"{name}: not a drift report: its items are not those 'reconciler drift' writes")
    return items
