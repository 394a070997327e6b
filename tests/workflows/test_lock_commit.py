"""The apply workflows commit the lock file back (apply records each upload in it): the step's own
script, run against a real git remote that moved meanwhile."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.support import ROOT, load_yaml

APPLY_WORKFLOWS = ("apply.yml", "apply-matrix.yml")
STEP = "Commit the lock file back"
LOCK = "manifests/reconciler.lock.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="no git")


def apply_job(name: str) -> dict[str, Any]:
    jobs = load_yaml(ROOT / "examples" / "github-actions" / name)["jobs"]
    job: dict[str, Any] = jobs["apply"]
    return job


def step(name: str) -> dict[str, Any]:
    found = [s for s in apply_job(name)["steps"] if s.get("name") == STEP]
    assert len(found) == 1
    return found[0]


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def clone(remote: Path, into: Path) -> Path:
    git(remote.parent, "clone", "--quiet", str(remote), str(into))
    git(into, "config", "user.name", "someone")
    git(into, "config", "user.email", "someone@example.com")
    return into


@pytest.mark.parametrize("name", APPLY_WORKFLOWS)
def test_the_apply_workflows_commit_the_lock_file_after_the_apply_may_write_it(name: str) -> None:
    job = apply_job(name)
    names = [s.get("name", "") for s in job["steps"]]
    assert job["permissions"] == {"contents": "write"}
    assert names.index(STEP) > max(i for i, n in enumerate(names) if n.startswith("Apply the plan"))
    assert "!cancelled()" in step(name)["if"]  # a failed apply's uploads are kept too


@pytest.mark.parametrize("name", APPLY_WORKFLOWS)
def test_the_step_pushes_the_lock_file_onto_a_branch_that_moved_meanwhile(name: str, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    seed = clone(remote, tmp_path / "seed")
    (seed / "manifests").mkdir()
    (seed / LOCK).write_text("version: 1\nassets: {}\ntargeting: {}\n")
    (seed / "manifests" / "ads.yaml").write_text("version: 1\n")
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "manifests")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    runner = clone(remote, tmp_path / "runner")
    # Meanwhile someone merges a change to a manifest.
    (seed / "manifests" / "ads.yaml").write_text("version: 1\n# edited\n")
    git(seed, "commit", "--quiet", "-am", "edit")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    # The apply recorded an upload.
    (runner / LOCK).write_text("version: 1\nassets:\n  abc:\n    file: a.png\ntargeting: {}\n")
    script = step(name)["run"]
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "MANIFESTS": "manifests/",
        "GITHUB_REF_NAME": "main",
    }
    subprocess.run(["bash", "-e", "-c", script], cwd=runner, env=env, check=True, capture_output=True)

    check = clone(remote, tmp_path / "check")
    assert "abc:" in (check / LOCK).read_text()
    assert "# edited" in (check / "manifests" / "ads.yaml").read_text()
    assert git(check, "log", "-1", "--format=%an %s").startswith("github-actions[bot] reconciler:")
    # Nothing changed: nothing committed.
    before = git(check, "rev-parse", "HEAD")
    subprocess.run(["bash", "-e", "-c", script], cwd=check, env=env, check=True, capture_output=True)
    assert git(check, "rev-parse", "HEAD") == before
