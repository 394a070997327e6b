"""``organizationAcls``: the members' roles on company pages (LinkedIn's "Organization Access Control
by Role" page).

Finder ``q=roleAssignee`` (the caller's own roles; optional ``role`` and ``state`` filters), paged
by ``start``/``count``. Each element: ``{"roleAssignee", "role", "state", "organization"}``. The
page's samples add a ``projection`` decorating the URNs (``organization~(localizedName)``): it is
accepted, and the decorations left out (GUESS: the emulator holds no organizations or members to
decorate with; a client must read the plain URNs anyway).

Who holds a role: organizations seeded with ACLs (``emulator seed --from``, section
``organizationAcls``) have exactly those. On any other organization the emulator knows of, the
caller (the member its token maps to) holds ``Settings.page_role`` (``emulator serve --page-role``,
ADMINISTRATOR by default), APPROVED. The organizations the emulator knows of (it keeps no
organization entities): :data:`HOME_ORGANIZATION` (the organization its test account advertises
for), every organization seeded with ACLs, and every ``urn:li:organization:N`` stored as an
account's ``reference`` or a campaign's ``associatedEntity``.

Enforced on writes (:func:`check_sponsor`): creating a creative in a campaign whose
``associatedEntity`` is an organization needs the caller to hold ADMINISTRATOR or
DIRECT_SPONSORED_CONTENT_POSTER (APPROVED) there, as sponsoring an organization's content does; the
refusal is LinkedIn's classic 403 (GUESS: the message, see docs/emulator.md).
"""

from __future__ import annotations

import json
import re
from typing import Any

from reconciler.emulator.errors import classic, param_invalid
from reconciler.emulator.paging import index_page
from reconciler.emulator.restli import Params
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, Store
from reconciler.emulator.wire import Reply, unsupported

# The page's role table, and the states of a role assignment.
ROLES = frozenset(
    {
        "ADMINISTRATOR",
        "DIRECT_SPONSORED_CONTENT_POSTER",
        "RECRUITING_POSTER",
        "LEAD_CAPTURE_ADMINISTRATOR",
        "LEAD_GEN_FORMS_MANAGER",
        "ANALYST",
        "CURATOR",
        "CONTENT_ADMINISTRATOR",
    }
)
STATES = frozenset({"APPROVED", "REJECTED", "REQUESTED", "REVOKED"})
SPONSOR_ROLES = frozenset({"ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER"})
HOME_ORGANIZATION = "urn:li:organization:2414183"
SECTION = "organizationAcls"
_META = "organization-acls"
_ORG = re.compile(r"^urn:li:organization:\d+$")
_MEMBER = re.compile(r"^urn:li:(person|member):[A-Za-z0-9_-]+$")


def check_record(record: Entity) -> str | None:
    """What is wrong with a seeded ACL, or None."""
    if not isinstance(record.get("organization"), str) or not _ORG.match(record["organization"]):
        return "organization must be a urn:li:organization URN"
    if not isinstance(record.get("roleAssignee"), str) or not _MEMBER.match(record["roleAssignee"]):
        return "roleAssignee must be a urn:li:person or urn:li:member URN"
    if record.get("role") not in ROLES:
        return f"role must be one of {', '.join(sorted(ROLES))}"
    if record.get("state") not in STATES:
        return f"state must be one of {', '.join(sorted(STATES))}"
    return None


def seed_acls(store: Store, records: list[Entity]) -> None:
    """Replace the ACLs of each organization ``records`` name with those records (ValueError on a
    malformed one)."""
    for i, record in enumerate(records):
        problem = check_record(record) if isinstance(record, dict) else "an ACL is a JSON object"
        if problem:
            raise ValueError(f"{SECTION}[{i}]: {problem}")
    seeded = _seeded(store)
    for organization in {r["organization"] for r in records}:
        seeded[organization] = [r for r in records if r["organization"] == organization]
    store.set_meta(_META, json.dumps(seeded, sort_keys=True))


