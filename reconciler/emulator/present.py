"""Server-owned fields: defaults and stamps on write, computed serving state on read (§3, §8.5).

Owns: what the server adds to an entity — ids, URNs, ``test``/``isTest``, defaults the API
documents or was observed to return, ``version.versionTag`` and audit stamps on every write
(``createdAt``/``lastModifiedBy``… for creatives), the ``review`` of creatives (started when a
creative leaves DRAFT, decided after ``Settings.review_ms``), and the read-time fields
(``servingStatuses``/``isServing``/``servingHoldReasons``, see ``serving``), which are never stale:
only holds the emulator cannot derive are stored, and only when a seed file states them.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.serving import Lineage, add_serving_fields
from reconciler.emulator.store import Entity, Kind

# Emulator-private state stored with a creative under review: when the review ends and how. Never
# answered (``present`` leaves it out); a client cannot set it (an unknown field is refused).
REVIEW_STATE = "_review"
# GUESS: the docs name ``review.rejectionReasons`` but list no values.
REJECTION_REASONS = ["OTHER"]
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
        _review(out, ctx, str(out["id"]))
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
        _review(out, ctx, str(out.get("id")))
        return out
    stamps = out.get("changeAuditStamps")
    if not isinstance(stamps, dict):  # a seed may state none (null)
        stamps = out["changeAuditStamps"] = {}
    stamps.setdefault("created", {"actor": ctx.actor, "time": ctx.now_ms})
    stamps["lastModified"] = {"actor": ctx.actor, "time": ctx.now_ms}
    tag = str((out.get("version") or {}).get("versionTag", "0"))
    out["version"] = {"versionTag": str(int(tag) + 1 if tag.isdigit() else 1)}
    return out


def _review(creative: Entity, ctx: Ctx, key: str) -> None:
    """Start the review of a creative that left DRAFT (once), or settle one that is due.

    LinkedIn reviews a creative once it leaves DRAFT (review is null while DRAFT); until then it
    shows UNDER_REVIEW. The verdict is drawn when the review starts, from the seed and the creative,
    so a run is reproducible.
    """
    _settle(creative, ctx.now_ms)
    if creative.get("intendedStatus") == "DRAFT" or "review" in creative:
        return
    draw = random.Random(f"{ctx.seed}:review:{key}").random()
    verdict = "REJECTED" if draw < ctx.settings.reject_rate else "APPROVED"
    if ctx.settings.review_ms <= 0:
        creative["review"] = _decided(verdict)
        return
    creative["review"] = {"status": "PENDING", "rejectionReasons": []}
    creative[REVIEW_STATE] = {"dueAt": ctx.now_ms + ctx.settings.review_ms, "verdict": verdict}


def _decided(verdict: str) -> dict[str, Any]:
    return {"status": verdict, "rejectionReasons": list(REJECTION_REASONS) if verdict == "REJECTED" else []}


def _settle(creative: Entity, now_ms: int) -> None:
    """Replace a PENDING review whose time is up by its verdict (in place)."""
    state = creative.get(REVIEW_STATE)
    if not isinstance(state, dict) or not isinstance(state.get("dueAt"), int) or state["dueAt"] > now_ms:
        return
    creative.pop(REVIEW_STATE)
    review = creative.get("review")
    if isinstance(review, dict) and review.get("status") == "PENDING":
        creative["review"] = _decided(str(state.get("verdict", "APPROVED")))


def strip_computed(entity: Entity) -> Entity:
    """The entity as stored: without ``isServing``. Stated holds are kept as given (a seed file's
    billing or budget hold); reads recompute every hold the emulator derives and keep the others."""
    return {k: v for k, v in entity.items() if k != "isServing"}


def present(kind: Kind, entity: Entity, lineage: Lineage, at: tuple[int, int] | None = None) -> Entity:
    """The entity as a GET returns it: stored fields plus computed serving state, private state
    left out. ``at``: where it is stored (account and id), when the caller read it there."""
    out = dict(entity)
    if REVIEW_STATE in out and kind is Kind.CREATIVE:
        _settle(out, lineage.now_ms)
        out.pop(REVIEW_STATE, None)
    add_serving_fields(kind, out, lineage, at)
    return out
