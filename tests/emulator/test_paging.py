"""Paging: cursor (pageSize/pageToken/metadata.nextPageToken), index (start/count), and the caps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reconciler.emulator import Emulator, generate_account, open_emulator
from reconciler.emulator.paging import Token, decode_token, encode_token
from tests.emulator.helpers import ACCOUNT, call, code, coll, creative_body, headers


def pages(emu: Emulator, first: str, start: str | None = None) -> list[dict[str, Any]]:
    """Follow nextPageToken from ``first`` (or from token ``start``) to the end; every page's body."""
    out, target = [], first if start is None else f"{first}&pageToken={start}"
    for _ in range(1000):  # a bound, so a paging bug fails instead of hanging
        body = call(emu, "GET", target, method="FINDER").json()
        out.append(body)
        token = body["metadata"].get("nextPageToken")
        if token is None:
            return out
        target = f"{first}&pageToken={token}"
    raise AssertionError("paging did not end")


@pytest.fixture
def filled(emu: Emulator) -> list[int]:
    """250 creatives over 3 campaigns; their numeric ids."""
    return generate_account(emu, groups=1, campaigns=3, creatives=250).creatives


def test_cursor_pages_cover_everything_once_in_order(emu: Emulator, filled: list[int]) -> None:
    bodies = pages(
        emu, f"{coll('creatives')}?q=criteria&intendedStatuses=List(ACTIVE,PAUSED,ARCHIVED)&pageSize=100"
    )
    assert [len(b["elements"]) for b in bodies] == [100, 100, 50]
    assert "nextPageToken" not in bodies[-1]["metadata"]
    ids = [int(e["id"].rsplit(":", 1)[1]) for b in bodies for e in b["elements"]]
    assert ids == sorted(filled)


def test_cursor_pages_descending(emu: Emulator, filled: list[int]) -> None:
    bodies = pages(emu, f"{coll('creatives')}?q=criteria&pageSize=100&sortOrder=DESCENDING")
    ids = [int(e["id"].rsplit(":", 1)[1]) for b in bodies for e in b["elements"]]
    assert ids == sorted(filled, reverse=True)


def test_cursor_survives_writes_between_pages(emu: Emulator, filled: list[int]) -> None:
    first = call(emu, "GET", f"{coll('creatives')}?q=criteria&pageSize=100", method="FINDER").json()
    campaign = int(first["elements"][0]["campaign"].rsplit(":", 1)[1])
    call(emu, "POST", coll("creatives"), creative_body(campaign, intendedStatus="DRAFT"), method="CREATE")
    token = first["metadata"]["nextPageToken"]
    rest = pages(emu, f"{coll('creatives')}?q=criteria&pageSize=100", start=token)
    seen = [e["id"] for e in first["elements"]] + [e["id"] for b in rest for e in b["elements"]]
    assert len(seen) == len(set(seen)) == 251


def test_unpaged_creative_search_is_a_first_page_of_100(emu: Emulator, filled: list[int]) -> None:
    body = call(emu, "GET", f"{coll('creatives')}?q=criteria", method="FINDER").json()
    assert len(body["elements"]) == 100 and "nextPageToken" in body["metadata"]


def test_total_only_when_asked(emu: Emulator, filled: list[int]) -> None:
    body = call(
        emu, "GET", f"{coll('creatives')}?q=criteria&pageSize=10&isTotalIncluded=true", method="FINDER"
    ).json()
    assert body["paging"]["total"] == 250
    plain = call(emu, "GET", f"{coll('creatives')}?q=criteria&pageSize=10", method="FINDER").json()
    assert "total" not in plain["paging"]


@pytest.mark.parametrize(
    ("name", "q", "limit"), [("creatives", "criteria", 100), ("adCampaigns", "search", 1000)]
)
def test_page_size_caps(emu: Emulator, name: str, q: str, limit: int) -> None:
    query = f"{coll(name)}?q={q}&search=()" if q == "search" else f"{coll(name)}?q={q}"
    assert call(emu, "GET", f"{query}&pageSize={limit}", method="FINDER").status == 200
    response = call(emu, "GET", f"{query}&pageSize={limit + 1}", method="FINDER")
    assert (response.status, code(response)) == (400, "PARAM_INVALID")


