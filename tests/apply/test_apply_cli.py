"""``reconciler apply`` through typer's CliRunner: the examples end to end on the embedded emulator,
confirmation, saved plans and their refusals, guardrails before any write, JSON events,
--fail-fast, and no token in any output."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from reconciler.apply.messages import Item, content_key
from reconciler.cli import app
from reconciler.emulator import open_emulator
from reconciler.emulator.rules.common import Settings
from reconciler.plan import checksum_of
from tests.apply.content_project import UNREFERENCED, made
from tests.apply.helpers import WRITES, served, tree, write_manifests

ROOT = Path(__file__).parents[2]
QUICKSTART = str(ROOT / "examples" / "quickstart")
B2B = str(ROOT / "examples" / "b2b-saas")
CLEAN = {"LINKEDIN_ACCESS_TOKEN": None, "LINKEDIN_CLIENT_ID": None, "LINKEDIN_REFRESH_TOKEN": None}
runner = CliRunner()
EMBEDDED = "embedded emulator (.reconciler/emulator.sqlite)"


@pytest.fixture(autouse=True)
def _in_a_fresh_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def cli(*args: str, target: str = "emulator", **env: str | None) -> Result:
    return runner.invoke(app, list(args), env={**CLEAN, "RECONCILER_TARGET": target, **env})


def events(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def save_edited_plan(path: Path, edit: Any) -> None:
    """Edit a saved plan and seal it again (as if a reviewer had approved that plan)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    data["checksum"] = checksum_of(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def logged_server() -> Iterator[tuple[str, io.StringIO]]:
    """A served emulator whose request log shows every call the CLI made."""
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    with served(emulator) as base:
        yield base, log
    emulator.close()


def writes_in(log: io.StringIO) -> int:
    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    return sum(e["headers"].get("X-RestLi-Method", "").upper() in WRITES for e in entries)


# -- the examples --------------------------------------------------------------------------------


@pytest.mark.parametrize("example", [QUICKSTART, B2B], ids=["quickstart", "b2b-saas"])
def test_apply_creates_everything_and_the_next_plan_is_empty(example: str) -> None:
    result = cli("apply", example, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "Apply complete:" in result.stdout and "0 failed, 0 skipped" in result.stdout
    assert "Target: embedded emulator" in result.stderr
    again = cli("plan", example, "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    nothing = cli("apply", example, "--auto-approve")
    assert nothing.exit_code == 0 and "No changes" in nothing.stdout


def test_without_a_terminal_apply_refuses_to_prompt_and_writes_nothing() -> None:
    result = cli("apply", QUICKSTART)
    assert result.exit_code == 1
    assert "standard input is not a terminal" in result.stderr and "--auto-approve" in result.stderr
    assert "+ create campaign group" in result.stdout  # the plan was shown
    assert cli("plan", QUICKSTART, "--detailed-exitcode").exit_code == 2  # nothing was applied


def test_apply_needs_paths_or_a_plan() -> None:
    result = cli("apply")
    assert result.exit_code == 1 and "--plan FILE" in result.stderr


# -- JSON events -------------------------------------------------------------------------------


def test_json_emits_one_event_per_change_and_a_summary() -> None:
    result = cli("apply", QUICKSTART, "--auto-approve", "--format", "json")
    assert result.exit_code == 0, result.output
    found = events(result)
    assert found[0]["event"] == "plan" and found[0]["summary"]["create"] == 6
    changes = [e for e in found if e["event"] == "change"]
    assert len(changes) == 6
    for change in changes:
        assert set(change) == {"event", "address", "kind", "action", "status", "id", "error", "note"}
        assert change["status"] == "applied" and change["action"] == "create" and change["id"] > 0
        assert change["error"] is None and change["address"].startswith("500000001 / ")
    summary = found[-1]
    assert summary["event"] == "summary"
    assert (summary["applied"], summary["failed"], summary["skipped"]) == (6, 0, 0)
    assert summary["calls"] > 0 and "BATCH_CREATE" in summary["by_method"]


# -- saved plans -------------------------------------------------------------------------------


def test_a_saved_plan_applies_once_and_is_stale_afterwards() -> None:
    assert cli("plan", QUICKSTART, "--out", "plan.json").exit_code == 0
    first = cli("apply", "--plan", "plan.json", QUICKSTART, "--auto-approve")
    assert first.exit_code == 0, first.output
    second = cli("apply", "--plan", "plan.json", "--auto-approve")
    assert second.exit_code == 1
    # the group it creates exists now (what it creates below the group cannot exist without it)
    assert "plan is stale: 1 entity changed since it was made" in second.stderr
    assert "campaignGroup 500000001 / Q1 2027 Brand: already exists (id " in second.stderr
    assert "no manifest PATHs given: the saved plan is not checked against the manifests" in second.stderr
    assert "no manifest PATHs given" not in first.stderr


def test_a_saved_plan_is_refused_when_its_manifests_changed(tmp_path: Path) -> None:
    spec = tree(1, 1, 1)
    write_manifests(tmp_path / "m", spec)
    assert cli("plan", "m", "--out", "plan.json").exit_code == 0
    write_manifests(tmp_path / "m", spec, budget=lambda _c: 75)
    result = cli("apply", "--plan", "plan.json", "m", "--auto-approve")
    assert result.exit_code == 1 and "the manifests changed since the plan was made" in result.stderr
    assert cli("plan", "m", "--detailed-exitcode").exit_code == 2  # nothing was applied


def test_a_saved_plan_is_refused_when_an_entity_it_touches_moved(
    tmp_path: Path, logged_server: tuple[str, io.StringIO]
) -> None:
    base, log = logged_server
    spec = tree(1, 2, 0)
    write_manifests(tmp_path / "v1", spec)
    assert cli("apply", "v1", "--auto-approve", target=base).exit_code == 0
    write_manifests(tmp_path / "v2", spec, budget=lambda _c: 75)
    assert cli("plan", "v2", "--out", "plan.json", target=base).exit_code == 0
    # someone edits a campaign in Campaign Manager after the plan was reviewed
    assert cli("apply", "v1", "--auto-approve", target=base).exit_code == 0  # no change: nothing written
    tampered = write_manifests(tmp_path / "v3", spec, budget=lambda c: 90 if c.endswith("001") else 50)
    assert cli("apply", str(tampered), "--auto-approve", target=base).exit_code == 0
    log.truncate(0)
    log.seek(0)
    result = cli("apply", "--plan", "plan.json", "--auto-approve", target=base)
    assert result.exit_code == 1
    assert "plan is stale: 1 entity changed since it was made" in result.stderr
    assert "campaign 500000001 / Group 00 / Campaign 00-001 (id " in result.stderr
    assert "versionTag" in result.stderr
    assert writes_in(log) == 0


def test_a_plan_for_another_target_is_refused(logged_server: tuple[str, io.StringIO]) -> None:
    base, _log = logged_server
    assert cli("plan", QUICKSTART, "--out", "plan.json").exit_code == 0  # the embedded emulator
    result = cli("apply", "--plan", "plan.json", "--auto-approve", target=base)
    assert result.exit_code == 1 and "the plan was made for target" in result.stderr


def test_an_edited_plan_file_is_refused() -> None:
    assert cli("plan", QUICKSTART, "--out", "plan.json").exit_code == 0
    text = Path("plan.json").read_text(encoding="utf-8").replace('"50"', '"5000"')
    Path("plan.json").write_text(text, encoding="utf-8")
    result = cli("apply", "--plan", "plan.json", "--auto-approve")
    assert result.exit_code == 1 and "checksum does not match" in result.stderr


# -- guardrails before any write ---------------------------------------------------------------


def test_a_plan_that_breaks_a_limit_is_refused_before_any_write(
    tmp_path: Path, logged_server: tuple[str, io.StringIO]
) -> None:
    base, log = logged_server
    ten = {"Group 00": {"Campaign 00-000": [f"Ad {i}" for i in range(10)]}}
    write_manifests(tmp_path / "v1", ten)
    assert cli("apply", "v1", "--auto-approve", target=base).exit_code == 0
    # six new ACTIVE creatives beside ten live ones that the manifests no longer mention: 16 > 15
    six = {"Group 00": {"Campaign 00-000": [f"Ad new {i}" for i in range(6)]}}
    write_manifests(tmp_path / "v2", six)
    log.truncate(0)
    log.seek(0)
    result = cli("apply", "v2", "--auto-approve", "--force", target=base)
    assert result.exit_code == 1
    assert "plan refused, it would break account limits" in result.stderr
    assert writes_in(log) == 0


def test_a_saved_plan_with_a_limit_violation_is_refused_before_any_write(
    logged_server: tuple[str, io.StringIO],
) -> None:
    base, log = logged_server
    assert cli("plan", QUICKSTART, "--out", "plan.json", target=base).exit_code == 0
    violation = {"guard": "limit", "message": "campaigns: 5,001 / 5,000 after apply"}
    save_edited_plan(Path("plan.json"), lambda d: d["violations"].append(violation))
    log.truncate(0)
    log.seek(0)
    result = cli("apply", "--plan", "plan.json", "--auto-approve", "--force", target=base)
    assert result.exit_code == 1 and "5,001 / 5,000" in result.stderr
    assert writes_in(log) == 0


def test_a_plan_over_a_threshold_needs_force(tmp_path: Path, logged_server: tuple[str, io.StringIO]) -> None:
    base, log = logged_server
    write_manifests(tmp_path / "v1", tree(1, 12, 0))
    assert cli("apply", "v1", "--auto-approve", target=base).exit_code == 0
    write_manifests(tmp_path / "v2", {"Group 00": {"Campaign 00-000": []}}, prune=True)
    log.truncate(0)
    log.seek(0)
    refused = cli("apply", "v2", "--auto-approve", target=base)
    assert refused.exit_code == 1 and "plan needs --force" in refused.stderr
    assert writes_in(log) == 0
    forced = cli("apply", "v2", "--auto-approve", "--force", target=base)
    assert forced.exit_code == 0, forced.output
    assert "11 applied" in forced.stdout


def test_replaces_need_allow_replace(tmp_path: Path) -> None:
    spec = tree(1, 1, 0)
    write_manifests(tmp_path / "v1", spec)
    assert cli("apply", "v1", "--auto-approve").exit_code == 0
    write_manifests(tmp_path / "v2", spec, overrides={"Campaign 00-000": {"costType": "CPC"}})
    refused = cli("apply", "v2", "--auto-approve")
    assert refused.exit_code == 1 and "--allow-replace" in refused.stderr
    allowed = cli("apply", "v2", "--auto-approve", "--allow-replace")
    assert allowed.exit_code == 0, allowed.output
    assert "✓ replaced campaign 500000001 / Group 00 / Campaign 00-000" in allowed.stdout


# -- failures ----------------------------------------------------------------------------------


def break_first_creative(data: dict[str, Any]) -> None:
    creative = next(c for c in data["changes"] if c["kind"] == "creative")
    creative["body"]["content"] = {"reference": "urn:li:bogus:1"}
    # what it shows, too: a plan whose body and fields disagree is refused before LinkedIn sees it
    next(f for f in creative["fields"] if f["field"] == "content")["new"] = {"reference": "urn:li:bogus:1"}


def test_a_failure_is_reported_with_linkedins_code_and_exit_1() -> None:
    assert cli("plan", QUICKSTART, "--out", "plan.json").exit_code == 0
    save_edited_plan(Path("plan.json"), break_first_creative)
    result = cli("apply", "--plan", "plan.json", "--auto-approve")
    assert result.exit_code == 1
    assert "Failed:\n  ✗ create creative 500000001 / Q1 2027 Brand / " in result.stdout
    assert "HTTP 400" in result.stdout and "content/reference" in result.stdout
    assert "Skipped:\n  - create campaign" in result.stdout and "left DRAFT" in result.stdout
    assert "Apply finished with failures: 4 applied, 1 failed, 1 skipped" in result.stdout


def test_fail_fast_skips_everything_after_the_first_failure() -> None:
    assert cli("plan", QUICKSTART, "--out", "plan.json").exit_code == 0
    save_edited_plan(Path("plan.json"), break_first_creative)
    result = cli("apply", "--plan", "plan.json", "--auto-approve", "--fail-fast", "--format", "json")
    assert result.exit_code == 1
    found = events(result)
    by_status = [e["status"] for e in found if e["event"] == "change"]
    assert by_status.count("failed") == 1 and by_status.count("skipped") == 2
    failed = next(e for e in found if e.get("status") == "failed")
    assert failed["error"]["status"] == 400 and failed["error"]["code"]
    assert found[-1]["event"] == "summary" and found[-1]["stopped"] is True


# -- the journal and secrets -------------------------------------------------------------------


def test_apply_reports_what_an_interrupted_run_left(tmp_path: Path) -> None:
    assert cli("plan", QUICKSTART, "--out", "plan.json").exit_code == 0
    plan = json.loads(Path("plan.json").read_text(encoding="utf-8"))
    journal = tmp_path / ".reconciler" / "journal"
    journal.mkdir(parents=True)
    group = plan["changes"][0]["path"]
    header = {
        "type": "run",
        "run": "20270101T000000000000Z-1",
        "started": "2027-01-01T00:00:00Z",
        "target": "embedded emulator (.reconciler/emulator.sqlite)",
        "changes": [[c["action"], " / ".join(c["path"])] for c in plan["changes"]],
    }
    intent = {"type": "intent", "address": " / ".join(group), "kind": "campaignGroup", "action": "create"}
    (journal / "20270101T000000000000Z-1.jsonl").write_text(
        json.dumps(header) + "\n" + json.dumps(intent) + "\n"
    )
    result = cli("apply", QUICKSTART, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert (
        "The last run (20270101T000000000000Z-1) was interrupted and left 6 changes unfinished"
        in result.stderr
    )
    assert "500000001 / Q1 2027 Brand: not created; this apply creates it" in result.stderr
    again = cli("apply", QUICKSTART, "--auto-approve")
    assert "unfinished" not in again.stderr  # told once


def test_the_token_never_appears_in_any_output(tmp_path: Path) -> None:
    token = "AQXrecognisable-token-5f3e9c1d7b2a"
    emulator = open_emulator(None, seed=3, error_rate=0.1, commit_then_fail_rate=0.2)
    with served(emulator) as base:
        outputs = []
        for fmt in ("human", "json"):
            write_manifests(tmp_path / fmt, tree(1, 2, 1, prefix=fmt))
            result = cli(
                "apply",
                fmt,
                "--auto-approve",
                "--force",
                "--format",
                fmt,
                target=base,
                LINKEDIN_ACCESS_TOKEN=token,
            )
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
        plan = cli("plan", "human", "--out", "plan.json", target=base, LINKEDIN_ACCESS_TOKEN=token)
        outputs.append(plan.output)
    emulator.close()
    journals = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / ".reconciler").rglob("*.jsonl"))
    assert journals and "plan.json" in str(list(tmp_path.iterdir()))
    for text in [*outputs, journals, (tmp_path / "plan.json").read_text(encoding="utf-8")]:
        assert token not in text
        assert token[:12] not in text


def test_an_unwritable_journal_stops_the_apply_before_any_write(tmp_path: Path) -> None:
    (tmp_path / ".reconciler").mkdir()
    (tmp_path / ".reconciler" / "journal").write_text("not a directory", encoding="utf-8")
    result = cli("apply", QUICKSTART, "--auto-approve")
    assert result.exit_code == 1 and "cannot write the apply journal" in result.stderr
    assert cli("plan", QUICKSTART, "--detailed-exitcode").exit_code == 2


def test_plan_notes_a_message_content_an_interrupted_apply_sent_unanswered(tmp_path: Path) -> None:
    """A journal says an InMail content create was sent and its answer never recorded: plan shows
    apply's note in every format, once for that creative, and saves it in the plan's notes."""
    root = made(tmp_path / "project")
    assert cli("plan", str(root), "--out", "plan.json").exit_code == 0
    plan = json.loads(Path("plan.json").read_text(encoding="utf-8"))
    [message] = [c for c in plan["changes"] if c["path"][-1] == "Message"]
    address = " / ".join(message["path"])
    mark = content_key(
        int(message["path"][0]), Item(0, address, "Message", message["body"]["content"]["managed"])
    )
    journal = tmp_path / ".reconciler" / "journal"
    journal.mkdir(parents=True)
    header = {"type": "run", "run": "20270101T000000000000Z-1", "target": EMBEDDED, "changes": []}
    sent = {"type": "inmail", "address": address, "mark": mark}
    (journal / "20270101T000000000000Z-1.jsonl").write_text(
        json.dumps(header) + "\n" + json.dumps(sent) + "\n"
    )
    note = f"{address}: an earlier apply was stopped while creating its InMail content, before its answer"
    shown = json.loads(cli("plan", str(root), "--format", "json").stdout)
    assert [n for n in shown["notes"] if UNREFERENCED in n] == [
        note + " was read, so an unreferenced copy may exist in account 500000001; it never serves nor "
        "spends (no creative references it), and LinkedIn offers no way to look it up; applying this "
        "plan makes another"
    ]
    assert cli("plan", str(root)).stdout.count(note) == 1
    assert cli("plan", str(root), "--format", "markdown").stdout.count(UNREFERENCED) == 1
    header["target"] = "another target"
    (journal / "20270101T000000000000Z-1.jsonl").write_text(
        json.dumps(header) + "\n" + json.dumps(sent) + "\n"
    )
    assert UNREFERENCED not in cli("plan", str(root)).stdout


def test_processing_timeout_bounds_the_wait_for_a_video_linkedin_never_finishes(tmp_path: Path) -> None:
    """A video LinkedIn keeps processing (10 minutes here) fails its creative once
    --processing-timeout (or RECONCILER_PROCESSING_TIMEOUT) has passed, not after the default 600 s."""
    emulator = open_emulator(None, settings=Settings(media_processing_ms=600_000))
    root = str(made(tmp_path / "project"))
    with served(emulator) as base:
        began = time.monotonic()
        result = cli("apply", root, "--auto-approve", "--processing-timeout", "0.2", target=base)
        assert result.exit_code == 1, result.output
        assert (
            "demo.mp4 still processing at LinkedIn after 0.2 s (the most apply waits: --processing-timeout)"
            in (result.output)
        )
        again = cli("apply", root, "--auto-approve", target=base, RECONCILER_PROCESSING_TIMEOUT="0")
        assert again.exit_code == 1 and "demo.mp4 still processing at LinkedIn after 0 s" in again.output
        assert time.monotonic() - began < 60  # the default would have waited 600 s each
        bad = cli("apply", root, "--auto-approve", target=base, RECONCILER_PROCESSING_TIMEOUT="soon")
        assert bad.exit_code == 1
        assert "RECONCILER_PROCESSING_TIMEOUT: give a number of seconds" in bad.stderr
    emulator.close()


def test_processing_timeout_is_in_the_help() -> None:
    assert "--processing-timeout" in cli("apply", "--help", COLUMNS="200").stdout
