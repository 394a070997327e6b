"""``reconciler emulator serve|seed`` through typer, and ``serve`` as a real process."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from reconciler.emulator import open_emulator
from reconciler.emulator.cli import app
from reconciler.emulator.store import Kind
from tests.emulator.helpers import ACCOUNT, campaign_body, creative_body, group_body, headers

DATA = Path(__file__).parent.parent / "data" / "recorded"
REPO = Path(__file__).parents[2]
runner = CliRunner()


def test_help_documents_every_serve_option() -> None:
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--db",
        "--latency-ms",
        "--throttle-rate",
        "--error-rate",
        "--commit-then-fail-rate",
        "--seed",
        "--request-log",
        "--active-versions",
        "--tokens",
        "--tokens-file",
        "--review-seconds",
        "--reject-rate",
        "--role",
        "--scopes",
        "--tier",
        "--media-processing-seconds",
        "--media-fail-rate",
    ):
        assert option in result.output


def test_serve_refuses_an_unknown_role_or_tier_in_one_line() -> None:
    role = runner.invoke(app, ["serve", "--memory", "--port", "0", "--role", "OWNER"])
    assert role.exit_code == 1 and "--role must be one of" in role.output
    tier = runner.invoke(app, ["serve", "--memory", "--port", "0", "--tier", "gold"])
    assert tier.exit_code == 1 and "--tier must be standard or development" in tier.output


def test_seed_from_file_then_generate(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite"
    loaded = runner.invoke(app, ["seed", "--db", str(db), "--from", str(DATA / "seed-507404993.json")])
    assert loaded.exit_code == 0, loaded.output
    assert "1 accounts, 2 groups, 3 campaigns, 2 creatives" in loaded.output
    made = runner.invoke(
        app,
        ["seed", "--db", str(db), "--generate", "--groups", "3", "--campaigns", "30", "--creatives", "60"],
    )
    assert made.exit_code == 0, made.output
    emu = open_emulator(db)
    counts = emu.store.count
    assert (
        counts(Kind.CAMPAIGN, 507404993),
        counts(Kind.CAMPAIGN, ACCOUNT),
        counts(Kind.CREATIVE, ACCOUNT),
    ) == (3, 30, 60)
    emu.close()


def test_seed_needs_exactly_one_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["seed", "--db", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 1 and "exactly one of" in result.output


def test_seed_reports_an_inconsistent_file_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"adCampaigns": [{"id": 1, "account": "urn:li:sponsoredAccount:9"}]}))
    result = runner.invoke(app, ["seed", "--db", str(tmp_path / "x.sqlite"), "--from", str(bad)])
    assert result.exit_code == 1 and "error:" in result.output and "Traceback" not in result.output


def test_serve_runs_as_a_process(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("secret-token-123\n")
    command = [
        sys.executable,
        "-c",
        "from reconciler.emulator.cli import app; app()",
        "serve",
        "--port",
        "0",
        "--db",
        str(tmp_path / "served.sqlite"),
        "--tokens-file",
        str(tokens),
        "--request-log",
        str(tmp_path / "log.jsonl"),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        base = banner.split(" on ")[1].split("/rest/")[0]
        ok = httpx.get(
            f"{base}/rest/adAccounts/{ACCOUNT}", headers=headers(Authorization="Bearer secret-token-123")
        )
        assert ok.status_code == 200
        assert httpx.get(f"{base}/rest/adAccounts/{ACCOUNT}", headers=headers()).status_code == 401
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert "secret-token-123" not in banner + out + err
    assert "secret-token-123" not in (tmp_path / "log.jsonl").read_text()


def test_a_busy_port_gets_one_line_suggesting_port_zero() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--memory", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (
        f"error: port {port} on 127.0.0.1 is already in use (another emulator or server is listening "
        "there); choose another with --port N, or --port 0 to pick a free one\n"
    )


def test_served_creatives_sit_under_review_for_review_seconds(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "from reconciler.emulator.cli import app; app()", "serve", "--port", "0"]
    command += ["--memory", "--review-seconds", "3600", "--reject-rate", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start = (int(time.time()) + 3600) * 1000
    try:
        assert process.stdout is not None
        base = process.stdout.readline().split(" on ")[1].split("/rest/")[0]
        with httpx.Client(base_url=base, headers=headers()) as http:
            schedule = {"start": start, "end": start + 30 * 86_400_000}
            group = _made(http, "adCampaignGroups", group_body(runSchedule=schedule))
            campaign = _made(http, "adCampaigns", campaign_body(group, runSchedule={"start": start}))
            creative = _made(http, "creatives", creative_body(campaign))
            got = http.get(f"/rest/adAccounts/{ACCOUNT}/creatives/urn%3Ali%3AsponsoredCreative%3A{creative}")
        assert got.json()["review"]["status"] == "PENDING"
        assert "UNDER_REVIEW" in got.json()["servingHoldReasons"]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_served_media_process_for_media_processing_seconds() -> None:
    command = [sys.executable, "-c", "from reconciler.emulator.cli import app; app()", "serve", "--port", "0"]
    command += ["--memory", "--media-processing-seconds", "3600"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base = process.stdout.readline().split(" on ")[1].split("/rest/")[0]
        with httpx.Client(base_url=base, headers=headers()) as http:
            body = {"initializeUploadRequest": {"owner": "urn:li:organization:1"}}
            value = http.post("/rest/images?action=initializeUpload", json=body).json()["value"]
            assert value["uploadUrl"].startswith(f"{base}/dms-uploads/")
            assert httpx.put(value["uploadUrl"], content=b"\x89PNG\r\n\x1a\n").status_code == 201
            got = http.get(f"/rest/images/{value['image'].replace(':', '%3A')}")
        assert got.json()["status"] == "PROCESSING"
    finally:
        process.terminate()
        process.communicate(timeout=10)


def _made(http: httpx.Client, name: str, body: dict[str, object]) -> int:
    made = http.post(f"/rest/adAccounts/{ACCOUNT}/{name}", json=body, headers={"X-RestLi-Method": "CREATE"})
    assert made.status_code == 201, made.text
    return int(made.headers["x-restli-id"].rsplit(":", 1)[-1])
