"""The typer application and its root options; the commands register themselves on ``app``."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from reconciler import DISTRIBUTION, __version__
from reconciler.cli.logs import configure_logging
from reconciler.emulator.cli import app as emulator_app


class _Plain:
    """Help that names values in plain words: ``PATH...``, ``FILE``, ``N``, an option's choices
    (``human|markdown|json``), nothing for a flag; a usage line such as
    ``reconciler plan [OPTIONS] PATH...``."""

    options_metavar: str | None
    help: str | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = reflow(self.help)

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:  # every time: typer adds the help and completion options late
            _make_plain(param)
        return params

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = str(param.metavar)
                pieces.append(name if param.required else f"[{name}]")
        return pieces


class PlainCommand(_Plain, TyperCommand):
    """A command with help in plain words."""


class PlainGroup(_Plain, TyperGroup):
    """The root command group with help in plain words."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return TyperGroup.collect_usage_pieces(self, ctx)


# A line that starts a list item or a code line: its paragraph keeps its line breaks.
_KEEP_LINES = re.compile(r"^(\s|[-*] |\d+[.)] )")


def reflow(text: str | None) -> str | None:
    """``text`` (a docstring) with each prose paragraph on one line, so help wraps at the terminal's
    width instead of at the docstring's line breaks (typer keeps them); paragraphs with indented
    lines or list items keep their breaks."""
    if text is None:
        return None
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(
        p if any(_KEEP_LINES.match(line) for line in p.splitlines()) else " ".join(p.split("\n"))
        for p in paragraphs
    )


def _make_plain(param: Any) -> None:
    param.metavar = _plain_metavar(param)
    if isinstance(param, TyperArgument):
        param.__class__ = _PlainArgument  # its name says it all: no type column


class _PlainArgument(TyperArgument):
    """An argument shown by its name alone (``PATH...``), without typer's ``<list[str]>``."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _plain_metavar(param: Any) -> str | None:
    if isinstance(param, TyperArgument):
        name = param.metavar or str(param.name).upper()
        return f"{name}..." if param.nargs != 1 and not name.endswith("...") else name
    if param.metavar is not None:
        return str(param.metavar)
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    described = getattr(param, "type_descriptor", None)
    if described is not None and described.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in described.choices or ())
    if described is not None and described.is_path:
        return "FILE"
    if described is not None and described.annotation in (int, float):
        return "N"
    return str(param.name).upper()


class _App(typer.Typer):
    """typer.Typer whose commands are PlainCommands."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", PlainCommand)
        return super().command(*args, **kwargs)


app = _App(
    cls=PlainGroup,
    name="reconciler",
    help="LinkedIn Ads campaign-as-code: validate manifests, plan against the live account, apply.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
for _command in emulator_app.registered_commands:  # the emulator's help in the same plain words
    if _command.cls in (None, TyperCommand):
        _command.cls = PlainCommand
app.add_typer(emulator_app, name="emulator", cls=PlainGroup)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reconciler {__version__} ({DISTRIBUTION})")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        help="Log every API request (method, path, status, time; credentials redacted) and retry "
        "to stderr. Same as RECONCILER_LOG=debug.",
    ),
) -> None:
    """LinkedIn Ads campaign-as-code."""
    configure_logging(debug)
