"""Shared helpers of the emulator tests: a request shortcut, error-code extraction, valid bodies."""

from __future__ import annotations

import json
import re
from typing import Any

from reconciler.emulator import Emulator, EmuResponse, default_active_versions

TOKEN = "test-token-1"
VERSION = max(default_active_versions())
NOW = 1_795_000_000_000  # fixed clock of the tests (2026-11-18)
DAY = 86_400_000
ACCOUNT = 500_000_001
ACCOUNT_URN = f"urn:li:sponsoredAccount:{ACCOUNT}"


def headers(method: str | None = None, **extra: str) -> dict[str, str]:
    """The headers LinkedIn's official client sends (plus ``extra``)."""
    out = {
        "Authorization": f"Bearer {TOKEN}",
        "LinkedIn-Version": VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
        "Content-Type": "application/json",
    }
    if method:
        out["X-RestLi-Method"] = method
    out.update(extra)
    return out


def call(
    emu: Emulator,
    verb: str,
    target: str,
    body: Any = None,
    *,
    method: str | None = None,
    hdrs: dict[str, str] | None = None,
) -> EmuResponse:
    """One request; ``body`` is JSON-encoded unless it is bytes."""
    raw = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    return emu.handle(verb, target, hdrs if hdrs is not None else headers(method), raw)


def code(response: EmuResponse) -> str:
    """LinkedIn's error code: ``code`` of the new envelope, else the reason(s) of the classic one."""
    body = response.json()
    if "code" in body:
        return str(body["code"])
    inputs = body.get("errorDetails", {}).get("inputErrors", [])
    if inputs:  # the documented PARAM_INVALID body has codes only per input
        return str(inputs[0]["code"])
    reasons = re.findall(r"reason=(\w+)", body.get("message", ""))
    return ",".join(reasons) if reasons else str(body.get("message"))


def input_codes(response: EmuResponse) -> set[str]:
    """Every code of an error: the inputErrors (and conditional ones), or the classic reasons."""
    body = response.json()
    details = body.get("errorDetails")
    if details:
        items = details.get("inputErrors", []) + details.get("conditionalInputErrors", [])
        return {item["code"] for item in items}
    return set(code(response).split(","))


def group_body(**over: Any) -> dict[str, Any]:
    """A valid ACTIVE campaign group of the test account."""
    body: dict[str, Any] = {
        "account": ACCOUNT_URN,
        "name": "Q1 Brand",
        "status": "ACTIVE",
        "runSchedule": {"start": NOW + DAY, "end": NOW + 90 * DAY},
        "totalBudget": {"amount": "5000", "currencyCode": "USD"},
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def campaign_body(group: int, /, **over: Any) -> dict[str, Any]:
    """A valid ACTIVE sponsored-content campaign in ``group``."""
    body: dict[str, Any] = {
        "account": ACCOUNT_URN,
        "campaignGroup": f"urn:li:sponsoredCampaignGroup:{group}",
        "associatedEntity": "urn:li:organization:2414183",
        "name": "Q1 Brand - US",
        "type": "SPONSORED_UPDATES",
        "costType": "CPM",
        "objectiveType": "BRAND_AWARENESS",
        "status": "ACTIVE",
        "locale": {"country": "US", "language": "en"},
        "offsiteDeliveryEnabled": False,
        "politicalIntent": "NOT_POLITICAL",
        "runSchedule": {"start": NOW + DAY},
        "dailyBudget": {"amount": "50", "currencyCode": "USD"},
        "unitCost": {"amount": "8.50", "currencyCode": "USD"},
        "targetingCriteria": {
            "include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}
        },
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def creative_body(campaign: int, /, **over: Any) -> dict[str, Any]:
    """A valid ACTIVE creative referencing a post."""
    body: dict[str, Any] = {
        "campaign": f"urn:li:sponsoredCampaign:{campaign}",
        "content": {"reference": "urn:li:share:7012345678901234567"},
        "intendedStatus": "ACTIVE",
        "name": "Post A",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def created_id(response: EmuResponse) -> int:
    """The numeric id of a 201 (creative URNs reduced to their number)."""
    assert response.status == 201, response.body
    return int(response.headers["x-restli-id"].rsplit(":", 1)[-1])


def coll(name: str, account: int = ACCOUNT) -> str:
    """``/rest/adAccounts/{account}/{name}``."""
    return f"/rest/adAccounts/{account}/{name}"


def creative_path(key: int, account: int = ACCOUNT) -> str:
    """The path of one creative, its URN percent-encoded."""
    return f"{coll('creatives', account)}/urn%3Ali%3AsponsoredCreative%3A{key}"
