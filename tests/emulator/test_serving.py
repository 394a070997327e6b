"""Serving state over a real socket: holds cascade from account and group to campaigns and their
creatives, stated holds (billing, budget) are kept, and new creatives sit UNDER_REVIEW until their
review ends (``Settings.review_ms``, ``reject_rate``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.emulator import (
    Emulator,
    EmulatorConfig,
    Settings,
    SqliteStore,
    seed_entities,
    serve_in_thread,
)
from tests.emulator.helpers import (
    ACCOUNT,
    ACCOUNT_URN,
    DAY,
    NOW,
    campaign_body,
    coll,
    creative_body,
    group_body,
    headers,
)

HOUR = 3_600_000


@dataclass
class Served:
    """A served emulator, its clock (move ``now[0]``) and an httpx client on it."""

    emulator: Emulator
    http: httpx.Client
    now: list[int] = field(default_factory=lambda: [NOW])

    def create(self, name: str, body: dict[str, Any]) -> int:
        made = self.http.post(coll(name), json=body, headers={"X-RestLi-Method": "CREATE"})
        assert made.status_code == 201, made.text
        return int(made.headers["x-restli-id"].rsplit(":", 1)[-1])

    def patch(self, name: str, key: str, change: dict[str, Any]) -> None:
        sent = self.http.post(
            f"{coll(name)}/{key}",
            json={"patch": {"$set": change}},
            headers={"X-RestLi-Method": "PARTIAL_UPDATE"},
        )
        assert sent.status_code == 204, sent.text

    def get(self, name: str, key: str) -> dict[str, Any]:
        got = self.http.get(f"{coll(name)}/{key}")
        assert got.status_code == 200, got.text
        body: dict[str, Any] = got.json()
        return body

    def creative(self, key: int) -> dict[str, Any]:
        return self.get("creatives", f"urn%3Ali%3AsponsoredCreative%3A{key}")


def _serve(tmp_path: Path, settings: Settings) -> Iterator[Served]:
    now = [NOW]
    emulator = Emulator(
        SqliteStore(tmp_path / "s.sqlite"), EmulatorConfig(clock=lambda: now[0], settings=settings)
    )
    server, base = serve_in_thread(emulator)
    with httpx.Client(base_url=base, headers=headers()) as http:
        yield Served(emulator, http, now)
    server.shutdown()
    server.server_close()
    emulator.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    yield from _serve(tmp_path, Settings())


@pytest.fixture
def reviewed(tmp_path: Path) -> Iterator[Served]:
    yield from _serve(tmp_path, Settings(review_ms=HOUR))


def _tree(api: Served, **campaign: Any) -> tuple[int, int, int]:
    group = api.create(
        "adCampaignGroups", group_body(runSchedule={"start": NOW - HOUR, "end": NOW + 90 * DAY})
    )
    body = campaign_body(group, runSchedule={"start": NOW - HOUR, "end": NOW + 10 * DAY}, **campaign)
    made = api.create("adCampaigns", body)
    return group, made, api.create("creatives", creative_body(made))


def test_a_running_tree_serves(served: Served) -> None:
    group, campaign, creative = _tree(served)
    assert served.get("adCampaignGroups", str(group))["servingStatuses"] == ["RUNNABLE"]
    assert served.get("adCampaigns", str(campaign))["servingStatuses"] == ["RUNNABLE"]
    got = served.creative(creative)
    assert got["isServing"] is True and "servingHoldReasons" not in got
    assert got["review"] == {"status": "APPROVED", "rejectionReasons": []}


def test_a_paused_group_holds_its_campaigns_and_their_creatives(served: Served) -> None:
    group, campaign, creative = _tree(served)
    served.patch("adCampaignGroups", str(group), {"status": "PAUSED"})
    assert served.get("adCampaignGroups", str(group))["servingStatuses"] == ["STOPPED"]
    assert served.get("adCampaigns", str(campaign))["servingStatuses"] == ["CAMPAIGN_GROUP_STATUS_HOLD"]
    got = served.creative(creative)
    assert (got["isServing"], got["servingHoldReasons"]) == (False, ["CAMPAIGN_GROUP_STATUS_HOLD"])


def test_a_stopped_campaign_and_an_ended_one_hold_their_creatives(served: Served) -> None:
    _, campaign, creative = _tree(served)
    served.patch("adCampaigns", str(campaign), {"status": "PAUSED"})
    assert served.creative(creative)["servingHoldReasons"] == ["CAMPAIGN_STOPPED"]
    served.patch("adCampaigns", str(campaign), {"status": "ACTIVE"})
    assert served.creative(creative)["isServing"] is True  # judged now, and remembered until the end date
    served.now[0] = NOW + 11 * DAY  # past the campaign's end: no write, the clock alone changes it
    assert served.get("adCampaigns", str(campaign))["servingStatuses"] == ["CAMPAIGN_END_DATE_HOLD"]
    got = served.creative(creative)
    assert (got["isServing"], got["servingHoldReasons"]) == (False, ["CAMPAIGN_END_DATE_HOLD"])


def _account_seed(**account: Any) -> dict[str, Any]:
    key = 509000001
    urn = f"urn:li:sponsoredAccount:{key}"
    schedule = {"start": NOW - DAY}
    return {
        "adAccounts": [{"id": key, "name": "Held", "currency": "USD", "status": "ACTIVE", **account}],
        "adCampaignGroups": [
            {"id": 609000001, "account": urn, "name": "G", "status": "ACTIVE", "runSchedule": schedule}
        ],
        "adCampaigns": [
            {
                "id": 309000001,
                "account": urn,
                "campaignGroup": "urn:li:sponsoredCampaignGroup:609000001",
                "name": "Done",
                "status": "COMPLETED",
                "type": "SPONSORED_UPDATES",
                "runSchedule": {"start": NOW - 30 * DAY, "end": NOW - DAY},
            },
            {
                "id": 309000002,
                "account": urn,
                "campaignGroup": "urn:li:sponsoredCampaignGroup:609000001",
                "name": "Live",
                "status": "ACTIVE",
                "type": "SPONSORED_UPDATES",
                "runSchedule": schedule,
                "servingStatuses": ["CAMPAIGN_TOTAL_BUDGET_HOLD"],
            },
        ],
        "creatives": [
            {
                "id": f"urn:li:sponsoredCreative:{rid}",
                "account": urn,
                "campaign": f"urn:li:sponsoredCampaign:{cid}",
                "intendedStatus": "ACTIVE",
                "content": {"reference": "urn:li:share:1"},
                "review": {"status": "APPROVED", "rejectionReasons": []},
            }
            for rid, cid in ((109000001, 309000001), (109000002, 309000002))
        ],
    }


def test_a_creative_of_a_completed_campaign_is_not_serving_and_budget_holds_cascade(served: Served) -> None:
    seed_entities(served.emulator, _account_seed())
    scope = "/rest/adAccounts/509000001"
    found = served.http.get(
        f"{scope}/creatives?q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A309000001,"
        "urn%3Ali%3AsponsoredCampaign%3A309000002)",
        headers={"X-RestLi-Method": "FINDER"},
    ).json()["elements"]
    holds = {e["id"]: (e["isServing"], e["servingHoldReasons"]) for e in found}
    assert holds == {
        "urn:li:sponsoredCreative:109000001": (False, ["CAMPAIGN_STOPPED", "CAMPAIGN_END_DATE_HOLD"]),
        "urn:li:sponsoredCreative:109000002": (False, ["CAMPAIGN_TOTAL_BUDGET_HOLD"]),
    }
    done = served.http.get(f"{scope}/adCampaigns/309000001").json()
    assert done["servingStatuses"] == ["STOPPED", "CAMPAIGN_END_DATE_HOLD"]


def test_an_account_billing_hold_reaches_groups_campaigns_and_creatives(served: Served) -> None:
    seed_entities(served.emulator, _account_seed(servingStatuses=["BILLING_HOLD"]))
    scope = "/rest/adAccounts/509000001"
    assert served.http.get("/rest/adAccounts/509000001").json()["servingStatuses"] == ["BILLING_HOLD"]
    assert served.http.get(f"{scope}/adCampaignGroups/609000001").json()["servingStatuses"] == [
        "BILLING_HOLD"
    ]
    live = served.http.get(f"{scope}/adCampaigns/309000002").json()
    assert live["servingStatuses"] == ["CAMPAIGN_TOTAL_BUDGET_HOLD", "ACCOUNT_SERVING_HOLD"]
    creative = served.http.get(f"{scope}/creatives/urn%3Ali%3AsponsoredCreative%3A109000002").json()
    assert creative["servingHoldReasons"] == ["CAMPAIGN_TOTAL_BUDGET_HOLD", "ACCOUNT_SERVING_HOLD"]


def test_a_new_creative_sits_under_review_until_its_review_ends(reviewed: Served) -> None:
    _, _, creative = _tree(reviewed)
    got = reviewed.creative(creative)
    assert (got["isServing"], got["servingHoldReasons"]) == (False, ["UNDER_REVIEW"])
    assert got["review"] == {"status": "PENDING", "rejectionReasons": []} and "_review" not in got
    reviewed.now[0] = NOW + HOUR
    got = reviewed.creative(creative)
    assert (got["isServing"], got["review"]["status"]) == (True, "APPROVED")


def test_a_draft_creative_is_reviewed_once_it_leaves_draft(reviewed: Served) -> None:
    _, campaign, _ = _tree(reviewed)
    draft = reviewed.create("creatives", creative_body(campaign, intendedStatus="DRAFT", name="Later"))
    assert "review" not in reviewed.creative(draft)
    reviewed.patch("creatives", f"urn%3Ali%3AsponsoredCreative%3A{draft}", {"intendedStatus": "ACTIVE"})
    assert reviewed.creative(draft)["servingHoldReasons"] == ["UNDER_REVIEW"]


def test_with_reject_rate_one_every_review_ends_rejected(tmp_path: Path) -> None:
    for api in _serve(tmp_path, Settings(reject_rate=1.0)):
        _, _, creative = _tree(api)
        got = api.creative(creative)
        assert (got["isServing"], got["servingHoldReasons"]) == (False, ["REJECTED"])
        assert got["review"]["status"] == "REJECTED" and got["review"]["rejectionReasons"]


def test_holds_and_review_state_cannot_be_written(served: Served) -> None:
    _, _, creative = _tree(served)
    for field_ in ("servingHoldReasons", "_review", "review"):
        sent = served.http.post(
            f"{coll('creatives')}/urn%3Ali%3AsponsoredCreative%3A{creative}",
            json={"patch": {"$set": {field_: ["OK"]}}},
            headers={"X-RestLi-Method": "PARTIAL_UPDATE"},
        )
        assert sent.status_code == 400, field_
    assert ACCOUNT_URN.endswith(str(ACCOUNT))


def test_a_write_through_another_connection_is_seen_at_once(served: Served, tmp_path: Path) -> None:
    group, _, creative = _tree(served)
    assert served.creative(creative)["isServing"] is True
    other = Emulator(SqliteStore(tmp_path / "s.sqlite"), EmulatorConfig(clock=lambda: NOW))
    try:  # another process on the same database file pauses the group
        with httpx.Client(transport=other.transport(), base_url="https://api.linkedin.com") as http:
            sent = http.post(
                f"{coll('adCampaignGroups')}/{group}",
                json={"patch": {"$set": {"status": "PAUSED"}}},
                headers={**headers(), "X-RestLi-Method": "PARTIAL_UPDATE"},
            )
        assert sent.status_code == 204, sent.text
    finally:
        other.close()
    assert served.creative(creative)["servingHoldReasons"] == ["CAMPAIGN_GROUP_STATUS_HOLD"]


def test_serving_state_reads_the_same_in_every_request_form(served: Served) -> None:
    """Raw and encoded URNs, Rest.li 1.0 indexed criteria, a tunnelled finder: one answer."""
    group, campaign, creative = _tree(served)
    served.patch("adCampaignGroups", str(group), {"status": "PAUSED"})
    urn = f"urn:li:sponsoredCreative:{creative}"
    campaign_urn = f"urn%3Ali%3AsponsoredCampaign%3A{campaign}"
    plain = {k: v for k, v in headers().items() if k != "X-Restli-Protocol-Version"}
    answers = [
        served.http.get(f"{coll('creatives')}/{urn}").json(),  # raw URN in the path
        served.http.get(f"{coll('creatives')}/{urn.replace(':', '%3A')}").json(),
        served.http.get(
            f"{coll('creatives')}?q=criteria&campaigns[0]={campaign_urn}",
            headers={**plain, "X-RestLi-Method": "FINDER"},
        ).json()["elements"][0],
        served.http.post(
            coll("creatives"),
            content=f"q=criteria&campaigns=List({campaign_urn})",
            headers={
                "X-RestLi-Method": "FINDER",
                "X-HTTP-Method-Override": "GET",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        ).json()["elements"][0],
    ]
    assert [(a["id"], a["isServing"], a["servingHoldReasons"]) for a in answers] == [
        (urn, False, ["CAMPAIGN_GROUP_STATUS_HOLD"])
    ] * 4


def test_a_campaign_hold_the_docs_do_not_list_reaches_its_creatives_as_given(served: Served) -> None:
    """A seed is a snapshot of a real account: a hold of another version, stated on a campaign,
    reaches its creatives after the documented holds, with the creative's own stated ones last."""
    seed = _account_seed()
    seed["adCampaigns"][1]["servingStatuses"] = ["CAMPAIGN_FUTURE_HOLD", "CAMPAIGN_TOTAL_BUDGET_HOLD"]
    seed["creatives"][1].update(intendedStatus="PAUSED", servingHoldReasons=["CREATIVE_FUTURE_HOLD"])
    seed_entities(served.emulator, seed)
    scope = "/rest/adAccounts/509000001"
    found = served.http.get(
        f"{scope}/creatives?q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A309000002)",
        headers={"X-RestLi-Method": "FINDER"},
    )
    assert found.status_code == 200, found.text
    (creative,) = found.json()["elements"]
    assert (creative["isServing"], creative["servingHoldReasons"]) == (
        False,
        ["STOPPED", "CAMPAIGN_TOTAL_BUDGET_HOLD", "CAMPAIGN_FUTURE_HOLD", "CREATIVE_FUTURE_HOLD"],
    )
    campaign = served.http.get(f"{scope}/adCampaigns/309000002").json()
    assert campaign["servingStatuses"] == ["CAMPAIGN_TOTAL_BUDGET_HOLD", "CAMPAIGN_FUTURE_HOLD"]


