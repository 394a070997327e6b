"""Project-wide pytest options.

``--update-golden``: rewrite the golden files under ``tests/data/golden`` from the current output
instead of comparing against them (same as ``UPDATE_GOLDEN=1``). Review the diff before committing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing (or UPDATE_GOLDEN=1)",
    )


@pytest.fixture(autouse=True)
def _reconciler_logger_restored() -> Iterator[None]:
    """Each CLI run sets the ``reconciler`` logger's level (--debug / RECONCILER_LOG); put it back
    after every test, so a test that captures the client's DEBUG log does not depend on which CLI
    test ran before it."""
    logger = logging.getLogger("reconciler")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers
