"""Hostile manifests through ``validate``: wrong types anywhere in the content kinds, damaged files.
Each run ends with exit 0 or 1, and a problem is one line citing file:line:col and the field, never
a traceback."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from typer.testing import CliRunner, Result

from reconciler.cli import app

ALL_FORMATS = Path(__file__).parents[2] / "examples" / "all-formats"
BASE = yaml.safe_load((ALL_FORMATS / "ads.yaml").read_text("utf-8"))
runner = CliRunner()

# Values a careless or hostile edit puts where something else belongs.
ODD = st.sampled_from(
    [None, True, 0, -1, 2**63, 10**40, 1.5, float("nan"), float("inf"), "", "x", "assets",
     "assets/launch.png", "urn:li:person:x", [], [1], [None], {}, {"a": 1}, [{"file": 5}], {"file": []},
     "%FIRSTNAME%"]
)  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ALL_FORMATS, tmp_path / "project"))


def validate(project: Path, data: Any) -> Result:
    (project / "ads.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return runner.invoke(app, ["validate", str(project)])


def assert_clean_refusal(result: Result) -> None:
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert "Traceback" not in result.output
    cited = [line for line in result.output.splitlines() if ".yaml:" in line]
    assert cited, result.output


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*path, index))
    return out


CONTENT_PATHS = [p for p in _paths(BASE) if "content" in p]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = copy.deepcopy(value)
    return data


def test_a_carousel_whose_cards_are_a_number_is_refused_at_the_field(project: Path) -> None:
    path = next(p for p in CONTENT_PATHS if p[-1] == "cards")
    result = validate(project, _set(BASE, path, 7))
    assert_clean_refusal(result)
    assert "content.carousel.cards: expected a list" in result.output


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(CONTENT_PATHS), ODD), min_size=1, max_size=3))
def test_any_wrong_value_in_content_ends_in_exit_0_or_1_without_a_traceback(
    project: Path, edits: list[tuple[tuple[Any, ...], Any]]
) -> None:
    data = BASE
    for path, value in edits:
        try:
            data = _set(data, path, value)
        except (KeyError, IndexError, TypeError):  # an earlier edit removed the way there
            continue
    result = validate(project, data)
    assert result.exit_code in (0, 1), result.output
    assert isinstance(result.exception, SystemExit | None), result.exception
    assert "Traceback" not in result.output


def test_a_truncated_pdf_is_one_problem_and_nothing_else_on_stderr(project: Path) -> None:
    """The PDF library logs its own complaint (``EOF marker not found``) besides raising: the CLI
    prints only its problem line. Run as a process: the test runner's log capture would hide it."""
    pdf = project / "assets" / "field-guide.pdf"
    pdf.write_bytes(pdf.read_bytes()[:300])
    done = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", str(project)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "content.document.file: this PDF file cannot be read" in done.stdout
    assert done.stderr.strip() == "1 problem in 1 file: invalid", done.stderr


def test_a_truncated_png_is_refused_before_it_is_uploaded(project: Path) -> None:
    png = project / "assets" / "launch.png"
    png.write_bytes(png.read_bytes()[:-20])  # its end (IEND) cut off: the header still reads
    result = runner.invoke(app, ["validate", str(project)])
    assert_clean_refusal(result)
    assert "content.image.file: this PNG file cannot be read: the file ends before its IEND" in result.output


def test_a_truncated_jpeg_is_refused_before_it_is_uploaded(project: Path) -> None:
    jpeg = project / "assets" / "guide-thumbnail.jpg"
    whole = jpeg.read_bytes()
    jpeg.write_bytes(whole + b"camera trailer")  # data after EOI: allowed
    assert runner.invoke(app, ["validate", str(project)]).exit_code == 0
    jpeg.write_bytes(whole[:-20])  # its end (EOI) cut off: the header still reads
    result = runner.invoke(app, ["validate", str(project)])
    assert_clean_refusal(result)
    problem = "content.article.thumbnail: this JPG file cannot be read: the file ends before its EOI"
    assert problem in result.output


def test_a_truncated_gif_is_refused_before_it_is_uploaded(project: Path) -> None:
    image = project / "assets" / "launch.png"  # judged by content: a GIF under a .png name
    with Image.open(image) as png:
        out = io.BytesIO()
        png.convert("RGB").save(out, "GIF")
    image.write_bytes(out.getvalue())
    assert runner.invoke(app, ["validate", str(project)]).exit_code == 0
    image.write_bytes(out.getvalue()[:-20])  # its end (the trailer) cut off: the header still reads
    result = runner.invoke(app, ["validate", str(project)])
    assert_clean_refusal(result)
    problem = "content.image.file: this GIF file cannot be read: the file ends before its trailer"
    assert problem in result.output
