"""What a creative shows, checked against what it names and against its campaign (reference §5, §12.1).

* ``content.reference`` to a post the emulator holds: the post's organization author is the
  campaign's ``associatedEntity`` (a member-authored post is a Thought Leader ad: image, video,
  document or text only — GUESS), a DSC post belongs to the creative's account, and its content
  fits the campaign format: image/article/text → STANDARD_UPDATE, video → SINGLE_VIDEO, carousel →
  CAROUSEL, document → STANDARD_UPDATE or SPONSORED_UPDATE_NATIVE_DOCUMENT (GUESS: both are seen),
  event → SPONSORED_UPDATE_EVENT.
* ``content.reference`` to InMail content: ``regular``/``form`` only in SPONSORED_INMAIL campaigns,
  ``guidedReplies`` (a conversation's opening) only in SPONSORED_MESSAGE ones; a reference to a
  ``urn:li:sponsoredConversation`` directly is accepted in SPONSORED_MESSAGE campaigns (GUESS). A
  conversation without ``firstMessageContent`` cannot go live (an ACTIVE creative is refused).
* dynamic ads: ``content.follow`` (FOLLOW_COMPANY), ``content.spotlight`` (SPOTLIGHT), ``content.jobs``
  (JOBS); headline ≤ 50, description ≤ 70, call to action ≤ 18, organization name ≤ 25 (ad
  specs; the follow and jobs limits are GUESSES from the spotlight spec); texts are strings or
  ``{preApproved|custom: text}``; logo and background image are image URNs.

A post, InMail content, conversation or image the emulator does not hold is taken as made outside
it (Campaign Manager, another tool) and only its URN shape is checked (GUESS, docs/emulator.md).
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator import inmail, media, messaging, posts
from reconciler.emulator.errors import Problems
from reconciler.emulator.rules.common import Ctx, check_bool, check_text
from reconciler.emulator.rules.posts import content_kind
from reconciler.emulator.store import Entity, Kind

FORMATS_OF_POST = {
    "image": ("STANDARD_UPDATE",),
    "article": ("STANDARD_UPDATE",),
    "text": ("STANDARD_UPDATE",),
    "video": ("SINGLE_VIDEO",),
    "carousel": ("CAROUSEL",),
    "document": ("STANDARD_UPDATE", "SPONSORED_UPDATE_NATIVE_DOCUMENT"),
    "event": ("SPONSORED_UPDATE_EVENT",),
}
THOUGHT_LEADER = frozenset({"image", "video", "document", "text"})
DYNAMIC = {"follow": "FOLLOW_COMPANY", "spotlight": "SPOTLIGHT", "jobs": "JOBS"}
_TYPE_OF = {
    "TEXT_AD": "TEXT_AD",
    "SPONSORED_INMAIL": "SPONSORED_INMAILS",
    "SPONSORED_MESSAGE": "SPONSORED_INMAILS",
}
DYNAMIC_FIELDS = {
    "follow": {
        "headline",
        "description",
        "callToAction",
        "logo",
        "organizationName",
        "showMemberProfilePhoto",
    },
    "spotlight": {
        "headline",
        "description",
        "callToAction",
        "landingPage",
        "logo",
        "backgroundImage",
        "organizationName",
        "showMemberProfilePhoto",
    },
    "jobs": {
        "headline",
        "buttonLabel",  # SEE_MORE_JOBS, VIEW_MORE, CAREERS_AT_COMPANY or custom text (public integrations)
        "description",
        "callToAction",
        "logo",
        "backgroundImage",
        "organizationName",
        "showMemberProfilePhoto",
    },
}
DYNAMIC_REQUIRED = {
    "follow": ("headline", "description"),
    "spotlight": ("headline", "description", "callToAction", "landingPage"),
    "jobs": ("headline",),
}
TEXT_LIMITS = {"headline": 50, "description": 70, "callToAction": 18, "organizationName": 25}
# Follower and Jobs ads take their call to action from a list (VISIT_ORGANIZATION_COMPANY_PAGE, …,
# as public integrations send it), not free text: the 18-character cap of Spotlight's text does not
# apply to them (GUESS: the follower/jobs pages give no limit).
ENUM_CALL_TO_ACTION = frozenset({"follow", "jobs"})


def editable(before: Any, after: Any) -> bool:
    """Whether a PARTIAL_UPDATE may turn ``before`` into ``after``: a dynamic ad's texts and images
    change in place (the Spotlight page's "Update a Dynamic Spotlight Ad" patches ``content.spotlight``;
    GUESS: follower and jobs ads likewise), but never the kind of content; a post reference, a
    text ad or InMail content stays as created."""
    if not isinstance(before, dict) or not isinstance(after, dict) or len(before) != 1:
        return False
    kind = next(iter(before))
    return kind in DYNAMIC and set(after) == {kind}


def formats_of(ctx: Ctx, content: Any) -> tuple[str, ...] | None:
    """The campaign formats a creative content fits, or None when the emulator cannot tell."""
    if not isinstance(content, dict) or len(content) != 1:
        return None
    kind, value = next(iter(content.items()))
    if kind == "textAd":
        return ("TEXT_AD",)
    if kind in DYNAMIC:
        return (DYNAMIC[kind],)
    if kind == "eventAd":
        return ("SPONSORED_UPDATE_EVENT",)
    if kind != "reference" or not isinstance(value, str):
        return None
    if value.startswith(inmail.CONVERSATION_PREFIX):
        return ("SPONSORED_MESSAGE",)
    if value.startswith(inmail.INMAIL_PREFIX):
        found = inmail.inmail(ctx, value)
        guided = found is not None and "guidedReplies" in (found.get("subContent") or {})
        return ("SPONSORED_MESSAGE",) if guided else ("SPONSORED_INMAIL",)
    post = posts.lookup(ctx, value)
    return None if post is None else FORMATS_OF_POST.get(content_kind(post))


def implied_format(ctx: Ctx, content: Any) -> str | None:
    """The format a campaign without one takes from its first creative (campaigns page)."""
    fits = formats_of(ctx, content)
    if fits is not None:
        return fits[0]
    if isinstance(content, dict) and "reference" in content:
        return "STANDARD_UPDATE"  # a post the emulator does not hold: the common case
    return None


def video_failed(ctx: Ctx, content: Any) -> bool:
    """Whether a creative shows a post whose video failed processing (such a creative may be deleted)."""
    reference = content.get("reference") if isinstance(content, dict) else None
    post = posts.lookup(ctx, reference)
    shown = (post or {}).get("content") or {}
    media_id = shown.get("media", {}).get("id") if isinstance(shown.get("media"), dict) else None
    asset = media.lookup(ctx, media_id) if media.kind_of_urn(media_id) is Kind.VIDEO else None
    return asset is not None and asset.get("status") == "PROCESSING_FAILED"


def check(problems: Problems, ctx: Ctx, account: Entity, creative: Entity, campaign: Entity | None) -> None:
    """Check a creative's content against what it names and against ``campaign``."""
    content = creative.get("content")
    if not isinstance(content, dict) or len(content) != 1:
        return
    kind, value = next(iter(content.items()))
    if kind == "reference" and isinstance(value, str):
        _reference(problems, ctx, account, creative, value, campaign)
    elif kind in DYNAMIC and isinstance(value, dict):
        _dynamic(problems, ctx, kind, value)
    elif kind == "textAd" and isinstance(value, dict) and media.kind_of_urn(value.get("image")) is Kind.IMAGE:
        _image(problems, ctx, value.get("image"), "content/textAd/image")
    fits = formats_of(ctx, content)
    if campaign is None or fits is None or kind == "textAd" or campaign.get("type") == "TEXT_AD":
        return  # text ads against TEXT_AD campaigns: ``creatives`` checks that pairing itself
    fmt = campaign.get("format")
    wanted_type = _TYPE_OF.get(fits[0], "DYNAMIC" if fits[0] in DYNAMIC.values() else "SPONSORED_UPDATES")
    if (fmt is not None and fmt not in fits) or (
        fmt is None and campaign.get("type") not in (None, wanted_type)
    ):
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content",
            f"this content fits a {' or '.join(fits)} campaign, not campaign "
            f"{campaign.get('id')} ({campaign.get('type')}, format {fmt})",
        )


