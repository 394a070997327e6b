"""Account limits (reference §6) and what "active" means for them.

An *active campaign* is one with status ACTIVE or PAUSED whose run schedule has no end or ends in
the future: LinkedIn counts paused campaigns as active until their end time. An *active creative*
is one whose intendedStatus is ACTIVE. The reference names no error for a broken limit, so the
emulator answers 400 with the synthetic code ``ENTITY_COUNT_LIMIT_REACHED`` (an emulator invention,
documented in docs/emulator.md).
"""

from __future__ import annotations

from reconciler.emulator.errors import Problems
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, index_of

LIMIT_CODE = "ENTITY_COUNT_LIMIT_REACHED"
MAX_CAMPAIGNS_PER_ACCOUNT = 5_000
MAX_CREATIVES_PER_ACCOUNT = 15_000
MAX_CAMPAIGNS_PER_GROUP = 2_000
MAX_CREATIVES_PER_CAMPAIGN = 100
MAX_ACTIVE_CREATIVES_PER_CAMPAIGN = 15
MAX_ACTIVE_CAMPAIGNS = 1_000
ACTIVE_CAMPAIGN_STATUSES = ("ACTIVE", "PAUSED")


def campaign_is_active(entity: Entity, now_ms: int) -> bool:
    """Whether a campaign counts towards the 1,000 active campaigns of its account."""
    idx = index_of(Kind.CAMPAIGN, entity)
    return idx.status in ACTIVE_CAMPAIGN_STATUSES and (idx.end_ms is None or idx.end_ms > now_ms)


def _reached(problems: Problems, path: str, what: str, limit: int) -> None:
    problems.add(LIMIT_CODE, path, f"{what} limit of {limit:,} reached")


def check_campaign(
    problems: Problems,
    ctx: Ctx,
    account: int,
    after: Entity,
    before: Entity | None,
    default_group: int | None,
) -> None:
    """The per-account, per-group and active-campaign caps for creating or changing a campaign."""
    store = ctx.store
    if before is None and store.count(Kind.CAMPAIGN, account) >= MAX_CAMPAIGNS_PER_ACCOUNT:
        _reached(problems, "account", "campaigns per account", MAX_CAMPAIGNS_PER_ACCOUNT)
    group = index_of(Kind.CAMPAIGN, after).parent
    moved = before is None or index_of(Kind.CAMPAIGN, before).parent != group
    non_default = group is not None and group != default_group
    if moved and non_default and store.count(Kind.CAMPAIGN, account, parent=group) >= MAX_CAMPAIGNS_PER_GROUP:
        _reached(problems, "campaignGroup", "campaigns per campaign group", MAX_CAMPAIGNS_PER_GROUP)
    was_active = before is not None and campaign_is_active(before, ctx.now_ms)
    if campaign_is_active(after, ctx.now_ms) and not was_active:
        active = store.count(
            Kind.CAMPAIGN, account, statuses=ACTIVE_CAMPAIGN_STATUSES, ending_after=ctx.now_ms
        )
        if active >= MAX_ACTIVE_CAMPAIGNS:
            _reached(problems, "status", "active campaigns per account", MAX_ACTIVE_CAMPAIGNS)


def check_creative(problems: Problems, ctx: Ctx, account: int, after: Entity, before: Entity | None) -> None:
    """The per-account, per-campaign and active-per-campaign creative caps."""
    store = ctx.store
    campaign = index_of(Kind.CREATIVE, after).parent
    if before is None:
        if store.count(Kind.CREATIVE, account) >= MAX_CREATIVES_PER_ACCOUNT:
            _reached(problems, "account", "creatives per account", MAX_CREATIVES_PER_ACCOUNT)
        if (
            campaign is not None
            and store.count(Kind.CREATIVE, account, parent=campaign) >= MAX_CREATIVES_PER_CAMPAIGN
        ):
            _reached(problems, "campaign", "creatives per campaign", MAX_CREATIVES_PER_CAMPAIGN)
    becomes_active = (
        after.get("intendedStatus") == "ACTIVE" and (before or {}).get("intendedStatus") != "ACTIVE"
    )
    if becomes_active and campaign is not None:
        active = store.count(Kind.CREATIVE, account, parent=campaign, statuses=("ACTIVE",))
        if active >= MAX_ACTIVE_CREATIVES_PER_CAMPAIGN:
            _reached(
                problems, "intendedStatus", "active creatives per campaign", MAX_ACTIVE_CREATIVES_PER_CAMPAIGN
            )
