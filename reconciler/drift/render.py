"""The human, Markdown and JSON views of a drift report, drawn only from ``DriftReport.to_dict()``.

Field values read ``manifest → live``. Each drifted resource says when it was last changed, and by
whom (the member URN LinkedIn records) only when the dict still carries it: :func:`for_output` takes
it out unless actors are to be shown, since LinkedIn's terms forbid exporting member data and the
Markdown and JSON views end up in issues, comments and artifacts. Ignored drift and resources not
yet applied are listed apart, as not drift. Pure functions of the dict: no model, no client; the
same dict gives the same text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from reconciler.render.values import instant, label, show

FORMATS = ("human", "markdown", "json")
MAX_CHARS = 60_000  # GitHub refuses issue bodies and comments over 65,536 characters
INDENT = "    "
KIND_NAMES = {"campaignGroup": "campaign group", "campaign": "campaign", "creative": "creative"}
SYMBOLS = {
    "changed": "~",
    "missing": "-",
    "unmanaged": "?",
    "ignored": "=",
    "not_applied": "+",
    "rejected": "!",
}
ASIDE = ("ignored", "not_applied", "rejected")  # listed apart: not drift
TITLES = {
    "changed": "changed",
    "missing": "missing",
    "unmanaged": "unmanaged",
    "ignored": "ignored",
    "not_applied": "not yet applied",
    "rejected": "rejected in review",
}
_STYLES = {
    "changed": "33",
    "missing": "31",
    "unmanaged": "36",
    "ignored": "2",
    "not_applied": "32",
    "rejected": "35",
    "bold": "1",
}

Report = Mapping[str, Any]


def render(report: Report, fmt: str = "human", *, color: bool = False, max_chars: int = MAX_CHARS) -> str:
    """Render a drift report's dict form as ``fmt`` (one of FORMATS); ValueError for another."""
    if fmt == "human":
        return human(report, color=color)
    if fmt == "markdown":
        return markdown(report, max_chars=max_chars)
    if fmt == "json":
        return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown drift format {fmt!r}; choose one of {', '.join(FORMATS)}")


def for_output(report: Report, *, show_actors: bool) -> dict[str, Any]:
    """The report as the drift command prints it: each item gets ``last_change`` (``changed in
    Campaign Manager at <time>``, ``… by <member URN>`` with actors, or None without a time), and
    ``modified_by`` is None unless ``show_actors``."""
    items = []
    for item in report.get("items", ()):
        actor = item.get("modified_by") if show_actors else None
        items.append(
            {**item, "modified_by": actor, "last_change": _last_change(item.get("modified_at"), actor)}
        )
    return {**report, "items": items}


def _last_change(at: int | None, actor: str | None) -> str | None:
    if at is None:
        return f"changed in Campaign Manager by {actor}" if actor else None
    return f"changed in Campaign Manager at {instant(at)}" + (f" by {actor}" if actor else "")


def summary_line(report: Report) -> str:
    """``Drift: 2 changed, 1 unmanaged (1 ignored, 3 not yet applied).`` or ``No drift …``."""
    counts = report.get("summary", {})
    drift = [
        f"{counts.get(s, 0):,} {TITLES[s]}" for s in ("changed", "missing", "unmanaged") if counts.get(s)
    ]
    aside = [f"{counts.get(s, 0):,} {TITLES[s]}" for s in ASIDE if counts.get(s)]
    tail = f" ({', '.join(aside)})" if aside else ""
    if report.get("drifted"):
        return f"Drift: {', '.join(drift)}{tail}."
    if drift:  # unmanaged entities listed but not counted
        return f"No drift counted: {', '.join(drift)} listed{tail}."
    if aside:
        return f"No drift{tail}."
    return "No drift: the live account matches the manifests."


# -- human -----------------------------------------------------------------------------------------


