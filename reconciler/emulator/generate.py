"""Generate a large, valid account quickly, for benchmarks and paging tests.

Entities are built with the same defaults and stamps as API creates, respect every account limit
(5,000 campaigns, 15,000 creatives, 2,000 campaigns per non-default group, 100 creatives and 15
active creatives per campaign, 1,000 active campaigns), and are written with one bulk insert per
kind in a single transaction — 100 groups, 5,000 campaigns and 15,000 creatives take a few seconds.
Content is deterministic: the same seed, sizes and store give the same ids and entities.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from reconciler.emulator import ids
from reconciler.emulator.core import SYSTEM_ACTOR, TEST_ACCOUNT_ID, Emulator
from reconciler.emulator.present import account_urn, apply_defaults, stamp_create
from reconciler.emulator.resources import create_default_group
from reconciler.emulator.rules import limits
from reconciler.emulator.rules.accounts import default_group_id
from reconciler.emulator.rules.common import DAY_MS, Ctx
from reconciler.emulator.store import Entity, Kind

# Campaign status by position (i % 25): 12 % ACTIVE, 4 % PAUSED, 24 % ARCHIVED, 12 % COMPLETED, 48 % DRAFT.
_STATUS_CYCLE = ["ACTIVE"] * 3 + ["PAUSED"] + ["ARCHIVED"] * 6 + ["COMPLETED"] * 3 + ["DRAFT"] * 12


@dataclass(frozen=True)
class GenerateReport:
    """What was generated and how long it took."""

    account: int
    groups: list[int]
    campaigns: list[int]
    creatives: list[int]
    seconds: float


def generate_account(
    emulator: Emulator,
    account_id: int = TEST_ACCOUNT_ID,
    *,
    groups: int = 100,
    campaigns: int = 5_000,
    creatives: int = 15_000,
    currency: str = "USD",
) -> GenerateReport:
    """Add ``groups`` groups, ``campaigns`` campaigns and ``creatives`` creatives to an account
    (created when missing), spreading campaigns over the new groups (or the default group when
    ``groups`` is 0) and creatives over the new campaigns. ValueError if a limit would break."""
    started = time.perf_counter()
    store = emulator.store
    ctx = emulator.ctx(SYSTEM_ACTOR)
    with store.transaction(write=True):
        account = _account(ctx, account_id, currency)
        _check_sizes(ctx, account_id, groups, campaigns, creatives)
        group_ids = ids.allocate(store, Kind.GROUP, ctx.seed, groups) if groups else []
        homes = group_ids or [default_group_id(store, account_id) or create_default_group(ctx, account)]
        store.put_many(
            Kind.GROUP, [(account_id, k, _group(ctx, account, k, i)) for i, k in enumerate(group_ids)]
        )
        campaign_ids = ids.allocate(store, Kind.CAMPAIGN, ctx.seed, campaigns) if campaigns else []
        budget = limits.MAX_ACTIVE_CAMPAIGNS - store.count(
            Kind.CAMPAIGN, account_id, statuses=limits.ACTIVE_CAMPAIGN_STATUSES, ending_after=ctx.now_ms
        )
        built = []
        for i, key in enumerate(campaign_ids):
            campaign = _campaign(ctx, account, key, i, homes[i % len(homes)], budget > 0)
            budget -= limits.campaign_is_active(campaign, ctx.now_ms)
            built.append((account_id, key, campaign))
        store.put_many(Kind.CAMPAIGN, built)
        creative_ids = ids.allocate(store, Kind.CREATIVE, ctx.seed, creatives) if creatives else []
        rows = [
            (account_id, key, _creative(ctx, account, key, j, built[j % len(built)][2], j // len(built)))
            for j, key in enumerate(creative_ids)
        ]
        store.put_many(Kind.CREATIVE, rows)
    return GenerateReport(account_id, group_ids, campaign_ids, creative_ids, time.perf_counter() - started)


def _account(ctx: Ctx, account_id: int, currency: str) -> Entity:
    found = ctx.store.get(Kind.ACCOUNT, account_id, account_id)
    if found is not None:
        return found
    body = {
        "name": f"Generated account {account_id}",
        "currency": currency,
        "type": "BUSINESS",
        "status": "ACTIVE",
        "test": True,
    }
    account = stamp_create(Kind.ACCOUNT, body, account_id, ctx)
    ctx.store.put(Kind.ACCOUNT, account_id, account_id, account)
    ids.observe(ctx.store, Kind.ACCOUNT, ctx.seed, account_id)
    create_default_group(ctx, account)
    return account


def _check_sizes(ctx: Ctx, account: int, groups: int, campaigns: int, creatives: int) -> None:
    store = ctx.store
    if min(groups, campaigns, creatives) < 0:
        raise ValueError("sizes must not be negative")
    if store.count(Kind.CAMPAIGN, account) + campaigns > limits.MAX_CAMPAIGNS_PER_ACCOUNT:
        raise ValueError(f"an account holds at most {limits.MAX_CAMPAIGNS_PER_ACCOUNT:,} campaigns")
    if store.count(Kind.CREATIVE, account) + creatives > limits.MAX_CREATIVES_PER_ACCOUNT:
        raise ValueError(f"an account holds at most {limits.MAX_CREATIVES_PER_ACCOUNT:,} creatives")
    if groups and math.ceil(campaigns / groups) > limits.MAX_CAMPAIGNS_PER_GROUP:
        raise ValueError(f"a campaign group holds at most {limits.MAX_CAMPAIGNS_PER_GROUP:,} campaigns")
    if creatives and (not campaigns or math.ceil(creatives / campaigns) > limits.MAX_CREATIVES_PER_CAMPAIGN):
        raise ValueError(
            f"creatives need campaigns, at most {limits.MAX_CREATIVES_PER_CAMPAIGN} per campaign"
        )


def _group(ctx: Ctx, account: Entity, key: int, i: int) -> Entity:
    body: Entity = {
        "account": account_urn(int(account["id"])),
        "name": f"Generated group {i:03d}",
        "status": "ACTIVE",
        "runSchedule": {"start": ctx.now_ms - 30 * DAY_MS, "end": ctx.now_ms + 335 * DAY_MS},
    }
    if i % 2 == 0:
        body["totalBudget"] = {
            "amount": str(10_000 + 100 * i),
            "currencyCode": account.get("currency", "USD"),
        }
    return stamp_create(Kind.GROUP, apply_defaults(Kind.GROUP, body, account), key, ctx)


def _campaign(ctx: Ctx, account: Entity, key: int, i: int, group: int, may_activate: bool) -> Entity:
    status = _STATUS_CYCLE[i % len(_STATUS_CYCLE)]
    if status in limits.ACTIVE_CAMPAIGN_STATUSES and not may_activate:
        status = "ARCHIVED"
    text_ad = i % 10 == 9
    schedule = {"start": ctx.now_ms - 30 * DAY_MS}
    if status == "COMPLETED":
        schedule["end"] = ctx.now_ms - DAY_MS
    currency = account.get("currency", "USD")
    body: Entity = {
        "account": account_urn(int(account["id"])),
        "campaignGroup": f"urn:li:sponsoredCampaignGroup:{group}",
        "name": f"Generated campaign {i:05d}",
        "type": "TEXT_AD" if text_ad else "SPONSORED_UPDATES",
        "costType": "CPC" if i % 3 else "CPM",
        "objectiveType": "WEBSITE_VISIT" if text_ad else "BRAND_AWARENESS",
        "status": status,
        "locale": {"country": "US", "language": "en"},
        "runSchedule": schedule,
        "dailyBudget": {"amount": str(10 + i % 90), "currencyCode": currency},
        # At or above the bid floors adBudgetPricing reports (CPC 2, CPM 5 USD), so a plan that changes
        # a generated campaign is not refused for its bid.
        "unitCost": {"amount": str((2 if i % 3 else 5) + i % 8), "currencyCode": currency},
        "offsiteDeliveryEnabled": False,
        "politicalIntent": "NOT_POLITICAL",
        "format": "TEXT_AD" if text_ad else "STANDARD_UPDATE",
        "targetingCriteria": {
            "include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}
        },
    }
    if not text_ad:
        body["associatedEntity"] = f"urn:li:organization:{2_414_183 + i % 7}"
    return stamp_create(Kind.CAMPAIGN, apply_defaults(Kind.CAMPAIGN, body, account), key, ctx)


def _creative(ctx: Ctx, account: Entity, key: int, j: int, campaign: Entity, position: int) -> Entity:
    # Within a campaign: even positions ACTIVE (at most 15 of them), odd ones PAUSED, the rest ARCHIVED.
    if position % 2 == 0 and position // 2 < limits.MAX_ACTIVE_CREATIVES_PER_CAMPAIGN:
        status = "ACTIVE"
    else:
        status = "PAUSED" if position % 2 else "ARCHIVED"
    if campaign["type"] == "TEXT_AD":
        text_ad = {
            "headline": f"Headline {j}"[:25],
            "description": f"Generated text ad {j}",
            "landingPage": f"https://example.com/landing/{j}",
        }
        content: Entity = {"textAd": text_ad}
    else:
        content = {"reference": f"urn:li:share:{7_100_000_000_000_000_000 + j}"}
    body: Entity = {
        "campaign": f"urn:li:sponsoredCampaign:{campaign['id']}",
        "content": content,
        "intendedStatus": status,
        "name": f"Generated creative {j:05d}",
    }
    return stamp_create(Kind.CREATIVE, apply_defaults(Kind.CREATIVE, body, account), key, ctx)
