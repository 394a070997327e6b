"""The example GitHub Actions workflows and the pre-commit hook: valid for GitHub (the workflow JSON
Schema, vendored; actionlint too when it is installed), and every ``reconciler …`` command they run
is parsed by the real CLI and executed against the embedded emulator with the exit codes the
workflow expects."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.main import get_command

from reconciler.cli import app
from reconciler.plan import Plan
from tests.workflows.support import ROOT, cli, load_yaml

WORKFLOWS = ROOT / "examples" / "github-actions"
NAMES = ("plan.yml", "apply.yml", "drift.yml")
SCHEMA = Path(__file__).parent / "data" / "github-workflow.schema.json"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
SHELL_STOP = {">", ">>", "|", "||", "&&", ";", "2>", "2>&1"}


@dataclass(frozen=True)
class Command:
    """One ``reconciler …`` line of a workflow step, with what the step accepts as its exit status."""

    workflow: str
    step: str
    condition: str
    args: tuple[str, ...]
    allowed: frozenset[int]

    @property
    def conditional_on_force(self) -> bool:
        """A step only a person runs by hand (``force`` ticked): parsed, not executed here."""
        return "inputs.force" in self.condition and "!inputs.force" not in self.condition


def workflow(name: str) -> Any:
    return load_yaml(WORKFLOWS / name)


def commands(name: str) -> Iterator[Command]:
    """Every reconciler command line in workflow order, ``$VARS`` expanded from the workflow's env."""
    document = workflow(name)
    for job in document["jobs"].values():
        env = {**document.get("env", {}), **job.get("env", {})}
        for step in job["steps"]:
            script = step.get("run")
            if not script:
                continue
            scope = {k: str(v) for k, v in {**env, **step.get("env", {})}.items() if "${{" not in str(v)}
            allowed = frozenset({0, 2}) if "set +e" in script else frozenset({0})
            for line in script.replace("\\\n", " ").splitlines():
                if line.strip().startswith("reconciler "):
                    args = _words(line, scope)
                    yield Command(name, step.get("name", ""), str(step.get("if", "")), args, allowed)


def _words(line: str, env: dict[str, str]) -> tuple[str, ...]:
    words: list[str] = []
    for word in shlex.split(line, comments=True)[1:]:
        if word in SHELL_STOP:
            break
        words.append(re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), word))
    return tuple(words)


ALL = [c for name in NAMES for c in commands(name)]


def test_the_workflows_run_the_commands_the_docs_describe() -> None:
    lines = {(c.workflow, " ".join(c.args)) for c in ALL}
    assert lines == {
        ("plan.yml", "validate manifests/"),
        ("plan.yml", "plan manifests/ --format markdown --out plan.json --detailed-exitcode"),
        ("apply.yml", "validate manifests/"),
        ("apply.yml", "plan manifests/ --out plan.json --detailed-exitcode"),
        ("apply.yml", "apply --plan plan.json manifests/ --auto-approve"),
        ("apply.yml", "apply --plan plan.json manifests/ --auto-approve --force"),
        ("drift.yml", "drift manifests/ --format markdown"),
    }


@pytest.mark.parametrize("name", NAMES)
def test_workflows_are_valid_against_the_github_workflow_schema(name: str) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)

    errors = sorted(validator.iter_errors(workflow(name)), key=lambda e: list(e.absolute_path))

    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_the_schema_check_catches_a_broken_workflow() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = workflow("plan.yml")
    broken["jobs"]["plan"]["runs-on"] = None
    broken["jobs"]["plan"]["stepz"] = broken["jobs"]["plan"].pop("steps")

    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="no actionlint (.ci/run installs it)")
