"""``reconciler drift``: how the live accounts depart from the manifests, who changed what, when."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

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
    echo_json,
    exit_with,
    report_api_usage,
    report_problems,
    scope_of,
    spinner,
    warn_partial,
    write_file,
)
from reconciler.drift import DriftResult, check_drift, for_output
from reconciler.drift import render as render_drift
from reconciler.errors import (
    ManifestError,
    ReconcilerError,
)
from reconciler.plan import Plan
from reconciler.planner import PlanOptions
from reconciler.render import render
from reconciler.target import resolve_target


@app.command()
def drift(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    target: TargetOption = None,
    timeout: TimeoutOption = None,
    output: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="human, markdown (for an issue or a job summary) or json."),
    ] = PlanFormat.human,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Also show the plan that reverts the drift (an ordinary plan)."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Save the revert plan as JSON for 'reconciler apply --plan FILE' (implies --fix).",
            show_default=False,
        ),
    ] = None,
    allow_replace: Annotated[
        bool,
        typer.Option("--allow-replace", help="Accept replacing resources whose immutable fields drifted."),
    ] = False,
    ignore_unmanaged: Annotated[
        bool,
        typer.Option(
            "--ignore-unmanaged",
            help="List live entities no manifest mentions, but do not count them as drift.",
        ),
    ] = False,
    only: OnlyOption = None,
    account: AccountOption = None,
    parallel_accounts: ParallelAccountsOption = None,
    no_color: NoColorOption = False,
    show_actors: Annotated[
        bool,
        typer.Option(
            "--show-actors",
            help="Name the member (urn:li:person:…) who last changed each entity in Markdown and JSON, "
            "and when the output is not a terminal. Member data: keep such output private.",
        ),
    ] = False,
) -> None:
    """Report how the live account departs from the manifests, and who changed what, when.

    Every drifted field is shown manifest → live, with the last change's time (from LinkedIn's
    audit stamps) and, on a terminal or with --show-actors, the member who made it; resources
    deleted or removed by hand are missing; live entities no manifest mentions are unmanaged. Drift
    that an ignoreChanges rule covers is listed as ignored, and resources never created are 'not
    yet applied': neither counts as drift. Nothing is written to LinkedIn: --fix shows the plan that
    reverts the drift, and --out saves it for 'reconciler apply --plan FILE'.

    Exit status: 0 no drift, 2 drift, 1 error.

    Example: reconciler drift examples/quickstart --format markdown
    """
    scope = scope_of(only)
    options = PlanOptions(allow_replace=allow_replace, only=scope)
    try:
        result, stats = _check_drift(
            paths,
            target,
            options,
            count_unmanaged=not ignore_unmanaged,
            timeout=timeout,
            accounts=accounts_of(account),
            parallel_accounts=parallel_accounts,
        )
    except ManifestError as err:
        report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        exit_with(err)
    warn_partial(scope)
    fixing = fix or out is not None
    color = output is PlanFormat.human and color_wanted(sys.stdout)
    # LinkedIn's terms forbid exporting member data: the member is shown on a terminal only, unless asked.
    actors = show_actors or (output is PlanFormat.human and sys.stdout.isatty())
    report = for_output(result.report.to_dict(), show_actors=actors)
    if output is PlanFormat.json:
        document = {"drift": report, "plan": result.plan.to_dict()} if fixing else dict(report)
        echo_json({**document, "api": api_usage(stats)})
    else:
        typer.echo(render_drift(report, output.value, color=color), nl=False)
        if fixing:
            typer.echo("")
            typer.echo(render(result.plan.to_dict(), output.value, color=color), nl=False)
    report_api_usage(stats)
    if fixing:
        _fix_advice(result.plan, paths, out)
    raise typer.Exit(2 if result.report.drifted else 0)


def _check_drift(
    paths: list[str],
    target_name: str | None,
    options: PlanOptions,
    *,
    count_unmanaged: bool,
    timeout: float | None = None,
    accounts: frozenset[int] | None = None,
    parallel_accounts: int | None = None,
) -> tuple[DriftResult, dict[str, Any]]:
    """The drift, and the client's counters (``ClientStats.snapshot()``) once it is known."""
    target = resolve_target(target_name, os.environ, timeout=timeout)
    announce(target)
    with target.client() as client, spinner("Reading live state") as progress:
        client.wire.on_retry = progress
        checked = check_drift(
            paths,
            client,
            target=target.description,
            options=options,
            count_unmanaged=count_unmanaged,
            progress=progress,
            accounts=accounts,
            parallel_accounts=parallel_accounts,
        )
        return checked, client.stats.snapshot()


def _fix_advice(the_plan: Plan, paths: list[str], out: Path | None) -> None:
    """Save the revert plan when asked, and say how to apply it (on stderr)."""
    if the_plan.empty:
        typer.echo("Nothing to revert: the plan is empty.", err=True)
        return
    if any(v.guard == "limit" for v in the_plan.violations):
        typer.echo("The revert plan would break LinkedIn account limits: apply would refuse it.", err=True)
    where = shlex.join(paths)
    if out is not None:
        write_file(out, the_plan.to_json())
        typer.echo(
            f"Saved the revert plan to {out}. Apply it with: "
            f"reconciler apply --plan {shlex.quote(str(out))} {where}",
            err=True,
        )
    else:
        typer.echo(
            f"To revert, apply the manifests: reconciler apply {where} (shows the plan and asks), or save "
            f"this plan with --out FILE and run: reconciler apply --plan FILE {where}",
            err=True,
        )
