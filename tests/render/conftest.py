"""The ``golden`` fixture: compare rendered text with a file under ``tests/data/golden``.

A difference fails with a unified diff. ``pytest --update-golden`` (or ``UPDATE_GOLDEN=1``) writes
the current output instead; the files are then reviewed like code.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"

Golden = Callable[[str, str], None]


def _updating(config: pytest.Config) -> bool:
    flag = bool(config.getoption("--update-golden", default=False))
    return flag or os.environ.get("UPDATE_GOLDEN", "").lower() in ("1", "true", "yes")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """``golden(name, text)``: assert ``text`` equals ``tests/data/golden/<name>`` byte for byte."""
    updating = _updating(request.config)

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if updating:
            if not path.exists() or path.read_bytes() != text.encode():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode())
            return
        if not path.exists():
            pytest.fail(f"no golden file {path}; create it with `pytest --update-golden`", pytrace=False)
        expected = path.read_bytes().decode()
        if text != expected:
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"golden/{name}",
                tofile="rendered",
            )
            pytest.fail(
                f"{name} differs from its golden file (if intended: `pytest --update-golden`, then review):\n"
                + "".join(diff),
                pytrace=False,
            )

    return check