def test_actionlint_finds_nothing_in_the_workflows_and_the_action() -> None:
    script = ROOT / ".ci" / "actionlint"
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_come_from_github_secrets_and_comments_are_found_by_their_marker() -> None:
    for name in NAMES:
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "LINKEDIN_ACCESS_TOKEN: ${{ secrets.LINKEDIN_ACCESS_TOKEN }}" in text
        assert "LINKEDIN_REFRESH_TOKEN: ${{ secrets.LINKEDIN_REFRESH_TOKEN }}" in text
    plan = (WORKFLOWS / "plan.yml").read_text(encoding="utf-8")
    assert "const marker = '<!-- reconciler-plan -->';" in plan
    assert "github.rest.issues.updateComment" in plan
    drift = (WORKFLOWS / "drift.yml").read_text(encoding="utf-8")
    assert "const marker = '<!-- reconciler-drift -->';" in drift
    assert workflow("plan.yml")["on"] == {
        "pull_request": {"paths": ["manifests/**", ".github/workflows/reconciler-*.yml"]}
    }
    assert list(workflow("apply.yml")["on"]) == ["push", "workflow_dispatch"]
    assert workflow("apply.yml")["concurrency"]["cancel-in-progress"] is False
    assert "vars.RECONCILER_ACCOUNT" in workflow("apply.yml")["concurrency"]["group"]  # one apply per account
    assert "schedule" in workflow("drift.yml")["on"]


@pytest.mark.parametrize("command", ALL, ids=lambda c: f"{c.workflow}:{' '.join(c.args)}")
def test_each_command_parses_with_the_real_cli(command: Command) -> None:
    group = get_command(app)
    name, *rest = command.args

    context = group.commands[name].make_context(name, rest)  # raises on an unknown option or value

    assert context.params


def test_the_workflows_commands_run_against_the_emulator_as_the_workflows_expect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plan.yml on a pull request, apply.yml after the merge, then drift.yml: in that order, on the
    b2b-saas example as ``manifests/``, with the exit statuses the workflows accept."""
    monkeypatch.chdir(tmp_path)
    for name in ("LINKEDIN_ACCESS_TOKEN", "LINKEDIN_REFRESH_TOKEN", "RECONCILER_TARGET"):
        monkeypatch.delenv(name, raising=False)
    shutil.copytree(ROOT / "examples" / "b2b-saas", tmp_path / "manifests")
    seen: dict[str, int] = {}
    for command in ALL:
        if command.conditional_on_force:
            continue
        result = cli(*command.args)
        assert result.exit_code in command.allowed, f"{command}: {result.output}"
        seen[f"{command.workflow}:{command.args[0]}"] = result.exit_code
        if command.args[:2] == ("plan", "manifests/") and "markdown" in command.args:
            assert len(result.stdout) < 65_536  # one pull-request comment
            assert result.stdout.startswith("## LinkedIn Ads plan")
    assert seen == {
        "plan.yml:validate": 0,
        "plan.yml:plan": 2,  # a pull request that creates the example
        "apply.yml:validate": 0,
        "apply.yml:plan": 2,
        "apply.yml:apply": 0,  # applied after the merge
        "drift.yml:drift": 0,  # and nothing drifted since
    }
    assert Plan.from_dict(json.loads(Path("plan.json").read_text(encoding="utf-8"))).summary()["create"] == 38
    assert cli("plan", "manifests/", "--detailed-exitcode").exit_code == 0


def test_pre_commit_hook_validates_the_whole_manifest_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (hook,) = load_yaml(HOOKS)
    assert hook["id"] == "reconciler-validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False  # an account split across files is only valid whole
    files = re.compile(hook["files"])
    assert [bool(files.search(p)) for p in ("a.yaml", "b/c.yml", "d.json", "yaml")] == [
        True,
        True,
        False,
        False,
    ]
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "examples" / "b2b-saas", tmp_path / "manifests")
    entry = hook["entry"].split()
    assert entry[0] == "reconciler"

    valid = cli(*entry[1:], *hook["args"])
    (tmp_path / "manifests" / "groups" / "retargeting.yaml").write_text("version: 1\naccount: {id: 1}\n")
    invalid = cli(*entry[1:], *hook["args"])

    assert valid.exit_code == 0, valid.output
    assert invalid.exit_code == 1
    # Validating one group file alone would wrongly fail: its audiences live in audiences.yaml.
    assert cli("validate", "manifests/groups/brand-h1-2027.yaml").exit_code == 1
