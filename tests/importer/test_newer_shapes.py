"""An account as a later API version returns it, seeded with `emulator seed --from` and read over a
served emulator's socket: unknown fields holding objects, a new content kind, a targeting facet, enum
values and holds this model does not know, review objects, member URNs in audit stamps, a creative
without a name. `import`, `plan` and `drift` read it all: each entity is listed, the ones holding
unknown values are left alone, and a token planted in those values is shown nowhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from reconciler.cli import app
from reconciler.emulator import open_emulator, serve_in_thread

TOKEN = "AQV-planted-token-8d1f2c9e4a"
ACCOUNT, GROUP = 508000001, 608000001
ODD, FORMAT, SETTINGS = 308000001, 308000002, 308000003
ACCOUNT_URN = f"urn:li:sponsoredAccount:{ACCOUNT}"
GROUP_URN = f"urn:li:sponsoredCampaignGroup:{GROUP}"
START = {"start": 1_800_000_000_000}
STAMPS = {
    "created": {"actor": "urn:li:member:123456", "time": 1_700_000_000_000},
    "lastModified": {"actor": "urn:li:member:654321", "time": 1_700_000_100_000},
}
ENV = {
    "LINKEDIN_ACCESS_TOKEN": TOKEN,
    "LINKEDIN_CLIENT_ID": None,
    "LINKEDIN_CLIENT_SECRET": None,
    "LINKEDIN_REFRESH_TOKEN": None,
    "RECONCILER_TARGET": None,
}


def _campaign(cid: int, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "account": ACCOUNT_URN,
        "campaignGroup": GROUP_URN,
        "name": name,
        "status": "ACTIVE",
        "type": "SPONSORED_UPDATES",
        "costType": "CPM",
        "objectiveType": "BRAND_AWARENESS",
        "dailyBudget": {"amount": "50", "currencyCode": "USD"},
        "locale": {"country": "US", "language": "en"},
        "runSchedule": START,
        "offsiteDeliveryEnabled": False,
        "politicalIntent": "NOT_POLITICAL",
        "associatedEntity": "urn:li:organization:2414183",
        "changeAuditStamps": STAMPS,
        **extra,
    }


def _creative(rid: int, campaign: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"urn:li:sponsoredCreative:{rid}",
        "account": ACCOUNT_URN,
        "campaign": f"urn:li:sponsoredCampaign:{campaign}",
        "intendedStatus": "ACTIVE",
        "content": {"reference": f"urn:li:share:{rid}"},
        "createdBy": "urn:li:member:123456",
        "lastModifiedBy": "urn:li:member:654321",
        "createdAt": 1_700_000_000_000,
        "lastModifiedAt": 1_700_000_100_000,
        **extra,
    }


SEED = {
    "adAccounts": [
        {
            "id": ACCOUNT,
            "name": "Later",
            "currency": "USD",
            "status": "ACTIVE",
            "type": "BUSINESS",
            "servingStatuses": ["ACCOUNT_FUTURE_HOLD"],
            "laterAccountSettings": {"nested": [{"a": 1}]},
        }
    ],
    "adCampaignGroups": [
        {
            "id": GROUP,
            "account": ACCOUNT_URN,
            "name": "Always on",
            "status": "ACTIVE",
            "runSchedule": START,
            "changeAuditStamps": STAMPS,
            "laterGroupField": {"x": [1, 2, {"y": None}]},
            "budgetOptimization": {f"laterStrategy{TOKEN}": {"k": 1}},
        }
    ],
    "adCampaigns": [
        _campaign(
            ODD,
            "Odd",
            targetingCriteria={
                "include": {
                    "and": [
                        {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}},
                        {"or": {"urn:li:adTargetingFacet:laterFacet": [{"complex": TOKEN}]}},
                    ]
                }
            },
            associatedEntityInfo={"organization": {"name": "Acme"}},
            servingStatuses=["CAMPAIGN_FUTURE_HOLD"],
            laterField={"deep": {"deeper": [1, {"x": TOKEN}]}},
        ),
        _campaign(FORMAT, "Format", status=f"ON_HOLD_{TOKEN}", format="IMMERSIVE_VIDEO"),
        _campaign(SETTINGS, "Settings", pacingStrategy="EVEN_LATER", creativeSelection="LATER_ROTATION"),
    ],
    "creatives": [
        _creative(
            108000001,
            ODD,
            intendedStatus="PAUSED",  # with the campaign's unlisted hold: two holds to order
            review={"status": "LATER_REVIEW_STATE", "rejectionReasons": [{"code": "X"}], "extra": {"a": 1}},
            servingHoldReasons=["CREATIVE_FUTURE_HOLD"],
            inlineContent={"post": {"commentary": TOKEN}},
        ),
        _creative(
            108000002, ODD, name="New kind", content={f"immersiveAd{TOKEN}": {"media": "urn:li:video:1"}}
        ),
        _creative(108000003, FORMAT, review={"status": "REJECTED", "rejectionReasons": ["OTHER"]}),
        _creative(108000004, SETTINGS, name="Named"),
        # Searched for by no status, a creative in a status of a later version is read (and left
        # alone), not missed and made again; a CANCELED one, which such a search hides, is read too.
        _creative(108000005, SETTINGS, name="Hero", intendedStatus="LATER_STATUS"),
        _creative(108000006, SETTINGS, name="Canceled", intendedStatus="CANCELED"),
    ],
}
runner = CliRunner()


@pytest.fixture
def target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A served emulator holding SEED (loaded by `emulator seed --from`); its URL."""
    monkeypatch.chdir(tmp_path)
    Path("seed.json").write_text(json.dumps(SEED), encoding="utf-8")
    seeded = runner.invoke(app, ["emulator", "seed", "--db", "emu.sqlite", "--from", "seed.json"])
    assert seeded.exit_code == 0, seeded.output
    Path("seed.json").unlink()  # only what the CLI writes is searched for the token below
    emulator = open_emulator("emu.sqlite")
    server, base = serve_in_thread(emulator)
    try:
        yield base + "/rest"
    finally:
        server.shutdown()
        server.server_close()
        emulator.close()


