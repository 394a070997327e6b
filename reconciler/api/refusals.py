"""What a 403 on a write means: the token's scope, the member's account role, or the app's tier.

LinkedIn decides a write by the token's scopes (``rw_ads`` to manage campaigns), the member's role
on the ad account (VIEWER writes nothing; CREATIVE_MANAGER writes creatives only) and the
application's access tier (Development edits at most five ad accounts). Its 403 says which only
in its wording: the classic body "Not enough permissions to access: …" (``serviceErrorCode`` 100)
for a missing scope, the codes ``NO_PERMISSION_ON_ENTITY``, ``NO_PERMISSION_ON_FIELD`` and
``NO_PERMISSION_TO_UPDATE`` for a role. A page role (ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER
on the organization whose content a creative sponsors) and ``w_organization_social`` (to post an
ad's content) are told apart by the message and the refused path. :func:`explain` turns one into
an action a user can take.
"""

from __future__ import annotations

from reconciler.errors import PermissionDenied

DEVELOPMENT_EDIT_LIMIT = 5
TIER = (
    f"the app is in the Development tier, which edits at most {DEVELOPMENT_EDIT_LIMIT} ad accounts: "
    "apply for the Standard tier (or manage fewer accounts with this app)"
)
ROLE = (
    "the member's role on this ad account does not allow this change (VIEWER writes nothing; "
    "CREATIVE_MANAGER writes creatives only; CAMPAIGN_MANAGER not the account): ask an account "
    "manager for a higher role (`reconciler doctor` shows the role)"
)
SCOPE = (
    "the access token lacks the scope this call needs (rw_ads to manage campaigns and creatives): "
    "authorize the app again with rw_ads"
)
POST_SCOPE = (
    "the access token lacks the scope posting an ad's content as the organization needs "
    "(w_organization_social): authorize the app again with w_organization_social"
)
PAGE = (
    "the member's role on the company page whose content this sponsors does not allow it (it needs "
    "ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER): ask a page administrator (`reconciler "
    "doctor` shows the page roles)"
)
# The Posts API and the media uploads it posts (images, videos, documents): written with
# w_organization_social, not rw_ads (Posts API and Images/Videos/Documents API "Permissions").
_POSTING_PATHS = ("/posts", "/ugcPosts", "/images", "/videos", "/documents")
_ROLE_CODES = frozenset({"NO_PERMISSION_ON_ENTITY", "NO_PERMISSION_ON_FIELD", "NO_PERMISSION_TO_UPDATE"})


def meaning(error: PermissionDenied) -> str:
    """What a 403 means, judged from LinkedIn's code and message (a role when nothing else fits)."""
    text = error.message.lower()
    if "development tier" in text or "access tier" in text:
        return TIER
    if error.code in _ROLE_CODES:
        return ROLE
    # GUESS: LinkedIn's wording for a page-role refusal is not documented; any 403 naming an
    # organization or sponsoring is read as one (the account role refusals name neither).
    if "organization" in text or "sponsor" in text:
        return PAGE
    if "not enough permissions to access" in text or "scope" in text:
        path = (error.path or "").split("?")[0]
        return POST_SCOPE if any(path.startswith(p) for p in _POSTING_PATHS) else SCOPE
    return ROLE


def explain(error: PermissionDenied) -> str:
    """One line: the refused call, what LinkedIn said, and what it means."""
    where = f"{error.method} {error.path}" if error.method and error.path else "a write"
    return f'LinkedIn refused {where} with 403 "{error.message}": {meaning(error)}'
