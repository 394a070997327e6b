"""``reconciler apply``: plan (or load a saved plan), guard, confirm, and write with a journal."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from reconciler.api.client import LinkedInClient
from reconciler.api.collection import DEFAULT_BATCH_SIZE
from reconciler.apply import (
    JOURNAL_DIR,
    ApplyReport,
    ChangeResult,
    Event,
    Journal,
    Listener,
    Notice,
    PhaseStarted,
    Unfinished,
    apply_plan,
    check_live,
    check_manifests,
    check_origin,
    mark_reviewed,
    target_label,
    unfinished_runs,
)
from reconciler.apply import verify as verify_unfinished
from reconciler.apply.report import summary_lines, unfinished_lines
from reconciler.apply.saved import SHOWN, differences, read_plan
from reconciler.apply.stale import REMAKE
from reconciler.cli.app import app
from reconciler.cli.common import (
    NoColorOption,
    OnlyOption,
    OutputFormat,
    TargetOption,
    TimeoutOption,
    announce,
    color_wanted,
    exit_with,
    interactive,
    report_problems,
    scope_of,
    spinner,
)
from reconciler.cli.progress import apply_progress, phase_text
from reconciler.errors import (
    ApplyError,
    ConfigError,
    ManifestError,
    PlanError,
    ReconcilerError,
)
from reconciler.live import read_accounts
from reconciler.plan import Plan, writes
from reconciler.planner import PlanOptions, Scope
from reconciler.planner.replay import accounts_of, recheck
from reconciler.planner.rules import thresholds_for
from reconciler.render import render
from reconciler.target import Target, resolve_target
from reconciler.workflow import build_plan


@app.command()
def apply(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Manifest files or directories to plan and apply. With --plan: the manifests the saved "
            "plan was made from, to check they did not change.",
            show_default=False,
        ),
    ] = None,
    plan_file: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="Apply exactly this saved plan ('reconciler plan --out'), after checking it: schema, "
            "staleness, guardrails recomputed from its changes, and with PATHs a fresh plan of them.",
            show_default=False,
        ),
    ] = None,
    target: TargetOption = None,
    timeout: TimeoutOption = None,
    auto_approve: Annotated[
        bool,
        typer.Option("--auto-approve", help="Apply without asking (required when stdin is not a terminal)."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Apply a plan that crosses a safety threshold (mass archive, budget jump)."
        ),
    ] = False,
    allow_replace: Annotated[
        bool,
        typer.Option(
            "--allow-replace",
            help="Accept replacing resources whose immutable fields changed (history is lost).",
        ),
    ] = False,
    fail_fast: Annotated[
        bool,
        typer.Option(
            "--fail-fast", help="Stop at the first failure instead of going on with the independent rest."
        ),
    ] = False,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size",
            min=1,
            max=1000,
            help="Entities per batch request; longer batches are split and sent concurrently.",
        ),
    ] = DEFAULT_BATCH_SIZE,
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="human: the plan, then a summary. json: one JSON event per line (plan, change, summary).",
        ),
    ] = OutputFormat.human,
    only: OnlyOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Apply the manifests (or a saved plan) to the live accounts: ordered, batched, crash-safe.

    Plans, shows the plan, checks the guardrails (account limits refuse; safety thresholds need
    --force; replaces need --allow-replace) and asks for confirmation before writing anything.
    With --plan FILE it applies exactly that plan, refusing it when it is stale (the manifests,
    or any entity it touches, changed since it was made). A run that was interrupted is finished
    by running apply again; it first says what the last run left unfinished. See docs/apply.md.

    Exit status: 0 every change applied (or nothing to do), 1 anything failed, was skipped or refused.

    Example: reconciler apply examples/quickstart
    """
    out = _ApplyOutput(output)
    if not paths and plan_file is None:
        out.fail(ConfigError("give the manifest PATHs to plan and apply, or --plan FILE"))
    if plan_file is not None and not paths:
        out.warn(
            "no manifest PATHs given: the saved plan is not checked against the manifests it was made "
            "from; give them (apply --plan FILE PATH...) to refuse a plan whose manifests changed, or "
            "whose changes differ from a fresh plan of them (an edited plan)"
        )
    if only and plan_file is not None:
        out.fail(ConfigError("--only plans part of the manifests; a saved plan (--plan) is applied as it is"))
    choices = _ApplyChoices(auto_approve, force, allow_replace, fail_fast, scope_of(only))
    try:
        the_target = resolve_target(target, os.environ, timeout=timeout)
        announce(the_target)
        with the_target.client(batch_size=batch_size) as client:
            report = _apply(paths or [], plan_file, the_target, client, out, choices)
    except ManifestError as err:
        if out.json:
            problems = [p.to_dict() for p in err.problems]
            out.event({"event": "error", "message": str(err), "problems": problems})
        else:
            report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        out.fail(err)
    if report is not None and not report.ok:
        raise typer.Exit(1)


@dataclass(frozen=True)
class _ApplyChoices:
    auto_approve: bool
    force: bool
    allow_replace: bool
    fail_fast: bool
    only: Scope


