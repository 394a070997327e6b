"""``reconciler fmt``: rewrite manifests in canonical form, keeping comments and anchors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from reconciler.cli.app import app
from reconciler.cli.common import OutputFormat, report_problems
from reconciler.errors import ConfigError
from reconciler.manifest.canonical import canonical
from reconciler.manifest.sources import ManifestFile, discover, read


@app.command()
def fmt(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Manifest files, or directories searched recursively for *.yaml and *.yml files.",
            show_default=False,
        ),
    ],
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; list the files fmt would change (exit 1 if any)."),
    ] = False,
) -> None:
    """Rewrite manifests in canonical form, keeping every comment and anchor.

    Keys in the order of the manifest schema (names of your own, such as audiences, keep their
    order); money as '150 USD'; dates and times as plain YAML (2027-01-04, 2027-01-11T09:00:00Z);
    two-space indentation. Values are not checked: run 'reconciler validate' for that.

    Exit status: 0 formatted (with --check: nothing to change), 1 a file would change (--check),
    or a file is not YAML or cannot be read or written.

    Example: reconciler fmt --check manifests/
    """
    files, problems = discover(paths)
    if problems:
        report_problems(tuple(problems), OutputFormat.human)
        raise typer.Exit(1)
    changed: list[str] = []
    failed = False
    for file in files:
        try:
            if _format(file, write=not check):
                changed.append(file.name)
        except ConfigError as err:
            typer.echo(f"error: {err}", err=True)
            failed = True
    for name in changed:
        typer.echo(f"would reformat {name}" if check else f"reformatted {name}")
    unchanged = len(files) - len(changed)
    verb = "would be reformatted" if check else "reformatted"
    typer.echo(f"{_files(len(changed))} {verb}, {_files(unchanged)} already canonical.", err=True)
    if failed or (check and changed):
        raise typer.Exit(1)


def _format(file: ManifestFile, *, write: bool) -> bool:
    """Whether ``file`` is not canonical; rewritten (whole, by rename) when ``write``."""
    data = read(file)
    if not isinstance(data, bytes):
        raise ConfigError(str(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{file.name}: not UTF-8 text") from err
    formatted = canonical(text, name=file.name)
    if formatted == text:
        return False
    if write:
        _replace(file.path, formatted)
    return True


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failure leaves the old file whole."""
    temporary = path.with_name(f".{path.name}.fmt-tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise ConfigError(f"cannot write {path}: {err.strerror}") from err


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"
