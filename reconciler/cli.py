"""The command-line interface: the only module that prints.

It parses options, calls the core, picks a renderer and maps exceptions to exit codes:
0 success, 1 error (user error or API failure), 2 "changes present" where a command documents it.
"""

from __future__ import annotations

import typer

from reconciler import __version__

app = typer.Typer(
    name="reconciler",
    help="LinkedIn Ads campaign-as-code: validate manifests, plan against the live account, apply.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


def main() -> None:
    """Console-script entry point."""
    app()
