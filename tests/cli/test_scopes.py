"""An ad whose content the manifests author as a post (image, video, carousel, document, article,
event) is posted as the organization, which needs ``w_organization_social`` on the token: without it
(token introspection says so) ``doctor`` exits 1 saying so, ``plan`` lists a violation and ``apply``
refuses before any request that writes. A plan showing spend without ``r_ads_reporting`` says so in
one note."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.emulator import open_emulator
from tests.apply.helpers import served

ROOT = Path(__file__).parents[2]
ALL_FORMATS = str(ROOT / "examples" / "all-formats")
QUICKSTART = str(ROOT / "examples" / "quickstart")
CLEAN = {"LINKEDIN_ACCESS_TOKEN": None, "LINKEDIN_CLIENT_ID": None, "LINKEDIN_REFRESH_TOKEN": None}
ADS_ONLY = frozenset({"r_ads", "rw_ads", "r_ads_reporting"})
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_a_fresh_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def not_reads(log: io.StringIO) -> list[str]:
    """Every request other than a GET and token introspection."""
    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    return [
        f"{e['method']} {e['target']}"
        for e in entries
        if e["method"] != "GET" and "introspectToken" not in e["target"]
    ]


def test_posting_content_without_w_organization_social_is_refused_before_any_write() -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.scopes = ADS_ONLY
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        doctor = runner.invoke(app, ["doctor", ALL_FORMATS], env=env)
        plan = runner.invoke(app, ["plan", ALL_FORMATS], env=env)
        applied = runner.invoke(app, ["apply", ALL_FORMATS, "--auto-approve"], env=env)
        quick = runner.invoke(app, ["doctor", QUICKSTART], env=env)
    emulator.close()
    assert doctor.exit_code == 1
    assert "missing: the token lacks the w_organization_social scope" in doctor.stdout
    assert plan.exit_code == 1, plan.output
    # image, video, carousel, document, article and event: not the InMail, conversation or dynamic ads
    assert "lacks the w_organization_social scope, which posting an ad's content" in plan.stdout
    assert "6 creative(s) cannot be made" in plan.stdout
    assert applied.exit_code == 1 and "w_organization_social" in applied.stderr
    assert not_reads(log) == []
    # Sponsoring an existing post (quickstart) posts nothing: rw_ads is enough.
    assert quick.exit_code == 0, quick.output


def test_with_w_organization_social_the_content_plan_has_no_access_violation() -> None:
    emulator = open_emulator(None)
    emulator.config.settings.scopes = ADS_ONLY | {"w_organization_social", "r_organization_social"}
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        plan = runner.invoke(app, ["plan", ALL_FORMATS, "--format", "json"], env=env)
        doctor = runner.invoke(app, ["doctor", ALL_FORMATS, "--format", "json"], env=env)
    emulator.close()
    assert plan.exit_code == 0, plan.output
    assert [v for v in json.loads(plan.stdout)["violations"] if v["guard"] == "access"] == []
    assert json.loads(doctor.stdout)["problems"] == []


def test_spend_without_r_ads_reporting_is_one_note_and_no_reporting_call(tmp_path: Path) -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.scopes = frozenset({"r_ads", "rw_ads", "w_organization_social"})
    project = tmp_path / "quickstart"
    shutil.copytree(QUICKSTART, project)
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        assert runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env).exit_code == 0
        brand = project / "q1-brand.yaml"
        brand.write_text(brand.read_text(encoding="utf-8").replace("50 USD", "60 USD"), encoding="utf-8")
        log.seek(0)
        log.truncate()
        plan = runner.invoke(app, ["plan", str(project), "--format", "json"], env=env)
    emulator.close()
    assert plan.exit_code == 0, plan.output
    document = json.loads(plan.stdout)
    spend = [n for n in document["notes"] if "spend" in n]
    assert spend == [
        "the last 7 days' spend is not shown: the token lacks the r_ads_reporting scope (token "
        "introspection); authorize the app again with r_ads_reporting to see it"
    ]
    assert not any("r_ads_reporting" in v["message"] for v in document["violations"])
    assert "adAnalytics" not in log.getvalue()
