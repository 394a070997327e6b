"""Tiny builders of live API entities and desired model entities for planner tests."""

from __future__ import annotations

from typing import Any

from reconciler.live import LiveAccount
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    CampaignStatus,
    CampaignType,
    CostType,
    Creative,
    CreativeStatus,
    GroupStatus,
    Money,
    PostReference,
)

ACCOUNT = 500000001
DEFAULT_GROUP = {"id": 1, "name": "Default Campaign Group", "status": "ACTIVE", "backfilled": True}


def live_group(gid: int, name: str, status: str = "ACTIVE", **extra: Any) -> CampaignGroup:
    data = {"id": gid, "name": name, "status": status, "account": f"urn:li:sponsoredAccount:{ACCOUNT}"}
    data.setdefault("version", {"versionTag": "1"})
    return CampaignGroup.from_api({**data, **extra})


def live_campaign(cid: int, gid: int, name: str, status: str = "ACTIVE", **extra: Any) -> Campaign:
    data = {
        "id": cid,
        "name": name,
        "status": status,
        "campaignGroup": f"urn:li:sponsoredCampaignGroup:{gid}",
        "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
        "type": "SPONSORED_UPDATES",
        "costType": "CPM",
        "dailyBudget": {"amount": "50.00", "currencyCode": "USD"},
        # Server-side defaults and read-only fields a manifest never mentions.
        "servingStatuses": ["RUNNABLE"],
        "creativeSelection": "OPTIMIZED",
        "optimizationTargetType": "NONE",
        "unitCost": {"amount": "0", "currencyCode": "USD"},
        "version": {"versionTag": "4"},
        "changeAuditStamps": {
            "created": {"time": 1},
            "lastModified": {"time": 2, "actor": "urn:li:person:x"},
        },
    }
    return Campaign.from_api({**data, **extra})


def live_creative(rid: int, cid: int, name: str, status: str = "ACTIVE", **extra: Any) -> Creative:
    data = {
        "id": f"urn:li:sponsoredCreative:{rid}",
        "name": name,
        "intendedStatus": status,
        "campaign": f"urn:li:sponsoredCampaign:{cid}",
        "content": {"reference": f"urn:li:share:{rid}"},
        "isServing": True,
    }
    return Creative.from_api({**data, **extra})


def live_account(groups=(), campaigns=(), creatives=()) -> LiveAccount:  # type: ignore[no-untyped-def]
    default = CampaignGroup.from_api({**DEFAULT_GROUP, "account": f"urn:li:sponsoredAccount:{ACCOUNT}"})
    return LiveAccount(ACCOUNT, "USD", "Test", (default, *groups), tuple(campaigns), tuple(creatives))


def creative(name: str, rid: int | None = None, status: str = "ACTIVE", **kw: Any) -> Creative:
    content = kw.pop("content", PostReference(f"urn:li:share:{rid or 0}"))
    return Creative(name=name, content=content, intended_status=CreativeStatus(status), **kw)


def campaign(
    name: str, *creatives: Creative, status: str = "ACTIVE", daily: str = "50 USD", **kw: Any
) -> Campaign:
    kw.setdefault("type", CampaignType.SPONSORED_UPDATES)
    kw.setdefault("cost_type", CostType.CPM)
    return Campaign(
        name=name,
        status=CampaignStatus(status),
        daily_budget=Money.parse(daily) if daily else None,
        creatives=creatives,
        **kw,
    )


def group(name: str, *campaigns: Campaign, status: str = "ACTIVE", **kw: Any) -> CampaignGroup:
    return CampaignGroup(name=name, status=GroupStatus(status), campaigns=campaigns, **kw)


def account(*groups: CampaignGroup, prune: bool = False) -> Account:
    return Account(id=ACCOUNT, currency="USD", groups=groups, prune=prune)