def _apply(
    paths: list[str],
    plan_file: Path | None,
    target: Target,
    client: LinkedInClient,
    out: _ApplyOutput,
    choices: _ApplyChoices,
) -> ApplyReport | None:
    """Plan (or load and check a saved plan), show it, guard, confirm, then apply with a journal."""
    options = PlanOptions(allow_replace=choices.allow_replace, only=choices.only)
    the_plan, guarded = _plan_to_apply(paths, plan_file, target, client, options)
    out.plan(the_plan)
    if choices.only.partial:
        out.warn(f"partial plan (--only {choices.only.describe()}): everything else is left out")
    if plan_file is not None:  # first: the guardrails of a stale plan judge a world that is gone
        with spinner("Checking the plan is not stale"):
            check_live(the_plan, client)
    guarded.check_guardrails(force=choices.force, allow_replace=choices.allow_replace)
    label = target_label(target.description)
    runs = unfinished_runs(JOURNAL_DIR, label)
    if runs:
        out.unfinished(runs[0], verify_unfinished(runs[0], the_plan))
    if the_plan.empty:
        mark_reviewed(runs, "no-changes")
        out.nothing()
        return None
    _confirm(choices.auto_approve)
    try:
        journal = Journal.start(JOURNAL_DIR, the_plan, target=label)
    except OSError as err:
        raise ConfigError(f"cannot write the apply journal in {JOURNAL_DIR}: {err.strerror}") from err
    try:
        mark_reviewed(runs, journal.run_id)
        with out.progress(the_plan, client) as listener:
            report = apply_plan(
                the_plan, client, journal=journal, listener=listener, fail_fast=choices.fail_fast
            )
        journal.end(report)
    except OSError as err:
        raise ApplyError(
            f"the apply journal could not be written ({err.strerror}); the apply stopped there: "
            "free the disk, then run apply again to finish it"
        ) from err
    finally:
        journal.close()
    out.finish(report, client.stats.snapshot())
    return report


def _plan_to_apply(
    paths: list[str], plan_file: Path | None, target: Target, client: LinkedInClient, options: PlanOptions
) -> tuple[Plan, Plan]:
    """The plan to apply, and the same plan with the guardrails to check it by.

    A saved plan is untrusted input (docs/plan-format.md): read bounded and validated, compared with
    a fresh plan of the manifests when PATHs are given, and guarded by limits and thresholds
    recomputed from its own changes on the live accounts, not by what the file says of itself.
    """
    if plan_file is None:
        with spinner("Reading live state") as progress:
            client.wire.on_retry = progress
            fresh = build_plan(
                paths, client, target=target.description, options=options, progress=progress
            ).plan
        return fresh, fresh
    saved = read_plan(plan_file)
    check_origin(saved, target=target.description, api_version=client.version)
    if not paths:
        with spinner("Reading live state") as progress:
            live = read_accounts(client, accounts_of(saved), progress=progress)
        return saved, recheck(saved, live)
    with spinner("Planning the manifests afresh to check the saved plan") as progress:
        result = build_plan(
            paths,
            client,
            target=target.description,
            options=PlanOptions(allow_replace=True),
            progress=progress,
        )
    check_manifests(saved, result.plan.manifest_checksum)
    differ = differences(saved, result.plan)
    if differ:
        shown = "\n  ".join(differ[:SHOWN]) + (
            f"\n  … and {len(differ) - SHOWN} more" if len(differ) > SHOWN else ""
        )
        raise PlanError(
            f"{plan_file}: refused: {len(differ)} of its changes differ from what a fresh plan of the "
            f"manifests would do (the file was edited, or made from other manifests):\n  {shown}\n{REMAKE}"
        )
    thresholds = {account.id: thresholds_for(account) for account in result.desired.accounts}
    return saved, recheck(saved, result.live, thresholds=thresholds, managed=result.managed)


def _confirm(auto_approve: bool) -> None:
    if auto_approve:
        return
    if not sys.stdin.isatty():
        raise ConfigError(
            "refusing to ask for confirmation: standard input is not a terminal; review the plan and "
            "pass --auto-approve to apply it without asking"
        )
    answer = typer.prompt(
        "Apply these changes? Only 'yes' is accepted", default="", show_default=False, err=True
    )
    if answer.strip() != "yes":
        typer.echo("Apply cancelled: nothing was written.", err=True)
        raise typer.Exit(1)


class _ApplyOutput:
    """Everything apply prints: the plan, notices, progress, results and the summary, per --format."""

    def __init__(self, output: OutputFormat) -> None:
        self.json = output is OutputFormat.json

    def event(self, document: dict[str, Any]) -> None:
        typer.echo(json.dumps(document, sort_keys=True, ensure_ascii=False))

    def plan(self, the_plan: Plan) -> None:
        if self.json:
            self.event(
                {
                    "event": "plan",
                    "checksum": the_plan.checksum,
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

    def fail(self, err: Exception) -> NoReturn:
        if self.json:
            self.event({"event": "error", "message": str(err)})
        exit_with(err)
