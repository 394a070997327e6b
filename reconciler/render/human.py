"""The terminal view of a plan, Terraform-like, drawn only from ``Plan.to_dict()``.

``+`` create, ``~`` update, ``-`` archive or delete (the word says which), ``±`` replace; then the
unmanaged entities, the summary sentence, budget impact, limit headroom, violations and notes.
ANSI colour only when the caller passes ``color=True`` (the CLI decides: a TTY and no
``NO_COLOR``). The same dict always gives the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reconciler.plan import Action
from reconciler.render.common import (
    PRUNE_HINT,
    SYMBOLS,
    PlanDict,
    budget_rows,
    change_notes,
    checksum_line,
    headline,
    headroom_by_account,
    headroom_flag,
    only_ignored,
    scope_name,
    summary_line,
    unmanaged_line,
    violation_label,
)
from reconciler.render.content import content_lines, is_managed, upload_lines
from reconciler.render.review import review_notes
from reconciler.render.targeting import facet_lines, is_targeting, names_of
from reconciler.render.values import MAX_VALUE, amount, label, show

LINE = 100  # a field change longer than this is shown on two lines, old and new
WIDE_VALUE = 160  # the cut of each value when shown on its own line
INDENT = "      "

_STYLES = {
    Action.CREATE: "32",
    Action.UPDATE: "33",
    Action.ARCHIVE: "31",
    Action.DELETE: "31",
    Action.REPLACE: "35",
    "unmanaged": "36",
    "ignored": "2",
    "dim": "2",
    "bold": "1",
    "refused": "1;31",
    "warn": "33",
}

Paint = Callable[[str, str], str]


def render(plan: PlanDict, *, color: bool = False) -> str:
    """The plan as terminal text; ANSI escapes only when ``color`` is true."""
    paint = _painter(color)
    blocks = [
        _header(plan, paint),
        _changes(plan, paint),
        _unmanaged(plan, paint),
        upload_lines(plan),
        [paint("bold", summary_line(plan))],
        _budgets(plan),
        _headroom(plan, paint),
        _violations(plan, paint),
        _notes(plan),
    ]
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def _painter(color: bool) -> Paint:
    def paint(style: str, text: str) -> str:
        code = _STYLES.get(style)
        return f"\x1b[{code}m{text}\x1b[0m" if color and code and text else text

    return paint


def _header(plan: PlanDict, paint: Paint) -> list[str]:
    target, version = label(plan.get("target", "")), label(plan.get("api_version", ""))
    title = f'Plan for target "{target}", LinkedIn API {version}'
    return [paint("bold", title), paint("dim", checksum_line(plan))]


# -- changes --------------------------------------------------------------------------------------


def _changes(plan: PlanDict, paint: Paint) -> list[str]:
    lines: list[str] = []
    names = names_of(plan)
    for change in plan.get("changes", ()):
        lines.extend(_change(change, paint, names))
    return lines


def _change(change: Mapping[str, Any], paint: Paint, names: Mapping[str, str]) -> list[str]:
    action = Action(change["action"])
    style = "ignored" if only_ignored(change) else action
    lines = [paint(style, f"  {SYMBOLS[action]} {headline(change)}")]
    lines.extend(paint("dim", f"{INDENT}# {note}") for note in change_notes(change))
    lines.extend(paint("dim", f"{INDENT}# {note}") for note in review_notes(change))
    for field in change.get("fields", ()):
        if is_targeting(field):
            lines.extend(_targeting(field, action, paint, names))
        elif is_managed(change, field):
            lines.extend(_content(field, change, paint))
        else:
            lines.extend(_field(field, action, paint))
    return lines


def _targeting(field: Mapping[str, Any], action: Action, paint: Paint, names: Mapping[str, str]) -> list[str]:
    """A targeting change, facet by facet (never cut): ``+ exclude seniorities: Entry``."""
    suffix, style = ("  (ignored)", "ignored") if field.get("ignored") else ("", "")
    created = action is Action.CREATE and field.get("old") is None
    lines = [f"{INDENT}{label(field['field'])}:{suffix}"]
    lines.extend(f"{INDENT}  {line}" for line in facet_lines(field, names, created=created))
    return [paint(style, text) for text in lines]


def _content(field: Mapping[str, Any], change: Mapping[str, Any], paint: Paint) -> list[str]:
    """Managed content, whole: its fields (new), or the lines that differ (``-`` / ``+``)."""
    style = "ignored" if field.get("ignored") else ""
    return [
        paint(style, f"{INDENT}{mark + ' ' if mark else ''}{text}") for mark, text in content_lines(field)
    ]


def _field(field: Mapping[str, Any], action: Action, paint: Paint) -> list[str]:
    """``name: old → new`` (just ``name: new`` for a create), on two more lines when long."""
    name = label(field["field"])
    suffix, style = ("  (ignored)", "ignored") if field.get("ignored") else ("", "")
    created = action is Action.CREATE and field.get("old") is None
    old, new = show(field.get("old")), _new(field, action, MAX_VALUE)
    line = f"{INDENT}{name}: {new}{suffix}" if created else f"{INDENT}{name}: {old} → {new}{suffix}"
    if len(line) <= LINE:
        return [paint(style, line)]
    lines = [f"{INDENT}{name}:{suffix}"]
    if not created:
        lines.append(f"{INDENT}  - {show(field.get('old'), limit=WIDE_VALUE)}")
    lines.append(f"{INDENT}  {'' if created else '+ '}{_new(field, action, WIDE_VALUE)}")
    return [paint(style, text) for text in lines]


def _new(field: Mapping[str, Any], action: Action, limit: int) -> str:
    if action is Action.DELETE and field.get("new") is None:
        return "(deleted)"
    return show(field.get("new"), limit=limit)


def _unmanaged(plan: PlanDict, paint: Paint) -> list[str]:
    return [
        paint("unmanaged", f"  ? {unmanaged_line(entity)}  ({PRUNE_HINT})")
        for entity in plan.get("unmanaged", ())
    ]


# -- impact ---------------------------------------------------------------------------------------


def _budgets(plan: PlanDict) -> list[str]:
    rows = budget_rows(plan)
    if not rows:
        return []
    lines = ["Budget impact:"]
    for row in rows:
        for what, before, after, change in (
            ("daily", row.daily_before, row.daily_after, row.daily_delta),
            ("lifetime", row.lifetime_before, row.lifetime_after, row.lifetime_delta),
        ):
            lines.append(f"  {row.currency} {what:<8}  {amount(before)} → {amount(after)}  ({change})")
    return lines


def _headroom(plan: PlanDict, paint: Paint) -> list[str]:
    lines: list[str] = []
    for account, entries in headroom_by_account(plan):
        if lines:
            lines.append("")
        lines.append(f"Limit headroom, account {label(account)}:")
        width = max(len(str(e["limit"])) for e in entries)
        numbers = max(len(f"{int(e['after']):,}") for e in entries)
        for entry in entries:
            lines.append(_headroom_line(plan, entry, width, numbers, paint))
    return lines


def _headroom_line(plan: PlanDict, entry: Mapping[str, Any], width: int, numbers: int, paint: Paint) -> str:
    used = f"{int(entry['after']):,}".rjust(numbers)
    text = (
        f"  {label(entry['limit']):<{width}}  {used} / {int(entry['maximum']):,} after apply"
        f" ({int(entry['before']):,} before)"
    )
    where = scope_name(plan, str(entry.get("scope", "")))
    if where:
        text += f", in {where}"
    flag = headroom_flag(entry)
    if flag:
        text += "  " + paint("refused" if flag.startswith("over") else "warn", f"⚠ {flag}")
    return text


def _violations(plan: PlanDict, paint: Paint) -> list[str]:
    violations = plan.get("violations", ())
    if not violations:
        return []
    lines = [paint("bold", "Violations:")]
    for violation in violations:
        guard = str(violation["guard"])
        refused = guard in ("limit", "access", "audience", "pricing")
        tag = paint("refused" if refused else "warn", f"{violation_label(guard)}:")
        lines.append(f"  {tag} {label(violation['message'])}")
    return lines


def _notes(plan: PlanDict) -> list[str]:
    notes = plan.get("notes", ())
    if not notes:
        return []
    lines = ["Notes:"]
    for note in notes:
        # A note may span lines (an --explain answer): each line is shown, made safe, indented.
        first, *rest = str(note).split("\n")
        lines.append(f"  - {label(first)}")
        lines.extend(f"    {label(more)}" for more in rest)
    return lines
