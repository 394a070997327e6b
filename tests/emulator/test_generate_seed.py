"""Generation of large accounts and seeding from API-shaped JSON."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from reconciler.emulator import Emulator, generate_account, open_emulator, seed_entities, seed_file
from reconciler.emulator.rules import limits
from reconciler.emulator.rules.accounts import default_group_id
from reconciler.emulator.store import Kind
from tests.emulator.helpers import ACCOUNT, NOW, call, coll, group_body

DATA = Path(__file__).parent.parent / "data" / "recorded"


def test_generated_account_respects_every_limit(emu: Emulator) -> None:
    made = generate_account(emu, groups=4, campaigns=200, creatives=600)
    assert (len(made.groups), len(made.campaigns), len(made.creatives)) == (4, 200, 600)
    store = emu.store
    campaigns = [c for _, c in store.scan(Kind.CAMPAIGN, ACCOUNT)]
    creatives = [c for _, c in store.scan(Kind.CREATIVE, ACCOUNT)]
    assert sum(limits.campaign_is_active(c, NOW) for c in campaigns) <= limits.MAX_ACTIVE_CAMPAIGNS
    per_campaign = Counter(c["campaign"] for c in creatives)
    active = Counter(c["campaign"] for c in creatives if c["intendedStatus"] == "ACTIVE")
    assert max(per_campaign.values()) <= 100 and max(active.values()) <= 15
    assert Counter(c["campaignGroup"] for c in campaigns).most_common(1)[0][1] == 50


def test_generated_entities_are_valid_for_the_emulators_own_rules(emu: Emulator) -> None:
    made = generate_account(emu, groups=2, campaigns=25, creatives=50)
    for key in made.campaigns:
        got = call(emu, "GET", f"{coll('adCampaigns')}/{key}").json()
        assert got["version"]["versionTag"] == "1" and got["servingStatuses"]
        if got["status"] in ("ACTIVE", "PAUSED", "DRAFT"):
            patch = {"patch": {"$set": {"name": got["name"] + " (renamed)"}}}
            answer = call(emu, "POST", f"{coll('adCampaigns')}/{key}", patch, method="PARTIAL_UPDATE")
            assert answer.status == 204, answer.body


def test_generation_is_deterministic_per_seed() -> None:
    one = generate_account(open_emulator(None, seed=9), groups=2, campaigns=5, creatives=5)
    two = generate_account(open_emulator(None, seed=9), groups=2, campaigns=5, creatives=5)
    assert (one.groups, one.campaigns, one.creatives) == (two.groups, two.campaigns, two.creatives)


def test_generation_creates_a_missing_account(emu: Emulator) -> None:
    made = generate_account(emu, 512_000_001, groups=1, campaigns=1, creatives=1)
    groups = call(emu, "GET", f"{coll('adCampaignGroups', made.account)}?q=search&search=()", method="FINDER")
    assert sorted(g["name"] for g in groups.json()["elements"]) == [
        "Default Campaign Group",
        "Generated group 000",
    ]


@pytest.mark.parametrize(
    "sizes",
    [
        {"groups": 1, "campaigns": 5001, "creatives": 0},
        {"groups": 1, "campaigns": 2001, "creatives": 0},
        {"groups": 1, "campaigns": 0, "creatives": 1},
        {"groups": 1, "campaigns": 1, "creatives": 101},
        {"groups": 1, "campaigns": 200, "creatives": 15001},
    ],
)
def test_generation_refuses_sizes_past_the_limits(emu: Emulator, sizes: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        generate_account(emu, **sizes)


def test_seed_keeps_ids_and_reads_back_as_given(emu: Emulator) -> None:
    report = seed_file(emu, DATA / "seed-507404993.json")
    assert (report.accounts, report.groups, report.campaigns, report.creatives) == (1, 2, 3, 2)
    account = call(emu, "GET", "/rest/adAccounts/507404993").json()
    assert account["version"] == {"versionTag": "7"}
    creative = call(
        emu, "GET", f"{coll('creatives', 507404993)}/urn%3Ali%3AsponsoredCreative%3A1234567"
    ).json()
    assert creative["isServing"] is True and creative["account"] == "urn:li:sponsoredAccount:507404993"


def test_seed_recognises_the_default_group_and_raises_id_counters(emu: Emulator) -> None:
    seed_file(emu, DATA / "seed-507404993.json")
    body = group_body(account="urn:li:sponsoredAccount:507404993", status="DRAFT")
    created = call(emu, "POST", coll("adCampaignGroups", 507404993), body, method="CREATE")
    assert int(created.headers["x-restli-id"]) > 615230444
    assert default_group_id(emu.store, 507404993) == 615230443


def test_seed_accepts_finder_and_batch_get_responses(emu: Emulator) -> None:
    group = {"id": 600, "account": f"urn:li:sponsoredAccount:{ACCOUNT}", "name": "G", "status": "DRAFT"}
    report = seed_entities(emu, {"adCampaignGroups": {"elements": [group]}})
    assert report.groups == 1
    report = seed_entities(emu, {"adCampaignGroups": {"results": {"601": {**group, "id": 601}}}})
    assert report.groups == 1
    assert call(emu, "GET", f"{coll('adCampaignGroups')}/601").status == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"campaigns": []}, "unknown seed sections"),
        ({"adAccounts": [{"name": "no id"}]}, "invalid id"),
        ({"adCampaignGroups": [{"id": 1, "account": "urn:li:sponsoredAccount:42"}]}, "is not seeded"),
        ({"adCampaigns": [{"id": 1, "account": f"urn:li:sponsoredAccount:{ACCOUNT}"}]}, "campaignGroup"),
        (
            {
                "creatives": [
                    {"id": "urn:li:sponsoredCreative:1", "account": f"urn:li:sponsoredAccount:{ACCOUNT}"}
                ]
            },
            "campaign",
        ),
        ({"adAccounts": {"oops": 1}}, "expected a list"),
    ],
)
def test_inconsistent_seeds_are_refused(emu: Emulator, data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        seed_entities(emu, data)


def test_seed_file_must_hold_an_object(emu: Emulator, tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps([1, 2]))
    with pytest.raises(ValueError):
        seed_file(emu, path)
