"""Stores: the memory and SQLite implementations agree; SQLite persists; ids are deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.emulator import (
    Emulator,
    EmulatorConfig,
    MemoryStore,
    SqliteStore,
    Store,
    jsontext,
    open_emulator,
)
from reconciler.emulator.store import Kind
from tests.emulator.helpers import ACCOUNT, call, coll, created_id, group_body


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made: Store = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "s.sqlite")
    yield made
    made.close()


def campaign(key: int, group: int, status: str, end: int | None = None) -> dict[str, object]:
    schedule: dict[str, int] = {"start": 1} if end is None else {"start": 1, "end": end}
    return {
        "id": key,
        "campaignGroup": f"urn:li:sponsoredCampaignGroup:{group}",
        "status": status,
        "runSchedule": schedule,
    }


def test_scan_orders_filters_and_resumes(store: Store) -> None:
    rows = [(1, k, campaign(k, 10 + k % 2, "ACTIVE" if k % 3 else "DRAFT")) for k in range(1, 21)]
    store.put_many(Kind.CAMPAIGN, rows)
    assert [k for k, _ in store.scan(Kind.CAMPAIGN, 1, limit=5)] == [1, 2, 3, 4, 5]
    assert [k for k, _ in store.scan(Kind.CAMPAIGN, 1, after=17)] == [18, 19, 20]
    assert [k for k, _ in store.scan(Kind.CAMPAIGN, 1, after=4, descending=True)] == [3, 2, 1]
    assert [k for k, _ in store.scan(Kind.CAMPAIGN, 1, parents=[10], statuses=["DRAFT"])] == [6, 12, 18]
    assert store.scan(Kind.CAMPAIGN, 2) == []
    assert store.scan(Kind.CAMPAIGN, 1, statuses=[]) == []


def test_count_uses_the_index_columns(store: Store) -> None:
    store.put_many(
        Kind.CAMPAIGN,
        [
            (1, 1, campaign(1, 5, "ACTIVE")),
            (1, 2, campaign(2, 5, "PAUSED", end=100)),
            (1, 3, campaign(3, 6, "DRAFT")),
        ],
    )
    assert store.count(Kind.CAMPAIGN, 1) == 3
    assert store.count(Kind.CAMPAIGN, 1, parent=5) == 2
    assert store.count(Kind.CAMPAIGN, 1, statuses=("ACTIVE", "PAUSED"), ending_after=50) == 2
    assert store.count(Kind.CAMPAIGN, 1, statuses=("ACTIVE", "PAUSED"), ending_after=150) == 1


def test_reads_are_copies_and_delete_reports(store: Store) -> None:
    store.put(Kind.GROUP, 1, 7, {"id": 7, "status": "DRAFT"})
    got = store.get(Kind.GROUP, 1, 7)
    assert got is not None
    got["status"] = "ACTIVE"
    assert store.get(Kind.GROUP, 1, 7) == {"id": 7, "status": "DRAFT"}
    assert store.delete(Kind.GROUP, 1, 7) and not store.delete(Kind.GROUP, 1, 7)
    assert store.get(Kind.GROUP, 1, 7) is None


def test_get_many_reads_the_stored_keys_as_copies(store: Store) -> None:
    store.put_many(Kind.POST, [(0, k, {"id": f"urn:li:share:{k}"}) for k in range(1, 1001)])
    store.put(Kind.POST, 1, 5, {"id": "elsewhere"})
    keys = [7, 3, 7, 2000, 2**70, *range(100, 1001)]  # repeats, missing, beyond 64 bits, many
    got = store.get_many(Kind.POST, 0, keys)
    assert set(got) == {3, 7, *range(100, 1001)}
    assert got[7] == {"id": "urn:li:share:7"} and got[3] == store.get(Kind.POST, 0, 3)
    got[7]["id"] = "changed"
    assert store.get_many(Kind.POST, 0, [7]) == {7: {"id": "urn:li:share:7"}}
    assert store.get_many(Kind.POST, 0, []) == {} and store.get_many(Kind.POST, 2**70, [5]) == {}


def test_sqlite_rolls_back_a_failed_transaction(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "r.sqlite")
    with pytest.raises(RuntimeError), store.transaction(write=True):
        store.put(Kind.GROUP, 1, 1, {"id": 1})
        raise RuntimeError("boom")
    assert store.get(Kind.GROUP, 1, 1) is None
    store.close()


def test_sqlite_state_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "emulator.sqlite"
    first = open_emulator(db)
    group = created_id(
        call(first, "POST", coll("adCampaignGroups"), group_body(status="DRAFT"), method="CREATE")
    )
    first.close()
    second = open_emulator(db)
    assert call(second, "GET", f"{coll('adCampaignGroups')}/{group}").json()["name"] == "Q1 Brand"
    later = created_id(
        call(second, "POST", coll("adCampaignGroups"), group_body(status="DRAFT"), method="CREATE")
    )
    assert later > group
    groups = call(second, "GET", f"{coll('adCampaignGroups')}?q=search&search=()", method="FINDER").json()
    assert [g["name"] for g in groups["elements"]].count("Default Campaign Group") == 1
    second.close()


def test_fresh_store_holds_the_test_account() -> None:
    emu = open_emulator(None)
    account = call(emu, "GET", f"/rest/adAccounts/{ACCOUNT}").json()
    assert (account["currency"], account["type"], account["status"], account["test"]) == (
        "USD",
        "BUSINESS",
        "ACTIVE",
        True,
    )
    assert account["name"] == "Reconciler Test Account"


def test_ids_are_large_and_deterministic_per_seed() -> None:
    def ids(seed: int) -> list[int]:
        emu = open_emulator(None, seed=seed)
        body = group_body(status="DRAFT")
        return [
            created_id(call(emu, "POST", coll("adCampaignGroups"), body, method="CREATE")) for _ in range(3)
        ]

    first = ids(5)
    assert first == ids(5) != ids(6)
    assert all(600_000_000 < i < 700_000_000 for i in first)
    assert first == sorted(first) and len(set(first)) == 3


BIG = b"100000000000000000000"  # beyond 64 bits


@pytest.mark.parametrize(
    "raw",
    [
        b'{"account": "urn:li:sponsoredAccount:500000001", "name": "\\ud800", "status": "DRAFT"}',
        b'{"account": "urn:li:sponsoredAccount:500000001", "name": "G", "status": "DRAFT", '
        b'"runSchedule": {"start": 1, "end": ' + BIG + b"}}",
    ],
    ids=["unpaired surrogate", "integer beyond 64 bits"],
)
def test_a_body_holding_what_no_api_field_can_is_refused_and_nothing_is_poisoned(
    store: Store, raw: bytes
) -> None:
    emulator = Emulator(store, EmulatorConfig())
    refused = call(emulator, "POST", coll("adCampaignGroups"), raw)
    assert refused.status == 400 and b"INVALID_VALUE_FOR_FIELD" in refused.body
    listed = call(
        emulator, "GET", f"{coll('adCampaignGroups')}?q=search&search=(status:(values:List(DRAFT)))"
    )
    assert listed.status == 200


def test_stored_text_reads_back_exactly_and_older_text_still_reads() -> None:
    value = {
        "name": "Café ☕",
        "big": 2**63 - 1,
        "small": -(2**63),
        "ratio": 0.1,
        "keys": {"1": [True, None]},
    }
    assert jsontext.loads(jsontext.dumps(value, sort_keys=True)) == value
    assert jsontext.loads('{"name": "\\ud800"}') == {"name": "\ud800"}  # written by the standard library
    with pytest.raises(jsontext.Unrepresentable):
        jsontext.dumps({"x": 2**64})


HUGE = "99999999999999999999999"  # beyond 64 bits: names nothing stored


@pytest.mark.parametrize(
    ("verb", "target", "body", "method", "status"),
    [
        ("GET", f"{coll('adCampaigns')}/{HUGE}", None, None, 404),
        ("GET", f"{coll('creatives')}/urn%3Ali%3AsponsoredCreative%3A{HUGE}", None, None, 404),
        ("GET", f"/rest/adAccounts/{HUGE}", None, None, 404),
        ("GET", f"{coll('adCampaigns')}?ids=List({HUGE})", None, "BATCH_GET", 200),
        (
            "GET",
            f"{coll('adCampaigns')}?q=search&search=(campaignGroup:(values:List("
            f"urn%3Ali%3AsponsoredCampaignGroup%3A{HUGE})))",
            None,
            "FINDER",
            200,
        ),
        (
            "GET",
            f"{coll('creatives')}?q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A{HUGE})",
            None,
            "FINDER",
            200,
        ),
        (
            "GET",
            f"/rest/adAccountUsers?q=accounts&accounts=List(urn%3Ali%3AsponsoredAccount%3A{HUGE})",
            None,
            "FINDER",
            None,
        ),
        ("POST", f"{coll('adCampaigns')}/{HUGE}", {"patch": {"$set": {"name": "x"}}}, "PARTIAL_UPDATE", 404),
        ("DELETE", f"{coll('adCampaigns')}/{HUGE}", None, "DELETE", 404),
        ("POST", coll("creatives"), {"campaign": f"urn:li:sponsoredCampaign:{HUGE}"}, "CREATE", None),
    ],
)
def test_an_id_beyond_64_bits_is_answered_as_one_not_stored(
    store: Store, verb: str, target: str, body: object, method: str | None, status: int | None
) -> None:
    """SQLite holds 64-bit integers: binding a larger id raised OverflowError (a 500) there alone."""
    answer = call(Emulator(store, EmulatorConfig()), verb, target, body, method=method)
    assert answer.status < 500, answer.body
    if status is not None:
        assert answer.status == status, answer.body
