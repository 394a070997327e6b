"""The command-line interface: the only package that prints.

It parses options, calls the core, picks a renderer and maps exceptions to exit codes:
0 success, 1 error (user error or API failure), 2 "changes present" where a command documents it.
One module per command; ``common`` holds what they share; ``app`` the typer application.
"""

from __future__ import annotations

from reconciler.cli import (
    accounts,
    apply,
    doctor,
    drift,
    fmt,
    importing,
    lock,
    plan,
    schema,
    show,
    targeting,
    validate,
)
from reconciler.cli.app import app

__all__ = ["app", "main"]

# The command modules register themselves on ``app`` when imported.
_COMMANDS = (validate, accounts, fmt, plan, show, apply, drift, importing, lock, schema, doctor, targeting)


def main() -> None:
    """Console-script entry point."""
    app()
