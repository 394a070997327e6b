"""A write LinkedIn refuses for scope, role or tier (issue 19, item 3): the apply reports what LinkedIn
said and what it means, and stops there like an interrupt (summary, journal end record), writing
nothing after the refusal."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reconciler.cli import app
from reconciler.emulator import Emulator, open_emulator, seed_entities
from tests.apply.helpers import WRITES, served
from tests.emulator.helpers import call

ROOT = Path(__file__).parents[2]
QUICKSTART = str(ROOT / "examples" / "quickstart")
CLEAN = {"LINKEDIN_ACCESS_TOKEN": None, "LINKEDIN_CLIENT_ID": None, "LINKEDIN_REFRESH_TOKEN": None}
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_a_fresh_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def spend_the_development_tier(emulator: Emulator) -> None:
    """Five other accounts edited: the app may edit no further account."""
    body = {"type": "BUSINESS", "currency": "USD"}
    made = [
        call(emulator, "POST", "/rest/adAccounts", {**body, "name": f"A{i}"}, method="CREATE")
        for i in range(5)
    ]
    emulator.config.settings.development_tier = True
    for response in made:
        account = response.headers["x-restli-id"]
        patch = {"patch": {"$set": {"name": "edited"}}}
        assert (
            call(emulator, "POST", f"/rest/adAccounts/{account}", patch, method="PARTIAL_UPDATE").status
            == 204
        )


def test_a_write_refused_for_the_tier_stops_the_apply_with_what_it_means() -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    spend_the_development_tier(emulator)
    log.truncate(0)
    log.seek(0)
    with served(emulator) as base:
        result = runner.invoke(
            app, ["apply", QUICKSTART, "--auto-approve"], env={**CLEAN, "RECONCILER_TARGET": base}
        )
    emulator.close()
    assert result.exit_code == 1, result.output
    assert "Development tier, which edits at most 5 ad accounts: apply for the Standard tier" in result.stderr
    assert "Apply stopped (LinkedIn refused POST /adAccounts/500000001/adCampaignGroups" in result.stdout
    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    writes = [e for e in entries if e["headers"].get("X-RestLi-Method", "").upper() in WRITES]
    assert [e["status"] for e in writes] == [403]  # the first refusal, and nothing after it
    journal = next((Path(".reconciler") / "journal").rglob("*.jsonl"))
    end = [json.loads(line) for line in journal.read_text().splitlines()][-1]
    assert end["type"] == "end" and "Development tier" in end["interrupted"]


# -- the plan knows the member's role (issue 19, item 2) -------------------------------------------


def writes(log: io.StringIO) -> list[dict[str, object]]:
    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    return [e for e in entries if str(e["headers"].get("X-RestLi-Method", "")).upper() in WRITES]  # type: ignore[union-attr]


def roles_called(log: io.StringIO) -> int:
    return sum("adAccountUsers" in json.loads(line)["target"] for line in log.getvalue().splitlines())


def test_a_viewer_plan_lists_the_violation_and_apply_refuses_before_any_write() -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.role = "VIEWER"
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        plan = runner.invoke(app, ["plan", QUICKSTART], env=env)
        applied = runner.invoke(app, ["apply", QUICKSTART, "--auto-approve"], env=env)
    emulator.close()
    assert plan.exit_code == 1 and "VIEWER on ad account 500000001" in plan.stdout
    assert "refused" in plan.stdout and "roles do not allow these changes" in plan.stderr
    assert applied.exit_code == 1, applied.output
    assert "VIEWER" in applied.stderr and "plan refused" in applied.stderr
    assert writes(log) == []
    assert roles_called(log) == 2  # once per command, whatever the plan holds


def test_a_creative_manager_may_change_creatives_but_not_campaigns(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(QUICKSTART, project)
    emulator = open_emulator(None)
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        assert runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env).exit_code == 0
        emulator.config.settings.role = "CREATIVE_MANAGER"
        manifest = project / "q1-brand.yaml"
        original = manifest.read_text(encoding="utf-8")
        manifest.write_text(
            original.replace(
                "- name: Ship faster\n            intendedStatus: ACTIVE",
                "- name: Ship faster\n            intendedStatus: PAUSED",
            ),
            "utf-8",
        )
        creative_only = runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env)
        manifest.write_text(original.replace("dailyBudget: 50 USD", "dailyBudget: 60 USD"), "utf-8")
        campaign = runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env)
    emulator.close()
    assert creative_only.exit_code == 0, creative_only.output
    assert campaign.exit_code == 1 and "CREATIVE_MANAGER" in campaign.stderr


def test_a_plan_with_no_changes_asks_nothing_about_roles() -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        assert runner.invoke(app, ["apply", QUICKSTART, "--auto-approve"], env=env).exit_code == 0
        log.truncate(0)
        log.seek(0)
        assert runner.invoke(app, ["plan", QUICKSTART], env=env).exit_code == 0
    emulator.close()
    assert roles_called(log) == 0


def test_a_token_without_rw_ads_stops_at_its_first_write_saying_so() -> None:
    """Without client credentials the token cannot be introspected: LinkedIn's refusal tells."""
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.scopes = frozenset({"r_ads"})
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base, "LINKEDIN_ACCESS_TOKEN": "a-member-token-1"}
        result = runner.invoke(app, ["apply", QUICKSTART, "--auto-approve"], env=env)
    emulator.close()
    assert result.exit_code == 1, result.output
    assert '"Not enough permissions to access: POST /adAccounts/500000001/adCampaignGroups"' in result.stderr
    assert "the access token lacks the scope this call needs" in result.stderr and "rw_ads" in result.stderr
    assert [e["status"] for e in writes(log)] == [403]


