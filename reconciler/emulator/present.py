"""Server-owned fields: defaults and stamps on write, computed serving state on read (§3, §8.5).

Owns: what the server adds to an entity — ids, URNs, ``test``/``isTest``, defaults the API
documents or was observed to return, ``version.versionTag`` and audit stamps on every write
(``createdAt``/``lastModifiedBy``… for creatives), the auto-approved ``review`` of creatives,
and ``servingStatuses``/``isServing``/``servingHoldReasons`` computed at read time from status and
schedule (so they are never stale and never stored).
"""

from __future__ import annotations

import copy
from typing import Any

from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind

COMPUTED = ("servingStatuses", "isServing", "servingHoldReasons")
ALL_CAMPAIGN_TYPES = ["TEXT_AD", "SPONSORED_UPDATES", "SPONSORED_INMAILS", "DYNAMIC"]


def creative_urn(key: int) -> str:
    """``urn:li:sponsoredCreative:{key}``."""
    return f"urn:li:sponsoredCreative:{key}"


def account_urn(key: int) -> str:
    """``urn:li:sponsoredAccount:{key}``."""
    return f"urn:li:sponsoredAccount:{key}"


def apply_defaults(kind: Kind, entity: Entity, account: Entity) -> Entity:
    """Fill the documented defaults a create leaves out (also used when seeding)."""
    test = bool(account.get("test", False))
    if kind is Kind.ACCOUNT:
        return entity
    if kind is Kind.GROUP:
        defaults: dict[str, Any] = {
            "allowedCampaignTypes": list(ALL_CAMPAIGN_TYPES),
            "backfilled": False,
            "test": test,
        }
    elif kind is Kind.CAMPAIGN:
        inmail = entity.get("type") == "SPONSORED_INMAILS"
        defaults = {
            "audienceExpansionEnabled": False,
            "connectedTelevisionOnly": False,
            "creativeSelection": "ROUND_ROBIN" if inmail else "OPTIMIZED",
            "offsitePreferences": {
                "iabCategories": {"exclude": []},
                "publisherRestrictionFiles": {"include": [], "exclude": []},
            },
            "optimizationTargetType": "NONE",
            "pacingStrategy": "LIFETIME",
            "storyDeliveryEnabled": False,
            "test": test,
            "unitCost": {"amount": "0", "currencyCode": account.get("currency", "USD")},
        }
    else:
        defaults = {"account": account_urn(int(account["id"])), "isTest": test}
    return {**defaults, **entity}


def stamp_create(kind: Kind, entity: Entity, key: int, ctx: Ctx) -> Entity:
    """Add id, first version and audit stamps to a new entity."""
    out = dict(entity)
    if kind is Kind.CREATIVE:
        out["id"] = creative_urn(key)
        out.update(
            createdAt=ctx.now_ms, createdBy=ctx.actor, lastModifiedAt=ctx.now_ms, lastModifiedBy=ctx.actor
        )
        _review(out)
        return out
    out["id"] = key
    stamp = {"actor": ctx.actor, "time": ctx.now_ms}
    out["changeAuditStamps"] = {"created": dict(stamp), "lastModified": dict(stamp)}
    out["version"] = {"versionTag": "1"}
    return out


def stamp_update(kind: Kind, entity: Entity, ctx: Ctx) -> Entity:
    """Bump ``version.versionTag`` and the last-modified stamp of an updated entity."""
    out = copy.deepcopy(entity)
    if kind is Kind.CREATIVE:
        out.update(lastModifiedAt=ctx.now_ms, lastModifiedBy=ctx.actor)
        _review(out)
        return out
    stamps = out.setdefault("changeAuditStamps", {})
    stamps.setdefault("created", {"actor": ctx.actor, "time": ctx.now_ms})
    stamps["lastModified"] = {"actor": ctx.actor, "time": ctx.now_ms}
    tag = str((out.get("version") or {}).get("versionTag", "0"))
    out["version"] = {"versionTag": str(int(tag) + 1 if tag.isdigit() else 1)}
    return out


def _review(creative: Entity) -> None:
    # Review starts when a creative leaves DRAFT; the emulator has no reviewers and approves at once.
    if creative.get("intendedStatus") != "DRAFT" and "review" not in creative:
        creative["review"] = {"status": "APPROVED", "rejectionReasons": []}


def strip_computed(entity: Entity) -> Entity:
    """The entity without read-time fields (what gets stored), except the holds the emulator never
    derives itself (``BILLING_HOLD``, ``RESTRICTED_HOLD``, …): a seeded account keeps them."""
    out = {k: v for k, v in entity.items() if k not in COMPUTED}
    for name in ("servingStatuses", "servingHoldReasons"):
        kept = _stated_holds(entity.get(name))
        if kept:
            out[name] = kept
    return out


def present(kind: Kind, entity: Entity, now_ms: int) -> Entity:
    """The entity as a GET returns it: stored fields plus computed serving state."""
    out = dict(entity)
    if kind is Kind.CREATIVE:
        reasons = _creative_holds(entity)
        reasons += [r for r in _stated_holds(entity.get("servingHoldReasons")) if r not in reasons]
        out["isServing"] = not reasons
        if reasons:
            out["servingHoldReasons"] = reasons
        else:
            out.pop("servingHoldReasons", None)
        return out
    serving = _serving(kind, entity, now_ms)
    stated = [r for r in _stated_holds(entity.get("servingStatuses")) if r not in serving]
    if stated:
        serving = [r for r in serving if r != "RUNNABLE"] + stated
    out["servingStatuses"] = serving
    return out


def _stated_holds(reasons: object) -> list[str]:
    """The holds in ``reasons`` that the emulator does not compute (kept as a seed stated them)."""
    if not isinstance(reasons, list):
        return []
    return [
        r
        for r in reasons
        if isinstance(r, str)
        and r not in ("RUNNABLE", "STOPPED")
        and not r.endswith(("_START_DATE_HOLD", "_END_DATE_HOLD"))
    ]


def _serving(kind: Kind, entity: Entity, now_ms: int) -> list[str]:
    if entity.get("status") != "ACTIVE":
        return ["STOPPED"]
    if kind is Kind.ACCOUNT:
        return ["RUNNABLE"]
    prefix = "CAMPAIGN_GROUP" if kind is Kind.GROUP else "CAMPAIGN"
    schedule = entity.get("runSchedule") or {}
    if isinstance(schedule.get("start"), int) and schedule["start"] > now_ms:
        return [f"{prefix}_START_DATE_HOLD"]
    if isinstance(schedule.get("end"), int) and schedule["end"] <= now_ms:
        return [f"{prefix}_END_DATE_HOLD"]
    return ["RUNNABLE"]


def _creative_holds(entity: Entity) -> list[str]:
    if entity.get("intendedStatus") != "ACTIVE":
        return ["STOPPED"]
    return []
