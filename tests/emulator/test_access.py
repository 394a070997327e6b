"""Scopes, account roles and the access tier, enforced on every call (``emulator.access``)."""

from __future__ import annotations

from typing import Any

from reconciler.emulator import Emulator
from reconciler.emulator.gate import person_urn
from reconciler.emulator.users import store_users
from tests.emulator.conftest import Tree
from tests.emulator.helpers import (
    ACCOUNT,
    TOKEN,
    call,
    campaign_body,
    code,
    coll,
    created_id,
    creative_path,
    group_body,
)


def patch(emu: Emulator, path: str, fields: dict[str, Any]) -> Any:
    return call(emu, "POST", path, {"patch": {"$set": fields}}, method="PARTIAL_UPDATE")


def campaigns_names(emu: Emulator) -> list[str]:
    found = call(emu, "GET", f"{coll('adCampaigns')}?q=search", method="FINDER").json()["elements"]
    return sorted(c["name"] for c in found)


def test_the_configured_role_is_what_authenticated_user_answers(emu: Emulator) -> None:
    emu.config.settings.role = "VIEWER"
    found = call(emu, "GET", "/rest/adAccountUsers?q=authenticatedUser", method="FINDER").json()["elements"]
    assert [u["role"] for u in found] == ["VIEWER"]


def test_a_viewer_reads_but_writes_nothing(emu: Emulator, tree: Tree) -> None:
    emu.config.settings.role = "VIEWER"
    before = campaigns_names(emu)
    refused = call(emu, "POST", coll("adCampaigns"), campaign_body(tree.group), method="CREATE")
    assert (refused.status, code(refused)) == (403, "NO_PERMISSION_ON_ENTITY")
    assert "VIEWER" in refused.json()["message"]
    assert call(emu, "POST", coll("creatives"), {}, method="CREATE").status == 403
    assert campaigns_names(emu) == before


def test_a_creative_manager_writes_creatives_but_not_campaigns_or_groups(emu: Emulator, tree: Tree) -> None:
    emu.config.settings.role = "CREATIVE_MANAGER"
    assert patch(emu, f"{coll('adCampaigns')}/{tree.campaign}", {"name": "x"}).status == 403
    assert call(emu, "POST", coll("adCampaignGroups"), group_body(), method="CREATE").status == 403
    assert patch(emu, creative_path(tree.creative), {"intendedStatus": "PAUSED"}).status == 204
    # Classic envelope on creatives: a refusal there reads like LinkedIn's other creative errors.
    emu.config.settings.role = "VIEWER"
    refused = patch(emu, creative_path(tree.creative), {"intendedStatus": "ACTIVE"})
    assert refused.status == 403 and refused.json()["status"] == 403


def test_a_campaign_manager_writes_campaigns_but_not_the_account(emu: Emulator, tree: Tree) -> None:
    emu.config.settings.role = "CAMPAIGN_MANAGER"
    assert patch(emu, f"{coll('adCampaigns')}/{tree.campaign}", {"name": "renamed"}).status == 204
    assert patch(emu, f"/rest/adAccounts/{ACCOUNT}", {"name": "renamed"}).status == 403


def test_scopes_gate_reads_and_writes_with_linkedins_body(emu: Emulator, tree: Tree) -> None:
    emu.config.settings.scopes = frozenset({"r_ads"})
    assert call(emu, "GET", f"/rest/adAccounts/{ACCOUNT}").status == 200
    refused = patch(emu, f"{coll('adCampaigns')}/{tree.campaign}", {"name": "x"})
    assert refused.status == 403
    assert refused.json() == {
        "message": "Not enough permissions to access: "
        f"POST /adAccounts/{ACCOUNT}/adCampaigns/{tree.campaign}",
        "serviceErrorCode": 100,
        "status": 403,
    }
    emu.config.settings.scopes = frozenset({"r_organization_social"})
    assert call(emu, "GET", f"/rest/adAccounts/{ACCOUNT}").status == 403


def test_the_development_tier_edits_five_accounts_and_refuses_a_sixth(emu: Emulator) -> None:
    body = {"type": "BUSINESS", "currency": "USD"}
    accounts = [
        created_id(call(emu, "POST", "/rest/adAccounts", {**body, "name": f"A{i}"}, method="CREATE"))
        for i in range(6)
    ]
    emu.config.settings.development_tier = True
    for account in accounts[:5]:
        assert patch(emu, f"/rest/adAccounts/{account}", {"name": "edited"}).status == 204
    sixth = call(emu, "POST", coll("adCampaignGroups", accounts[5]), group_body(), method="CREATE")
    assert sixth.status == 403
    assert "Development tier" in sixth.json()["message"]
    # Reads stay open, and the five accounts stay editable.
    assert call(emu, "GET", f"/rest/adAccounts/{accounts[5]}").status == 200
    account = f"urn:li:sponsoredAccount:{accounts[0]}"
    again = call(
        emu, "POST", coll("adCampaignGroups", accounts[0]), group_body(account=account), method="CREATE"
    )
    assert again.status == 201


def test_a_seeded_account_user_keeps_their_seeded_role(emu: Emulator, tree: Tree) -> None:
    with emu.store.transaction(write=True):
        record = {
            "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
            "user": person_urn(TOKEN),
            "role": "VIEWER",
        }
        store_users(emu.store, ACCOUNT, [record])
    assert patch(emu, f"{coll('adCampaigns')}/{tree.campaign}", {"name": "x"}).status == 403


def test_the_development_tier_creates_one_test_account_and_no_real_one(emu: Emulator) -> None:
    emu.config.settings.development_tier = True
    body = {"type": "BUSINESS", "currency": "USD", "name": "Sandbox"}
    real = call(emu, "POST", "/rest/adAccounts", body, method="CREATE")
    assert real.status == 403 and "creates test ad accounts only" in real.json()["message"]
    first = call(emu, "POST", "/rest/adAccounts", {**body, "test": True}, method="CREATE")
    assert first.status == 201
    second = call(
        emu, "POST", "/rest/adAccounts", {**body, "name": "Sandbox 2", "test": True}, method="CREATE"
    )
    assert (second.status, code(second)) == (400, "TEST_ACCOUNT_LIMIT_REACHED")
    batch = {"elements": [{**body, "name": "Sandbox 3", "test": True}]}
    refused = call(emu, "POST", "/rest/adAccounts", batch, method="BATCH_CREATE")
    assert (refused.status, code(refused)) == (400, "BATCH_CREATE_TEST_ACCOUNT_LIMIT_REACHED")
    found = call(emu, "GET", "/rest/adAccounts?q=search", method="FINDER").json()["elements"]
    assert sorted(a["name"] for a in found) == ["Reconciler Test Account", "Sandbox"]


def test_a_refused_test_account_create_does_not_spend_the_one_allowed(emu: Emulator) -> None:
    emu.config.settings.development_tier = True
    invalid = {"type": "BUSINESS", "currency": "XXX", "name": "Bad", "test": True}
    assert call(emu, "POST", "/rest/adAccounts", invalid, method="CREATE").status == 400
    good = {"type": "BUSINESS", "currency": "USD", "name": "Good", "test": True}
    assert call(emu, "POST", "/rest/adAccounts", good, method="CREATE").status == 201
