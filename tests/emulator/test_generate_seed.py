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


def _seeded_creative(**fields: object) -> dict[str, object]:
    account = f"urn:li:sponsoredAccount:{ACCOUNT}"
    campaign = {"id": 300, "account": account, "campaignGroup": "urn:li:sponsoredCampaignGroup:600"}
    creative = {
        "id": "urn:li:sponsoredCreative:1",
        "account": account,
        "campaign": "urn:li:sponsoredCampaign:300",
    }
    return {
        "adCampaignGroups": [{"id": 600, "account": account, "name": "G", "status": "ACTIVE"}],
        "adCampaigns": [campaign],
        "creatives": [{**creative, **fields}],
    }


def _seeded_user(**fields: object) -> dict[str, object]:
    account = f"urn:li:sponsoredAccount:{ACCOUNT}"
    user = {"user": "urn:li:person:abc", "role": "ACCOUNT_MANAGER", "account": account}
    return {"adAccountUsers": [{**user, **fields}]}


def _nested(levels: int) -> list[object]:
    value: list[object] = []
    for _ in range(levels - 1):
        value = [value]
    return value


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
        # What the emulator reads inside an entity has its JSON type, or every read of it would fail.
        ({"adAccounts": [{"id": 7, "servingStatuses": ["BILLING_HOLD", {"a": 1}]}]}, r"servingStatuses\[1\]"),
        (_seeded_creative(servingHoldReasons=[["UNDER_REVIEW"]]), r"servingHoldReasons\[0\]"),
        (_seeded_creative(review={"status": {"a": 1}}), r"review\.status"),
        (_seeded_creative(review="APPROVED"), r"\.review: expected an object"),
        (_seeded_creative(leadgenCallToAction="urn:li:adForm:1"), "leadgenCallToAction"),
        (_seeded_creative(content={"reference": ["urn:li:share:1"]}), r"content\.reference"),
        (_seeded_creative(campaign=5), "campaign: expected a string"),
        ({"adAccounts": [{"id": 7, "x": _nested(65)}]}, "nesting deeper than 64 levels"),
        # Account users are answered by the adAccountUsers finder: what cannot be answered is refused.
        (_seeded_user(role={"a": 1}), "role must be one of"),
        (_seeded_user(x=_nested(65)), r"adAccountUsers\[0\]: nesting deeper than 64 levels"),
        (_seeded_user(changeAuditStamps={"created": {"time": 2**70}}), "64-bit range"),
        (_seeded_user(x="a\ud800"), "surrogates not allowed"),
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


def test_a_seed_file_nesting_past_the_parser_is_refused(emu: Emulator, tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"adAccounts": [{"id": 7, "x": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    with pytest.raises(ValueError, match="nesting deeper than 64 levels"):
        seed_file(emu, path)


def test_a_seeded_entity_with_null_audit_stamps_can_be_updated(emu: Emulator) -> None:
    group = {"id": 600, "account": f"urn:li:sponsoredAccount:{ACCOUNT}", "name": "G", "status": "ACTIVE"}
    schedule = {"start": NOW + 86_400_000}
    seed_entities(emu, {"adCampaignGroups": [{**group, "runSchedule": schedule, "changeAuditStamps": None}]})
    sent = call(
        emu,
        "POST",
        f"{coll('adCampaignGroups')}/600",
        {"patch": {"$set": {"name": "H"}}},
        method="PARTIAL_UPDATE",
    )
    assert sent.status == 204, sent.body
    assert call(emu, "GET", f"{coll('adCampaignGroups')}/600").json()["changeAuditStamps"]["lastModified"]