def human(report: Report, *, color: bool = False) -> str:
    """The report as terminal text; ANSI colour only when ``color``."""

    def paint(style: str, text: str) -> str:
        code = _STYLES.get(style)
        return f"\x1b[{code}m{text}\x1b[0m" if color and code else text

    lines = [
        paint("bold", f'Drift of target "{label(report.get("target", ""))}" from the manifests'),
        f"LinkedIn API {label(report.get('api_version', ''))} · values read manifest → live",
        "",
    ]
    items = report.get("items", ())
    for state in ("changed", "missing", "unmanaged"):
        for item in (i for i in items if i["state"] == state):
            lines.append(paint(state, f"  {SYMBOLS[state]} {_headline(item)}"))
            lines.extend(f"{INDENT}{text}" for text in _details(item))
    aside = [i for i in items if i["state"] in ASIDE]
    if aside and len(lines) > 3:
        lines.append("")
    for state, title in (
        ("ignored", "Ignored (ignoreChanges), not drift:"),
        ("not_applied", _NOT_APPLIED),
        ("rejected", _REJECTED),
    ):
        chosen = [i for i in items if i["state"] == state]
        if chosen:
            lines.append(paint(state, title))
            for item in chosen:
                lines.append(paint(state, f"  {SYMBOLS[state]} {_headline(item, with_state=False)}"))
                lines.extend(f"{INDENT}{text}" for text in _details(item))
    if lines[-1]:
        lines.append("")
    lines.append(paint("bold", summary_line(report)))
    return "\n".join(lines) + "\n"


_NOT_APPLIED = "Not yet applied (in the manifests, never created; run apply), not drift:"
_REJECTED = "Rejected in LinkedIn's review (they do not serve; new content or archive them), not drift:"


def _headline(item: Mapping[str, Any], *, with_state: bool = True) -> str:
    kind = KIND_NAMES.get(item["kind"], item["kind"])
    extra = [f"id {item['id']}"] if item.get("id") else []
    if item["state"] in ("unmanaged", "missing") and item.get("status"):
        extra.append(str(item["status"]))
    suffix = f" ({', '.join(extra)})" if extra else ""
    state = f"{TITLES[item['state']]} " if with_state else ""
    return f"{state}{kind} {_address(item['path'])}{suffix}"


def _details(item: Mapping[str, Any]) -> list[str]:
    out = [f"{f['field']}: {_pair(f)}{'  (ignored)' if f.get('ignored') else ''}" for f in item["fields"]]
    stamp = _stamp(item)
    if stamp:
        out.append(stamp)
    if item.get("note"):
        out.append(f"note: {label(item['note'])}")
    if item.get("where"):
        out.append(f"manifest: {label(item['where'])}")
    return out


def _pair(field: Mapping[str, Any]) -> str:
    return f"{show(field.get('manifest'))} → {show(field.get('live'))}"


def _stamp(item: Mapping[str, Any]) -> str:
    """``changed in Campaign Manager at 2026-10-02T09:15:00Z`` (``by urn:li:person:…`` when the
    dict carries the member) and when it was created."""
    parts = []
    last = _last_change(item.get("modified_at"), item.get("modified_by"))
    if last:
        parts.append(label(last))
    if item["state"] == "unmanaged" and item.get("created_at") is not None:
        parts.append(f"(created {instant(item['created_at'])})")
    return " ".join(parts)


def _address(path: Sequence[Any]) -> str:
    return " / ".join(label(p) for p in path)


# -- markdown --------------------------------------------------------------------------------------


