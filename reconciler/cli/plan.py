"""``reconciler plan``: read the live accounts and show what apply would change."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from reconciler.apply import JOURNAL_DIR, target_label, unfinished_runs
from reconciler.apply.messages import unanswered_notes
from reconciler.apply.resume import describe as describe_baselines
from reconciler.cli.app import app
from reconciler.cli.common import (
    AccountOption,
    NoColorOption,
    OnlyOption,
    OutputFormat,
    ParallelAccountsOption,
    PlanFormat,
    TargetOption,
    TimeoutOption,
    accounts_of,
    announce,
    api_usage,
    color_wanted,
    exit_with,
    report_api_usage,
    report_problems,
    scope_of,
    spinner,
    warn_partial,
    write_file,
)
from reconciler.errors import (
    ManifestError,
    ReconcilerError,
)
from reconciler.plan import MINIMUM_GUARDS
from reconciler.planner import PlanOptions
from reconciler.render import render
from reconciler.target import resolve_target
from reconciler.workflow import PlanResult, build_plan


@app.command()
def plan(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    target: TargetOption = None,
    timeout: TimeoutOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Save the plan as JSON, for 'apply --plan' or review.", show_default=False
        ),
    ] = None,
    output: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="human (Terraform-like), markdown (for a pull request) or json."),
    ] = PlanFormat.human,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 when there are no changes, 2 when there are, 1 on error."
        ),
    ] = False,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="FIELD",
            help="Say, for every resource, why FIELD (API name, e.g. dailyBudget) is judged equal or not.",
            show_default=False,
        ),
    ] = None,
    allow_replace: Annotated[
        bool,
        typer.Option("--allow-replace", help="Accept replacing resources whose immutable fields changed."),
    ] = False,
    only: OnlyOption = None,
    account: AccountOption = None,
    parallel_accounts: ParallelAccountsOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show what apply would change: read the live account, compare, and print the plan.

    Nothing is written to LinkedIn. Live entities that no manifest mentions are listed as
    unmanaged and left alone (unless 'prune: true'). A plan that would break an account limit
    is shown and refused (exit 1).

    Exit status: 0 success (or no changes with --detailed-exitcode), 2 changes present with
    --detailed-exitcode, 1 error.

    With --only ADDRESS the plan is partial: it covers that group, campaign or creative, what is
    below it and the parents it needs, and says so; nothing outside it is pruned.

    Example: reconciler plan examples/quickstart --out plan.json
    """
    scope = scope_of(only)
    try:
        options = PlanOptions(allow_replace=allow_replace, explain=explain, only=scope)
        result, stats = _make_plan(paths, target, options, timeout, accounts_of(account), parallel_accounts)
    except ManifestError as err:
        report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        exit_with(err)
    the_plan = result.plan
    color = output is PlanFormat.human and color_wanted(sys.stdout)
    shown = the_plan.to_dict()
    if output is PlanFormat.json:
        shown["api"] = api_usage(stats)  # not part of the plan: left out of --out and the checksum
    typer.echo(render(shown, output.value, color=color), nl=False)
    report_api_usage(stats)
    warn_partial(scope)
    if out is not None:
        write_file(out, the_plan.to_json())
        typer.echo(f"Saved the plan to {out}.", err=True)
    if any(v.guard == "access" for v in the_plan.violations):
        typer.echo(
            "Plan refused: the token or its member's roles do not allow these changes (see doctor).", err=True
        )
        raise typer.Exit(1)
    if any(v.guard == "limit" for v in the_plan.violations):
        typer.echo("Plan refused: it would break LinkedIn account limits.", err=True)
        raise typer.Exit(1)
    if any(v.guard in MINIMUM_GUARDS for v in the_plan.violations):
        typer.echo(
            "Plan refused: a campaign is under LinkedIn's minimums (a 300-member audience, the bid "
            "floor, the minimum daily budget).",
            err=True,
        )
        raise typer.Exit(1)
    if detailed_exitcode and not the_plan.empty:
        raise typer.Exit(2)


def _make_plan(
    paths: list[str],
    target_name: str | None,
    options: PlanOptions,
    timeout: float | None,
    accounts: frozenset[int] | None,
    parallel_accounts: int | None = None,
) -> tuple[PlanResult, dict[str, Any]]:
    """The plan, and the client's counters (``ClientStats.snapshot()``) once it is made."""
    target = resolve_target(target_name, os.environ, timeout=timeout)
    announce(target)
    # A plan of an account an interrupted apply left half-done is judged, as that apply's rerun
    # will be, from where the interrupted run began (its journal, in this working directory).
    label = target_label(target.description)
    runs = unfinished_runs(JOURNAL_DIR, label)
    if runs and runs[0].baselines:
        typer.echo(f"warning: {describe_baselines(runs[0].baselines)}", err=True)
        options = replace(options, baselines=runs[0].baselines)
    with target.client() as client, spinner("Reading live state") as progress:
        client.wire.on_retry = progress
        made = build_plan(
            paths,
            client,
            target=target.description,
            options=options,
            progress=progress,
            accounts=accounts,
            parallel_accounts=parallel_accounts,
        )
        # what apply will say of a content create an interrupted apply sent and never heard back about
        notes = unanswered_notes(made.plan, JOURNAL_DIR, label)
        if notes:
            made = replace(made, plan=replace(made.plan, notes=(*made.plan.notes, *notes)))
        return made, client.stats.snapshot()