def _reference(
    problems: Problems, ctx: Ctx, account: Entity, creative: Entity, urn: str, campaign: Entity | None
) -> None:
    post = posts.lookup(ctx, urn)
    if post is not None:
        _post(problems, account, post, campaign)
        return
    if urn.startswith(inmail.INMAIL_PREFIX):
        found = inmail.inmail(ctx, urn)
        if found is None:
            return
        if inmail.account_of(found) != int(account["id"]):
            problems.add(
                "INVALID_VALUE_FOR_FIELD", "content/reference", f"{urn} belongs to another ad account"
            )
        guided = (found.get("subContent") or {}).get("guidedReplies")
        if isinstance(guided, dict):
            _conversation_live(problems, ctx, creative, str(guided.get("sponsoredConversation")), campaign)
    elif urn.startswith(inmail.CONVERSATION_PREFIX):
        _conversation_live(problems, ctx, creative, urn, campaign)


def _post(problems: Problems, account: Entity, post: Entity, campaign: Entity | None) -> None:
    author = str(post.get("author", ""))
    dsc_account = (post.get("adContext") or {}).get("dscAdAccount")
    if dsc_account is not None and dsc_account != f"urn:li:sponsoredAccount:{account['id']}":
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/reference",
            f"{post['id']} is sponsored content of {dsc_account}, not of this account",
        )
    if campaign is None:
        return
    organization = campaign.get("associatedEntity")
    if author.startswith("urn:li:organization:") and author != organization:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/reference",
            f"{post['id']} is authored by {author}, not by the campaign's associatedEntity {organization}",
        )
    elif author.startswith("urn:li:person:") and content_kind(post) not in THOUGHT_LEADER:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/reference",
            f"{post['id']} is a member's post; only image, video, document and text posts can be "
            "Thought Leader ads",
        )


