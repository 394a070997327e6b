"""examples/github-actions/apply-matrix.yml: the accounts job's list, then per account a fresh plan
on main and its apply, run command by command against the embedded emulator as each matrix job
would, on a project of two ad accounts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.cli.multi_account import FIRST, SECOND, create_second_account, two_accounts
from tests.workflows.support import cli, load_yaml
from tests.workflows.test_github_actions import SCHEMA, WORKFLOWS, Command, commands

NAME = "apply-matrix.yml"


def by_job() -> dict[str, list[Command]]:
    """The workflow's reconciler commands, by the job that runs them."""
    document = load_yaml(WORKFLOWS / NAME)
    every = list(commands(NAME))
    return {
        name: [c for c in every if c.step in {s.get("name", "") for s in job["steps"]}]
        for name, job in document["jobs"].items()
    }


def test_the_apply_matrix_runs_the_documented_commands() -> None:
    lines = {job: [" ".join(c.args) for c in cs] for job, cs in by_job().items()}
    apply = "apply --plan plan-$ACCOUNT.json manifests/ --account $ACCOUNT --auto-approve"
    assert lines == {
        "accounts": ["accounts manifests/", "accounts manifests/ --format json"],
        "apply": [
            "plan manifests/ --account $ACCOUNT --out plan-$ACCOUNT.json --detailed-exitcode",
            apply,
            f"{apply} --force",
        ],
    }


def test_each_account_applies_in_its_own_uncancelled_concurrency_group() -> None:
    document = load_yaml(WORKFLOWS / NAME)
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(document)
    apply = document["jobs"]["apply"]
    assert apply["concurrency"] == {
        "group": "reconciler-apply-${{ matrix.account }}",
        "cancel-in-progress": False,
    }
    # the group apply.yml uses for the account RECONCILER_ACCOUNT names: the two queue together
    single = load_yaml(WORKFLOWS / "apply.yml")["concurrency"]["group"]
    assert single == "reconciler-apply-${{ vars.RECONCILER_ACCOUNT || github.repository }}"
    assert apply["strategy"]["matrix"] == {"account": "${{ fromJSON(needs.accounts.outputs.ids) }}"}
    assert "vars.RECONCILER_MAX_PARALLEL" in apply["strategy"]["max-parallel"]
    assert apply["environment"] == "linkedin-ads"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("LINKEDIN_ACCESS_TOKEN", "LINKEDIN_REFRESH_TOKEN", "RECONCILER_TARGET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    two_accounts(tmp_path)
    create_second_account(tmp_path)
    return tmp_path


def test_the_jobs_commands_apply_every_account(workdir: Path) -> None:
    jobs = by_job()
    ids = json.loads(cli(*jobs["accounts"][1].args).stdout)["ids"]
    assert ids == [FIRST, SECOND]
    plan, apply, _forced = jobs["apply"]
    for account in ids:
        for command, expected in ((plan, 2), (apply, 0)):
            result = cli(*(a.replace("$ACCOUNT", str(account)) for a in command.args))
            assert result.exit_code in command.allowed and result.exit_code == expected, result.output
    assert cli("plan", "manifests/", "--detailed-exitcode").exit_code == 0  # every account applied