def test_unpaged_campaign_search_over_1000_is_refused(emu: Emulator) -> None:
    generate_account(emu, groups=2, campaigns=1001, creatives=0)
    response = call(emu, "GET", f"{coll('adCampaigns')}?q=search&search=()", method="FINDER")
    assert response.status == 400
    assert response.json() == {"message": "Request would return too many entities. ", "status": 400}
    paged = call(emu, "GET", f"{coll('adCampaigns')}?q=search&search=()&pageSize=1000", method="FINDER")
    assert paged.status == 200 and len(paged.json()["elements"]) == 1000


def test_unpaged_group_search_over_100_is_refused(emu: Emulator) -> None:
    generate_account(emu, groups=100, campaigns=0, creatives=0)  # + the default group = 101
    response = call(emu, "GET", f"{coll('adCampaignGroups')}?q=search&search=()", method="FINDER")
    assert (response.status, code(response)) == (400, "PARAM_INVALID")
    assert response.json()["message"] == "Specified count is larger than 1000"


def test_index_paging_with_start_and_count(emu: Emulator) -> None:
    generate_account(emu, groups=25, campaigns=0, creatives=0)
    target = f"{coll('adCampaignGroups')}?q=search&search=(status:(values:List(ACTIVE)))&start=20&count=5"
    body = call(emu, "GET", target, method="FINDER").json()
    assert body["paging"]["start"] == 20 and body["paging"]["count"] == 5 and body["paging"]["total"] == 26
    assert len(body["elements"]) == 5
    assert body["paging"]["links"][0]["rel"] == "next"
    last = call(emu, "GET", target.replace("start=20", "start=25"), method="FINDER").json()
    assert len(last["elements"]) == 1 and last["paging"]["links"] == []


def test_count_over_1000_is_refused(emu: Emulator) -> None:
    response = call(emu, "GET", "/rest/adAccounts?q=search&start=0&count=1001", method="FINDER")
    assert (response.status, response.json()["message"]) == (400, "Specified count is larger than 1000")


@pytest.mark.parametrize("start", ["2147483648", "99999999999999999999"])
def test_a_start_beyond_a_restli_int_is_refused(emu: Emulator, start: str) -> None:
    """``start`` is a 32-bit int: a larger one is invalid, not echoed into an answer it cannot hold."""
    for target in (f"{coll('adCampaigns')}?q=search", f"{coll('creatives')}?q=criteria"):
        response = call(emu, "GET", f"{target}&start={start}&count=10", method="FINDER")
        assert (response.status, code(response)) == (400, "PARAM_INVALID")
    assert call(emu, "GET", f"{coll('creatives')}?q=criteria&start=2147483647", method="FINDER").status == 200


def test_empty_value_list_matches_nothing(emu: Emulator) -> None:
    target = f"{coll('adCampaignGroups')}?q=search&search=(status:(values:List()))"
    assert call(emu, "GET", target, method="FINDER").json()["elements"] == []


def test_tokens_round_trip_and_linkedin_tokens_decode() -> None:
    token = Token(offset=300, size=100, last=112698261)
    assert decode_token(encode_token(token)) == token
    assert decode_token("CAIQAhoA") == Token(offset=2, size=2, last=None)
    with pytest.raises(ValueError):
        decode_token("not a token!")


def test_paging_15000_creatives_on_sqlite(tmp_path: Path) -> None:
    emu = open_emulator(tmp_path / "big.sqlite")
    made = generate_account(emu, groups=10, campaigns=5000, creatives=15000)
    first = f"{coll('creatives')}?q=criteria&intendedStatuses=List(ACTIVE,PAUSED,ARCHIVED)&pageSize=100"
    seen = 0
    target = first
    for _ in range(200):
        body = emu.handle("GET", target, headers("FINDER")).json()
        seen += len(body["elements"])
        token = body["metadata"].get("nextPageToken")
        if token is None:
            break
        target = f"{first}&pageToken={token}"
    assert seen == len(made.creatives) == 15000
    emu.close()


def test_account_search_pages_with_a_cursor_too(emu: Emulator) -> None:
    body = call(emu, "GET", "/rest/adAccounts?q=search&pageSize=1", method="FINDER").json()
    assert [a["id"] for a in body["elements"]] == [ACCOUNT]
    assert "nextPageToken" not in body["metadata"]
