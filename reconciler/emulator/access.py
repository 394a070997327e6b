"""Who may do what: token scopes, the member's account role and the app's access tier.

Checked by ``routes`` for every ``/rest/`` call once the resource, account and Rest.li method are
known, before any rule runs (so a refused write changes nothing):

1. Scopes (account-access-controls page): reading needs ``r_ads`` or ``rw_ads``; writing needs
   ``rw_ads``. ``Settings.scopes`` None means the token holds every scope.
2. The member's role on the account written to (same page's role table): VIEWER writes nothing
   ("Read-Only, even with rw_ads scope"); CREATIVE_MANAGER writes creatives only; CAMPAIGN_MANAGER
   writes groups, campaigns and creatives but not the account itself; ACCOUNT_MANAGER and
   ACCOUNT_BILLING_ADMIN write everything.
3. The Development tier edits at most :data:`DEVELOPMENT_EDIT_LIMIT` ad accounts (the first five
   written to, remembered in the store); writes to any other account are refused. It creates ad
   accounts only as test accounts (``test: true``; real ones are made in Campaign Manager), and at
   most :data:`DEVELOPMENT_TEST_ACCOUNTS` of them (:func:`check_account_create`, counted by
   :func:`count_test_accounts` once a create succeeded).

Error shapes: the scope refusal is LinkedIn's documented classic 403 (``serviceErrorCode`` 100,
"Not enough permissions to access: …"); the role refusal uses the registry code
``NO_PERMISSION_ON_ENTITY`` in the resource's envelope; the tier refusal's body is a GUESS (see
docs/emulator.md).
"""

from __future__ import annotations

import json

from reconciler.emulator.errors import ApiError, classic
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind

READ_SCOPES = frozenset({"r_ads", "rw_ads"})
WRITE_SCOPE = "rw_ads"
DEVELOPMENT_EDIT_LIMIT = 5
DEVELOPMENT_TEST_ACCOUNTS = 1
_TEST_META = "tier:test-accounts"
# What each role may write, by entity kind (account-access-controls role table; the split of
# account edits between CAMPAIGN_MANAGER and ACCOUNT_MANAGER is INFERRED from its wording).
_ALL = frozenset({Kind.ACCOUNT, Kind.GROUP, Kind.CAMPAIGN, Kind.CREATIVE})
WRITES: dict[str, frozenset[Kind]] = {
    "ACCOUNT_BILLING_ADMIN": _ALL,
    "ACCOUNT_MANAGER": _ALL,
    "CAMPAIGN_MANAGER": frozenset({Kind.GROUP, Kind.CAMPAIGN, Kind.CREATIVE}),
    "CREATIVE_MANAGER": frozenset({Kind.CREATIVE}),
    "VIEWER": frozenset(),
}
_TIER_META = "tier:edited"
_ENTITY = {
    Kind.ACCOUNT: "urn:li:sponsoredAccount",
    Kind.GROUP: "urn:li:sponsoredCampaignGroup",
    Kind.CAMPAIGN: "urn:li:sponsoredCampaign",
    Kind.CREATIVE: "urn:li:sponsoredCreative",
}
TIER_MESSAGE = (
    f"The application is in the Development tier, which may edit at most {DEVELOPMENT_EDIT_LIMIT} ad accounts"
)


def check_scope(ctx: Ctx, verb: str, path: str, write: bool) -> None:
    """Raise LinkedIn's 403 when the token lacks the scope this call needs."""
    scopes = ctx.settings.scopes
    if scopes is None:
        return
    ok = WRITE_SCOPE in scopes if write else bool(READ_SCOPES & scopes)
    if not ok:
        # The documented body names the verb and the resource path (reference §7.1).
        raise classic(403, f"Not enough permissions to access: {verb} {path}", service_code=100)


def check_write(ctx: Ctx, kind: Kind, account: Entity | None, role: str | None) -> None:
    """Raise a 403 when the member's ``role`` or the app's tier forbids writing ``kind`` on ``account``.

    ``account`` None is an account creation (the tier's test-account rule is not modelled);
    ``role`` None means the member holds no role the emulator knows of (not checked).
    """
    if role is not None and kind not in WRITES.get(role, frozenset()):
        entity = f"{_ENTITY[Kind.ACCOUNT]}:{account['id']}" if account is not None else _ENTITY[kind]
        # The registry's template is "Viewer may not have permission {permission} on entity {entity}".
        raise ApiError(
            403,
            "NO_PERMISSION_ON_ENTITY",
            f"Viewer may not have permission WRITE_{kind.name} on entity {entity} (role {role})",
        )
    if account is not None and ctx.settings.development_tier:
        _spend_tier(ctx, int(account["id"]))


def _spend_tier(ctx: Ctx, account_id: int) -> None:
    raw = ctx.store.get_meta(_TIER_META)
    edited: list[int] = [] if raw is None else list(json.loads(raw))
    if account_id in edited:
        return
    if len(edited) >= DEVELOPMENT_EDIT_LIMIT:
        # GUESS: LinkedIn documents the limit (marketing tiers page) but not the refusal's body.
        raise classic(403, f"{TIER_MESSAGE}; ad account {account_id} is not one of them", service_code=100)
    ctx.store.set_meta(_TIER_META, json.dumps([*edited, account_id]))


def _test_flags(body: bytes, method: str) -> list[bool]:
    """The ``test`` flag of each account an account create body holds ([] when unreadable: the
    rules refuse such a body themselves)."""
    try:
        data = json.loads(body) if body else None
    except (ValueError, RecursionError):
        return []
    items = data.get("elements") if method == "BATCH_CREATE" and isinstance(data, dict) else [data]
    if not isinstance(items, list):
        return []
    return [isinstance(i, dict) and i.get("test") is True for i in items]


def check_account_create(ctx: Ctx, body: bytes, method: str) -> None:
    """In the Development tier: refuse an account create that is not a test account, or one test
    account more than :data:`DEVELOPMENT_TEST_ACCOUNTS` (GUESS: both bodies, see docs/emulator.md)."""
    if not ctx.settings.development_tier or method not in ("CREATE", "BATCH_CREATE"):
        return
    flags = _test_flags(body, method)
    if not all(flags):
        raise classic(
            403,
            "The application is in the Development tier, which creates test ad accounts only "
            "(test: true); create real ones in Campaign Manager",
            service_code=100,
        )
    made = int(ctx.store.get_meta(_TEST_META) or 0)
    if made + len(flags) > DEVELOPMENT_TEST_ACCOUNTS:
        code = (
            "BATCH_CREATE_TEST_ACCOUNT_LIMIT_REACHED"
            if method == "BATCH_CREATE"
            else "TEST_ACCOUNT_LIMIT_REACHED"
        )
        raise ApiError(
            400,
            code,
            f"You have reached the maximum of {DEVELOPMENT_TEST_ACCOUNTS} test ad account(s) "
            "this application may create",
        )


def count_test_accounts(ctx: Ctx, body: bytes, method: str) -> None:
    """Remember the test accounts a successful create in the Development tier made."""
    if ctx.settings.development_tier and method in ("CREATE", "BATCH_CREATE"):
        made = int(ctx.store.get_meta(_TEST_META) or 0)
        ctx.store.set_meta(_TEST_META, str(made + sum(_test_flags(body, method))))
