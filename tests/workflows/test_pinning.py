"""What the example workflows and the composite action install and trust: the project's own
package (never the unrelated PyPI project named ``reconciler``) locked by version and hash, actions
pinned by commit SHA, and the LinkedIn secrets given only to the steps that call LinkedIn."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from reconciler import DISTRIBUTION
from tests.workflows.support import ROOT, load_yaml

WORKFLOWS = ROOT / "examples" / "github-actions"
NAMES = ("plan.yml", "apply.yml", "drift.yml", "plan-matrix.yml", "apply-matrix.yml", "drift-matrix.yml")
ACTION = ROOT / "action.yml"
LOCK_INPUT = WORKFLOWS / "reconciler-requirements.in"
# `reconciler==…` as a requirement: the bare name, not the end of `linkedin-ads-reconciler==…`.
OTHER_PACKAGE = re.compile(r"(?<![\w.-])reconciler\s*(==|>=|~=|@)")
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")
CALLS_LINKEDIN = re.compile(r"^\s*reconciler (plan|apply|drift)\b", re.MULTILINE)
SECRETS = {
    "LINKEDIN_ACCESS_TOKEN",
    "LINKEDIN_CLIENT_ID",
    "LINKEDIN_CLIENT_SECRET",
    "LINKEDIN_REFRESH_TOKEN",
}


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        project: dict[str, Any] = tomllib.load(file)["project"]
    assert project["name"] == DISTRIBUTION
    return str(project["version"])


def _texts() -> dict[str, str]:
    """Every workflow, the action, the lock input, the README and the docs."""
    paths = [*(WORKFLOWS / n for n in NAMES), ACTION, LOCK_INPUT, WORKFLOWS / "README.md", ROOT / "README.md"]
    paths += [*sorted((ROOT / "docs").glob("*.md")), ROOT / ".pre-commit-hooks.yaml"]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths}


def test_nothing_installs_the_unrelated_reconciler_package() -> None:
    found = {name: m.group(0) for name, text in _texts().items() if (m := OTHER_PACKAGE.search(text))}

    assert found == {}


def test_the_check_would_catch_the_old_install_line() -> None:
    assert OTHER_PACKAGE.search("RECONCILER_PACKAGE: reconciler==0.1.0")
    assert OTHER_PACKAGE.search("pip install 'reconciler>=0.1'")
    assert not OTHER_PACKAGE.search("linkedin-ads-reconciler==0.1.0")


@pytest.mark.parametrize("name", NAMES)
def test_workflows_install_the_locked_package_with_hashes(name: str) -> None:
    document = load_yaml(WORKFLOWS / name)
    for job in document["jobs"].values():
        installs = [s["run"] for s in job["steps"] if "pip install" in s.get("run", "")]

        assert installs == ['python -m pip install --require-hashes -r "$RECONCILER_REQUIREMENTS"']
    assert document["env"]["RECONCILER_REQUIREMENTS"] == ".github/reconciler-requirements.txt"


def test_the_lock_input_names_this_package_at_this_version() -> None:
    lines = [line for line in LOCK_INPUT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]

    assert [line for line in lines if line.strip()] == [f"{DISTRIBUTION}=={_version()}"]


@pytest.mark.parametrize("path", [*(WORKFLOWS / n for n in NAMES), ACTION], ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_sha_with_the_release_in_a_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]

    assert lines
    assert [line for line in lines if not PINNED.match(line)] == []


@pytest.mark.parametrize("name", NAMES)
def test_secrets_are_given_only_to_the_steps_that_call_linkedin(name: str) -> None:
    document = load_yaml(WORKFLOWS / name)

    assert not SECRETS & set(document.get("env", {})), "workflow-level secrets"
    for job in document["jobs"].values():
        assert not SECRETS & set(job.get("env", {})), "job-level secrets"
        for step in job["steps"]:
            given = SECRETS & set(step.get("env", {}))
            calls = bool(CALLS_LINKEDIN.search(step.get("run", "")))
            assert given == (SECRETS if calls else set()), step.get("name")
            for key in given:
                assert step["env"][key] == f"${{{{ secrets.{key} }}}}"


def test_the_composite_action_installs_its_own_commit_or_a_release_and_runs_one_command() -> None:
    action = load_yaml(ACTION)

    assert set(action["inputs"]) == {"manifests", "command", "version", "args"}
    assert action["inputs"]["version"]["default"] == ""
    assert action["runs"]["using"] == "composite"
    install = next(s["run"] for s in action["runs"]["steps"] if s.get("name") == "Install reconciler")
    assert 'python -m pip install "$GITHUB_ACTION_PATH"' in install
    assert f'python -m pip install "{DISTRIBUTION}==$VERSION"' in install
    # Inputs reach the scripts through the environment, never spliced into the script text.
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


@pytest.mark.parametrize("path", [ROOT / "docs" / "workflows.md", ROOT / ".pre-commit-hooks.yaml"], ids=str)
def test_pre_commit_docs_pin_rev_to_a_commit_sha(path: Path) -> None:
    revs = re.findall(r"rev: (\S+)", path.read_text(encoding="utf-8"))

    assert revs == ["<commit-sha>"]