def introspections(log: io.StringIO) -> int:
    return sum("introspectToken" in json.loads(line)["target"] for line in log.getvalue().splitlines())


def test_an_introspected_token_without_rw_ads_is_a_violation_and_apply_writes_nothing() -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.scopes = frozenset({"r_ads"})
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        plan = runner.invoke(app, ["plan", QUICKSTART], env=env)
        applied = runner.invoke(app, ["apply", QUICKSTART, "--auto-approve"], env=env)
    emulator.close()
    assert plan.exit_code == 1, plan.output
    assert "the access token lacks the rw_ads scope (it holds r_ads)" in plan.stdout
    assert applied.exit_code == 1 and "lacks the rw_ads scope" in applied.stderr
    assert writes(log) == []
    assert introspections(log) == 2  # once per command


def test_client_credentials_are_sent_only_in_the_form_and_never_shown() -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log, tokens=["a-member-token-2"])
    emulator.config.settings.scopes = frozenset({"r_ads"})
    secrets = {"LINKEDIN_CLIENT_ID": "app-id", "LINKEDIN_CLIENT_SECRET": "the-client-secret-3"}
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base, "LINKEDIN_ACCESS_TOKEN": "a-member-token-2", **secrets}
        plan = runner.invoke(app, ["plan", QUICKSTART, "--format", "json"], env=env)
    emulator.close()
    assert plan.exit_code == 1 and "lacks the rw_ads scope" in plan.stdout
    for shown in (plan.output, log.getvalue()):
        assert "the-client-secret-3" not in shown and "a-member-token-2" not in shown


# -- page roles: sponsoring an organization's content (issue 19, organizationAcls) -----------------


def acls_called(log: io.StringIO) -> int:
    return sum("organizationAcls" in json.loads(line)["target"] for line in log.getvalue().splitlines())


def test_a_member_who_may_not_sponsor_the_page_gets_a_violation_and_no_write() -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.page_role = "ANALYST"
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        plan = runner.invoke(app, ["plan", QUICKSTART], env=env)
        applied = runner.invoke(app, ["apply", QUICKSTART, "--auto-approve"], env=env)
        doctor = runner.invoke(app, ["doctor", QUICKSTART], env=env)
    emulator.close()
    assert plan.exit_code == 1, plan.output
    assert "the token's member holds ANALYST on urn:li:organization:2414183" in plan.stdout
    assert applied.exit_code == 1 and "DIRECT_SPONSORED_CONTENT_POSTER" in applied.stderr
    assert writes(log) == []
    assert doctor.exit_code == 1
    assert "Page urn:li:organization:2414183: ANALYST; may not sponsor its content" in doctor.stdout


