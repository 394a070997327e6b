# ruff: noqa: E501  (expected messages are kept whole, as the CLI prints them)
"""Only regular files are manifests: devices, FIFOs and symlink loops are problems naming their
path, found quickly, and no read goes past the size limit."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.manifest import validate_paths
from reconciler.manifest.loader import MAX_FILE_BYTES
from reconciler.manifest.lockfile import LOCK_NAME
from reconciler.manifest.sources import ManifestFile, read

ROOT = Path(__file__).parents[2]
QUICKSTART = ROOT / "examples" / "quickstart"
runner = CliRunner()

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "manifests"
    shutil.copytree(QUICKSTART, folder)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    return folder


def test_devices_fifos_and_symlink_loops_are_each_a_problem(hostile_dir: Path) -> None:
    began = time.monotonic()
    result = runner.invoke(app, ["validate", str(hostile_dir)])
    assert time.monotonic() - began < 2.0
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout.splitlines() == [
        f"{hostile_dir}/fifo.yaml:1:1: not a regular file: a FIFO (named pipe); manifests must be regular files",
        f"{hostile_dir}/loop.yaml:1:1: cannot read the file: a symlink loop (a symlink that leads back to itself)",
        f"{hostile_dir}/zero.yaml:1:1: not a regular file: a device; manifests must be regular files",
    ]


def test_special_files_given_by_name_are_problems_too(hostile_dir: Path) -> None:
    problems = validate_paths([hostile_dir / "loop.yaml", "/dev/zero", hostile_dir / "fifo.yaml"])
    assert [str(p) for p in problems] == [
        "/dev/zero: a device, not a file or directory",
        f"{hostile_dir}/fifo.yaml: a FIFO (named pipe), not a file or directory",
        f"{hostile_dir}/loop.yaml: a symlink loop (a symlink that leads back to itself)",
    ]


def test_a_symlink_to_a_manifest_is_read(tmp_path: Path) -> None:
    (tmp_path / "main.yaml").symlink_to(QUICKSTART / "q1-brand.yaml")
    (tmp_path / "account.yaml").symlink_to(QUICKSTART / "account.yaml")
    (tmp_path / LOCK_NAME).symlink_to(QUICKSTART / LOCK_NAME)
    assert validate_paths([tmp_path]) == []


def test_a_read_stops_past_the_limit_whatever_stat_says(tmp_path: Path) -> None:
    # /dev/zero reports size 0 and never ends; the read itself must stop (here: it is refused
    # before reading, as a device). A regular file just over the limit is refused after reading
    # at most one byte more than the limit.
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 4096)  # sparse: costs no disk
    problem = read(ManifestFile("big.yaml", "big.yaml", big))
    assert not isinstance(problem, bytes)
    assert problem.message == "the file is larger than 10 MB; manifests may be at most 10 MB"
