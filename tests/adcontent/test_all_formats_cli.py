"""issue 16's first Done-when, through the CLI: ``apply --auto-approve examples/all-formats`` on a
fresh emulator creates every kind, the next ``plan --detailed-exitcode`` exits 0, and the request log
shows one upload per distinct file."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.emulator import open_emulator
from tests.apply.helpers import served

EXAMPLE = Path(__file__).parents[2] / "examples" / "all-formats"
CLEAN = {"LINKEDIN_ACCESS_TOKEN": None, "LINKEDIN_CLIENT_ID": None, "LINKEDIN_REFRESH_TOKEN": None}


def test_apply_creates_every_kind_uploads_each_file_once_and_the_next_plan_is_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "all-formats"
    shutil.copytree(EXAMPLE, project)
    (project / "reconciler.lock.yaml").unlink(missing_ok=True)
    monkeypatch.chdir(tmp_path)
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    runner = CliRunner()
    with served(emulator) as url:
        env = {**CLEAN, "RECONCILER_TARGET": url}
        planned = runner.invoke(app, ["plan", str(project)], env=env)
        every = sum(p.stat().st_size for p in (project / "assets").iterdir())
        assert f"Uploads: 10 files, {every:,} bytes" in planned.stdout  # thumbnail and captions counted
        assert "assets/demo.mp4 (video, 81,920 bytes, with assets/demo-thumbnail.jpg (" in planned.stdout
        applied = runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env)
        assert applied.exit_code == 0, applied.output
        assert applied.stdout.count("✓ created creative") == 11  # one of every kind
        again = runner.invoke(app, ["plan", str(project), "--detailed-exitcode"], env=env)
        assert again.exit_code == 0, again.output
    emulator.close()
    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    uploads = [e["upload"]["sha256"] for e in entries if "upload" in e]
    assert len(uploads) == len(set(uploads))  # no file uploaded twice
    files = {p.name for p in (project / "assets").iterdir()}
    assert len(uploads) == len(files)  # every file is uploaded: thumbnails and captions with their video
    lock = yaml.safe_load((project / "reconciler.lock.yaml").read_text())
    assert {pin["file"] for pin in lock["assets"].values()} == {
        f"assets/{name}" for name in files if name not in ("demo-thumbnail.jpg", "demo.srt")
    }
