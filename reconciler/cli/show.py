"""``reconciler show``: render a saved plan (``reconciler plan --out``) in full, or several plans of
disjoint accounts (``plan --account ID --out``, one per CI job) merged into one; likewise drift
reports (``drift --account ID --format json``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from reconciler.apply.saved import schema_problems
from reconciler.cli.app import app
from reconciler.cli.common import NoColorOption, PlanFormat, color_wanted, exit_with
from reconciler.drift import render as render_drift
from reconciler.drift.merge import is_report, merge_reports
from reconciler.errors import ConfigError, PlanError
from reconciler.plan import Plan
from reconciler.planner.merge import merge_plans
from reconciler.render import render


@app.command()
def show(
    plan_files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            help="A plan saved with 'reconciler plan --out FILE'; several plans of different accounts "
            "of one project are merged into one.",
            show_default=False,
        ),
    ],
    output: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="human (Terraform-like), markdown or json."),
    ] = PlanFormat.human,
    no_color: NoColorOption = False,
) -> None:
    """Show a saved plan: every change, with nothing left out.

    The Markdown view draws identical changes once ("dailyBudget: 50 USD → 60 USD on 212
    campaigns", then each campaign) and, unlike 'plan --format markdown', is never cut to fit a
    pull-request comment. The plan's checksum is checked first: an edited file is refused.
    Nothing is sent to LinkedIn.

    Several FILEs, each a plan of other ad accounts of the same manifests and target (e.g. one
    'plan --account ID --out plan-ID.json' per CI job), are shown as the one plan a single run of
    them all would have made. Plans of different manifests or targets, or sharing an account, are
    refused.

    Drift reports ('drift --account ID --format json > drift-ID.json', one per CI job) are merged
    the same way into the report a single 'reconciler drift' of them all would have made.

    Exit status: 0 shown, 1 a file cannot be read, is not an intact plan or drift report, or does
    not merge.

    Example: reconciler show plan-*.json --format markdown
    """
    color = output is PlanFormat.human and color_wanted(sys.stdout)
    names = [str(p) for p in plan_files]
    try:
        documents = [_read(path) for path in plan_files]
        if any(is_report(d) for d in documents):
            if not all(is_report(d) for d in documents):
                raise PlanError("give either plans or drift reports, not both")
            with _damaged(names, "drift report"):
                report = merge_reports(documents, names)
                text = render_drift(report, output.value, color=color)
        else:
            plans = [_plan(d, path) for d, path in zip(documents, plan_files, strict=True)]
            saved = plans[0] if len(plans) == 1 else merge_plans(plans, names)
            with _damaged(names, "plan"):
                text = render(saved.to_dict(), output.value, color=color, max_chars=None)
    except (ConfigError, PlanError) as err:
        exit_with(err)
    typer.echo(text, nl=False)


@contextmanager
def _damaged(names: list[str], what: str) -> Iterator[None]:
    """A value of the wrong type met while merging or drawing files (edited by hand, or written by
    another version: a drift report carries no checksum) is a PlanError naming them, not a crash."""
    try:
        yield
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as err:
        shown = f"{type(err).__name__}: {err}"[:200]
        raise PlanError(f"{', '.join(names)}: not a {what} this version can show ({shown})") from None


def _read(path: Path) -> Any:
    if path.exists() and not path.is_file() and not path.is_dir():  # a FIFO would wait for a writer
        raise ConfigError(f"cannot read {path}: not a regular file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise PlanError(f"{path}: not a plan: the file is not UTF-8 text") from err
    try:
        return json.loads(text)
    except ValueError as err:
        raise PlanError(f"{path}: not a plan: {err}") from err
    except RecursionError:
        raise PlanError(f"{path}: not a plan: the JSON nests too deeply") from None


def _plan(data: Any, path: Path) -> Plan:
    problems = schema_problems(data)
    if problems:
        raise PlanError(f"{path}: not a plan of format version 1 (schemas/plan.schema.json): {problems[0]}")
    try:
        return Plan.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise PlanError(f"{path}: not a plan: {err}") from err
