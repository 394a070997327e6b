"""What ``reconciler apply`` prints: the plan, notices, progress, results and the summary, per --format."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console

from reconciler.api.client import LinkedInClient
from reconciler.apply import ApplyReport, ChangeResult, Event, Listener, Notice, PhaseStarted, Unfinished
from reconciler.apply.report import summary_lines, unfinished_lines
from reconciler.cli.common import OutputFormat, color_wanted, exit_with, interactive
from reconciler.cli.progress import apply_progress, phase_text
from reconciler.plan import Plan, writes
from reconciler.render import render


class ApplyOutput:
    """Everything apply prints: the plan, notices, progress, results and the summary, per --format."""

    def __init__(self, output: OutputFormat) -> None:
        self.json = output is OutputFormat.json

    def event(self, document: dict[str, Any]) -> None:
        typer.echo(json.dumps(document, sort_keys=True, ensure_ascii=False))

    def plan(self, the_plan: Plan, *, checksum: str | None = None) -> None:
        """Show ``the_plan``; ``checksum`` names the plan file it came from, when not its own."""
        if self.json:
            self.event(
                {
                    "event": "plan",
                    "checksum": checksum or the_plan.checksum,
                    "target": the_plan.target,
                    "api_version": the_plan.api_version,
                    "summary": the_plan.summary(),
                }
            )
            return
        color = color_wanted(sys.stdout)
        typer.echo(render(the_plan.to_dict(), "human", color=color), nl=False)

    def warn(self, message: str) -> None:
        if self.json:
            self.event({"event": "notice", "message": message})
        else:
            typer.echo(f"warning: {message}", err=True)

    def unfinished(self, run: Unfinished, checks: list[str]) -> None:
        if self.json:
            self.event(
                {
                    "event": "unfinished",
                    "run": run.run,
                    "count": run.count,
                    "message": run.describe(),
                    "checks": checks,
                }
            )
            return
        for line in unfinished_lines(run, checks):
            typer.echo(line, err=True)

    def nothing(self) -> None:
        if self.json:
            self.event({"event": "summary", "applied": 0, "failed": 0, "skipped": 0, "stopped": False})
            return
        typer.echo("No changes: the live accounts already match the manifests. Nothing to apply.")

    @contextmanager
    def progress(self, the_plan: Plan, client: LinkedInClient) -> Iterator[Listener]:
        """A listener for the applier; with a progress bar on stderr when it is a terminal."""
        if not interactive():
            yield self._on_event
            return
        bar = apply_progress(Console(stderr=True), client.stats)
        total = sum(writes(c) for c in the_plan.changes)
        with bar:
            task = bar.add_task("apply", total=total)

            def listener(event: Event) -> None:
                if isinstance(event, PhaseStarted):
                    bar.update(task, description=phase_text(event.step, event.count, event.kind.value))
                elif isinstance(event, Notice):
                    bar.console.print(f"note: {event.message}")
                else:
                    self._on_event(event)
                    bar.advance(task)

            yield listener

    def _on_event(self, event: Event) -> None:
        if isinstance(event, ChangeResult):
            if self.json:
                self.event(event.to_event())
        elif isinstance(event, Notice):
            if self.json:
                self.event({"event": "notice", "message": event.message})
            else:
                typer.echo(f"note: {event.message}", err=True)

    def finish(self, report: ApplyReport, stats: dict[str, Any]) -> None:
        if self.json:
            keep = ("calls", "retries", "throttles", "unknown_outcomes", "by_method")
            self.event({**report.summary(), **{k: stats[k] for k in keep}})
            return
        for line in summary_lines(report, stats):
            typer.echo(line)

    def fail(self, err: Exception, *, code: int = 1) -> NoReturn:
        if self.json:
            self.event({"event": "error", "message": str(err)})
        exit_with(err, code=code)
