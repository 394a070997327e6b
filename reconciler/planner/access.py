"""Changes the token or the member's account role forbids, as plan violations (guard ``access``).

Pure: it takes the plan's changes and the member's roles (account id -> role, as
``adAccountUsers?q=authenticatedUser`` lists them) and says, per account, what cannot be applied.
An account the finder does not list is one the member holds no role on: nothing can be written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reconciler.plan import Action, Kind, ResourceChange, Violation

GUARD = "access"
WRITE_SCOPE = "rw_ads"  # the scope that manages campaigns and creatives
# The scope that posts on an organization's behalf (Posts API "Permissions"; the image, video and
# document ads pages list it beside rw_ads). Creatives whose content is authored in the manifests as
# one of POSTING_KINDS become a Direct Sponsored Content post first; InMail, conversation and dynamic
# ads' content is made with rw_ads alone (Conversation Ads API "Permissions": rw_ads, r_ads).
POST_SCOPE = "w_organization_social"
POSTING_KINDS = frozenset({"image", "video", "carousel", "document", "article", "event"})
# The page roles that may sponsor an organization's content ("Organization Access Control by Role":
# DIRECT_SPONSORED_CONTENT_POSTER "create direct sponsored content"; ADMINISTRATOR administers it all).
SPONSOR_ROLES = frozenset({"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER"})
# What each role may write (account-access-controls page: "VIEWER (Read-Only, even with rw_ads
# scope)"; CREATIVE_MANAGER "create and edit ads"; CAMPAIGN_MANAGER "campaigns and ads").
WRITES: dict[str, frozenset[str]] = {
    "ACCOUNT_BILLING_ADMIN": frozenset({"campaignGroup", "campaign", "creative"}),
    "ACCOUNT_MANAGER": frozenset({"campaignGroup", "campaign", "creative"}),
    "CAMPAIGN_MANAGER": frozenset({"campaignGroup", "campaign", "creative"}),
    "CREATIVE_MANAGER": frozenset({"creative"}),
    "VIEWER": frozenset(),
}


def may_write(role: str | None, kind: str) -> bool:
    """Whether ``role`` lets its member write a resource of ``kind`` (unknown roles: yes, and
    LinkedIn decides)."""
    if role is None:
        return False
    allowed = WRITES.get(role)
    return True if allowed is None else kind in allowed


def access_violations(changes: Sequence[ResourceChange], roles: Mapping[int, str]) -> list[Violation]:
    """One violation per account whose changes the member's role does not allow."""
    by_account: dict[int, list[ResourceChange]] = {}
    for change in changes:
        by_account.setdefault(int(change.path[0]), []).append(change)
    out: list[Violation] = []
    for account, mine in sorted(by_account.items()):
        role = roles.get(account)
        forbidden = [c for c in mine if not may_write(role, c.kind.value)]
        if not forbidden:
            continue
        kinds = ", ".join(sorted({c.kind.value for c in forbidden}))
        if role is None:
            who = f"the token's member holds no role on ad account {account}"
        else:
            who = f"the token's member is {role} on ad account {account}, which may not change {kinds}"
        out.append(
            Violation(
                GUARD,
                f"{who}: {len(forbidden)} change(s) cannot be applied (first: {forbidden[0].address}); "
                "ask an account manager for a role that may (see `reconciler doctor`)",
            )
        )
    return out


def token_violations(
    changes: Sequence[ResourceChange], active: bool, status: str | None, scopes: frozenset[str] | None
) -> list[Violation]:
    """A violation when the plan changes something and token introspection says the token cannot
    write: it is not ``active`` (``status`` expired, revoked), or its ``scopes`` (None: not listed)
    lack ``rw_ads``."""
    if not changes:
        return []
    if not active:
        state = status or "not active"
        return [Violation(GUARD, f"the access token is {state}: authorize the app again for a new token")]
    if scopes is not None and WRITE_SCOPE not in scopes:
        held = ", ".join(sorted(scopes)) or "none"
        return [
            Violation(
                GUARD,
                f"the access token lacks the {WRITE_SCOPE} scope (it holds {held}): {len(changes)} change(s) "
                f"cannot be applied; authorize the app again with {WRITE_SCOPE}",
            )
        ]
    return []


