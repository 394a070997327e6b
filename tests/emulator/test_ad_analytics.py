"""adAnalytics (q=analytics): deterministic reporting per campaign and day for campaigns that served."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, Settings
from tests.emulator.helpers import (
    ACCOUNT,
    DAY,
    NOW,
    call,
    campaign_body,
    coll,
    created_id,
    group_body,
    headers,
)

ACCOUNTS = f"accounts=List(urn%3Ali%3AsponsoredAccount%3A{ACCOUNT})"
FIELDS = "fields=costInLocalCurrency,costInUsd,impressions,clicks,pivotValues,dateRange"
WEEK = "dateRange=(start:(year:2026,month:11,day:12),end:(year:2026,month:11,day:18))"  # NOW is 2026-11-18


class Clock:
    def __init__(self) -> None:
        self.now = NOW - 10 * DAY

    def __call__(self) -> int:
        return self.now


def make(clock: Callable[[], int], **settings: Any) -> Emulator:
    return Emulator(MemoryStore(), EmulatorConfig(clock=clock, settings=Settings(**settings)))


def serving_campaign(emu: Emulator, **over: Any) -> int:
    schedule = {"start": NOW - 10 * DAY, "end": NOW + 90 * DAY}
    group = created_id(
        call(emu, "POST", coll("adCampaignGroups"), group_body(runSchedule=schedule), method="CREATE")
    )
    body = campaign_body(group, runSchedule={"start": NOW - 10 * DAY}, **over)
    return created_id(call(emu, "POST", coll("adCampaigns"), body, method="CREATE"))


def report(emu: Emulator, query: str) -> list[dict[str, Any]]:
    response = call(emu, "GET", f"/rest/adAnalytics?q=analytics&{query}")
    assert response.status == 200, response.body
    elements: list[dict[str, Any]] = response.json()["elements"]
    return elements


@pytest.fixture
def served() -> tuple[Emulator, Clock, int, int]:
    clock = Clock()
    emu = make(clock)
    active = serving_campaign(emu)
    draft = serving_campaign(emu, status="DRAFT")
    clock.now = NOW
    return emu, clock, active, draft


def test_daily_rows_for_each_day_a_campaign_served(served: tuple[Emulator, Clock, int, int]) -> None:
    emu, _, active, _ = served
    rows = report(emu, f"pivot=CAMPAIGN&timeGranularity=DAILY&{WEEK}&{ACCOUNTS}&{FIELDS}")
    assert [r["pivotValues"] for r in rows] == [[f"urn:li:sponsoredCampaign:{active}"]] * 7  # not the DRAFT
    assert [r["dateRange"]["start"]["day"] for r in rows] == list(range(12, 19))
    assert all(r["dateRange"]["start"] == r["dateRange"]["end"] for r in rows)
    for row in rows:
        assert set(row) == {
            "costInLocalCurrency",
            "costInUsd",
            "impressions",
            "clicks",
            "pivotValues",
            "dateRange",
        }
        assert (
            Decimal("27.50") <= Decimal(row["costInLocalCurrency"]) <= Decimal("47.50")
        )  # 55-95 % of 50 USD
        assert row["impressions"] > row["clicks"] > 0
    assert len({r["costInLocalCurrency"] for r in rows}) > 1  # days differ
    assert report(emu, f"pivot=CAMPAIGN&timeGranularity=DAILY&{WEEK}&{ACCOUNTS}&{FIELDS}") == rows


def test_all_granularity_sums_the_days(served: tuple[Emulator, Clock, int, int]) -> None:
    emu, _, active, _ = served
    days = report(emu, f"pivot=CAMPAIGN&timeGranularity=DAILY&{WEEK}&{ACCOUNTS}&{FIELDS}")
    campaigns = f"campaigns=List(urn%3Ali%3AsponsoredCampaign%3A{active})"
    (total,) = report(emu, f"pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&{campaigns}&{FIELDS}")
    assert total["impressions"] == sum(r["impressions"] for r in days)
    assert Decimal(total["costInLocalCurrency"]) == sum(Decimal(r["costInLocalCurrency"]) for r in days)
    (account,) = report(emu, f"pivot=ACCOUNT&timeGranularity=ALL&{WEEK}&{ACCOUNTS}&{FIELDS}")
    assert account["pivotValues"] == [f"urn:li:sponsoredAccount:{ACCOUNT}"]
    assert account["impressions"] == total["impressions"]


def test_default_fields_are_impressions_and_clicks(served: tuple[Emulator, Clock, int, int]) -> None:
    emu = served[0]
    row = report(emu, f"pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&{ACCOUNTS}")[0]
    assert set(row) == {"impressions", "clicks", "pivotValues", "dateRange"}


def test_a_paused_campaign_served_until_it_was_paused() -> None:
    clock = Clock()
    emu = make(clock)
    campaign = serving_campaign(emu)
    clock.now = NOW - 3 * DAY
    patch = {"patch": {"$set": {"status": "PAUSED"}}}
    assert (
        call(emu, "POST", coll("adCampaigns") + f"/{campaign}", patch, method="PARTIAL_UPDATE").status == 204
    )
    clock.now = NOW
    rows = report(emu, f"pivot=CAMPAIGN&timeGranularity=DAILY&{WEEK}&{ACCOUNTS}&{FIELDS}")
    assert [r["dateRange"]["start"]["day"] for r in rows] == [12, 13, 14, 15]


def test_a_campaign_not_yet_started_has_no_rows() -> None:
    emu = make(lambda: NOW)
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body(), method="CREATE"))
    created_id(
        call(emu, "POST", coll("adCampaigns"), campaign_body(group), method="CREATE")
    )  # starts tomorrow
    assert report(emu, f"pivot=CAMPAIGN&timeGranularity=DAILY&{WEEK}&{ACCOUNTS}") == []


def test_reporting_needs_r_ads_reporting(served: tuple[Emulator, Clock, int, int]) -> None:
    emu = make(lambda: NOW, scopes=frozenset({"r_ads", "rw_ads"}))
    response = call(
        emu, "GET", f"/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&{ACCOUNTS}"
    )
    assert response.status == 403
    emu = make(lambda: NOW, scopes=frozenset({"r_ads_reporting"}))
    assert report(emu, f"pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&{ACCOUNTS}") == []


@pytest.mark.parametrize(
    "query",
    [
        f"pivot=CAMPAIGN&{WEEK}&{ACCOUNTS}",
        f"pivot=NOPE&timeGranularity=ALL&{WEEK}&{ACCOUNTS}",
        f"pivot=CAMPAIGN&timeGranularity=HOURLY&{WEEK}&{ACCOUNTS}",
        f"pivot=CAMPAIGN&timeGranularity=ALL&{ACCOUNTS}",
        f"pivot=CAMPAIGN&timeGranularity=ALL&dateRange=(start:(year:2026,month:13,day:1))&{ACCOUNTS}",
        "pivot=CAMPAIGN&timeGranularity=ALL&dateRange=(start:(year:2026,month:11,day:18),"
        f"end:(year:2026,month:11,day:1))&{ACCOUNTS}",
        f"pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}",
        f"pivot=CAMPAIGN&timeGranularity=ALL&{WEEK}&campaigns=List(urn%3Ali%3AsponsoredAccount%3A1)",
    ],
)
def test_bad_requests_are_refused(served: tuple[Emulator, Clock, int, int], query: str) -> None:
    assert call(served[0], "GET", f"/rest/adAnalytics?q=analytics&{query}").status == 400


def test_a_tunnelled_request_with_many_campaigns_gets_the_same_rows(
    served: tuple[Emulator, Clock, int, int],
) -> None:
    emu, _, active, _ = served
    many = ",".join(f"urn%3Ali%3AsponsoredCampaign%3A{n}" for n in [active, *range(1, 400)])
    query = f"q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&{WEEK}&campaigns=List({many})&{FIELDS}"
    assert call(emu, "GET", f"/rest/adAnalytics?{query}").status == 414  # too long for a URL
    hdrs = headers(**{"X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"})
    tunnelled = emu.handle("POST", "/rest/adAnalytics", hdrs, query.encode())
    assert tunnelled.status == 200
    assert tunnelled.json()["elements"] == report(
        emu, f"pivot=CAMPAIGN&timeGranularity=DAILY&{WEEK}&{ACCOUNTS}&{FIELDS}"
    )
