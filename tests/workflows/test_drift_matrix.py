"""examples/github-actions/drift-matrix.yml: the accounts job's list, one drift check per account,
and the merge into one report, run command by command against the embedded emulator as the jobs
would (the artifacts moved by hand), on a project of two ad accounts, one of them drifted."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.cli.multi_account import FIRST, SECOND, create_second_account, two_accounts
from tests.workflows.support import cli, load_yaml
from tests.workflows.test_github_actions import SCHEMA, WORKFLOWS, Command, commands

NAME = "drift-matrix.yml"


def by_job() -> dict[str, list[Command]]:
    """The workflow's reconciler commands, by the job that runs them."""
    document = load_yaml(WORKFLOWS / NAME)
    every = list(commands(NAME))
    return {
        name: [c for c in every if c.step in {s.get("name", "") for s in job["steps"]}]
        for name, job in document["jobs"].items()
    }


def test_the_drift_matrix_runs_the_documented_commands() -> None:
    lines = {job: [" ".join(c.args) for c in cs] for job, cs in by_job().items()}
    assert lines == {
        "accounts": ["accounts manifests/", "accounts manifests/ --format json"],
        "drift": ["drift manifests/ --account $ACCOUNT --format json"],
        "report": [
            "show reports/drift-*.json --format markdown",
            "show reports/drift-*.json --format json",
        ],
    }


def test_the_matrix_is_built_from_the_accounts_job_and_serialised_per_account() -> None:
    document = load_yaml(WORKFLOWS / NAME)
    jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(document)
    drift = document["jobs"]["drift"]
    assert drift["needs"] == "accounts"
    assert drift["strategy"]["matrix"] == {"account": "${{ fromJSON(needs.accounts.outputs.ids) }}"}
    assert "vars.RECONCILER_MAX_PARALLEL" in drift["strategy"]["max-parallel"]
    assert drift["strategy"]["fail-fast"] is False
    assert drift["concurrency"]["group"] == "reconciler-drift-${{ matrix.account }}"
    assert document["jobs"]["accounts"]["outputs"]["ids"] == "${{ steps.list.outputs.ids }}"
    upload = next(s for s in drift["steps"] if "upload-artifact" in s.get("uses", ""))
    report = document["jobs"]["report"]
    download = next(s for s in report["steps"] if "download-artifact" in s.get("uses", ""))
    assert upload["with"]["name"].removesuffix("${{ matrix.account }}") + "*" == download["with"]["pattern"]
    assert upload["with"]["path"] == "drift-${{ matrix.account }}.json"
    assert report["needs"] == ["accounts", "drift"]
    text = (WORKFLOWS / NAME).read_text(encoding="utf-8")
    assert "const marker = '<!-- reconciler-drift -->';" in text  # the issue drift.yml keeps


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Both accounts applied, then a daily budget of the first changed in its manifest: drift."""
    for name in ("LINKEDIN_ACCESS_TOKEN", "LINKEDIN_REFRESH_TOKEN", "RECONCILER_TARGET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    two_accounts(tmp_path).rename(tmp_path / "manifests")  # the workflow's MANIFESTS: manifests/
    create_second_account(tmp_path)
    applied = cli("apply", "manifests/", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    brand = tmp_path / "manifests" / "quickstart" / "q1-brand.yaml"
    text = brand.read_text(encoding="utf-8")
    assert "dailyBudget: 50 USD" in text
    brand.write_text(text.replace("dailyBudget: 50 USD", "dailyBudget: 60 USD"), encoding="utf-8")
    return tmp_path


def test_the_jobs_commands_make_the_one_report_a_single_check_would(workdir: Path) -> None:
    jobs = by_job()
    listed, as_json = (cli(*c.args) for c in jobs["accounts"])
    assert listed.exit_code == 0 and as_json.exit_code == 0, listed.output + as_json.output
    ids = json.loads(as_json.stdout)["ids"]
    assert ids == [FIRST, SECOND]
    (check,) = jobs["drift"]
    (workdir / "reports").mkdir()
    codes = {}
    for account in ids:  # each matrix job: its report written (`> drift-ID.json`), uploaded, downloaded
        result = cli(*(a.replace("$ACCOUNT", str(account)) for a in check.args))
        assert result.exit_code in check.allowed, result.output
        codes[account] = result.exit_code
        (workdir / "reports" / f"drift-{account}.json").write_text(result.stdout, encoding="utf-8")
    assert codes == {FIRST: 2, SECOND: 0}  # only the first account drifted
    markdown, as_json = jobs["report"]
    files = sorted(str(p.relative_to(workdir)) for p in workdir.glob(markdown.args[1]))  # the shell's glob
    assert len(files) == 2
    merged = cli(markdown.args[0], *files, *markdown.args[2:])
    assert merged.exit_code == 0, merged.output
    single = cli("drift", "manifests/", "--format", "markdown")
    assert single.exit_code == 2
    assert merged.stdout == single.stdout
    assert "60 USD" in merged.stdout
    report = cli(as_json.args[0], *files, *as_json.args[2:])
    assert report.exit_code == 0, report.output
    whole = json.loads(cli("drift", "manifests/", "--format", "json").stdout)
    assert json.loads(report.stdout) == {k: v for k, v in whole.items() if k != "api"}
    assert json.loads(report.stdout)["drifted"] is True  # what `jq .drifted` reads


def test_reports_of_other_manifests_or_sharing_an_account_are_refused(workdir: Path) -> None:
    first = cli("drift", "manifests/", "--account", str(FIRST), "--format", "json")
    Path("a.json").write_text(first.stdout, encoding="utf-8")
    Path("b.json").write_text(first.stdout, encoding="utf-8")
    shared = cli("show", "a.json", "b.json")
    assert shared.exit_code == 1 and f"ad account {FIRST} is in both a.json and b.json" in shared.output
    other = json.loads(first.stdout)
    other["manifest_checksum"] = "0" * 64
    other["items"] = []
    Path("c.json").write_text(json.dumps(other), encoding="utf-8")
    assert "different manifest_checksum" in cli("show", "a.json", "c.json").output
    plan = cli("plan", "manifests/", "--out", "plan.json")
    assert plan.exit_code == 0, plan.output
    mixed = cli("show", "a.json", "plan.json")
    assert mixed.exit_code == 1 and "either plans or drift reports" in mixed.output