def test_a_campaign_answered_first_holds_its_creatives_until_its_dates_or_a_write_change_it(
    served: Served,
) -> None:
    """A page of campaigns judges them as the parents of the creatives read next (no read of its
    own): that judgement ends at the campaign's start date and at any write, as one made for a
    creative does."""
    group = served.create(
        "adCampaignGroups", group_body(runSchedule={"start": NOW - HOUR, "end": NOW + 90 * DAY})
    )
    body = campaign_body(group, runSchedule={"start": NOW + HOUR, "end": NOW + 10 * DAY})
    campaign = served.create("adCampaigns", body)
    served.create("creatives", creative_body(campaign))
    search = f"{coll('creatives')}?q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A{campaign})"

    def creative_holds() -> list[str]:
        got = served.http.get(search, headers={"X-RestLi-Method": "FINDER"})
        assert got.status_code == 200, got.text
        (creative,) = got.json()["elements"]
        return list(creative.get("servingHoldReasons", []))

    def campaign_holds() -> list[str]:
        got = served.http.get(f"{coll('adCampaigns')}?q=search&pageSize=1000")
        assert got.status_code == 200, got.text
        return list(got.json()["elements"][0]["servingStatuses"])

    assert campaign_holds() == ["CAMPAIGN_START_DATE_HOLD"]
    assert creative_holds() == ["CAMPAIGN_START_DATE_HOLD"]
    served.now[0] = NOW + 2 * HOUR  # the start date passes: no write, the clock alone changes it
    assert creative_holds() == []
    assert campaign_holds() == ["RUNNABLE"]
    served.patch("adCampaigns", str(campaign), {"status": "PAUSED"})
    assert campaign_holds() == ["STOPPED"]
    assert creative_holds() == ["CAMPAIGN_STOPPED"]
