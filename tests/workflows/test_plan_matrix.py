"""examples/github-actions/plan-matrix.yml: the accounts job's list, one plan job per account, and
the merge into one comment, run command by command against the embedded emulator as the jobs would
(the artifacts moved by hand), on a project of two ad accounts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.cli.multi_account import FIRST, SECOND, create_second_account, two_accounts
from tests.workflows.support import cli, load_yaml
from tests.workflows.test_github_actions import SCHEMA, WORKFLOWS, Command, commands

NAME = "plan-matrix.yml"


def by_job() -> dict[str, list[Command]]:
    """The workflow's reconciler commands, by the job that runs them."""
    document = load_yaml(WORKFLOWS / NAME)
    out: dict[str, list[Command]] = {}
    every = list(commands(NAME))
    for job_name, job in document["jobs"].items():
        names = {step.get("name", "") for step in job["steps"]}
        out[job_name] = [c for c in every if c.step in names]
    return out


def test_the_matrix_workflow_runs_the_documented_commands() -> None:
    lines = {job: [" ".join(c.args) for c in cs] for job, cs in by_job().items()}
    assert lines == {
        "accounts": ["accounts manifests/", "accounts manifests/ --format json"],
        "plan": ["plan manifests/ --account $ACCOUNT --out plan-$ACCOUNT.json --detailed-exitcode"],
        "comment": ["show plans/plan-*.json --format markdown"],
    }


def test_the_matrix_is_built_from_the_accounts_job_and_serialised_per_account() -> None:
    document = load_yaml(WORKFLOWS / NAME)
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(document)
    plan = document["jobs"]["plan"]
    assert plan["needs"] == "accounts"
    assert plan["strategy"]["matrix"] == {"account": "${{ fromJSON(needs.accounts.outputs.ids) }}"}
    assert "vars.RECONCILER_MAX_PARALLEL" in plan["strategy"]["max-parallel"]
    assert plan["strategy"]["fail-fast"] is False
    assert "matrix.account" in plan["concurrency"]["group"]
    assert document["jobs"]["accounts"]["outputs"]["ids"] == "${{ steps.list.outputs.ids }}"
    upload = next(s for s in plan["steps"] if "upload-artifact" in s.get("uses", ""))
    download = next(
        s for s in document["jobs"]["comment"]["steps"] if "download-artifact" in s.get("uses", "")
    )
    assert upload["with"]["name"].removesuffix("${{ matrix.account }}") + "*" == download["with"]["pattern"]
    assert upload["with"]["path"] == "plan-${{ matrix.account }}.json"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("LINKEDIN_ACCESS_TOKEN", "LINKEDIN_REFRESH_TOKEN", "RECONCILER_TARGET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    two_accounts(tmp_path).rename(tmp_path / "manifests")  # the workflow's MANIFESTS: manifests/
    create_second_account(tmp_path)
    return tmp_path


def test_the_jobs_commands_make_the_one_comment_a_single_plan_would(workdir: Path) -> None:
    jobs = by_job()
    listed, as_json = (cli(*c.args) for c in jobs["accounts"])
    assert listed.exit_code == 0 and as_json.exit_code == 0, listed.output + as_json.output
    ids = json.loads(as_json.stdout)["ids"]  # what `jq -c .ids` puts in the job's output
    assert ids == [FIRST, SECOND]
    (plan,) = jobs["plan"]
    for account in ids:  # each matrix job, in its own runner: its plan uploaded, then downloaded
        job_dir = workdir / f"job-{account}"
        job_dir.mkdir()
        args = [a.replace("$ACCOUNT", str(account)) for a in plan.args]
        args = [str(job_dir / a) if a.startswith("plan-") else a for a in args]
        result = cli(*args)
        assert result.exit_code in plan.allowed, result.output
        assert result.exit_code == 2  # both accounts have something to create
        (workdir / "plans").mkdir(exist_ok=True)
        shutil.copy(job_dir / f"plan-{account}.json", workdir / "plans")
    (show,) = jobs["comment"]
    files = sorted(str(p.relative_to(workdir)) for p in workdir.glob(show.args[1]))  # the shell's glob
    assert len(files) == 2
    merged = cli(show.args[0], *files, *show.args[2:])
    assert merged.exit_code == 0, merged.output
    single = cli("plan", "manifests/", "--format", "markdown")
    assert merged.stdout == single.stdout
    assert len(merged.stdout) < 65_536 and merged.stdout.startswith("## LinkedIn Ads plan")
