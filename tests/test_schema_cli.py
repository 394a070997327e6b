"""``reconciler schema``: prints or writes the JSON Schemas shipped in the package, whose ``$id`` is
a name, not a URL; and ``--version`` names the distribution."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata, resources
from pathlib import Path

import pytest

from reconciler import DISTRIBUTION, __version__
from tests.workflows.support import cli


def _packaged(name: str) -> str:
    return (resources.files("reconciler") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "name"), [((), "manifest"), (("--plan",), "plan")])
def test_schema_prints_the_packaged_schema_exactly(args: tuple[str, ...], name: str) -> None:
    result = cli("schema", *args)

    assert result.exit_code == 0, result.output
    assert result.stdout == _packaged(name)
    assert json.loads(result.stdout)["$id"].startswith("urn:uuid:")


def test_schema_out_writes_the_file_and_prints_nothing_on_stdout(tmp_path: Path) -> None:
    target = tmp_path / "repo" / "manifests" / "manifest.schema.json"

    first = cli("schema", "--out", str(target))
    target.write_text("stale", encoding="utf-8")
    again = cli("schema", "-o", str(target))  # after an upgrade: overwritten

    assert first.exit_code == again.exit_code == 0
    assert first.stdout == ""
    assert f"Wrote the manifest schema to {target}." in first.stderr
    assert target.read_text(encoding="utf-8") == _packaged("manifest")


def test_schema_out_that_cannot_be_written_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")

    result = cli("schema", "--out", str(blocker / "manifest.schema.json"))

    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write {blocker / 'manifest.schema.json'}")
    assert "Traceback" not in result.output


def test_version_is_the_installed_distributions() -> None:
    expected = f"reconciler {__version__} ({DISTRIBUTION})\n"

    as_module = subprocess.run(
        [sys.executable, "-m", "reconciler", "--version"], capture_output=True, text=True, check=False
    )

    assert cli("--version").stdout == expected
    assert as_module.stdout == expected
    assert __version__ == metadata.version(DISTRIBUTION)  # pyproject.toml's, as installed
