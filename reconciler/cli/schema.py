"""``reconciler schema``: the JSON Schema shipped in the package, for editors and other tools."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reconciler.cli.app import app
from reconciler.cli.common import write_file
from reconciler.manifest.schema import schema_text


@app.command()
def schema(
    plan: Annotated[
        bool,
        typer.Option("--plan", help="The schema of a saved plan (plan.json) instead of a manifest file's."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write the schema to FILE (overwritten) instead of printing it.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of a manifest file (or, with --plan, of a saved plan), exactly as this
    version ships it.

    Keep it in the repository that holds the manifests and point each file's first line at it,
    relative to the file; VS Code's YAML extension (yaml-language-server) then checks the file
    and shows hover help as you type:

        reconciler schema --out manifests/manifest.schema.json
        # yaml-language-server: $schema=manifest.schema.json

    Write it again after upgrading reconciler. Exit status: 0 printed or written, 1 error.
    """
    text = schema_text("plan" if plan else "manifest")
    if out is None:
        typer.echo(text, nl=False)
        return
    write_file(out, text)
    typer.echo(f"Wrote the {'plan' if plan else 'manifest'} schema to {out}.", err=True)
