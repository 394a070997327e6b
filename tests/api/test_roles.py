"""The member's account roles (``adAccountUsers``) and page roles (``organizationAcls``) as read by
the client: an unknown role is kept, an unreadable element skipped, a wrongly shaped answer a
BadAnswer (never an empty list of roles, which a plan would turn into a wrong refusal)."""

from __future__ import annotations

import httpx
import pytest

from reconciler.errors import BadAnswer
from reconciler.plan import Action, Kind, Plan, ResourceChange
from reconciler.workflow import check_access
from tests.api.fakes import FakeLinkedIn, make_client


def answering(elements: object) -> FakeLinkedIn:
    return FakeLinkedIn(lambda request: httpx.Response(200, json={"elements": elements}))


def test_roles_keep_unknown_roles_and_skip_unreadable_elements() -> None:
    users = [
        {"account": "urn:li:sponsoredAccount:7", "role": "SOME_NEW_ROLE"},
        {"account": "urn:li:sponsoredAccount:8"},
        "junk",
        {"account": "urn:li:organization:9", "role": "VIEWER"},
    ]
    with make_client(answering(users)) as client:
        assert client.member_roles() == {7: "SOME_NEW_ROLE"}
    acls = [
        {"organization": "urn:li:organization:5", "role": "ADMINISTRATOR", "state": "APPROVED"},
        {"organization": "urn:li:organization:5", "role": "ANALYST", "state": "REVOKED"},
        {"organization": "not-an-urn", "role": "ADMINISTRATOR"},
    ]
    with make_client(answering(acls)) as client:
        assert client.page_roles() == {"urn:li:organization:5": frozenset({"ADMINISTRATOR"})}


@pytest.mark.parametrize("elements", [{"id": 1}, None, "x"])
def test_a_wrongly_shaped_answer_is_a_bad_answer_and_a_plan_note_not_a_refusal(elements: object) -> None:
    with make_client(answering(elements)) as client:
        with pytest.raises(BadAnswer, match="elements is not a list"):
            client.member_roles()
        with pytest.raises(BadAnswer, match="elements is not a list"):
            client.page_roles()
    change = ResourceChange(Kind.GROUP, Action.CREATE, ("7", "G"))
    plan = Plan(target="t", api_version="202610", manifest_checksum="sha256:x", changes=(change,))
    with make_client(answering(elements)) as client:
        checked = check_access(plan, client)
    assert checked.violations == ()
    assert any("account roles could not be read" in note for note in checked.notes)
