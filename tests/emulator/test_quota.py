"""``--daily-quota N``: LinkedIn's daily limit per member token, reset at 00:00 UTC (docs/emulator.md)."""

from __future__ import annotations

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore
from tests.emulator.helpers import DAY, NOW, call, coll, group_body, headers

LISTING = "/rest/adAccounts/500000001/adCampaignGroups?q=search&search=(status:(values:List(ACTIVE)))"
THROTTLED = {
    "message": "Resource level throttle limit for calls to this resource is reached.",
    "serviceErrorCode": 429,
    "status": 429,
}


def test_calls_past_the_daily_quota_get_linkedins_429_until_midnight_utc() -> None:
    clock = {"now": NOW}
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: clock["now"], daily_quota=3))
    for _ in range(3):
        assert call(emu, "GET", LISTING).status == 200
    refused = call(emu, "POST", coll("adCampaignGroups"), group_body(), method="CREATE")
    assert (refused.status, refused.json()) == (429, THROTTLED)
    assert "retry-after" not in {k.lower() for k in refused.headers}
    search = call(emu, "GET", LISTING).json()
    assert search["status"] == 429  # still refused, and the refused create did nothing
    other = headers(Authorization="Bearer another-member")
    assert call(emu, "GET", LISTING, hdrs=other).status == 200  # per token
    clock["now"] = (NOW // DAY + 1) * DAY  # 00:00 UTC: a new day
    listed = call(emu, "GET", LISTING)
    assert listed.status == 200
    assert [g["name"] for g in listed.json()["elements"]] == ["Default Campaign Group"]
    emu.close()


def test_no_quota_by_default(emu: Emulator) -> None:
    for _ in range(50):
        assert call(emu, "GET", LISTING).status == 200
