"""``reconciler show`` of files that are not what it expects: JSON nested past any limit, a FIFO, and
saved plans or drift reports with any value changed (the plan's checksum made to match, so the
change reaches the reader): exit 0 or 1 with one line, never a traceback or a wait."""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from reconciler.cli import app
from reconciler.plan import checksum_of

ALL_FORMATS = Path(__file__).parents[2] / "examples" / "all-formats"
runner = CliRunner()
ODD = st.sampled_from(
    [None, True, -1, 2**70, 1.5, float("nan"), "", "x", "urn:li:person:x", [], [1], {}, {"a": [None]}]
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A saved plan and a drift report of examples/all-formats (embedded emulator, nothing applied)."""
    root = tmp_path_factory.mktemp("show")
    project = Path(shutil.copytree(ALL_FORMATS, root / "project"))
    here = Path.cwd()
    os.chdir(root)
    try:
        env = {"LINKEDIN_ACCESS_TOKEN": None, "RECONCILER_TARGET": None}
        planned = runner.invoke(app, ["plan", str(project), "--out", "plan.json"], env=env)
        assert planned.exit_code == 0, planned.output
        drift = runner.invoke(app, ["drift", str(project), "--format", "json"], env=env)
        assert drift.exit_code in (0, 2), drift.output
    finally:
        os.chdir(here)
    return {"plan": json.loads((root / "plan.json").read_text("utf-8")), "report": json.loads(drift.stdout)}


def show(path: Path, text: str) -> Result:
    path.write_text(text, "utf-8")
    return runner.invoke(app, ["show", str(path)])


def assert_one_line(result: Result) -> None:
    assert result.exit_code in (0, 1), result.output
    assert isinstance(result.exception, SystemExit | None), result.exception  # no traceback
    assert "Traceback" not in result.output


def test_json_nested_past_the_limit_is_not_a_plan(tmp_path: Path) -> None:
    result = show(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    assert_one_line(result)
    assert result.exit_code == 1
    assert "not a plan: the JSON nests too deeply" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "plan.json")
    result = runner.invoke(app, ["show", str(tmp_path / "plan.json")])  # hangs without the check
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:3]):
            out += _paths(child, (*path, index))
    return out


def _changed(data: Any, choose: st.DataObject) -> Any:
    data = copy.deepcopy(data)
    for _ in range(choose.draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths:
            break
        path = choose.draw(st.sampled_from(paths))
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = copy.deepcopy(choose.draw(ODD))
    return data


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choose=st.data(), which=st.sampled_from(["plan", "report"]))
def test_any_changed_value_of_a_plan_or_report_is_shown_or_refused(
    saved: dict[str, Any], tmp_path: Path, choose: st.DataObject, which: str
) -> None:
    data = _changed(saved[which], choose)
    if which == "plan" and isinstance(data, dict):
        data["checksum"] = checksum_of({k: v for k, v in data.items() if k not in ("checksum", "api")})
    assert_one_line(show(tmp_path / f"{which}.json", json.dumps(data)))
