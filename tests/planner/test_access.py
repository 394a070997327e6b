"""Changes the member's role forbids become ``access`` violations, one per account."""

from __future__ import annotations

from reconciler.plan import Action, Kind, ResourceChange
from reconciler.planner.access import access_violations, may_write


def change(kind: Kind, *path: str) -> ResourceChange:
    return ResourceChange(kind, Action.CREATE, path)


CHANGES = [
    change(Kind.GROUP, "1", "G"),
    change(Kind.CREATIVE, "1", "G", "C", "Ad"),
    change(Kind.CREATIVE, "2", "G", "C", "Ad"),
]


def test_each_role_writes_what_linkedin_says() -> None:
    assert not may_write("VIEWER", "creative")
    assert may_write("CREATIVE_MANAGER", "creative") and not may_write("CREATIVE_MANAGER", "campaign")
    assert may_write("CAMPAIGN_MANAGER", "campaignGroup")
    assert may_write("SOME_NEW_ROLE", "campaign")  # an unknown role: LinkedIn decides
    assert not may_write(None, "creative")  # no role on the account


def test_one_violation_per_account_naming_the_role() -> None:
    found = access_violations(CHANGES, {1: "CREATIVE_MANAGER", 2: "CREATIVE_MANAGER"})
    assert [v.guard for v in found] == ["access"]
    assert "CREATIVE_MANAGER on ad account 1" in found[0].message and "1 / G" in found[0].message
    assert access_violations(CHANGES, {1: "ACCOUNT_MANAGER", 2: "VIEWER"})[0].message.startswith(
        "the token's member is VIEWER on ad account 2"
    )
    assert "holds no role on ad account 2" in access_violations(CHANGES, {1: "ACCOUNT_MANAGER"})[0].message
    assert access_violations(CHANGES, {1: "ACCOUNT_BILLING_ADMIN", 2: "CAMPAIGN_MANAGER"}) == []
