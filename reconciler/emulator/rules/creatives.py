"""Creative rules (reference §3.4, §5): content, text ads, status, immutability, delete, caps.

Creatives answer with the classic error envelope, but the rules collect problems the same way as
for the other kinds; the resource layer picks the envelope.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.errors import Problems, refusal
from reconciler.emulator.rules import content as content_rules
from reconciler.emulator.rules import limits
from reconciler.emulator.rules import status as st
from reconciler.emulator.rules.common import (
    Ctx,
    apply_patch,
    changed,
    check_enum,
    check_fields,
    check_text,
    check_urn,
    numeric_urn,
    require,
)
from reconciler.emulator.rules.enums import CONTENT_KINDS, CTA_LABELS, REFERENCE_PREFIXES
from reconciler.emulator.store import Entity, Kind

WRITABLE = frozenset({"campaign", "content", "intendedStatus", "name", "leadgenCallToAction"})
READ_ONLY = frozenset(
    {
        "id",
        "account",
        "isServing",
        "isTest",
        "review",
        "servingHoldReasons",
        "createdAt",
        "createdBy",
        "lastModifiedAt",
        "lastModifiedBy",
        "inlineContent",
    }
)
CAMPAIGN_PREFIX = "urn:li:sponsoredCampaign:"
CREATE_STATUSES = ("ACTIVE", "PAUSED", "DRAFT")
HEADLINE_MAX = 25
DESCRIPTION_MAX = 75


def build(ctx: Ctx, account: Entity, body: Entity) -> Entity:
    """Validate a create body for ``account``; the creative to store (no id or stamps yet)."""
    problems = Problems()
    check_fields(problems, body.keys(), WRITABLE, READ_ONLY)
    entity = {k: v for k, v in body.items() if k in WRITABLE}
    campaign = _validate(problems, ctx, account, entity, None)
    if entity.get("intendedStatus") in st.CREATIVE_STATUSES - set(CREATE_STATUSES):
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "intendedStatus", "a creative is created ACTIVE, PAUSED or DRAFT"
        )
    if campaign is not None and campaign.get("status") in ("ARCHIVED", "COMPLETED", *st.TERMINAL):
        problems.add(
            "FIELD_VALUE_NOT_ACTIVE", "campaign", f"campaign {campaign.get('id')} is {campaign.get('status')}"
        )
    if not problems:
        limits.check_creative(problems, ctx, int(account["id"]), entity, None)
    problems.raise_if_any()
    return entity


def merge(ctx: Ctx, account: Entity, current: Entity, patch: Any) -> Entity:
    """Validate a patch against ``current``; the creative to store."""
    problems = Problems()
    if st.check_frozen(problems, current.get("intendedStatus"), "Creative", current.get("id")):
        problems.raise_if_any()
    after, touched = apply_patch(current, patch)
    check_fields(problems, touched, WRITABLE, READ_ONLY)
    _validate(problems, ctx, account, after, current)
    for name in ("content", "campaign"):
        if changed(current, after, name) and not (
            name == "content" and content_rules.editable(current.get("content"), after.get("content"))
        ):
            problems.add(
                "FIELD_NOT_ALLOWED", name, f"{name} can't be modified after creation; create a new creative"
            )
    old_cta, new_cta = current.get("leadgenCallToAction") or {}, after.get("leadgenCallToAction") or {}
    if current.get("intendedStatus") != "DRAFT" and old_cta.get("destination") != new_cta.get("destination"):
        problems.add(
            "FIELD_NOT_ALLOWED",
            "leadgenCallToAction/destination",
            "destination can only be changed while DRAFT",
        )
    st.check_move(
        problems,
        st.CREATIVE,
        current.get("intendedStatus"),
        after.get("intendedStatus"),
        field="intendedStatus",
    )
    if not problems:
        limits.check_creative(problems, ctx, int(account["id"]), after, current)
    problems.raise_if_any()
    return after


def check_delete(ctx: Ctx, account_id: int, current: Entity) -> None:
    """DELETE works on a DRAFT creative, any creative of a DRAFT campaign, or a video creative whose
    processing failed (reference §3.4)."""
    if current.get("intendedStatus") == "DRAFT" or content_rules.video_failed(ctx, current.get("content")):
        return
    campaign_id = numeric_urn(CAMPAIGN_PREFIX, current.get("campaign"))
    campaign = None if campaign_id is None else ctx.store.get(Kind.CAMPAIGN, account_id, campaign_id)
    if campaign is not None and campaign.get("status") == "DRAFT":
        return
    raise refusal(
        "DELETE_ALLOWED_ONLY_FOR_DRAFT_STATUS",
        "intendedStatus",
        "Delete is allowed only in draft state; set intendedStatus to PENDING_DELETION instead",
    )


def _validate(
    problems: Problems, ctx: Ctx, account: Entity, entity: Entity, before: Entity | None
) -> Entity | None:
    campaign = _check_campaign(problems, ctx, account, entity)
    if require(problems, entity, "intendedStatus"):
        check_enum(problems, entity["intendedStatus"], "intendedStatus", st.CREATIVE_STATUSES)
    check_text(problems, entity.get("name"), "name")
    if require(problems, entity, "content"):
        _check_content(problems, entity["content"], campaign)
        content_rules.check(problems, ctx, account, entity, campaign)
    _check_cta(problems, entity, campaign)
    return campaign


def _check_campaign(problems: Problems, ctx: Ctx, account: Entity, entity: Entity) -> Entity | None:
    if not require(problems, entity, "campaign"):
        return None
    campaign_id = numeric_urn(CAMPAIGN_PREFIX, entity["campaign"])
    if campaign_id is None:
        problems.add("INVALID_VALUE_FOR_FIELD", "campaign", "campaign must be a sponsoredCampaign URN")
        return None
    campaign = ctx.store.get(Kind.CAMPAIGN, int(account["id"]), campaign_id)
    if campaign is None:
        problems.add(
            "FIELD_VALUE_DOES_NOT_EXIST", "campaign", f"campaign {campaign_id} does not exist in this account"
        )
    return campaign


def _check_content(problems: Problems, content: Any, campaign: Entity | None) -> None:
    if not isinstance(content, dict) or len(content) != 1 or next(iter(content)) not in CONTENT_KINDS:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "content", f"content must hold exactly one of {sorted(CONTENT_KINDS)}"
        )
        return
    kind, value = next(iter(content.items()))
    if kind == "reference":
        check_urn(problems, value, "content/reference", REFERENCE_PREFIXES)
    elif kind == "textAd":
        _check_text_ad(problems, value)
    elif not isinstance(value, dict):
        problems.add("INVALID_VALUE_FOR_FIELD", f"content/{kind}", f"content/{kind} must be an object")
    campaign_type = None if campaign is None else campaign.get("type")
    if campaign_type is not None and (kind == "textAd") != (campaign_type == "TEXT_AD"):
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content",
            f"content {kind} does not match the format of a {campaign_type} campaign",
        )


def _check_text_ad(problems: Problems, value: Any) -> None:
    if not isinstance(value, dict) or not set(value) <= {"headline", "description", "landingPage", "image"}:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/textAd",
            "textAd holds headline, description, landingPage, image",
        )
        return
    for name, limit in (("headline", HEADLINE_MAX), ("description", DESCRIPTION_MAX)):
        if require(problems, value, name, f"content/textAd/{name}"):
            check_text(problems, value[name], f"content/textAd/{name}", limit)
    landing = value.get("landingPage")
    if landing is not None and (
        not isinstance(landing, str) or not landing.startswith(("https://", "http://"))
    ):
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "content/textAd/landingPage", "landingPage must be an http(s) URL"
        )
    check_urn(
        problems, value.get("image"), "content/textAd/image", ("urn:li:image:", "urn:li:digitalmediaAsset:")
    )


def _check_cta(problems: Problems, entity: Entity, campaign: Entity | None) -> None:
    cta = entity.get("leadgenCallToAction")
    if cta is not None:
        if not isinstance(cta, dict) or not set(cta) <= {"destination", "label"}:
            problems.add(
                "INVALID_VALUE_FOR_FIELD",
                "leadgenCallToAction",
                "leadgenCallToAction is {destination, label}",
            )
            return
        check_urn(problems, cta.get("destination"), "leadgenCallToAction/destination", ("urn:li:adForm:",))
        check_enum(problems, cta.get("label"), "leadgenCallToAction/label", CTA_LABELS)
    lead_gen = campaign is not None and campaign.get("objectiveType") == "LEAD_GENERATION"
    if lead_gen and cta is None and entity.get("intendedStatus") not in (None, "DRAFT"):
        problems.add(
            "CONDITIONAL_MISSING_FIELD",
            "leadgenCallToAction",
            "leadgenCallToAction is required for LEAD_GENERATION campaigns",
            conditional=True,
        )
