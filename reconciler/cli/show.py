"""``reconciler show``: render a saved plan (``reconciler plan --out``) in full."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from reconciler.cli.app import app
from reconciler.cli.common import NoColorOption, PlanFormat, color_wanted, exit_with
from reconciler.errors import ConfigError, PlanError
from reconciler.plan import Plan
from reconciler.render import render


@app.command()
def show(
    plan_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A plan saved with 'reconciler plan --out FILE'.", show_default=False
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

    Exit status: 0 shown, 1 the file cannot be read or is not an intact plan.

    Example: reconciler show plan.json --format markdown
    """
    try:
        saved = _read(plan_file)
    except (ConfigError, PlanError) as err:
        exit_with(err)
    color = output is PlanFormat.human and color_wanted(sys.stdout)
    typer.echo(render(saved.to_dict(), output.value, color=color, max_chars=None), nl=False)


def _read(path: Path) -> Plan:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise PlanError(f"{path}: not a plan: the file is not UTF-8 text") from err
    try:
        return Plan.from_dict(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise PlanError(f"{path}: not a plan: {err}") from err
