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

from collections.abc import Mapping
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


class ContentFit:
    """How the content kinds of one campaign's creatives fit it. What the campaign says is read once
    and each kind judged once: a creative then costs a look-up (15,000 at the limits)."""

    def __init__(self, campaign: CampaignRec) -> None:
        get = campaign.fields.get
        self._type, self._format = _text(get("type")), _text(get("format"))
        objective = get("objectiveType")
        self._objective = normalise_objective(str(objective)) if objective is not None else None
        self._organization = str(get("associatedEntity") or "").startswith("urn:li:organization:")
        self._judged: dict[str, tuple[list[str], list[str]]] = {}

    def problems(self, creative: CreativeRec) -> list[Problem]:
        """Every way the creative's content kind does not fit the campaign."""
        kind = creative.kind
        if kind is None:
            return []
        judged = self._judged.get(kind)
        if judged is None:
            judged = self._judged[kind] = self._judge(kind)
        before, after = judged
        label = creative.fields.get("leadgenCallToAction")
        mislabelled = label is not None and label.label == "UNLOCK_FULL_DOCUMENT" and kind != "document"
        if not (before or after or mislabelled):
            return []
        where = creative.loc.child("content", kind)
        problems = [where.problem(message, at_key=True) for message in before]
        if mislabelled:
            message = f"the lead form label UNLOCK_FULL_DOCUMENT is for document ads, not {NAMES[kind]}"
            problems.append(creative.fields.locs["leadgenCallToAction"].child("label").problem(message))
        problems.extend(where.problem(message, at_key=True) for message in after)
        return problems

    def _judge(self, kind: str) -> tuple[list[str], list[str]]:
        """What is wrong with content of ``kind`` in this campaign, cited at the content's kind: the
        problems found before the lead form's label is judged, and those after."""
        ctype, form, objective = self._type, self._format, self._objective
        wanted_type, formats, at_create = CAMPAIGNS[kind]
        need = f"{wanted_type} with format {' or '.join(formats)}"
        before = []
        if ctype is not None and ctype != wanted_type:
            message = f"{NAMES[kind]} cannot run in a {ctype} campaign; it needs a campaign of type {need}"
            before.append(message)
        elif form is not None and form not in formats:
            label = f"a {form} campaign" + (f" ({ctype})" if ctype else "")
            before.append(f"{NAMES[kind]} cannot run in {label}; it needs a campaign of type {need}")
        elif form is None and at_create:
            needed = " or ".join(formats)
            before.append(f"{NAMES[kind]} needs its campaign's format set to {needed} when it is created")
        if objective == "VIDEO_VIEW" and kind != "video":
            # Campaign Manager's objective table: the video views objective runs video ads only.
            before.append(f"a VIDEO_VIEW campaign runs video ads only, not {NAMES[kind]}")
        if objective == "LEAD_GENERATION" and kind in DYNAMIC:
            # Lead gen forms open from Sponsored Content and Sponsored Messaging; dynamic ads have none.
            message = f"a LEAD_GENERATION campaign cannot run {NAMES[kind]}: dynamic ads open no lead form"
            before.append(message)
        after = []
        if kind in AUTHORED and not self._organization:
            message = f"{NAMES[kind]} is posted by the campaign's organization: the campaign needs"
            after.append(message + " associatedEntity: urn:li:organization:{id}")
        return before, after


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None