def _conversation_live(
    problems: Problems, ctx: Ctx, creative: Entity, urn: str, campaign: Entity | None
) -> None:
    """A live conversation ad has a first message; in a LEAD_GENERATION campaign its tree holds the
    form the creative's ``leadgenCallToAction`` names (the code public integrations report)."""
    found = messaging.conversation(ctx, urn)
    if found is None:
        return
    lead_gen = campaign is not None and campaign.get("objectiveType") == "LEAD_GENERATION"
    form = (creative.get("leadgenCallToAction") or {}).get("destination")
    if lead_gen and form is not None:
        forms = {(m.get("bodySource") or {}).get("leadGenerationForm") for m in messaging.messages(ctx, urn)}
        if form not in forms:
            problems.add(
                "SPONSORED_MESSAGE_CONTENT_AD_FORM_URN_NOT_FOUND_IN_MESSAGE_TREE",
                "leadgenCallToAction/destination",
                f"no message of conversation {urn} shows form {form}",
            )
    if creative.get("intendedStatus") == "ACTIVE" and not found.get("firstMessageContent"):
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/reference",
            f"conversation {urn} has no firstMessageContent; set it before the creative goes ACTIVE",
        )


def _dynamic(problems: Problems, ctx: Ctx, kind: str, value: dict[str, Any]) -> None:
    base = f"content/{kind}"
    for name in sorted(set(value) - DYNAMIC_FIELDS[kind]):
        problems.add("FIELD_NOT_ALLOWED", f"{base}/{name}", f"{name} is not a field of content.{kind}")
    for name in DYNAMIC_REQUIRED[kind]:
        if value.get(name) is None:
            problems.add("MISSING_FIELD", f"{base}/{name}", f"{base}/{name} is required but missing")
    for name, limit in TEXT_LIMITS.items():
        if name == "callToAction" and kind in ENUM_CALL_TO_ACTION:
            if not isinstance(_text(value[name]) if name in value else "", str):
                problems.add("INVALID_VALUE_FOR_FIELD", f"{base}/{name}", f"{name} must be a string")
            continue
        if name in value:
            check_text(problems, _text(value[name]), f"{base}/{name}", limit)
    if "buttonLabel" in value and not isinstance(_text(value["buttonLabel"]), str):
        problems.add("INVALID_VALUE_FOR_FIELD", f"{base}/buttonLabel", "buttonLabel must be a string")
    landing = value.get("landingPage")
    if landing is not None and not (isinstance(landing, str) and landing.startswith(("https://", "http://"))):
        problems.add("INVALID_VALUE_FOR_FIELD", f"{base}/landingPage", "landingPage must be an http(s) URL")
    check_bool(problems, value.get("showMemberProfilePhoto"), f"{base}/showMemberProfilePhoto")
    for name in ("logo", "backgroundImage"):
        _image(problems, ctx, value.get(name), f"{base}/{name}")


def _text(value: Any) -> Any:
    """A dynamic-ad text: a string, or ``{"preApproved": …}`` / ``{"custom": …}`` (its text)."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("preApproved", "custom"):
        return next(iter(value.values()))
    return value


def _image(problems: Problems, ctx: Ctx, urn: Any, path: str) -> None:
    if urn is None:
        return
    if media.kind_of_urn(urn) is not Kind.IMAGE:
        problems.add("INVALID_VALUE_FOR_FIELD", path, f"{path} must be an image URN")
        return
    asset = media.lookup(ctx, urn)
    if asset is not None and asset.get("status") != "AVAILABLE":
        problems.add("MEDIA_ASSET_NOT_AVAILABLE", path, f"{urn} is {asset.get('status')}, not AVAILABLE")
