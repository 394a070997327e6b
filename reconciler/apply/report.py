"""Words for people about an apply: one line per result, the final summary, what a killed run left.

Pure functions returning text; the CLI decides where it goes. JSON events come from
:meth:`ChangeResult.to_event` and :meth:`ApplyReport.summary`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.apply.events import ApplyReport, ChangeResult, Status
from reconciler.apply.journal import Unfinished
from reconciler.plan import Action

APPLIED_SHOWN = 30

_DONE = {
    Action.CREATE: "created",
    Action.UPDATE: "updated",
    Action.ARCHIVE: "archived",
    Action.DELETE: "deleted",
    Action.REPLACE: "replaced",
}
_MARK = {Status.APPLIED: "✓", Status.FAILED: "✗", Status.SKIPPED: "-"}


def result_line(result: ChangeResult) -> str:
    """``✓ created campaign 500000001 / Brand / US (id 42)``, ``✗ …: HTTP 400 CODE field x: …``."""
    what = f"{result.kind.value} {result.address}"
    ident = f" (id {result.id})" if result.id is not None else ""
    if result.status is Status.APPLIED:
        note = f"; {result.note}" if result.note else ""
        return f"{_MARK[result.status]} {_DONE[result.action]} {what}{ident}{note}"
    head = f"{_MARK[result.status]} {result.action.value} {what}{ident}"
    detail = [result.error.message] if result.error else []
    if result.note:
        detail.append(result.note)
    return f"{head}: {'; '.join(detail)}" if detail else head


def summary_lines(report: ApplyReport, stats: Mapping[str, Any]) -> list[str]:
    """The closing block: applied changes (the first few), every failure and skip, then the counts.

    After an interrupt, the changes never started are listed as "Remaining" (the first few)."""
    lines: list[str] = []
    applied = [r for r in report.results if r.status is Status.APPLIED]
    _some(lines, "", applied, "applied")
    remaining = [r for r in report.results if is_remaining(r)] if report.interrupted else []
    for status, title in ((Status.FAILED, "Failed:"), (Status.SKIPPED, "Skipped:")):
        chosen = [r for r in report.results if r.status is status and r not in remaining]
        if chosen:
            lines.append(title)
            lines.extend("  " + result_line(r) for r in chosen)
    if remaining:
        _some(
            lines,
            f"Remaining ({len(remaining)}, not started; run apply again to finish them):",
            remaining,
            "",
        )
    lines.append(counts_line(report, stats))
    return lines


def is_remaining(result: ChangeResult) -> bool:
    """Whether a skipped change was never started because the run was interrupted."""
    return result.status is Status.SKIPPED and "not started: " in result.note


def _some(lines: list[str], title: str, results: list[ChangeResult], more: str) -> None:
    if not results:
        return
    if title:
        lines.append(title)
    lines.extend("  " + result_line(r) for r in results[:APPLIED_SHOWN])
    if len(results) > APPLIED_SHOWN:
        lines.append(f"  … and {len(results) - APPLIED_SHOWN} more {more}".rstrip())


def counts_line(report: ApplyReport, stats: Mapping[str, Any]) -> str:
    """``Apply complete: 6 applied, 0 failed, 0 skipped in 0.2 s (8 API calls, 0 retries).``"""
    head = "Apply complete" if report.ok else "Apply finished with failures"
    if report.stopped:
        head = "Apply stopped (--fail-fast)"
    if report.interrupted:
        head = f"Apply stopped ({report.interrupted})"
    calls = stats.get("calls", 0)
    retries = stats.get("retries", 0)
    return (
        f"{head}: {report.count(Status.APPLIED)} applied, {report.count(Status.FAILED)} failed, "
        f"{report.count(Status.SKIPPED)} skipped in {report.seconds:.1f} s "
        f"({calls} API call{'s' if calls != 1 else ''}, {retries} retr{'ies' if retries != 1 else 'y'})."
    )


def unfinished_lines(run: Unfinished, checks: list[str]) -> list[str]:
    """What the last run left unfinished, and what this run found for each of those changes."""
    lines = [run.describe()[0].upper() + run.describe()[1:] + "."]
    lines.extend(f"  {check}" for check in checks)
    return lines