def posting(changes: Sequence[ResourceChange]) -> list[ResourceChange]:
    """The creative changes that post content: a create or replace whose manifest-authored
    ``content`` is of a :data:`POSTING_KINDS` kind, or an update that changes such content."""
    out: list[ResourceChange] = []
    for change in changes:
        if change.kind is not Kind.CREATIVE or change.action in (Action.ARCHIVE, Action.DELETE):
            continue
        for field in change.fields:
            new = field.new
            if field.field == "content" and not field.ignored and isinstance(new, Mapping) and len(new) == 1:
                if next(iter(new)) in POSTING_KINDS:
                    out.append(change)
                break
    return out


def post_scope_violations(posts: Sequence[ResourceChange], scopes: frozenset[str] | None) -> list[Violation]:
    """A violation when the plan posts content (``posts``, see :func:`posting`) and token
    introspection lists ``scopes`` without ``w_organization_social``."""
    if not posts or scopes is None or POST_SCOPE in scopes:
        return []
    return [
        Violation(
            GUARD,
            f"the access token lacks the {POST_SCOPE} scope, which posting an ad's content as the "
            f"organization needs: {len(posts)} creative(s) cannot be made (first: {posts[0].address}); "
            f"authorize the app again with {POST_SCOPE}",
        )
    ]


def sponsored(
    changes: Sequence[ResourceChange], campaign_orgs: Mapping[tuple[str, ...], str]
) -> dict[str, list[ResourceChange]]:
    """Organization URN -> the creative creates (and replaces) in campaigns it is the associated
    entity of: the sponsored content the plan makes on its behalf. ``campaign_orgs`` maps a
    campaign's path (account, group, campaign) to its organization."""
    out: dict[str, list[ResourceChange]] = {}
    for change in changes:
        if change.kind is Kind.CREATIVE and change.action in (Action.CREATE, Action.REPLACE):
            organization = campaign_orgs.get(change.path[:3])
            if organization is not None:
                out.setdefault(organization, []).append(change)
    return out


def page_violations(
    wanted: Mapping[str, Sequence[ResourceChange]], page_roles: Mapping[str, frozenset[str]]
) -> list[Violation]:
    """One violation per organization whose content the plan sponsors while the member holds neither
    ADMINISTRATOR nor DIRECT_SPONSORED_CONTENT_POSTER on it."""
    out: list[Violation] = []
    for organization, mine in sorted(wanted.items()):
        held = page_roles.get(organization, frozenset())
        if held & SPONSOR_ROLES:
            continue
        who = f"holds {', '.join(sorted(held))}" if held else "holds no role"
        out.append(
            Violation(
                GUARD,
                f"the token's member {who} on {organization}, whose content {len(mine)} creative(s) "
                f"sponsor (first: {mine[0].address}): it needs ADMINISTRATOR or "
                "DIRECT_SPONSORED_CONTENT_POSTER on that page; ask a page administrator",
            )
        )
    return out


DEVELOPMENT_EDIT_LIMIT = 5
TIER_ADVICE = (
    f"the app is in the Development tier, which edits at most {DEVELOPMENT_EDIT_LIMIT} ad accounts: "
    "apply for the Standard tier (or manage fewer accounts with this app)"
)


def tier_violations(changes: Sequence[ResourceChange], tier: str | None) -> list[Violation]:
    """A violation when the app is known to be in the Development tier (``tier``, as configured:
    LinkedIn's API does not say) and the plan edits more ad accounts than it may."""
    if tier != "development":
        return []
    edited = sorted({int(c.path[0]) for c in changes})
    if len(edited) <= DEVELOPMENT_EDIT_LIMIT:
        return []
    shown = ", ".join(str(a) for a in edited)
    return [Violation(GUARD, f"the plan edits {len(edited)} ad accounts ({shown}), but {TIER_ADVICE}")]
