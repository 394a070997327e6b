"""``reconciler apply``: plan (or load a saved plan), guard, confirm, and write with a journal."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

import typer

from reconciler.api.client import LinkedInClient
from reconciler.api.collection import DEFAULT_BATCH_SIZE
from reconciler.api.quota import quota_message
from reconciler.apply import (
    JOURNAL_DIR,
    ApplyReport,
    Journal,
    Unfinished,
    WaitPolicy,
    apply_plan,
    check_live,
    check_manifests,
    check_origin,
    content_maker,
    mark_reviewed,
    target_label,
    unfinished_runs,
)
from reconciler.apply import verify as verify_unfinished
from reconciler.apply.lock import account_locks, lock_dir
from reconciler.apply.resume import baselines_for
from reconciler.apply.resume import describe as describe_baselines
from reconciler.apply.saved import SHOWN, differences, read_plan
from reconciler.apply.stale import REMAKE
from reconciler.cli.app import app
from reconciler.cli.apply_output import ApplyOutput
from reconciler.cli.common import (
    AccountOption,
    NoColorOption,
    OnlyOption,
    OutputFormat,
    ParallelAccountsOption,
    ProcessingTimeoutOption,
    TargetOption,
    TimeoutOption,
    accounts_of,
    announce,
    processing_timeout,
    report_problems,
    scope_of,
    spinner,
)
from reconciler.cli.interrupts import Interrupted, Interrupts, handled
from reconciler.errors import (
    ApplyError,
    ConfigError,
    ManifestError,
    PlanError,
    QuotaExhausted,
    ReconcilerError,
)
from reconciler.guardrails import Baseline
from reconciler.live import LiveAccount, read_accounts
from reconciler.model import Account
from reconciler.plan import Plan
from reconciler.planner import AccountPlan, PlanOptions, Scope
from reconciler.planner.replay import accounts_of as accounts_of_plan
from reconciler.planner.replay import combine, recheck, recheck_account
from reconciler.planner.rules import thresholds_for
from reconciler.target import Target, resolve_target
from reconciler.workflow import build_plan, check_access, plan_organizations


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
    account: AccountOption = None,
    parallel_accounts: ParallelAccountsOption = None,
    no_color: NoColorOption = False,
    lock_wait: Annotated[
        float,
        typer.Option(
            "--lock-wait",
            min=0,
            metavar="SECONDS",
            help="How long to wait for another apply on this machine that holds an account's lock.",
        ),
    ] = 30.0,
    processing: ProcessingTimeoutOption = None,
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
    out = ApplyOutput(output)
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
    choices = _ApplyChoices(
        auto_approve,
        force,
        allow_replace,
        fail_fast,
        scope_of(only),
        lock_wait,
        accounts_of(account),
        parallel_accounts,
    )
    code = None
    quota = None
    try:
        waiting = processing_timeout(processing, os.environ)
        choices = replace(choices, processing=WaitPolicy(timeout=waiting) if waiting is not None else None)
        the_target = resolve_target(target, os.environ, timeout=timeout)
        announce(the_target)
        with the_target.client(batch_size=batch_size) as client, handled(client.wire) as interrupts:
            report = _apply(paths or [], plan_file, the_target, client, out, choices, interrupts)
            code = interrupts.exit_code
            quota = client.wire.quota
    except Interrupted as stop:
        out.fail(ApplyError("interrupted before any write: nothing was written"), code=128 + stop.signum)
    except QuotaExhausted as err:
        out.fail(ApplyError(f"{err.message.removesuffix('; not sent')}; run apply again then"))
    except ManifestError as err:
        if out.json:
            problems = [p.to_dict() for p in err.problems]
            out.event({"event": "error", "message": str(err), "problems": problems})
        else:
            report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        out.fail(err)
    if report is not None and report.interrupted:
        if code is not None:
            raise typer.Exit(code)
        if quota is None:  # LinkedIn refused a write for scope, role or tier: the reason says which
            out.fail(ApplyError(f"{report.interrupted}; nothing more was written"))
        out.fail(ApplyError(f"{quota_message()}; run apply again then"))
    if report is not None and not report.ok:
        raise typer.Exit(1)


@dataclass(frozen=True)
class _ApplyChoices:
    auto_approve: bool
    force: bool
    allow_replace: bool
    fail_fast: bool
    only: Scope
    lock_wait: float
    accounts: frozenset[int] | None = None  # --account: None for every account of the manifests
    parallel_accounts: int | None = None
    processing: WaitPolicy | None = None  # --processing-timeout: None for the default wait


def _apply(
    paths: list[str],
    plan_file: Path | None,
    target: Target,
    client: LinkedInClient,
    out: ApplyOutput,
    choices: _ApplyChoices,
    interrupts: Interrupts,
) -> ApplyReport | None:
    """Plan (or load and check a saved plan), lock its accounts, show it, guard, confirm, then
    apply with a journal."""
    label = target_label(target.description)
    runs = unfinished_runs(JOURNAL_DIR, label)
    carried = runs[0].baselines if runs else {}
    planned = _plan_to_apply(paths, plan_file, target, client, choices, carried)
    touched = planned.accounts or sorted({int(c.path[0]) for c in planned.plan.changes})
    # The embedded emulator is one database per working directory: it is the lock's "target".
    where = str(target.db_path.resolve()) if target.db_path is not None else label
    locks = account_locks(
        lock_dir(os.environ),
        where,
        touched,
        wait=choices.lock_wait,
        on_wait=lambda h: out.warn(h + "; waiting"),
    )
    with locks as waited:
        if waited:  # the other apply has just written these accounts: plan from what it left
            out.warn("the other apply has finished; planning again")
            runs = unfinished_runs(JOURNAL_DIR, label)
            carried = runs[0].baselines if runs else {}
            planned = _plan_to_apply(paths, plan_file, target, client, choices, carried)
        return _apply_locked(planned, runs, plan_file, client, out, choices, interrupts, label, paths)


def _apply_locked(
    planned: _Planned,
    runs: list[Unfinished],
    plan_file: Path | None,
    client: LinkedInClient,
    out: ApplyOutput,
    choices: _ApplyChoices,
    interrupts: Interrupts,
    label: str,
    paths: list[str],
) -> ApplyReport | None:
    the_plan, accounts = planned.plan, planned.accounts
    carried = runs[0].baselines if runs else {}
    # What is shown and journalled as the run's starting point are the budgets recomputed from the
    # live accounts (``guarded``), never what a saved plan file says of itself.
    out.plan(planned.guarded, checksum=the_plan.checksum)
    if choices.only.partial:
        out.warn(f"partial plan (--only {choices.only.describe()}): everything else is left out")
    if carried:
        out.warn(describe_baselines(carried))
    if plan_file is not None:  # first: the guardrails of a stale plan judge a world that is gone
        with spinner("Checking the plan is not stale"):
            check_live(the_plan, client)
    planned.guarded.check_guardrails(force=choices.force, allow_replace=choices.allow_replace)
    if runs:
        out.unfinished(runs[0], verify_unfinished(runs[0], the_plan))
    finishes = finished_by(runs, choices.only, choices.accounts)
    if the_plan.empty:
        mark_reviewed(finishes, "no-changes")
        out.nothing()
        return None
    _confirm(choices.auto_approve)
    interrupts.writing = True
    try:
        baselines = baselines_for(planned.guarded, accounts, carried, choices.force)
        journal = Journal.start(JOURNAL_DIR, the_plan, target=label, baselines=baselines)
    except OSError as err:
        raise ConfigError(f"cannot write the apply journal in {JOURNAL_DIR}: {err.strerror}") from err
    try:
        mark_reviewed(finishes, journal.run_id)
        with out.progress(the_plan, client) as listener:
            content = content_maker(client, paths, wait=choices.processing)
            report = apply_plan(
                the_plan,
                client,
                journal=journal,
                listener=listener,
                fail_fast=choices.fail_fast,
                content=content,
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
    paths: list[str],
    plan_file: Path | None,
    target: Target,
    client: LinkedInClient,
    choices: _ApplyChoices,
    baselines: Mapping[int, Baseline],
) -> _Planned:
    """The plan to apply, with the same plan carrying the guardrails to check it by, and its
    accounts in the order of the guarded plan's ``budgets``.

    A saved plan is untrusted input (docs/plan-format.md): read bounded and validated, compared with
    a fresh plan of the manifests when PATHs are given, and guarded by limits and thresholds
    recomputed from its own changes on the live accounts, not by what the file says of itself.
    """
    if plan_file is None:
        options = PlanOptions(allow_replace=choices.allow_replace, only=choices.only, baselines=baselines)
        with spinner("Reading live state") as progress:
            client.wire.on_retry = progress
            made = build_plan(
                paths,
                client,
                target=target.description,
                options=options,
                progress=progress,
                accounts=choices.accounts,
                parallel_accounts=choices.parallel_accounts,
            )
        return _Planned(made.plan, made.plan, list(made.accounts))
    saved = read_plan(plan_file)
    check_origin(saved, target=target.description, api_version=client.version)
    _check_selection(saved, choices.accounts)
    accounts = accounts_of_plan(saved)  # the order recheck recomputes the budgets in
    if not paths:
        with spinner("Reading live state") as progress:
            live = read_accounts(client, accounts_of_plan(saved), progress=progress)
        # The token, account roles and page roles are checked as for a fresh plan.
        rechecked = recheck(saved, live, baselines=baselines)
        return _Planned(saved, check_access(rechecked, client, plan_organizations(saved, live)), accounts)

    def guard(account: Account, live: LiveAccount, planned: AccountPlan) -> Plan:
        """The saved plan's guardrails of ``account``, recomputed while its live state is at hand."""
        return recheck_account(
            saved,
            account.id,
            live,
            thresholds=thresholds_for(account),
            managed=planned.managed,
            baselines=baselines,
        )

    with spinner("Planning the manifests afresh to check the saved plan") as progress:
        result = build_plan(
            paths,
            client,
            target=target.description,
            options=PlanOptions(allow_replace=True),
            progress=progress,
            accounts=choices.accounts,
            parallel_accounts=choices.parallel_accounts,
            visit=guard,
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
    changed = set(accounts)  # recheck covers the accounts the saved plan changes, in id order
    guarded = combine(saved, [result.visited[i] for i in sorted(result.visited) if i in changed])
    return _Planned(saved, check_access(guarded, client, result.organizations), accounts)


def finished_by(runs: list[Unfinished], only: Scope, accounts: frozenset[int] | None) -> list[Unfinished]:
    """The unfinished runs an apply finishes. A partial plan (--only) finishes none, and one of some
    accounts (--account) only those whose every unfinished change is of those accounts: the others
    stay unfinished, so the next whole apply is still told of them and judged from where they began."""
    if only.partial:
        return []
    if accounts is None:
        return runs
    chosen = {str(account) for account in accounts}
    return [run for run in runs if all(p.address.split(" / ", 1)[0] in chosen for p in run.pending)]


def _check_selection(saved: Plan, accounts: frozenset[int] | None) -> None:
    """Refuse a saved plan that changes an ad account --account leaves out."""
    outside = [str(i) for i in accounts_of_plan(saved) if accounts is not None and i not in accounts]
    if outside:
        raise ConfigError(
            f"the saved plan changes ad account {', '.join(outside)}, which --account leaves out; "
            "apply it without --account, or make a plan of the chosen accounts"
        )


@dataclass(frozen=True)
class _Planned:
    """A plan to apply, the same plan with the guardrails to check it by (for a saved plan: its
    budgets, headroom and violations recomputed on the live accounts), and its accounts."""

    plan: Plan
    guarded: Plan
    accounts: list[int]


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
