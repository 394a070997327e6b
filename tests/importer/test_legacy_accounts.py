"""Accounts as LinkedIn really holds them, end to end on the embedded emulator: creatives made before
creatives had names (202410), and a campaign in a status this model does not know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.workflows.support import cli

ACCOUNT = 507000001
GROUP, HELD, RUNNING = 607000001, 307000001, 307000002
SCHEDULE = {"start": 1_800_000_000_000}


def _campaign(cid: int, name: str, status: str) -> dict[str, object]:
    return {
        "id": cid,
        "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
        "campaignGroup": f"urn:li:sponsoredCampaignGroup:{GROUP}",
        "name": name,
        "status": status,
        "type": "SPONSORED_UPDATES",
        "costType": "CPM",
        "objectiveType": "BRAND_AWARENESS",
        "dailyBudget": {"amount": "50", "currencyCode": "USD"},
        "locale": {"country": "US", "language": "en"},
        "runSchedule": SCHEDULE,
        "offsiteDeliveryEnabled": False,
        "politicalIntent": "NOT_POLITICAL",
    }


def _creative(rid: int, campaign: int, **extra: object) -> dict[str, object]:
    # No "name": the field came in 202410, and older creatives read back without one.
    return {
        "id": f"urn:li:sponsoredCreative:{rid}",
        "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
        "campaign": f"urn:li:sponsoredCampaign:{campaign}",
        "intendedStatus": "ACTIVE",
        "content": {"reference": f"urn:li:share:{rid}"},
        **extra,
    }


SEED = {
    "adAccounts": [
        {"id": ACCOUNT, "name": "Legacy", "currency": "USD", "status": "ACTIVE", "type": "BUSINESS"}
    ],
    "adCampaignGroups": [
        {
            "id": GROUP,
            "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
            "name": "Always on",
            "status": "ACTIVE",
            "runSchedule": SCHEDULE,
        }
    ],
    "adCampaigns": [_campaign(HELD, "Held", "ON_HOLD"), _campaign(RUNNING, "Running", "ACTIVE")],
    "creatives": [_creative(107000001, RUNNING), _creative(107000002, RUNNING), _creative(107000003, HELD)],
}


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory whose embedded emulator holds SEED, loaded by `emulator seed --from`."""
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    monkeypatch.chdir(tmp_path)
    Path("seed.json").write_text(json.dumps(SEED), encoding="utf-8")
    result = cli("emulator", "seed", "--db", ".reconciler/emulator.sqlite", "--from", "seed.json")
    assert result.exit_code == 0, result.output
    return tmp_path


def test_unnamed_creatives_and_an_unknown_status_import_and_plan_empty(seeded: Path) -> None:
    imported = cli("import", "--account", str(ACCOUNT), "--out", "imported")
    plan = cli("plan", "imported", "--detailed-exitcode")

    assert imported.exit_code == 0, imported.output
    assert "3 creatives without a name at LinkedIn" in imported.output
    assert f"campaign {HELD}: unknown status 'ON_HOLD': written without it" in imported.output
    assert plan.exit_code == 0, plan.output
    assert f"Held (id {HELD}): unknown status 'ON_HOLD': not managed" in plan.output
    (group,) = yaml.safe_load(Path("imported/groups/always-on.yaml").read_text())["campaignGroups"]
    creatives = [r for c in group["campaigns"] for r in c["creatives"]]
    assert [(r["name"], r.get("localName")) for r in creatives] == [
        ("Creative 107000003", True),
        ("Creative 107000001", True),
        ("Creative 107000002", True),
    ]


def test_a_campaign_in_an_unknown_status_is_left_alone_by_a_plan_naming_it(seeded: Path) -> None:
    Path("m").mkdir()
    manifest = {
        "version": 1,
        "account": {"id": ACCOUNT, "currency": "USD"},
        "campaignGroups": [
            {
                "name": "Always on",
                "status": "ACTIVE",
                "runSchedule": {"start": "2027-01-15T08:00:00Z"},
                "campaigns": [
                    {
                        "name": "Held",
                        "status": "PAUSED",
                        "type": "SPONSORED_UPDATES",
                        "costType": "CPM",
                        "associatedEntity": "urn:li:organization:2414183",
                        "dailyBudget": "80 USD",
                        "locale": "en_US",
                        "runSchedule": {"start": "2027-01-15T08:00:00Z"},
                        "offsiteDeliveryEnabled": False,
                        "politicalIntent": "NOT_POLITICAL",
                        "targeting": {"include": [{"locations": ["urn:li:geo:103644278"]}]},
                    }
                ],
            }
        ],
    }
    Path("m/account.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")

    plan = cli("plan", "m", "--detailed-exitcode")

    assert plan.exit_code in (0, 2), plan.output
    assert f"Held (id {HELD}): unknown status 'ON_HOLD': not managed" in plan.output
    assert "Held" not in "".join(line for line in plan.output.splitlines() if line.lstrip().startswith("+"))
    assert "~ update campaign" not in plan.output or "/ Held" not in plan.output