def _seeded(store: Store) -> dict[str, list[Entity]]:
    raw = store.get_meta(_META)
    return {} if raw is None else dict(json.loads(raw))


def _known(store: Store) -> list[str]:
    """Every organization the emulator knows of, sorted by number."""
    found = {HOME_ORGANIZATION, *_seeded(store)}
    for account_id, account in store.scan(Kind.ACCOUNT, None):
        found.add(str(account.get("reference", "")))
        for _, campaign in store.scan(Kind.CAMPAIGN, account_id):
            found.add(str(campaign.get("associatedEntity", "")))
    return sorted((o for o in found if _ORG.match(o)), key=lambda o: int(o.rsplit(":", 1)[1]))


def acls_of(ctx: Ctx, organization: str) -> list[Entity]:
    """The ACLs of one organization: as seeded, else the caller in the configured page role."""
    seeded = _seeded(ctx.store).get(organization)
    if seeded is not None:
        return seeded
    return [
        {
            "roleAssignee": ctx.actor,
            "role": ctx.settings.page_role,
            "state": "APPROVED",
            "organization": organization,
        }
    ]


def answer(ctx: Ctx, method: str, params: Params) -> Reply:
    """Answer one ``organizationAcls`` call (the ``roleAssignee`` finder)."""
    if method != "FINDER":
        raise unsupported(method, SECTION)
    if params.get("q") != "roleAssignee":
        raise param_invalid("q")
    role, state = params.get("role"), params.get("state")
    if role is not None and role not in ROLES:
        raise param_invalid("role", str(role))
    if state is not None and state not in STATES:
        raise param_invalid("state", str(state))
    rows = [
        acl
        for organization in _known(ctx.store)
        for acl in acls_of(ctx, organization)
        if acl["roleAssignee"] == ctx.actor
        and (role is None or acl["role"] == role)
        and (state is None or acl["state"] == state)
    ]

    def scan(after: int | None, want: int | None = None) -> Any:
        yield from enumerate(rows)

    return Reply(200, index_page(params, scan))


def may_sponsor(ctx: Ctx, organization: str) -> bool:
    """Whether the caller holds an APPROVED role that sponsors ``organization``'s content."""
    return any(
        acl["roleAssignee"] == ctx.actor and acl["role"] in SPONSOR_ROLES and acl["state"] == "APPROVED"
        for acl in acls_of(ctx, organization)
    )


def check_sponsor(ctx: Ctx, account: Entity | None, body: bytes, method: str) -> None:
    """Raise a 403 when a creative create names a campaign whose organization the caller may not
    sponsor content for (CREATE, BATCH_CREATE and the ``createInline`` action)."""
    if account is None or method not in ("CREATE", "BATCH_CREATE", "ACTION"):
        return
    for campaign_urn in _campaigns(body, method):
        match = re.match(r"^urn:li:sponsoredCampaign:(\d+)$", campaign_urn)
        campaign = None if match is None else ctx.store.get(Kind.CAMPAIGN, int(account["id"]), int(match[1]))
        organization = None if campaign is None else campaign.get("associatedEntity")
        if isinstance(organization, str) and _ORG.match(organization) and not may_sponsor(ctx, organization):
            # GUESS: the body of the refusal; the classic 403 with the permissions wording of §7.1.
            raise classic(
                403,
                f"Not enough permissions to sponsor content of {organization}: the member needs "
                "ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER on it",
                service_code=100,
            )


def _campaigns(body: bytes, method: str) -> list[str]:
    """The campaign URNs a creative create body names (nothing when it cannot be read: the rules
    refuse such a body on their own)."""
    try:
        data = json.loads(body) if body else None
    except (ValueError, RecursionError):
        return []
    if method == "ACTION" and isinstance(data, dict):
        data = data.get("creative")
    items = data.get("elements") if method == "BATCH_CREATE" and isinstance(data, dict) else [data]
    if not isinstance(items, list):
        return []
    return [str(item["campaign"]) for item in items if isinstance(item, dict) and "campaign" in item]
