"""Which campaign each kind of content runs in: campaign type, format, objective and author.

LinkedIn ties a creative's format to its campaign (the creatives and campaign-formats pages; "Dynamic,
Carousel, and Video Ad Campaigns must have their format set during creation"): a video in a
SINGLE_VIDEO campaign, a carousel in a CAROUSEL one, an InMail in SPONSORED_INMAIL, a conversation
in SPONSORED_MESSAGE, dynamic ads in DYNAMIC campaigns of their own format. Image, article, document
posts run in SPONSORED_UPDATES campaigns of format STANDARD_UPDATE (or none yet: the first creative
sets it); event posts in SPONSORED_UPDATE_EVENT (the format enum's event ads). There is no document or article
format in the format enum, so those two follow single images (unsure: the docs give no table).

The kind is read from the content as written, so a campaign mismatch is reported even beside a
missing file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.errors import Problem
from reconciler.manifest.build import CampaignRec, CreativeRec
from reconciler.model import normalise_objective

# kind -> (campaign type, formats it may run in, whether the format must be set at campaign create)
CAMPAIGNS: Mapping[str, tuple[str, tuple[str, ...], bool]] = {
    "image": ("SPONSORED_UPDATES", ("STANDARD_UPDATE",), False),
    "article": ("SPONSORED_UPDATES", ("STANDARD_UPDATE",), False),
    "document": ("SPONSORED_UPDATES", ("STANDARD_UPDATE",), False),
    "event": ("SPONSORED_UPDATES", ("SPONSORED_UPDATE_EVENT",), False),
    "video": ("SPONSORED_UPDATES", ("SINGLE_VIDEO",), True),
    "carousel": ("SPONSORED_UPDATES", ("CAROUSEL",), True),
    "message": ("SPONSORED_INMAILS", ("SPONSORED_INMAIL",), False),
    "conversation": ("SPONSORED_INMAILS", ("SPONSORED_MESSAGE",), False),
    "follower": ("DYNAMIC", ("FOLLOW_COMPANY",), True),
    "spotlight": ("DYNAMIC", ("SPOTLIGHT",), True),
    "jobs": ("DYNAMIC", ("JOBS",), True),
}
NAMES = {
    "image": "a single image ad",
    "article": "an article ad",
    "document": "a document ad",
    "event": "an event ad",
    "video": "a video ad",
    "carousel": "a carousel ad",
    "message": "a message ad (Sponsored InMail)",
    "conversation": "a conversation ad",
    "follower": "a follower ad",
    "spotlight": "a spotlight ad",
    "jobs": "a jobs ad",
}
DYNAMIC = ("follower", "spotlight", "jobs")
# Kinds whose post, logo or upload belongs to the campaign's organization (its associatedEntity).
AUTHORED = ("image", "article", "document", "event", "video", "carousel", "follower", "spotlight", "jobs")


def content_problems(campaign: CampaignRec, creative: CreativeRec) -> Iterable[Problem]:
    """Every way a creative's content kind does not fit its campaign."""
    kind = creative.kind
    if kind is None:
        return
    where = creative.loc.child("content", kind)
    get = campaign.fields.get
    ctype, form = _text(get("type")), _text(get("format"))
    wanted_type, formats, at_create = CAMPAIGNS[kind]
    need = f"{wanted_type} with format {' or '.join(formats)}"
    if ctype is not None and ctype != wanted_type:
        message = f"{NAMES[kind]} cannot run in a {ctype} campaign; it needs a campaign of type {need}"
        yield where.problem(message, at_key=True)
    elif form is not None and form not in formats:
        label = f"a {form} campaign" + (f" ({ctype})" if ctype else "")
        message = f"{NAMES[kind]} cannot run in {label}; it needs a campaign of type {need}"
        yield where.problem(message, at_key=True)
    elif form is None and at_create:
        needed = " or ".join(formats)
        message = f"{NAMES[kind]} needs its campaign's format set to {needed} when it is created"
        yield where.problem(message, at_key=True)
    objective = get("objectiveType")
    if objective is not None and normalise_objective(str(objective)) == "VIDEO_VIEW" and kind != "video":
        # Campaign Manager's objective table: the video views objective runs video ads only.
        yield where.problem(f"a VIDEO_VIEW campaign runs video ads only, not {NAMES[kind]}", at_key=True)
    if objective is not None and normalise_objective(str(objective)) == "LEAD_GENERATION" and kind in DYNAMIC:
        # Lead gen forms open from Sponsored Content and Sponsored Messaging; dynamic ads have none.
        yield where.problem(
            f"a LEAD_GENERATION campaign cannot run {NAMES[kind]}: dynamic ads open no lead form", at_key=True
        )
    label = creative.fields.get("leadgenCallToAction")
    if label is not None and label.label == "UNLOCK_FULL_DOCUMENT" and kind != "document":
        message = f"the lead form label UNLOCK_FULL_DOCUMENT is for document ads, not {NAMES[kind]}"
        yield creative.fields.locs["leadgenCallToAction"].child("label").problem(message)
    if kind in AUTHORED and not str(get("associatedEntity") or "").startswith("urn:li:organization:"):
        message = f"{NAMES[kind]} is posted by the campaign's organization: the campaign needs"
        yield where.problem(message + " associatedEntity: urn:li:organization:{id}", at_key=True)


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None
