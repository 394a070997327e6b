"""The typer application and its root options; the commands register themselves on ``app``."""

from __future__ import annotations

import typer

from reconciler import DISTRIBUTION, __version__
from reconciler.emulator.cli import app as emulator_app

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
        typer.echo(f"reconciler {__version__} ({DISTRIBUTION})")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """LinkedIn Ads campaign-as-code."""
