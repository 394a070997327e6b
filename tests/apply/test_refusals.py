"""A write LinkedIn refuses for scope, role or tier (issue 19, item 3): the apply reports what LinkedIn
said and what it means, and stops there like an interrupt (summary, journal end record), writing
nothing after the refusal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.emulator import Emulator, open_emulator
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
