"""``organizationAcls?q=roleAssignee`` and the page role a creative create needs (``emulator.orgs``)."""

from __future__ import annotations

import pytest

from reconciler.emulator import Emulator, seed_entities
from reconciler.emulator.gate import person_urn
from reconciler.emulator.orgs import HOME_ORGANIZATION
from tests.emulator.conftest import Tree
from tests.emulator.helpers import TOKEN, call, campaign_body, coll, created_id, creative_body

ACLS = "/rest/organizationAcls?q=roleAssignee"
ME = person_urn(TOKEN)


def acls(emu: Emulator, query: str = "") -> list[dict[str, str]]:
    response = call(emu, "GET", ACLS + query, method="FINDER")
    assert response.status == 200, response.body
    return list(response.json()["elements"])


def test_a_fresh_emulator_makes_its_member_administrator_of_its_organization(emu: Emulator) -> None:
    assert acls(emu) == [
        {"roleAssignee": ME, "role": "ADMINISTRATOR", "state": "APPROVED", "organization": HOME_ORGANIZATION}
    ]


def test_organizations_of_stored_campaigns_are_known_and_the_page_role_applies(
    emu: Emulator, tree: Tree
) -> None:
    other = "urn:li:organization:777"
    call(emu, "POST", coll("adCampaigns"), campaign_body(tree.group, associatedEntity=other), method="CREATE")
    emu.config.settings.page_role = "ANALYST"
    found = acls(emu)
    assert [(a["organization"], a["role"]) for a in found] == [
        (other, "ANALYST"),
        (HOME_ORGANIZATION, "ANALYST"),
    ]
    assert acls(emu, "&role=ADMINISTRATOR") == [] and len(acls(emu, "&state=APPROVED")) == 2
    paged = call(emu, "GET", ACLS + "&start=1&count=1", method="FINDER").json()
    assert paged["paging"]["total"] == 2 and len(paged["elements"]) == 1


def test_the_documented_projection_decorating_the_urns_is_accepted(emu: Emulator) -> None:
    """The page's sample asks for ``roleAssignee~`` and ``organization~`` decorations: accepted, the
    plain elements served (the emulator has no names to decorate them with)."""
    decorated = (
        "(elements*(*,roleAssignee~(localizedFirstName,%20localizedLastName),organization~(localizedName)))"
    )
    assert acls(emu, "&role=ADMINISTRATOR&projection=" + decorated) == acls(emu)
    assert acls(emu, "&projection=(elements*(*))") == acls(emu)


def test_bad_finder_parameters_are_refused(emu: Emulator) -> None:
    assert call(emu, "GET", ACLS + "&role=OWNER", method="FINDER").status == 400
    assert call(emu, "GET", "/rest/organizationAcls?q=nobody", method="FINDER").status == 400


def test_seeded_acls_are_answered_as_seeded_and_only_the_callers(emu: Emulator) -> None:
    seeded = [
        {
            "roleAssignee": ME,
            "role": "DIRECT_SPONSORED_CONTENT_POSTER",
            "state": "APPROVED",
            "organization": "urn:li:organization:5",
        },
        {
            "roleAssignee": "urn:li:person:SomeoneElse",
            "role": "ADMINISTRATOR",
            "state": "APPROVED",
            "organization": "urn:li:organization:5",
        },
    ]
    seed_entities(emu, {"organizationAcls": seeded})
    assert seeded[0] in acls(emu) and seeded[1] not in acls(emu)
    with pytest.raises(ValueError, match=r"organizationAcls\[0\]: role must be one of"):
        seed_entities(emu, {"organizationAcls": [{**seeded[0], "role": "OWNER"}]})


def test_a_creative_create_needs_a_sponsoring_page_role(emu: Emulator, tree: Tree) -> None:
    emu.config.settings.page_role = "ANALYST"
    refused = call(emu, "POST", coll("creatives"), creative_body(tree.campaign, name="B"), method="CREATE")
    assert refused.status == 403 and HOME_ORGANIZATION in refused.json()["message"]
    batch = {"elements": [creative_body(tree.campaign, name="C")]}
    assert call(emu, "POST", coll("creatives"), batch, method="BATCH_CREATE").status == 403
    emu.config.settings.page_role = "DIRECT_SPONSORED_CONTENT_POSTER"
    made = call(emu, "POST", coll("creatives"), creative_body(tree.campaign, name="B"), method="CREATE")
    assert created_id(made) > 0
    # Updates of existing creatives need no page role here (only sponsoring new content does).
    emu.config.settings.page_role = "ANALYST"
    patch = {"patch": {"$set": {"intendedStatus": "PAUSED"}}}
    path = f"{coll('creatives')}/urn%3Ali%3AsponsoredCreative%3A{tree.creative}"
    assert call(emu, "POST", path, patch, method="PARTIAL_UPDATE").status == 204