def test_a_sponsored_content_poster_may_apply_and_read_only_commands_need_no_write_role(
    tmp_path: Path,
) -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.page_role = "DIRECT_SPONSORED_CONTENT_POSTER"
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        applied = runner.invoke(app, ["apply", QUICKSTART, "--auto-approve"], env=env)
        assert applied.exit_code == 0, applied.output
        settings = emulator.config.settings
        settings.role, settings.page_role, settings.scopes = "VIEWER", "ANALYST", frozenset({"r_ads"})
        log.truncate(0)
        log.seek(0)
        plan = runner.invoke(app, ["plan", QUICKSTART, "--detailed-exitcode"], env=env)
        drift = runner.invoke(app, ["drift", QUICKSTART], env=env)
        listed = runner.invoke(app, ["doctor"], env=env)
    emulator.close()
    assert (plan.exit_code, drift.exit_code, listed.exit_code) == (0, 0, 0), plan.output + drift.output
    assert acls_called(log) == 0 and roles_called(log) == 1  # doctor lists the accounts; plan asks nothing


# -- the Development tier: known before any write when configured, else LinkedIn's refusal -------


def six_accounts(emulator: Emulator, root: Path) -> Path:
    """Six copies of the quickstart, one per ad account 500000001…500000006 (the five new ones seeded)."""
    accounts = [
        {"id": 500000001 + n, "name": f"A{n}", "currency": "USD", "type": "BUSINESS", "status": "ACTIVE"}
        for n in range(1, 6)
    ]
    seed_entities(emulator, {"adAccounts": accounts})
    for n in range(6):
        copy = root / "manifests" / f"a{n}"
        shutil.copytree(QUICKSTART, copy)
        for path in copy.glob("*.yaml"):
            text = path.read_text(encoding="utf-8").replace("500000001", str(500000001 + n))
            path.write_text(text, encoding="utf-8")
    # The project's root is the directory given: its lock pins the quickstart's targeting names.
    shutil.copy(Path(QUICKSTART) / "reconciler.lock.yaml", root / "manifests" / "reconciler.lock.yaml")
    return root / "manifests"


def test_a_configured_development_tier_refuses_a_sixth_account_before_any_write(tmp_path: Path) -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.development_tier = True
    project = six_accounts(emulator, tmp_path)
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base, "LINKEDIN_ACCESS_TIER": "development"}
        plan = runner.invoke(app, ["plan", str(project)], env=env)
        applied = runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env)
        doctor = runner.invoke(app, ["doctor", str(project)], env=env)
    emulator.close()
    tier = "Development tier, which edits at most 5 ad accounts: apply for the Standard tier"
    assert plan.exit_code == 1 and "the plan edits 6 ad accounts" in plan.stdout and tier in plan.stdout
    assert applied.exit_code == 1 and tier in applied.stderr
    assert writes(log) == []
    assert doctor.exit_code == 1 and "Access tier:  development" in doctor.stdout


def test_an_unstated_development_tier_stops_cleanly_at_linkedins_refusal(tmp_path: Path) -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    emulator.config.settings.development_tier = True
    project = six_accounts(emulator, tmp_path)
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        applied = runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env)
    emulator.close()
    assert applied.exit_code == 1, applied.output
    assert "Development tier, which edits at most 5 ad accounts" in applied.stderr
    assert [e["status"] for e in writes(log)].count(403) == 1  # one refusal, nothing blindly after it
    assert "Traceback" not in applied.output


