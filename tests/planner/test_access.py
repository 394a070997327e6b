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


# -- tokens and page roles ----------------------------------------------------------------------


def test_a_token_that_cannot_write_is_one_violation_and_only_when_something_changes() -> None:
    from reconciler.planner.access import token_violations

    lacking = token_violations(CHANGES, True, "active", frozenset({"r_ads"}))
    assert len(lacking) == 1 and "lacks the rw_ads scope (it holds r_ads): 3 change(s)" in lacking[0].message
    assert "is expired" in token_violations(CHANGES, False, "expired", None)[0].message
    assert token_violations(CHANGES, True, None, None) == []  # scopes not listed: not known to lack
    assert token_violations([], True, "active", frozenset()) == []


def test_sponsored_content_needs_a_sponsoring_page_role_per_organization() -> None:
    from reconciler.planner.access import page_violations, sponsored

    orgs = {("1", "G", "C"): "urn:li:organization:9", ("2", "G", "C"): "urn:li:organization:8"}
    update = ResourceChange(Kind.CREATIVE, Action.UPDATE, ("1", "G", "C", "Old"), id=5)
    wanted = sponsored([*CHANGES, update], orgs)
    assert {o: [c.address for c in cs] for o, cs in wanted.items()} == {
        "urn:li:organization:9": ["1 / G / C / Ad"],
        "urn:li:organization:8": ["2 / G / C / Ad"],
    }
    found = page_violations(wanted, {"urn:li:organization:9": frozenset({"ANALYST"})})
    assert [v.guard for v in found] == ["access", "access"]
    assert "holds no role on urn:li:organization:8" in found[0].message
    assert "holds ANALYST on urn:li:organization:9" in found[1].message
    assert "DIRECT_SPONSORED_CONTENT_POSTER" in found[1].message
    poster = frozenset({"DIRECT_SPONSORED_CONTENT_POSTER"})
    assert page_violations(wanted, {o: poster for o in wanted}) == []


def test_a_development_tier_app_may_not_plan_edits_on_a_sixth_account() -> None:
    from reconciler.planner.access import tier_violations

    six = [change(Kind.GROUP, str(n), "G") for n in range(1, 7)]
    (found,) = tier_violations(six, "development")
    assert "edits 6 ad accounts (1, 2, 3, 4, 5, 6)" in found.message
    assert "Development tier, which edits at most 5 ad accounts: apply for the Standard tier" in found.message
    assert tier_violations(six[:5], "development") == []
    assert tier_violations(six, "standard") == [] and tier_violations(six, None) == []


# -- posting an ad's content: w_organization_social ----------------------------------------------


def creative(action: Action, content: object, *, ignored: bool = False) -> ResourceChange:
    from reconciler.plan import FieldChange

    fields = (FieldChange("content", None, content, ignored),)
    return ResourceChange(Kind.CREATIVE, action, ("1", "G", "C", f"Ad {action}"), fields=fields)


def test_only_creatives_whose_authored_content_is_posted_need_w_organization_social() -> None:
    from reconciler.planner.access import post_scope_violations, posting

    image = creative(Action.CREATE, {"image": {"file": "a.png"}})
    edited = creative(Action.UPDATE, {"event": {"event": "urn:li:event:1"}})
    others = [
        creative(Action.CREATE, {"conversation": {}}),  # rw_ads alone (Conversation Ads API)
        creative(Action.CREATE, {"message": {}}),
        creative(Action.CREATE, {"follower": {}}),
        creative(Action.CREATE, {"reference": "urn:li:share:1"}),  # an existing post: nothing posted
        creative(Action.UPDATE, {"video": {}}, ignored=True),
        creative(Action.ARCHIVE, {"image": {}}),
        change(Kind.CAMPAIGN, "1", "G", "C"),
    ]
    assert posting([image, *others, edited]) == [image, edited]
    found = post_scope_violations(posting([image, edited]), frozenset({"r_ads", "rw_ads"}))
    assert len(found) == 1 and found[0].guard == "access"
    assert "lacks the w_organization_social scope" in found[0].message and "2 creative(s)" in found[0].message
    assert post_scope_violations([image], frozenset({"rw_ads", "w_organization_social"})) == []
    assert post_scope_violations([image], None) == []  # scopes not listed: not known to lack
    assert post_scope_violations(posting(others), frozenset()) == []
