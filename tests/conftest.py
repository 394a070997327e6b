"""Project-wide pytest options.

``--update-golden``: rewrite the golden files under ``tests/data/golden`` from the current output
instead of comparing against them (same as ``UPDATE_GOLDEN=1``). Review the diff before committing.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing (or UPDATE_GOLDEN=1)",
    )
