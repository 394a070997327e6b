"""What the human and Markdown views say alike, read from a plan's dict form.

Counts and the summary sentence, resource addresses, the words for each action and kind, budget
totals per currency, limit scopes in people's terms, the guardrail labels. Pure functions over
``Plan.to_dict()``; nothing here knows the planner or the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from reconciler.plan import NO_HISTORY_LOST, Action, Kind
from reconciler.render.values import cut, delta, label

PlanDict = Mapping[str, Any]
Change = Mapping[str, Any]

SYMBOLS = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.ARCHIVE: "-",
    Action.DELETE: "-",
    Action.REPLACE: "±",
}
KIND_NAMES = {Kind.GROUP: "campaign group", Kind.CAMPAIGN: "campaign", Kind.CREATIVE: "creative"}
GUARD_LABELS = {
    "limit": "refused",
    "access": "refused",
    "audience": "refused",
    "pricing": "refused",
    "threshold": "needs --force",
    "replace": "needs --allow-replace",
}
ACTIVATE_NOTES = {
    Action.CREATE: "created as DRAFT, activated after its creatives",
    Action.UPDATE: "stays DRAFT, activated after its creatives",
    Action.REPLACE: "the new campaign is created as DRAFT, activated after its creatives",
}
NO_CHANGES = "No changes. Live state matches the manifests."
PRUNE_HINT = "left alone; set prune: true to archive"
NEAR_LIMIT = 0.9  # share of a limit from which headroom is flagged
_LIVE_KEY = re.compile(r"^([gc]):(\d+)$")


def counts(plan: PlanDict) -> dict[str, int]:
    """Changes per action and ``unmanaged``: the plan's own summary, else counted from its lists."""
    summary = plan.get("summary")
    if isinstance(summary, Mapping):
        return {str(key): int(summary.get(key, 0)) for key in (*Action, "ignored", "unmanaged")}
    out = {str(action): 0 for action in Action}
    out["ignored"] = 0
    for change in plan.get("changes", ()):
        out[str(change["action"]) if writes(change) else "ignored"] += 1
    out["unmanaged"] = len(plan.get("unmanaged", ()))
    return out


def writes(change: Change) -> bool:
    """Whether a change writes anything: one that only carries ignored drift does not."""
    if change["action"] == "delete" or change.get("activate"):
        return True
    if change.get("body") or change.get("delete_fields"):
        return True
    return any(not f.get("ignored") for f in change.get("fields", ()))


def summary_line(plan: PlanDict) -> str:
    """``Plan: 3 to create, …; 2 unmanaged.`` or the no-changes sentence."""
    numbers = counts(plan)
    unmanaged = numbers["unmanaged"]
    ignored = f"; {numbers['ignored']:,} with only ignored drift" if numbers["ignored"] else ""
    if not any(numbers[action] for action in Action):
        quiet = f" {numbers['ignored']:,} with only ignored drift (not written)." if ignored else ""
        return NO_CHANGES + quiet + (f" {unmanaged:,} unmanaged." if unmanaged else "")
    actions = ", ".join(f"{numbers[action]:,} to {action}" for action in Action)
    return f"Plan: {actions}{ignored}; {unmanaged:,} unmanaged."


def address(path: Sequence[Any]) -> str:
    """A resource path for people: ``500000001 / Q1 Brand / Q1 Brand — US``."""
    return " / ".join(label(part) for part in path)


def kind_name(kind: Any) -> str:
    """``campaign group``, ``campaign`` or ``creative``."""
    return KIND_NAMES.get(kind, label(kind))


def headline(change: Change) -> str:
    """``create campaign 1 / g / c (id 20)``: the action, kind, path and live id."""
    ident = f" (id {change['id']})" if change.get("id") is not None else ""
    return f"{change['action']} {kind_name(change['kind'])} {address(change['path'])}{ident}"


def only_ignored(change: Change) -> bool:
    """An update that records ignored drift and writes nothing."""
    return (
        change["action"] == Action.UPDATE
        and not change.get("body")
        and not change.get("delete_fields")
        and not change.get("activate")
        and all(f.get("ignored") for f in change.get("fields", ()))
    )


def change_notes(change: Change) -> list[str]:
    """Sentences a reviewer needs beside the fields: why, replacement cost, activation."""
    notes: list[str] = []
    action = Action(change["action"])
    if action is Action.REPLACE:
        notes.append(f"must be replaced: {label(change.get('reason') or 'an immutable field changes')}")
        old = f"id {change['id']}" if change.get("id") is not None else "the old one"
        # The reason of a replace whose old entity never served already says nothing is lost.
        kept = str(change.get("reason") or "").endswith(NO_HISTORY_LOST)
        lost = "" if kept else ": loses reporting history"
        notes.append(f"creates a new {kind_name(change['kind'])} and archives {old}{lost}")
    elif change.get("reason"):
        notes.append(label(change["reason"]))
    if change.get("activate"):
        notes.append(ACTIVATE_NOTES.get(action, ACTIVATE_NOTES[Action.CREATE]))
    if only_ignored(change):
        notes.append("only ignored drift: nothing is written")
    return notes


def unmanaged_line(entity: Mapping[str, Any]) -> str:
    """``unmanaged campaign 1 / g / stray (id 21, ACTIVE)``."""
    status = f", {label(entity['status'])}" if entity.get("status") else ""
    return f"unmanaged {kind_name(entity['kind'])} {address(entity['path'])} (id {entity['id']}{status})"


@dataclass(frozen=True)
class BudgetRow:
    """One currency's budget totals before and after (plain decimal strings), over all accounts."""

    currency: str
    daily_before: str
    daily_after: str
    lifetime_before: str
    lifetime_after: str

    @property
    def daily_delta(self) -> str:
        """Signed change of the daily total."""
        return delta(self.daily_before, self.daily_after)

    @property
    def lifetime_delta(self) -> str:
        """Signed change of the lifetime total."""
        return delta(self.lifetime_before, self.lifetime_after)


def budget_rows(plan: PlanDict) -> list[BudgetRow]:
    """Budget totals per currency (accounts sharing a currency are added up), by currency."""
    totals: dict[str, list[Decimal]] = {}
    keys = ("daily_before", "daily_after", "lifetime_before", "lifetime_after")
    for impact in plan.get("budgets", ()):
        row = totals.setdefault(str(impact["currency"]), [Decimal(0)] * 4)
        for i, key in enumerate(keys):
            row[i] += _decimal(impact.get(key))
    return [BudgetRow(cur, *(_plain(v) for v in row)) for cur, row in sorted(totals.items())]


def headroom_by_account(plan: PlanDict) -> Iterator[tuple[str, list[Mapping[str, Any]]]]:
    """Headroom entries grouped by account, in plan order."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for entry in plan.get("headroom", ()):
        grouped.setdefault(str(entry["account"]), []).append(entry)
    yield from grouped.items()


def headroom_flag(entry: Mapping[str, Any]) -> str:
    """``over the limit``, ``near the limit`` or ``""``."""
    after, before, maximum = int(entry["after"]), int(entry["before"]), int(entry["maximum"])
    if after > maximum and after > before:
        return "over the limit"
    if maximum and after >= NEAR_LIMIT * maximum:
        return "near the limit"
    return ""


def scope_name(plan: PlanDict, scope: str) -> str:
    """Where a per-parent limit applies, in people's terms (``""`` for the whole account).

    The planner names the fullest parent ``Group`` or ``Group / Campaign``; when it knew no name it
    left the key of a live parent, ``g:<id>`` / ``c:<id>``, which becomes the path (within the
    account) the plan gives that id, else ``campaign group <id>``.
    """
    if not scope or scope == "account":
        return ""
    key = _LIVE_KEY.match(scope)
    if key is None:
        return label(scope)
    kind = Kind.GROUP if key.group(1) == "g" else Kind.CAMPAIGN
    path = _paths(plan).get((kind, int(key.group(2))))
    return address(path[1:]) if path else f"{kind_name(kind)} {key.group(2)}"


def violation_label(guard: Any) -> str:
    """``refused``, ``needs --force`` or ``needs --allow-replace``."""
    return GUARD_LABELS.get(str(guard), label(guard))


def checksum_line(plan: PlanDict) -> str:
    """``plan sha256:<full>, manifests sha256:<first 12>…, format 1``."""
    checksum = label(plan.get("checksum", "?"))
    manifests = cut(label(plan.get("manifest_checksum", "?")), 20)
    return f"plan {checksum}, manifests {manifests}, format {label(plan.get('format_version', '?'))}"


_PARENT_KIND = {Kind.CAMPAIGN: Kind.GROUP, Kind.CREATIVE: Kind.CAMPAIGN}


def _paths(plan: PlanDict) -> dict[tuple[str, int], Sequence[Any]]:
    """Live (kind, id) -> path, from the entities the plan names and from their parents."""
    found: dict[tuple[str, int], Sequence[Any]] = {}
    for item in (*plan.get("changes", ()), *plan.get("unmanaged", ())):
        if item.get("id") is not None:
            found.setdefault((str(item["kind"]), int(item["id"])), item["path"])
        parent = _PARENT_KIND.get(item["kind"])
        if parent is not None and item.get("parent_id") is not None:
            found.setdefault((str(parent), int(item["parent_id"])), item["path"][:-1])
    return found


def _decimal(text: Any) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return Decimal(0)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
