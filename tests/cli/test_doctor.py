"""``reconciler doctor``: target, version and sunset, token, roles per account, plan cost; JSON
output valid against ``schemas/doctor.schema.json``; exit 1 when the manifests need what is missing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner, Result

from reconciler.cli import app
from reconciler.emulator import open_emulator
from tests.apply.helpers import served

ROOT = Path(__file__).parents[2]
QUICKSTART = str(ROOT / "examples" / "quickstart")
SCHEMA = json.loads((ROOT / "reconciler" / "schemas" / "doctor.schema.json").read_text(encoding="utf-8"))
CLEAN = {"LINKEDIN_ACCESS_TOKEN": None, "LINKEDIN_CLIENT_ID": None, "LINKEDIN_REFRESH_TOKEN": None}
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_a_fresh_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def doctor(*args: str, target: str = "emulator", **env: str | None) -> Result:
    return runner.invoke(app, ["doctor", *args], env={**CLEAN, "RECONCILER_TARGET": target, **env})


def as_json(result: Result) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    return document


@pytest.fixture
def viewer() -> Iterator[str]:
    emulator = open_emulator(None)
    emulator.config.settings.role = "VIEWER"
    with served(emulator) as base:
        yield base
    emulator.close()


def test_the_embedded_emulator_is_ready_and_the_json_fits_its_schema() -> None:
    result = doctor(QUICKSTART, "--format", "json")
    assert result.exit_code == 0, result.output
    report = as_json(result)
    assert report["ok"] and report["token"] == "works" and report["sunset"]
    assert report["accounts"] == [
        {
            "id": 500000001,
            "role": "ACCOUNT_MANAGER",
            "may_write": ["campaignGroup", "campaign", "creative"],
            "missing": [],
        }
    ]
    assert report["plan"]["changes"] == 6 and report["plan"]["calls"] >= 1
    assert report["introspected"] and "rw_ads" in report["scopes"] and report["token_expires_at"]
    page = {"organization": "urn:li:organization:2414183", "roles": ["ADMINISTRATOR"], "may_sponsor": True}
    assert report["pages"] == [page]
    human = doctor(QUICKSTART)
    assert (
        "API version:" in human.stdout and "(sunset 20" in human.stdout and "Ready to apply." in human.stdout
    )


def test_a_viewer_is_shown_and_exits_1(viewer: str) -> None:
    result = doctor(QUICKSTART, target=viewer)
    assert result.exit_code == 1
    assert "Account 500000001: VIEWER; may write nothing (read only)" in result.stdout
    assert "missing: ad account 500000001: the token's member is VIEWER" in result.stdout
    report = as_json(doctor(QUICKSTART, "--format", "json", target=viewer))
    assert report["accounts"][0]["missing"] == ["campaignGroup", "campaign", "creative"] and not report["ok"]


def test_without_paths_every_account_of_the_member_is_listed(viewer: str) -> None:
    result = doctor("--format", "json", target=viewer)
    assert result.exit_code == 0, result.output
    report = as_json(result)
    assert [(a["id"], a["role"], a["missing"]) for a in report["accounts"]] == [(500000001, "VIEWER", [])]
    assert report["plan"] is None


def test_a_refused_token_exits_1_without_showing_it(tmp_path: Path) -> None:
    emulator = open_emulator(None, tokens=["the-right-token"])
    with served(emulator) as base:
        result = doctor(
            QUICKSTART, "--format", "json", target=base, LINKEDIN_ACCESS_TOKEN="a-wrong-token-123"
        )
    emulator.close()
    assert result.exit_code == 1
    report = as_json(result)
    assert report["token"] == "refused" and "a-wrong-token-123" not in result.output


def test_a_token_without_rw_ads_is_shown_with_its_expiry_and_exits_1() -> None:
    emulator = open_emulator(None)
    emulator.config.settings.scopes = frozenset({"r_ads"})
    with served(emulator) as base:
        human = doctor(QUICKSTART, target=base)
        report = as_json(doctor(QUICKSTART, "--format", "json", target=base))
        listed = as_json(doctor("--format", "json", target=base))
    emulator.close()
    assert human.exit_code == 1
    assert "Scopes:       r_ads (no rw_ads: read only)" in human.stdout and "Expires:      20" in human.stdout
    assert "missing: the token lacks the rw_ads scope" in human.stdout
    assert report["scopes"] == ["r_ads"] and not report["ok"] and report["token_expires_at"].startswith("20")
    assert listed["ok"] and listed["scopes"] == ["r_ads"]  # reading needs no write scope


def test_without_client_credentials_scopes_are_not_checked(viewer: str) -> None:
    result = doctor("--format", "json", target=viewer, LINKEDIN_ACCESS_TOKEN="a-member-token-4")
    report = as_json(result)
    assert not report["introspected"] and report["scopes"] is None and report["token_expires_at"] is None
    human = doctor(target=viewer, LINKEDIN_ACCESS_TOKEN="a-member-token-4")
    assert "Scopes:       not checked (set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET" in human.stdout


def test_the_schema_is_shipped_once_and_named_like_the_others() -> None:
    """The repository's copy is the packaged one; its ``$id`` is a name (a URL would look fetchable)."""
    shipped = json.loads((ROOT / "schemas" / "doctor.schema.json").read_text(encoding="utf-8"))
    assert shipped == SCHEMA and SCHEMA["$id"].startswith("urn:uuid:")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
