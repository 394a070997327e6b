"""Changes the token or the member's account role forbids, as plan violations (guard ``access``).

Pure: it takes the plan's changes and the member's roles (account id -> role, as
``adAccountUsers?q=authenticatedUser`` lists them) and says, per account, what cannot be applied.
An account the finder does not list is one the member holds no role on: nothing can be written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reconciler.plan import ResourceChange, Violation

GUARD = "access"
WRITE_SCOPE = "rw_ads"  # the scope that manages campaigns and creatives
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
