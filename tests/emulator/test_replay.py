"""Replay what LinkedIn's official Python client (0.3.0) sends, in order, against the emulator.

The requests were recorded from the real client; the account and the ids they name are seeded
from ``seed-507404993.json``. Valid operations on existing entities must succeed; requests for
things the emulator does not implement get the documented 404/405 (status chosen per label).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reconciler.emulator import open_emulator, seed_file

DATA = Path(__file__).parent.parent / "data" / "recorded"

EXPECTED = {
    "finder adAccounts search (start/count)": 200,
    "finder adAccounts search by reference URN": 200,
    "get adAccount": 200,
    "get adAccount with fields projection": 200,
    "finder adCampaignGroups search under account (pageSize)": 200,
    "finder adCampaigns search by campaignGroup URN + pageToken": 200,  # LinkedIn's token decodes (offset 2)
    "finder adCampaigns search name with special chars": 200,
    "batch_get adCampaigns by ids": 200,
    "get adCampaign": 200,
    "create adCampaignGroup": 201,
    # The client's example predates politicalIntent, which current versions require on create.
    "create adCampaign (targetingCriteria)": 400,
    "partial_update adCampaign status": 204,
    "partial_update adCampaignGroup budget": 204,
    "finder creatives criteria by campaign URNs": 200,
    "get creative by URN key": 200,
    "partial_update creative by URN key": 204,
    "create creative (inline share reference)": 201,
    "batch_get creatives by URN ids": 200,
    "batch_partial_update adCampaigns": 200,
    "batch_partial_update creatives by URN ids": 200,
    "finder with empty List and version with revision (202406.01)": 200,
    "batch_create adCampaignGroups": 200,
    "update (PUT) adCampaign": 405,  # UPDATE is not offered by the ads resources
    "batch_update (PUT) adCampaigns": 405,
    "delete adCampaign": 204,
    "batch_delete adCampaigns": 200,  # per-id 404s inside the body
    "get_all (start/count)": 405,  # GET_ALL is not offered; use q=search
    "get with complex (compound) key adAccountUsers": 404,  # urn:li:person:abc123 is not the caller
    "adAnalytics finder (dateRange object, List of URNs, fields)": 200,
    "action (non-versioned /v2 base)": 404,  # the /v2 API is not emulated
    "get non-versioned (no version_string -> /v2, no LinkedIn-Version)": 404,
    "batch_get 400 ids -> query tunneling (POST + X-HTTP-Method-Override: GET)": 200,
}


def _recorded() -> list[tuple[str, dict[str, Any]]]:
    labels = json.loads((DATA / "official-client-0.3.0.labels.json").read_text())["labels"]
    lines = (DATA / "official-client-0.3.0.requests.jsonl").read_text().splitlines()
    return list(zip(labels, (json.loads(line) for line in lines), strict=False))


def test_every_recorded_request_gets_its_sensible_status() -> None:
    emu = open_emulator(None, active_versions=["202406"])
    seed_file(emu, DATA / "seed-507404993.json")
    seen = {}
    for label, request in _recorded():
        response = emu.handle(
            request["method"], request["path"], dict(request["headers"]), request["body"].encode()
        )
        seen[label] = response.status
    assert seen == EXPECTED


@pytest.fixture(scope="module")
def replayed() -> dict[str, tuple[dict[str, str], Any]]:
    """Each recorded request's parsed response body, by label."""
    emu = open_emulator(None, active_versions=["202406"])
    seed_file(emu, DATA / "seed-507404993.json")
    out: dict[str, tuple[dict[str, str], Any]] = {}
    for label, request in _recorded():
        response = emu.handle(
            request["method"], request["path"], dict(request["headers"]), request["body"].encode()
        )
        out[label] = (response.headers, response.json())
    return out


def test_projection_keeps_only_the_requested_fields(replayed: dict[str, tuple[dict[str, str], Any]]) -> None:
    _, body = replayed["get adAccount with fields projection"]
    assert body == {"id": 507404993, "name": "Recorded Client Account", "status": "ACTIVE", "currency": "USD"}


def test_creative_batch_maps_are_keyed_reduced_encoded(
    replayed: dict[str, tuple[dict[str, str], Any]],
) -> None:
    _, body = replayed["batch_partial_update creatives by URN ids"]
    assert body["results"] == {
        "urn%3Ali%3AsponsoredCreative%3A1234567": {"status": 204},
        "urn%3Ali%3AsponsoredCreative%3A7654321": {"status": 204},
    }


def test_created_creative_id_is_a_raw_urn_in_both_headers(
    replayed: dict[str, tuple[dict[str, str], Any]],
) -> None:
    headers, _ = replayed["create creative (inline share reference)"]
    assert headers["x-restli-id"].startswith("urn:li:sponsoredCreative:")
    assert headers["x-restli-id"] == headers["x-linkedin-id"]


def test_batch_create_is_index_aligned(replayed: dict[str, tuple[dict[str, str], Any]]) -> None:
    _, body = replayed["batch_create adCampaignGroups"]
    assert [e["status"] for e in body["elements"]] == [201, 201]


def test_tunnelled_batch_get_answers_every_id(replayed: dict[str, tuple[dict[str, str], Any]]) -> None:
    _, body = replayed["batch_get 400 ids -> query tunneling (POST + X-HTTP-Method-Override: GET)"]
    assert len(body["errors"]) == 400
    assert body["results"] == {}
