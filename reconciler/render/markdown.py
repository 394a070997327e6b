"""The pull-request comment view of a plan, drawn only from ``Plan.to_dict()``.

Summary table first, then violations (a warning block), budget impact and limit headroom tables,
then the changes of each campaign group in a collapsible ``<details>`` section holding a ``diff``
code block, then the unmanaged entities and the notes. Identical changes of one kind in one group
(the same action, fields and values) are drawn once, with the address of every resource they touch.
With ``max_chars`` (GitHub refuses comments over 65,536 characters) details are dropped from the
end, whole changes at a time, and a note says how many were left out and how to see them all
(``reconciler show plan.json``); with ``max_chars=None`` every change is drawn.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reconciler.plan import Action
from reconciler.render.common import (
    SYMBOLS,
    PlanDict,
    address,
    budget_rows,
    change_notes,
    checksum_line,
    counts,
    headline,
    headroom_by_account,
    headroom_flag,
    kind_name,
    scope_name,
    summary_line,
    unmanaged_line,
    violation_label,
)
from reconciler.render.content import content_lines, is_managed, upload_lines
from reconciler.render.review import review_notes
from reconciler.render.targeting import facet_lines, is_targeting, names_of
from reconciler.render.values import amount, label, show

MAX_CHARS = 60_000
VALUE_CHARS = 120
FULL_PLAN = (
    "see every change with `reconciler show plan.json --format markdown` "
    "(save the plan with `reconciler plan --out plan.json`)"
)
CONTEXT = "      "
_FLAGS = {"threshold": "--force", "replace": "--allow-replace"}


def render(plan: PlanDict, *, max_chars: int | None = MAX_CHARS) -> str:
    """The plan as GitHub-flavoured Markdown of at most ``max_chars`` characters (None: no limit)."""
    head = "\n".join(
        b
        for b in (
            _title(plan),
            _summary(plan),
            _violations(plan),
            _uploads(plan),
            _budgets(plan),
            _headroom(plan),
        )
        if b
    )
    tail = "\n".join(b for b in (_notes(plan), _footer(plan)) if b)
    sections = [*_group_sections(plan), *_unmanaged_sections(plan)]
    if max_chars is None:
        return head + "\n" + "".join(_whole(s) + "\n" for s in sections) + tail
    return _fit(head, sections, tail, max_chars)


# -- the head: what a reviewer reads first --------------------------------------------------------


def _title(plan: PlanDict) -> str:
    return (
        "## LinkedIn Ads plan\n\n"
        f"Target {_code(plan.get('target', ''))} · LinkedIn API {_code(plan.get('api_version', ''))}\n"
    )


def _summary(plan: PlanDict) -> str:
    numbers = counts(plan)
    rows = [f"| `{SYMBOLS[a]}` {a} | {numbers[a]:,} |" for a in Action]
    if numbers["ignored"]:
        rows.append(f"| `~` only ignored drift (not written) | {numbers['ignored']:,} |")
    rows.append(f"| `?` unmanaged | {numbers['unmanaged']:,} |")
    table = "\n".join(["| Action | Count |", "|:--|--:|", *rows])
    return f"**{_md(summary_line(plan))}**\n\n{table}\n"


def _violations(plan: PlanDict) -> str:
    violations = plan.get("violations", ())
    if not violations:
        return ""
    guards = {str(v["guard"]) for v in violations}
    if "access" in guards:
        kind, title = "CAUTION", "This plan will be refused: the member's account role forbids a change."
    elif "limit" in guards:
        kind, title = "CAUTION", "This plan will be refused: it would break account limits."
    elif guards & {"audience", "pricing"}:
        kind, title = "CAUTION", "This plan will be refused: a campaign is under LinkedIn's minimums."
    else:
        flags = [f"`{flag}`" for guard, flag in _FLAGS.items() if guard in guards]
        kind, title = "WARNING", f"Applying this plan needs {' and '.join(flags) or 'a review'}."
    lines = [f"> [!{kind}]", f"> **{title}**", ">"]
    lines.extend(f"> - **{_md(violation_label(v['guard']))}**: {_md(v['message'])}" for v in violations)
    return "\n".join(lines) + "\n"


def _uploads(plan: PlanDict) -> str:
    lines = upload_lines(plan)
    if not lines:
        return ""
    first, *files = lines
    return "\n".join([f"#### {first}", "", *(f"- {_code(f.strip())}" for f in files)]) + "\n"


def _budgets(plan: PlanDict) -> str:
    rows = budget_rows(plan)
    if not rows:
        return ""
    lines = [
        "#### Budget impact",
        "",
        "| Currency | Daily before | Daily after | Daily change "
        "| Lifetime before | Lifetime after | Lifetime change |",
        "|:--|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        cells = [r.currency, amount(r.daily_before), amount(r.daily_after), r.daily_delta]
        cells += [amount(r.lifetime_before), amount(r.lifetime_after), r.lifetime_delta]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _headroom(plan: PlanDict) -> str:
    rows = [_headroom_row(plan, acct, e) for acct, entries in headroom_by_account(plan) for e in entries]
    if not rows:
        return ""
    header = ["#### Limit headroom", "", "| Account | Limit | Before | After apply | Maximum | |"]
    return "\n".join([*header, "|:--|:--|--:|--:|--:|:--|", *rows]) + "\n"


def _headroom_row(plan: PlanDict, account: str, entry: Mapping[str, Any]) -> str:
    where = scope_name(plan, str(entry.get("scope", "")))
    limit = f"{entry['limit']} (in {where})" if where else str(entry["limit"])
    numbers = [f"{int(entry[k]):,}" for k in ("before", "after", "maximum")]
    flag = headroom_flag(entry)
    cells = [_md(c) for c in (account, limit, *numbers)] + [f"⚠ {flag}" if flag else ""]
    return "| " + " | ".join(cells) + " |"


def _notes(plan: PlanDict) -> str:
    notes = plan.get("notes", ())
    if not notes:
        return ""
    items = []
    for note in notes:
        first, *rest = str(note).split("\n")
        items.append(f"- {_md(first)}\n" + "".join(f"  <br>{_md(more.strip())}\n" for more in rest))
    return "#### Notes\n\n" + "".join(items)


def _footer(plan: PlanDict) -> str:
    return f"<sub>{html.escape(checksum_line(plan))}</sub>\n"


# -- details: one collapsible section per campaign group ------------------------------------------


@dataclass
class _Section:
    """A ``<details>`` block: its items can be cut, its opening and closing cannot."""

    opening: str
    closing: str
    items: list[tuple[str, int, int]] = field(default_factory=list)  # (text, changes, unmanaged)


def _group_sections(plan: PlanDict) -> list[_Section]:
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for change in plan.get("changes", ()):
        groups.setdefault(tuple(str(p) for p in change["path"][:2]), []).append(change)
    sections = []
    for key in sorted(groups):
        changes = groups[key]
        tally = {a: sum(c["action"] == a for c in changes) for a in Action}
        words = ", ".join(f"{n:,} to {a}" for a, n in tally.items() if n)
        summary = f"<b>{html.escape(address(key))}</b>: {words}"
        section = _Section(_opening(summary, "diff"), "```\n\n</details>\n")
        section.items = _change_items(changes, names_of(plan))
        sections.append(section)
    if sections:
        sections[0].opening = "### Changes\n\n" + sections[0].opening
    return sections


def _unmanaged_sections(plan: PlanDict) -> list[_Section]:
    entities = plan.get("unmanaged", ())
    if not entities:
        return []
    noun = "entity" if len(entities) == 1 else "entities"
    summary = f"{len(entities):,} unmanaged {noun} (left alone; set <code>prune: true</code> to archive)"
    section = _Section(_opening(summary, "text"), "```\n\n</details>\n")
    section.items = [(f"? {unmanaged_line(e)}\n", 0, 1) for e in entities]
    return [section]


def _opening(summary: str, language: str) -> str:
    return f"<details><summary>{summary}</summary>\n\n```{language}\n"


def _change_items(
    changes: Sequence[Mapping[str, Any]], names: Mapping[str, str]
) -> list[tuple[str, int, int]]:
    """One item per change, except that identical changes (same action, kind, notes and field
    lines) become one item listing every resource they touch, at the place of the first."""
    alike: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for change in changes:
        body = _change_lines(change, names)[1:]
        alike.setdefault((str(change["action"]), str(change["kind"]), *body), []).append(change)
    items = []
    for key, members in alike.items():
        if len(members) == 1:
            items.append(("\n".join(_change_lines(members[0], names)) + "\n", 1, 0))
        else:
            items.append(("\n".join(_alike_lines(members, list(key[2:]))) + "\n", len(members), 0))
    return items


def _alike_lines(members: Sequence[Mapping[str, Any]], body: list[str]) -> list[str]:
    """``~ dailyBudget: 50 USD → 60 USD on 212 campaigns`` (or the shared field lines), then each
    resource's address."""
    first = members[0]
    action = Action(first["action"])
    kinds = f"{len(members):,} {kind_name(first['kind'])}s"
    fields = first.get("fields", ())
    quiet = not change_notes(first) and not review_notes(first)
    single = len(fields) == 1 and len(body) <= 2 and quiet and not is_targeting(fields[0])
    if single and fields[0].get("old") is not None and fields[0].get("new") is not None:
        item = fields[0]
        values = f"{show(item['old'], limit=VALUE_CHARS)} → {show(item['new'], limit=VALUE_CHARS)}"
        ignored = "  (ignored)" if item.get("ignored") else ""
        lines = [f"{SYMBOLS[action]} {label(item['field'])}: {values} on {kinds}{ignored}"]
    else:
        lines = [f"{SYMBOLS[action]} {action} {kinds}, each the same:", *body]
    lines.extend(f"{CONTEXT}· {_where(c)}" for c in members)
    return lines


