"""Hostile lock files: a lock that is a FIFO, a directory or holds wrong types is refused with
file:line:col, at once, never waited on or read as a lock."""

from __future__ import annotations

import copy
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.errors import ManifestError
from reconciler.manifest.lockfile import LOCK_NAME, load_lock

ALL_FORMATS = Path(__file__).parents[2] / "examples" / "all-formats"
runner = CliRunner()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_lock_file_that_is_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / LOCK_NAME
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            load_lock([tmp_path])
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the reader stuck in open() before failing
        with open(fifo, "wb"):
            pass
        reader.join(5)
        pytest.fail("reading a FIFO lock file waited for a writer")
    [error] = outcome
    assert isinstance(error, ManifestError)
    assert f"{LOCK_NAME}:1:1" in str(error)
    assert "not a regular file" in str(error)


def test_validate_refuses_a_lock_with_wrong_types_citing_each_place(tmp_path: Path) -> None:
    project = Path(shutil.copytree(ALL_FORMATS, tmp_path / "project"))
    (project / LOCK_NAME).write_text(
        "version: 1\nassets:\n  abc: {file: 5, size: -1, urns: 7}\ntargeting:\n  seniorities: {VP: 5}\n"
    )
    result = runner.invoke(app, ["validate", str(project)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    for place in (
        "3:15: assets.abc.file",
        "3:24: assets.abc.size",
        "3:34: assets.abc.urns",
        "5:21: targeting",
    ):
        assert f"{LOCK_NAME}:{place}" in result.output, result.output


LOCK = {
    "version": 1,
    "assets": {
        "a" * 64: {"file": "assets/a.png", "size": 12, "urns": {"urn:li:organization:2": "urn:li:image:C"}}
    },
    "targeting": {"seniorities": {"VP": "urn:li:seniority:9"}, "locations": {"US": "urn:li:geo:103644278"}},
}
ODD = st.sampled_from(
    [
        None,
        True,
        -1,
        2**64,
        1.5,
        float("nan"),
        "",
        "x",
        [],
        [1],
        {},
        {"a": None},
        {1: "urn:li:x:1"},
        "urn:li:x:1",
    ]
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _places(child, (*path, key))
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choose=st.data())
def test_a_lock_with_any_value_changed_is_read_or_refused_with_a_place(
    tmp_path: Path, choose: st.DataObject
) -> None:
    data = copy.deepcopy(LOCK)
    for _ in range(choose.draw(st.integers(1, 3))):
        path = choose.draw(st.sampled_from(_places(data)))
        node: Any = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = copy.deepcopy(choose.draw(ODD))
    (tmp_path / LOCK_NAME).write_text(yaml.safe_dump(data), "utf-8")
    try:
        load_lock([tmp_path])
    except ManifestError as error:
        assert f"{LOCK_NAME}:" in str(error)
