"""The header gate: bearer token (401 bodies), LinkedIn-Version (400/426), the token → member map."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.emulator import Emulator, default_active_versions, open_emulator, person_urn
from reconciler.emulator.gate import parse_versions
from tests.emulator.conftest import Tree
from tests.emulator.helpers import ACCOUNT, TOKEN, call, coll, headers

GET_ACCOUNT = f"/rest/adAccounts/{ACCOUNT}"


@pytest.mark.parametrize(
    ("authorization", "body"),
    [
        (None, {"message": "Empty oauth2_access_token", "serviceErrorCode": 401, "status": 401}),
        ("Bearer ", {"message": "Empty oauth2_access_token", "serviceErrorCode": 401, "status": 401}),
        (
            "Basic dXNlcjpwdw==",
            {"message": "Unknown authentication schema", "serviceErrorCode": 401, "status": 401},
        ),
    ],
)
def test_unusable_authorization_gets_401(
    emu: Emulator, authorization: str | None, body: dict[str, object]
) -> None:
    hdrs = headers()
    del hdrs["Authorization"]
    if authorization is not None:
        hdrs["Authorization"] = authorization
    response = call(emu, "GET", GET_ACCOUNT, hdrs=hdrs)
    assert (response.status, response.json()) == (401, body)


def test_auth_is_checked_before_the_path_exists(emu: Emulator) -> None:
    assert call(emu, "GET", "/v2/adAccountsV2/1", hdrs={"LinkedIn-Version": "202601"}).status == 401


def test_token_list_restricts_access() -> None:
    emu = open_emulator(None, tokens=["only-this"])
    assert call(emu, "GET", GET_ACCOUNT).json() == {
        "message": "Invalid access token",
        "serviceErrorCode": 65600,
        "status": 401,
    }
    assert call(emu, "GET", GET_ACCOUNT, hdrs=headers(Authorization="Bearer only-this")).status == 200


def test_header_names_are_case_insensitive(emu: Emulator) -> None:
    hdrs = {"authorization": f"Bearer {TOKEN}", "linkedin-version": headers()["LinkedIn-Version"]}
    assert call(emu, "GET", GET_ACCOUNT, hdrs=hdrs).status == 200


def test_missing_version_is_426(emu: Emulator) -> None:
    hdrs = headers()
    del hdrs["LinkedIn-Version"]
    response = call(emu, "GET", GET_ACCOUNT, hdrs=hdrs)
    assert (response.status, response.json()["code"]) == (426, "VERSION_MISSING")


@pytest.mark.parametrize("version", ["2026", "202613", "latest", "202601.1"])
def test_malformed_version_is_400(emu: Emulator, version: str) -> None:
    response = call(emu, "GET", GET_ACCOUNT, hdrs=headers(**{"LinkedIn-Version": version}))
    assert (response.status, response.json()["code"]) == (400, "INVALID_VERSION")


def test_sunset_version_is_426_with_the_yyyymm01_echo(emu: Emulator) -> None:
    response = call(emu, "GET", GET_ACCOUNT, hdrs=headers(**{"LinkedIn-Version": "202001"}))
    assert response.status == 426
    assert response.json() == {
        "status": 426,
        "code": "NONEXISTENT_VERSION",
        "message": "Requested version 20200101 is not active",
    }


def test_revision_form_is_accepted() -> None:
    emu = open_emulator(None, active_versions=["202406"])
    assert call(emu, "GET", GET_ACCOUNT, hdrs=headers(**{"LinkedIn-Version": "202406.01"})).status == 200
    assert call(emu, "GET", GET_ACCOUNT, hdrs=headers(**{"LinkedIn-Version": "202407"})).status == 426


def test_default_versions_are_those_released_and_not_yet_sunset() -> None:
    # 202502 lives until its sunset day (the 15th, one year on: not in the table), so on the 10th
    # thirteen versions answer.
    versions = default_active_versions(date(2026, 2, 10))
    assert len(versions) == 13
    assert min(versions) == "202502" and max(versions) == "202602"
    assert min(default_active_versions(date(2026, 2, 15))) == "202503"
    # The table's days: 202511 still answers on 2026-11-15, not on the 16th.
    assert "202511" in default_active_versions(date(2026, 11, 15))
    assert "202511" not in default_active_versions(date(2026, 11, 16))
    with pytest.raises(ValueError):
        parse_versions(["2024-06"])


def test_token_maps_to_a_stable_member_recorded_as_actor(emu: Emulator, tree: Tree) -> None:
    member = person_urn(TOKEN)
    assert member == person_urn(TOKEN) != person_urn("another-token")
    assert member.startswith("urn:li:person:") and len(member) == len("urn:li:person:") + 10
    campaign = call(emu, "GET", f"{coll('adCampaigns')}/{tree.campaign}").json()
    assert campaign["changeAuditStamps"]["created"]["actor"] == member
    other = headers("PARTIAL_UPDATE", Authorization="Bearer another-token")
    patch = {"patch": {"$set": {"name": "changed by someone else"}}}
    assert call(emu, "POST", f"{coll('adCampaigns')}/{tree.campaign}", patch, hdrs=other).status == 204
    changed = call(emu, "GET", f"{coll('adCampaigns')}/{tree.campaign}").json()
    assert changed["changeAuditStamps"]["lastModified"]["actor"] == person_urn("another-token")
    assert (
        call(emu, "GET", f"{coll('creatives')}?q=criteria", method="FINDER").json()["elements"][0][
            "lastModifiedBy"
        ]
        == member
    )