def _where(change: Mapping[str, Any]) -> str:
    ident = f" (id {change['id']})" if change.get("id") is not None else ""
    return f"{address(change['path'])}{ident}"


def _change_lines(change: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    action = Action(change["action"])
    lines = [f"{SYMBOLS[action]} {headline(change)}"]
    lines.extend(f"{CONTEXT}# {note}" for note in change_notes(change))
    lines.extend(f"{CONTEXT}# {note}" for note in review_notes(change))
    for item in change.get("fields", ()):
        if is_targeting(item):
            lines.extend(_targeting_lines(item, action, names))
        elif is_managed(change, item):
            lines.extend(f"{mark or ' '}     {text}" for mark, text in content_lines(item))
        else:
            lines.extend(_field_lines(item, action))
    return lines


def _targeting_lines(item: Mapping[str, Any], action: Action, names: Mapping[str, str]) -> list[str]:
    """A targeting change facet by facet, each added value on a ``+`` line and each removed one on a
    ``-`` line of the diff block (whole: never cut); ignored drift on context lines."""
    created = action is Action.CREATE and item.get("old") is None
    facets = facet_lines(item, names, created=created)
    if item.get("ignored"):
        return [f"{CONTEXT}{label(item['field'])}:  (ignored)", *(f"{CONTEXT}  {line}" for line in facets)]
    if created:
        return [f"+     {label(item['field'])}:", *(f"+       {line}" for line in facets)]
    out = [f"{CONTEXT}{label(item['field'])}:"]
    for line in facets:
        sign = line[0] if line[:2] in ("+ ", "- ") else " "
        out.append(f"{sign}       {line[2:] if sign != ' ' else line}")
    return out


def _field_lines(item: Mapping[str, Any], action: Action) -> list[str]:
    name = label(item["field"])
    old, new = item.get("old"), item.get("new")
    if item.get("ignored"):
        change = f"{show(old, limit=VALUE_CHARS)} → {show(new, limit=VALUE_CHARS)}"
        return [f"{CONTEXT}{name}: {change}  (ignored)"]
    lines = []
    if old is not None:
        lines.append(f"-     {name}: {show(old, limit=VALUE_CHARS)}")
    if new is not None or action is Action.CREATE:
        lines.append(f"+     {name}: {show(new, limit=VALUE_CHARS)}")
    return lines


# -- fitting into max_chars -----------------------------------------------------------------------


def _fit(head: str, sections: Sequence[_Section], tail: str, limit: int) -> str:
    whole = head + "\n" + "".join(_whole(s) + "\n" for s in sections) + tail
    if len(whole) <= limit:
        return whole
    changes = sum(i[1] for s in sections for i in s.items)
    unmanaged = sum(i[2] for s in sections for i in s.items)
    # The note is reserved at its longest: fewer hidden changes never make it longer (+2 newlines, +1
    # for "1 more change" becoming "0 more changes").
    room = limit - len(head) - len(tail) - len(_note(changes, unmanaged)) - 3
    if room < 0:
        return _hard_cut(head, _note(changes, unmanaged), limit)
    body, shown_changes, shown_unmanaged = _pack(sections, room)
    note = _note(changes - shown_changes, unmanaged - shown_unmanaged)
    text = head + "\n" + body + note + "\n" + tail
    return text if len(text) <= limit else _hard_cut(head, note, limit)


def _whole(section: _Section) -> str:
    return section.opening + "".join(i[0] for i in section.items) + section.closing


def _pack(sections: Sequence[_Section], room: int) -> tuple[str, int, int]:
    """As many whole changes as fit in ``room`` characters, in order; and how many that is."""
    out: list[str] = []
    used = changes = unmanaged = 0
    for section in sections:
        frame = len(section.opening) + len(section.closing) + 1
        taken: list[str] = []
        for text, c, u in section.items:
            if used + frame + len(text) > room:
                break
            taken.append(text)
            used += len(text)
            changes, unmanaged = changes + c, unmanaged + u
        if taken:
            out.append(section.opening + "".join(taken) + section.closing + "\n")
            used += frame
        if len(taken) < len(section.items):
            break
    return "".join(out), changes, unmanaged


def _note(changes: int, unmanaged: int) -> str:
    parts = []
    if changes or not unmanaged:
        parts.append(f"{changes:,} more change{'' if changes == 1 else 's'}")
    if unmanaged:
        parts.append(f"{unmanaged:,} more unmanaged entit{'y' if unmanaged == 1 else 'ies'}")
    return f"… truncated: {' and '.join(parts)}; {FULL_PLAN}\n"


def _hard_cut(head: str, note: str, limit: int) -> str:
    """Only when even the tables do not fit: whole lines of the head, then the note."""
    room = limit - len(note) - 1
    kept: list[str] = []
    for line in head.splitlines(keepends=True):
        if sum(map(len, kept)) + len(line) > room:
            break
        kept.append(line)
    text = "".join(kept) + "\n" + note
    return text if len(text) <= limit else note[:limit]


# -- Markdown text --------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"})


def _md(text: Any) -> str:
    """Inline Markdown text: HTML and Markdown punctuation escaped, one line."""
    return html.escape(label(text), quote=False).translate(_MD_SPECIAL)


def _code(text: Any) -> str:
    """A code span that survives backticks in ``text``."""
    value = label(text)
    return f"`` {value} ``" if "`" in value else f"`{value}`"