def test_the_issue_done_when_against_a_served_emulator_process(tmp_path: Path) -> None:
    """``emulator serve --role VIEWER --scopes r_ads --page-role ANALYST`` as a process: apply exits 1
    naming the role and writes nothing; plan lists the violations; doctor shows them and exits 1."""
    log = tmp_path / "requests.jsonl"
    command = [sys.executable, "-c", "from reconciler.emulator.cli import app; app()", "serve", "--port", "0"]
    command += ["--memory", "--request-log", str(log), "--role", "VIEWER", "--scopes", "r_ads"]
    command += ["--page-role", "ANALYST"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base = process.stdout.readline().split(" on ")[1].rstrip("/ \n").split(" ")[0].rstrip("/")
        env = {**CLEAN, "RECONCILER_TARGET": base}
        applied = runner.invoke(app, ["apply", QUICKSTART, "--auto-approve"], env=env)
        plan = runner.invoke(app, ["plan", QUICKSTART], env=env)
        doctor = runner.invoke(app, ["doctor", QUICKSTART], env=env)
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert applied.exit_code == 1 and "VIEWER" in applied.stderr and "rw_ads" in applied.stderr
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert not [e for e in entries if str(e["headers"].get("X-RestLi-Method", "")).upper() in WRITES]
    assert plan.exit_code == 1
    for said in (
        "VIEWER on ad account 500000001",
        "lacks the rw_ads scope",
        "holds ANALYST on urn:li:organization",
    ):
        assert said in plan.stdout
    assert doctor.exit_code == 1
    assert "Account 500000001: VIEWER" in doctor.stdout and "Scopes:       r_ads (no rw_ads" in doctor.stdout


def test_a_saved_plan_is_checked_against_the_token_it_is_applied_with(tmp_path: Path) -> None:
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    saved = tmp_path / "plan.json"
    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        made = runner.invoke(app, ["plan", QUICKSTART, "--out", str(saved)], env=env)
        assert made.exit_code == 0, made.output
        emulator.config.settings.scopes = frozenset({"r_ads"})
        alone = runner.invoke(app, ["apply", "--plan", str(saved), "--auto-approve"], env=env)
        both = runner.invoke(app, ["apply", "--plan", str(saved), QUICKSTART, "--auto-approve"], env=env)
    emulator.close()
    for result in (alone, both):
        assert result.exit_code == 1, result.output
        assert result.stderr.count("lacks the rw_ads scope") == 1
    assert writes(log) == []


def test_a_saved_plan_applied_alone_checks_page_roles_before_any_write(tmp_path: Path) -> None:
    """Without its manifests a saved plan still says which organization each creative sponsors: the
    campaign it creates names it, or the live campaign it adds creatives to."""
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    settings = emulator.config.settings
    project = tmp_path / "quickstart"
    shutil.copytree(QUICKSTART, project)
    created, added = tmp_path / "created.json", tmp_path / "added.json"

    def apply_saved(saved: Path) -> Result:
        settings.page_role = "ANALYST"
        log.seek(0)
        log.truncate()
        result = runner.invoke(app, ["apply", "--plan", str(saved), "--auto-approve"], env=env)
        assert writes(log) == []
        settings.page_role = "ADMINISTRATOR"
        return result

    with served(emulator) as base:
        env = {**CLEAN, "RECONCILER_TARGET": base}
        assert runner.invoke(app, ["plan", str(project), "--out", str(created)], env=env).exit_code == 0
        refused = [apply_saved(created)]
        assert runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env).exit_code == 0
        brand = project / "q1-brand.yaml"
        story = '            content: {reference: "urn:li:share:7012345678901234568"}\n'
        another = "          - name: Another story\n            intendedStatus: ACTIVE\n"
        another += story.replace("568", "569")
        brand.write_text(brand.read_text(encoding="utf-8").replace(story, story + another), encoding="utf-8")
        assert runner.invoke(app, ["plan", str(project), "--out", str(added)], env=env).exit_code == 0
        refused.append(apply_saved(added))
    emulator.close()
    for result in refused:
        assert result.exit_code == 1, result.output
        assert "holds ANALYST on urn:li:organization:2414183" in result.stderr
    assert "Another story" in refused[1].stderr