def cli(*args: str, url: str) -> Result:
    return runner.invoke(app, [*args, "--target", url], env=ENV)


def written(root: Path) -> str:
    """Every file the commands wrote (manifests, plan files), not the emulator's database."""
    found = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith("emu.sqlite")]
    return "\n".join(p.read_text("utf-8", "replace") for p in found)


def test_a_newer_account_imports_plans_and_drifts_with_every_entity_listed(
    target: str, tmp_path: Path
) -> None:
    imported = cli("import", "--account", str(ACCOUNT), "--out", "imported", url=target)
    plan = cli("plan", "imported", "--detailed-exitcode", "--out", "plan.json", url=target)
    drift = cli("drift", "imported", "--out", "revert.json", url=target)

    assert imported.exit_code == 0, imported.output
    assert plan.exit_code == 0, plan.output
    assert drift.exit_code == 0, drift.output
    for line in (
        f"campaign group {GROUP}: unknown budgetOptimization",
        f"campaign {ODD}: unknown targetingCriteria",
        f"campaign {FORMAT}: unknown status 'ON_HOLD_***', format 'IMMERSIVE_VIDEO'",
        f"campaign {SETTINGS}: unknown creativeSelection 'LATER_ROTATION', pacingStrategy 'EVEN_LATER'",
        "creative 108000002: unknown content '{immersiveAd***}'",
        "2 creatives without a name at LinkedIn",
        "creative 108000005: unknown intendedStatus 'LATER_STATUS'",
    ):
        assert line in imported.output
    for line in (
        f"Always on (id {GROUP}): unknown budgetOptimization '{{laterStrategy***}}': not managed",
        f"Format (id {FORMAT}): unknown status 'ON_HOLD_***', format 'IMMERSIVE_VIDEO': not managed",
        f"Settings (id {SETTINGS}): unknown creativeSelection 'LATER_ROTATION'",
        "Creative 108000003 (id 108000003): REJECTED in LinkedIn's review",
    ):
        assert line in plan.output
    files = written(tmp_path)
    assert "Creative 108000001" in files and "New kind" in files and "name: Named" in files
    assert "name: Hero\n" in files and "id: 108000005" in files
    assert "Hero (id 108000005): unknown intendedStatus 'LATER_STATUS': not managed" in plan.output
    assert TOKEN not in imported.output + plan.output + drift.output
    assert TOKEN not in files
    assert "urn:li:member:" not in files  # member data stays out of files
