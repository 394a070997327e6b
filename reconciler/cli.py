"""The command-line interface: the only module that prints.

It parses options, calls the core, picks a renderer and maps exceptions to exit codes:
0 success, 1 error (user error or API failure), 2 "changes present" where a command documents it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from reconciler import __version__
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
from reconciler.drift import DriftResult, check_drift
from reconciler.drift import render as render_drift
from reconciler.emulator.cli import app as emulator_app
from reconciler.errors import (
    ApplyError,
    ConfigError,
    ManifestError,
    NotFound,
    PlanError,
    Problem,
    ReconcilerError,
)
from reconciler.importer import (
    ImportOptions,
    ImportResult,
    Verification,
    build_manifests,
    schema_reference,
    verify,
    write_files,
)
from reconciler.live import read_accounts
from reconciler.manifest import load_project
from reconciler.plan import Action, Plan, writes
from reconciler.planner import PlanOptions
from reconciler.render import color_wanted as render_color_wanted
from reconciler.render import render
from reconciler.target import Target, resolve_target
from reconciler.workflow import PlanResult, build_plan

app = typer.Typer(
    name="reconciler",
    help="LinkedIn Ads campaign-as-code: validate manifests, plan against the live account, apply.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(emulator_app, name="emulator")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reconciler {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """LinkedIn Ads campaign-as-code."""


# -- validate --------------------------------------------------------------------------------


class OutputFormat(StrEnum):
    """How a command reports: for people, or as one JSON document for machines."""

    human = "human"
    json = "json"


@app.command()
def validate(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Manifest files, or directories searched recursively for *.yaml and *.yml files.",
            show_default=False,
        ),
    ],
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="human: a summary line, or one 'file:line:col: field: message' line per problem. "
            "json: one JSON document with the counts, or the problems.",
        ),
    ] = OutputFormat.human,
) -> None:
    """Check manifests offline against the manifest schema and LinkedIn's rules.

    Every problem is reported at once, as file:line:col: field.path: message. Nothing is sent to LinkedIn.

    Exit status: 0 when the manifests are valid, 1 when there is any problem.

    Example: reconciler validate examples/quickstart
    """
    try:
        state = load_project(paths)
    except ManifestError as err:
        _report_problems(err.problems, output)
        raise typer.Exit(1) from None
    if output is OutputFormat.json:
        _echo_json({"valid": True, "counts": state.counts(), "files": list(state.files), "problems": []})
    else:
        typer.echo(f"{state.summary()}: valid")


def _report_problems(problems: tuple[Problem, ...], output: OutputFormat) -> None:
    if output is OutputFormat.json:
        _echo_json({"valid": False, "problems": [p.to_dict() for p in problems]})
        return
    for problem in problems:
        typer.echo(str(problem))
    files = {p.position.file for p in problems if p.position}
    where = f" in {len(files)} file{'s' if len(files) != 1 else ''}" if files else ""
    typer.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}{where}: invalid", err=True)


def _echo_json(document: dict[str, object]) -> None:
    typer.echo(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))


# -- plan ------------------------------------------------------------------------------------


class PlanFormat(StrEnum):
    """How a plan is shown."""

    human = "human"
    markdown = "markdown"
    json = "json"


TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        "-t",
        help="Where to read and write: 'emulator' (the embedded emulator, .reconciler/emulator.sqlite), "
        "'https://api.linkedin.com/rest', or any URL such as a served emulator. Default: LinkedIn when "
        "credentials are set (LINKEDIN_ACCESS_TOKEN, or the refresh-token trio), else the embedded "
        "emulator. Also RECONCILER_TARGET.",
        show_default=False,
    ),
]


@app.command()
def plan(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    target: TargetOption = None,
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
) -> None:
    """Show what apply would change: read the live account, compare, and print the plan.

    Nothing is written to LinkedIn. Live entities that no manifest mentions are listed as
    unmanaged and left alone (unless 'prune: true'). A plan that would break an account limit
    is shown and refused (exit 1).

    Exit status: 0 success (or no changes with --detailed-exitcode), 2 changes present with
    --detailed-exitcode, 1 error.

    Example: reconciler plan examples/quickstart --out plan.json
    """
    try:
        result = _make_plan(paths, target, PlanOptions(allow_replace=allow_replace, explain=explain))
    except ManifestError as err:
        _report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        _fail(err)
    the_plan = result.plan
    color = output is PlanFormat.human and render_color_wanted(sys.stdout.isatty(), os.environ)
    typer.echo(render(the_plan.to_dict(), output.value, color=color), nl=False)
    if out is not None:
        _write(out, the_plan.to_json())
        typer.echo(f"Saved the plan to {out}.", err=True)
    if any(v.guard == "limit" for v in the_plan.violations):
        typer.echo("Plan refused: it would break LinkedIn account limits.", err=True)
        raise typer.Exit(1)
    if detailed_exitcode and not the_plan.empty:
        raise typer.Exit(2)


def _make_plan(paths: list[str], target_name: str | None, options: PlanOptions) -> PlanResult:
    target = resolve_target(target_name, os.environ)
    _announce(target)
    with target.client() as client, _progress("Reading live state") as progress:
        return build_plan(paths, client, target=target.description, options=options, progress=progress)


def _announce(target: Target) -> None:
    typer.echo(f"Target: {target.description} (LinkedIn-Version {target.version})", err=True)
    for notice in target.notices:
        typer.echo(f"warning: {notice}", err=True)


@contextmanager
def _progress(title: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr while long work runs, when stderr is a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        yield lambda _message: None
        return
    console = Console(stderr=True)
    with console.status(f"{title}…") as status:
        yield lambda message: status.update(f"{title}: {message}")


def _fail(err: Exception) -> NoReturn:
    typer.echo(f"error: {err}", err=True)
    raise typer.Exit(1)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        _fail(ConfigError(f"cannot write {path}: {err.strerror}"))


# -- apply -----------------------------------------------------------------------------------


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
            help="Apply exactly this saved plan ('reconciler plan --out'), after checking it is not stale.",
            show_default=False,
        ),
    ] = None,
    target: TargetOption = None,
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
    choices = _ApplyChoices(auto_approve, force, allow_replace, fail_fast)
    try:
        the_target = resolve_target(target, os.environ)
        _announce(the_target)
        with the_target.client(batch_size=batch_size) as client:
            report = _apply(paths or [], plan_file, the_target, client, out, choices)
    except ManifestError as err:
        if out.json:
            problems = [p.to_dict() for p in err.problems]
            out.event({"event": "error", "message": str(err), "problems": problems})
        else:
            _report_problems(err.problems, OutputFormat.human)
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


def _apply(
    paths: list[str],
    plan_file: Path | None,
    target: Target,
    client: LinkedInClient,
    out: _ApplyOutput,
    choices: _ApplyChoices,
) -> ApplyReport | None:
    """Plan (or load and check a saved plan), show it, guard, confirm, then apply with a journal."""
    the_plan = _plan_to_apply(paths, plan_file, target, client, choices.allow_replace)
    out.plan(the_plan)
    the_plan.check_guardrails(force=choices.force)
    if plan_file is not None:
        with _progress("Checking the plan is not stale"):
            check_live(the_plan, client)
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
    paths: list[str], plan_file: Path | None, target: Target, client: LinkedInClient, allow_replace: bool
) -> Plan:
    if plan_file is None:
        with _progress("Reading live state") as progress:
            options = PlanOptions(allow_replace=allow_replace)
            return build_plan(
                paths, client, target=target.description, options=options, progress=progress
            ).plan
    try:
        saved = Plan.from_dict(json.loads(plan_file.read_text(encoding="utf-8")))
    except OSError as err:
        raise ConfigError(f"cannot read {plan_file}: {err.strerror}") from err
    except (ValueError, TypeError, KeyError) as err:
        raise PlanError(f"{plan_file}: refused: {err}") from err
    check_origin(saved, target=target.description, api_version=client.version)
    if paths:
        check_manifests(saved, load_project(paths).checksum)
    return saved


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
        color = render_color_wanted(sys.stdout.isatty(), os.environ)
        typer.echo(render(the_plan.to_dict(), "human", color=color), nl=False)

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
        if not sys.stderr.isatty():
            yield self._on_event
            return
        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} changes/s, {task.fields[retries]} retries"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        total = sum(writes(c) for c in the_plan.changes)
        began = time.monotonic()
        with bar:
            task = bar.add_task("Applying", total=total, rate="0.0", retries=0)

            def listener(event: Event) -> None:
                if isinstance(event, PhaseStarted):
                    bar.update(
                        task, description=f"Applying: {event.step} {event.count} {event.kind.value}(s)"
                    )
                elif isinstance(event, Notice):
                    bar.console.print(f"note: {event.message}")
                else:
                    self._on_event(event)
                    done = bar.tasks[0].completed + 1
                    rate = f"{done / max(time.monotonic() - began, 1e-6):.1f}"
                    bar.update(task, completed=done, rate=rate, retries=client.stats.retries)

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
        _fail(err)


# -- drift -----------------------------------------------------------------------------------


@app.command()
def drift(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    target: TargetOption = None,
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
) -> None:
    """Report how the live account departs from the manifests, and who changed what, when.

    Every drifted field is shown manifest → live, with the last change's time and member (from
    LinkedIn's audit stamps); resources deleted or removed by hand are missing; live entities no
    manifest mentions are unmanaged. Drift that an ignoreChanges rule covers is listed as ignored,
    and resources never created are 'not yet applied': neither counts as drift. Nothing is written
    to LinkedIn: --fix shows the plan that reverts the drift, and --out saves it for
    'reconciler apply --plan FILE'.

    Exit status: 0 no drift, 2 drift, 1 error.

    Example: reconciler drift examples/quickstart --format markdown
    """
    options = PlanOptions(allow_replace=allow_replace)
    try:
        result = _check_drift(paths, target, options, count_unmanaged=not ignore_unmanaged)
    except ManifestError as err:
        _report_problems(err.problems, OutputFormat.human)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        _fail(err)
    fixing = fix or out is not None
    color = output is PlanFormat.human and render_color_wanted(sys.stdout.isatty(), os.environ)
    report = result.report.to_dict()
    if output is PlanFormat.json:
        _echo_json({"drift": report, "plan": result.plan.to_dict()} if fixing else report)
    else:
        typer.echo(render_drift(report, output.value, color=color), nl=False)
        if fixing:
            typer.echo("")
            typer.echo(render(result.plan.to_dict(), output.value, color=color), nl=False)
    if fixing:
        _fix_advice(result.plan, paths, out)
    raise typer.Exit(2 if result.report.drifted else 0)


def _check_drift(
    paths: list[str], target_name: str | None, options: PlanOptions, *, count_unmanaged: bool
) -> DriftResult:
    target = resolve_target(target_name, os.environ)
    _announce(target)
    with target.client() as client, _progress("Reading live state") as progress:
        return check_drift(
            paths,
            client,
            target=target.description,
            options=options,
            count_unmanaged=count_unmanaged,
            progress=progress,
        )


def _fix_advice(the_plan: Plan, paths: list[str], out: Path | None) -> None:
    """Save the revert plan when asked, and say how to apply it (on stderr)."""
    if the_plan.empty:
        typer.echo("Nothing to revert: the plan is empty.", err=True)
        return
    if any(v.guard == "limit" for v in the_plan.violations):
        typer.echo("The revert plan would break LinkedIn account limits: apply would refuse it.", err=True)
    if out is not None:
        _write(out, the_plan.to_json())
        typer.echo(f"Saved the revert plan to {out}. Apply it with: reconciler apply --plan {out}", err=True)
    else:
        where = " ".join(paths)
        typer.echo(
            f"To revert, apply the manifests: reconciler apply {where} (shows the plan and asks), or save "
            "this plan with --out FILE and run: reconciler apply --plan FILE",
            err=True,
        )


# -- import ----------------------------------------------------------------------------------


@app.command("import")
def import_(
    account: Annotated[
        int, typer.Option("--account", "-a", help="The ad account id to import.", show_default=False)
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="The directory to write the manifests into.", show_default=False),
    ],
    target: TargetOption = None,
    groups: Annotated[
        list[str] | None,
        typer.Option(
            "--group",
            "-g",
            metavar="NAME",
            help="Import only this campaign group (its name or id); repeat for several. Default: all.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
) -> None:
    """Write manifests for an ad account that already exists, so it can be managed as code.

    Writes OUT/account.yaml (the account, campaign settings every campaign shares as defaults, and
    the targeting two or more campaigns share as named audiences) and one OUT/groups/<name>.yaml
    per campaign group, every group, campaign and creative pinned by id. Entities LinkedIn removed
    (REMOVED, CANCELED, PENDING_DELETION) are skipped and counted. Existing files are never
    overwritten without --force. The result is checked: valid manifests, and a plan against the
    account shows no changes.

    Exit status: 0 imported, 1 error (nothing written when the account cannot be read or a file
    exists; files written but invalid).

    Example: reconciler import --account 500000001 --out manifests/
    """
    try:
        target_obj = resolve_target(target, os.environ)
        _announce(target_obj)
        with target_obj.client() as client, _progress("Reading the ad account") as progress:
            live = read_accounts(client, [account], progress=progress)[account]
        result = build_manifests(live, ImportOptions(tuple(groups or ()), schema_reference(out)))
        written = write_files(out, result.files, force=force)
        check = verify(written, live, target=target_obj.description, api_version=target_obj.version)
    except NotFound:
        _fail(ConfigError(f"ad account {account} does not exist at this target, or this token cannot see it"))
    except ReconcilerError as err:
        _fail(err)
    _import_summary(result, out)
    _import_check(check, out)


def _import_summary(result: ImportResult, out: Path) -> None:
    counts = result.counts
    typer.echo(
        f"Imported ad account {result.account} ({result.currency}) into {out}: "
        f"{_count(counts['groups'], 'campaign group')}, {_count(counts['campaigns'], 'campaign')}, "
        f"{_count(counts['creatives'], 'creative')}, {_count(counts['audiences'], 'audience')}; "
        f"{_count(len(result.files), 'file')} written."
    )
    if result.skipped:
        parts = ", ".join(_count(n, kind.removesuffix("s")) for kind, n in sorted(result.skipped.items()))
        typer.echo(f"Skipped {parts} that LinkedIn removed (REMOVED, CANCELED or PENDING_DELETION).")
    for note in result.notes[:10]:
        typer.echo(f"note: {note}")
    if len(result.notes) > 10:
        typer.echo(f"note: … and {len(result.notes) - 10:,} more notes like these")


def _import_check(check: Verification, out: Path) -> None:
    if check.problems:
        _report_problems(check.problems, OutputFormat.human)
        typer.echo(f"The imported manifests in {out} are not valid: fix the problems above.", err=True)
        raise typer.Exit(1)
    assert check.plan is not None
    if check.plan.empty:
        typer.echo(
            f"Check: valid, and a plan against the account shows no changes. Next: reconciler plan {out}"
        )
        return
    changes = sum(check.plan.summary()[a.value] for a in Action)
    typer.echo(
        f"Check: valid, but a plan against the account shows {_count(changes, 'change')} (see the notes "
        f"above; review them with: reconciler plan {out})"
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def main() -> None:
    """Console-script entry point."""
    app()
