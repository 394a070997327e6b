"""Where the ``reconciler`` loggers write: stderr, at the level ``--debug`` or ``RECONCILER_LOG``
chose. The only place that configures logging handlers; the rest of the package only logs.

Levels: ``debug`` every API request (method, path with its query, status, time, headers with the
credentials redacted) and every retry; ``info`` retries and throttling only; ``warning`` (the
default) nothing beyond what the commands print.
"""

from __future__ import annotations

import logging
import os
import sys

import typer

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
ENV = "RECONCILER_LOG"
_HANDLER_NAME = "reconciler-cli"


def configure_logging(debug: bool) -> None:
    """Send the ``reconciler`` loggers to stderr at the level asked for (once per run)."""
    wanted = os.environ.get(ENV, "").strip().lower()
    if wanted and wanted not in LEVELS:
        typer.echo(f"error: {ENV}={wanted!r}: choose one of {', '.join(LEVELS)}", err=True)
        raise typer.Exit(1)
    level = logging.DEBUG if debug else LEVELS.get(wanted, logging.WARNING)
    logger = logging.getLogger("reconciler")
    for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(old)
    logger.setLevel(level)
    if level >= logging.WARNING:
        return
    # The stream is looked up at each record: a test runner may swap sys.stderr between runs.
    handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler on whatever ``sys.stderr`` is when a record is written."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)