def markdown(report: Report, *, max_chars: int = MAX_CHARS) -> str:
    """The report as GitHub-flavoured Markdown (an issue body or a job summary), at most ``max_chars``
    characters: rows are dropped from the end, with a note, when it would be longer."""
    counts = report.get("summary", {})
    head = [
        "## LinkedIn Ads drift",
        "",
        f"**{_md(summary_line(report))}**",
        "",
        f"Target `{label(report.get('target', ''))}` · LinkedIn API `{label(report.get('api_version', ''))}`"
        " · values read manifest → live",
        "",
        "| " + " | ".join(TITLES[s] for s in SYMBOLS) + " |",
        "|" + "---:|" * len(SYMBOLS),
        "| " + " | ".join(f"{counts.get(s, 0):,}" for s in SYMBOLS) + " |",
        "",
    ]
    sections = [_section(report, state) for state in SYMBOLS]
    return _fit("\n".join(head) + "\n", [s for s in sections if s], max_chars)


_COLUMNS = "| resource | field | manifest | live | last change | file:line |\n|---|---|---|---|---|---|\n"


def _section(report: Report, state: str) -> tuple[str, list[str], str] | None:
    items = [i for i in report.get("items", ()) if i["state"] == state]
    if not items:
        return None
    rows: list[str] = []
    for item in items:
        rows.extend(_rows(item))
    title = f"{TITLES[state].capitalize()} ({len(items):,})"
    if state in ASIDE:
        opening = f"<details><summary>{html.escape(title)} — not drift</summary>\n\n{_COLUMNS}"
        return opening, rows, "\n</details>\n\n"
    return f"### {title}\n\n{_COLUMNS}", rows, "\n"


def _rows(item: Mapping[str, Any]) -> list[str]:
    resource = f"{KIND_NAMES.get(item['kind'], item['kind'])} {_md(_address(item['path']))}"
    if item.get("id"):
        resource += f" (id {item['id']})"
    when = _md(_last_change(item.get("modified_at"), item.get("modified_by")) or "")
    where = f"`{label(item['where']).replace('`', '')}`" if item.get("where") else ""
    fields = item.get("fields") or ()
    if not fields:
        manifest, live = _presence(item)
        note = f" — {_md(item['note'])}" if item.get("note") else ""
        return [f"| {resource} | (resource) | {manifest} | {live}{note} | {when} | {where} |\n"]
    rows = []
    for field in fields:
        flag = " (ignored)" if field.get("ignored") else ""
        rows.append(
            f"| {resource} | {_md(field['field'])}{flag} | {_cell(field.get('manifest'))} | "
            f"{_cell(field.get('live'))} | {when} | {where} |\n"
        )
    return rows


def _presence(item: Mapping[str, Any]) -> tuple[str, str]:
    """What the manifests and the account hold of a resource that one of them lacks."""
    status = f"`{label(item['status']).replace('`', '')}`" if item.get("status") else ""
    if item["state"] == "unmanaged":
        return "(not in the manifests)", status or "present"
    if item["state"] == "not_applied":
        return "present", "(never created)"
    if item["state"] == "rejected":
        return "present", "rejected in review"
    return "present", status or "(missing)"


def _cell(value: Any) -> str:
    text = show(value, limit=120).replace("`", "'").replace("|", "\\|")
    return f"`{text}`"


def _fit(head: str, sections: list[tuple[str, list[str], str]], limit: int) -> str:
    text = head
    total = sum(len(rows) for _, rows, _ in sections)
    shown = 0
    reserve = len(_truncated(total)) + 2
    for opening, rows, closing in sections:
        if len(text) + len(opening) + len(closing) + reserve > limit:
            break
        taken: list[str] = []
        for row in rows:
            if len(text) + len(opening) + sum(map(len, taken)) + len(row) + len(closing) + reserve > limit:
                break
            taken.append(row)
        if taken:
            text += opening + "".join(taken) + closing
            shown += len(taken)
        if len(taken) < len(rows):
            break
    if shown < total:
        text += _truncated(total - shown)
    return text[:limit]


def _truncated(hidden: int) -> str:
    rows = f"{hidden:,} more row{'s' if hidden != 1 else ''}"
    return f"\n… truncated: {rows}; run `reconciler drift --format json` for all of them.\n"


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|~<>"})


def _md(text: Any) -> str:
    return label(text).translate(_MD_SPECIAL)
