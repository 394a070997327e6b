"""Post rules (Posts API, Post Schema and creatives pages): what a post may hold and show.

* a DSC post (``adContext`` or ``feedDistribution: NONE``) names an existing ``dscAdAccount``
  (``MISSING_REQUIRED_FIELD_FOR_DSC`` otherwise, as public clients report), is authored by an
  organization (GUESS: member-authored sponsored posts are Thought Leader ads, made by members) and
  is PUBLIC (GUESS); ``dscAdType`` is the server's (one that contradicts the content is refused);
* content holds one of media (image, video, document; a document needs a title), article,
  carousel (2-10 image cards, sponsored only), reference (an event: GUESS) or the organic-only
  multiImage, poll, celebration;
* media it shows must be AVAILABLE and owned by the post's author — checked for assets the
  emulator holds; a URN it does not hold is taken as made elsewhere (GUESS, see docs/emulator.md).
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator import media
from reconciler.emulator.errors import Problems
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind, urn_id

VISIBILITIES = frozenset({"PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"})
LIFECYCLE = frozenset({"DRAFT", "PUBLISHED"})
FEEDS = frozenset({"MAIN_FEED", "NONE"})
DSC_STATUSES = frozenset({"ACTIVE", "ARCHIVED"})
CTA_LABELS = frozenset(
    {
        "APPLY",
        "DOWNLOAD",
        "VIEW_QUOTE",
        "LEARN_MORE",
        "SIGN_UP",
        "SUBSCRIBE",
        "REGISTER",
        "JOIN",
        "ATTEND",
        "REQUEST_DEMO",
        "SEE_MORE",
        "BUY_NOW",
        "SHOP_NOW",
    }
)
COMMENTARY_MAX = 3000
CARDS = (2, 10)
IMAGES = (2, 20)
POLL_QUESTION_MAX, POLL_OPTION_MAX, POLL_OPTIONS = 140, 30, (2, 4)
POLL_DURATIONS = frozenset({"ONE_DAY", "THREE_DAYS", "SEVEN_DAYS", "FOURTEEN_DAYS"})
SPONSORED_ONLY = frozenset({"carousel"})
ORGANIC_ONLY = frozenset({"multiImage", "poll", "celebration"})
CONTENT_KINDS = frozenset({"media", "article", "carousel", "reference", *ORGANIC_ONLY})


def content_kind(post: Entity) -> str:
    """What a post shows, for format checks: image, video, document, carousel, article, event, text."""
    content = post.get("content")
    if not isinstance(content, dict) or not content:
        return "text"
    name, value = next(iter(content.items()))
    if name == "media" and isinstance(value, dict):
        kind = media.kind_of_urn(value.get("id"))
        return "text" if kind is None else kind.value
    if (
        name == "reference"
        and isinstance(value, dict)
        and str(value.get("id", "")).startswith("urn:li:event:")
    ):
        return "event"
    return str(name)


AD_TYPE = {
    "image": "STANDARD",
    "article": "STANDARD",
    "text": "STANDARD",
    "video": "VIDEO",
    "carousel": "CAROUSEL",
    "document": "NATIVE_DOCUMENT",
    "event": "EVENT",
}


def is_dsc(post: Entity) -> bool:
    distribution = post.get("distribution")
    feed = distribution.get("feedDistribution") if isinstance(distribution, dict) else None
    return post.get("adContext") is not None or feed == "NONE"


def validate(problems: Problems, ctx: Ctx, post: Entity, before: Entity | None = None) -> None:
    author = post.get("author")
    if not isinstance(author, str) or not author.startswith(("urn:li:organization:", "urn:li:person:")):
        problems.add("INVALID_VALUE_FOR_FIELD", "author", "author must be an organization or person URN")
    commentary = post.get("commentary")
    if not isinstance(commentary, str):
        problems.add("MISSING_FIELD", "commentary", "commentary is required (it may be empty)")
    elif len(commentary) > COMMENTARY_MAX:
        problems.add("FIELD_LENGTH_TOO_LONG", "commentary", f"commentary is longer than {COMMENTARY_MAX}")
    _enum(problems, post, "visibility", VISIBILITIES, required=True)
    _enum(problems, post, "lifecycleState", LIFECYCLE, required=True)
    distribution = post.get("distribution")
    feed = distribution.get("feedDistribution") if isinstance(distribution, dict) else None
    if not isinstance(feed, str) or feed not in FEEDS:
        problems.add(
            "MISSING_FIELD",
            "distribution/feedDistribution",
            "distribution.feedDistribution is MAIN_FEED or NONE",
        )
    _enum(problems, post, "contentCallToActionLabel", CTA_LABELS)
    landing = post.get("contentLandingPage")
    if landing is not None and not _url(landing):
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "contentLandingPage", "contentLandingPage must be an http(s) URL"
        )
    if is_dsc(post):
        _check_dsc(problems, ctx, post)
    if before is None:
        _check_content(problems, ctx, post)


def _check_dsc(problems: Problems, ctx: Ctx, post: Entity) -> None:
    context = post.get("adContext")
    if context is None:
        context = {}
    if not isinstance(context, dict):
        problems.add("INVALID_VALUE_FOR_FIELD", "adContext", "adContext must be an object")
        return
    known = {"dscAdAccount", "dscStatus", "dscName", "dscAdType", "isDsc"}
    for name in sorted(set(context) - known):
        problems.add(
            "FIELD_NOT_ALLOWED", f"adContext/{name}", f"adContext/{name} is not a field of adContext"
        )
    account = context.get("dscAdAccount")
    account_id = (
        urn_id(account)
        if isinstance(account, str) and account.startswith("urn:li:sponsoredAccount:")
        else None
    )
    if account is None:
        problems.add(
            "MISSING_REQUIRED_FIELD_FOR_DSC",
            "adContext/dscAdAccount",
            "a Direct Sponsored Content post needs adContext.dscAdAccount",
        )
    elif account_id is None or ctx.store.get(Kind.ACCOUNT, account_id, account_id) is None:
        problems.add(
            "FIELD_VALUE_DOES_NOT_EXIST", "adContext/dscAdAccount", f"ad account {account!r} does not exist"
        )
    status = context.get("dscStatus")
    if status is not None and (not isinstance(status, str) or status not in DSC_STATUSES):
        problems.add("INVALID_VALUE_FOR_FIELD", "adContext/dscStatus", "dscStatus is ACTIVE or ARCHIVED")
    if not str(post.get("author", "")).startswith("urn:li:organization:"):
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "author",
            "a Direct Sponsored Content post is authored by an organization",
        )
    if post.get("visibility") not in (None, "PUBLIC"):
        problems.add("INVALID_VALUE_FOR_FIELD", "visibility", "a Direct Sponsored Content post is PUBLIC")
    stated = context.get("dscAdType")
    if stated is not None and stated != AD_TYPE.get(content_kind(post), "STANDARD"):
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "adContext/dscAdType",
            "dscAdType is read-only and does not match the content",
        )


def _check_content(problems: Problems, ctx: Ctx, post: Entity) -> None:
    content = post.get("content")
    if content is None:
        return
    if not isinstance(content, dict) or len(content) != 1 or next(iter(content)) not in CONTENT_KINDS:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "content", f"content holds exactly one of {sorted(CONTENT_KINDS)}"
        )
        return
    name, value = next(iter(content.items()))
    dsc = is_dsc(post)
    if name in SPONSORED_ONLY and not dsc:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", f"content/{name}", f"{name} content is for sponsored (DSC) posts only"
        )
    if name in ORGANIC_ONLY and dsc:
        problems.add("INVALID_VALUE_FOR_FIELD", f"content/{name}", f"{name} content can't be sponsored")
    if not isinstance(value, dict):
        problems.add("INVALID_VALUE_FOR_FIELD", f"content/{name}", f"content/{name} must be an object")
        return
    author = str(post.get("author", ""))
    if name == "media":
        _check_media(problems, ctx, value.get("id"), author, "content/media/id", required=True)
        if media.kind_of_urn(value.get("id")) is Kind.DOCUMENT and not _text(value.get("title")):
            problems.add("MISSING_FIELD", "content/media/title", "a document post needs content.media.title")
    elif name == "article":
        if not _url(value.get("source")):
            problems.add(
                "MISSING_FIELD", "content/article/source", "content.article.source is an http(s) URL"
            )
        if not _text(value.get("title")):
            problems.add("MISSING_FIELD", "content/article/title", "content.article.title is required")
        _check_media(
            problems, ctx, value.get("thumbnail"), author, "content/article/thumbnail", kinds=(Kind.IMAGE,)
        )
    elif name == "carousel":
        _check_cards(problems, ctx, value, author)
    elif name == "multiImage":
        _check_images(problems, ctx, value, author)
    elif name == "poll":
        _check_poll(problems, value)
    elif name == "reference" and not str(value.get("id", "")).startswith("urn:li:"):
        problems.add("INVALID_VALUE_FOR_FIELD", "content/reference/id", "content.reference.id is a URN")


def _check_cards(problems: Problems, ctx: Ctx, value: dict[str, Any], author: str) -> None:
    cards = value.get("cards")
    if not isinstance(cards, list) or not CARDS[0] <= len(cards) <= CARDS[1]:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/carousel/cards",
            f"a carousel has {CARDS[0]} to {CARDS[1]} cards",
        )
        return
    for i, card in enumerate(cards):
        where = f"content/carousel/cards/{i}"
        if not isinstance(card, dict) or not isinstance(card.get("media"), dict):
            problems.add("MISSING_FIELD", f"{where}/media", "each card has media {id, title}")
            continue
        _check_media(
            problems,
            ctx,
            card["media"].get("id"),
            author,
            f"{where}/media/id",
            required=True,
            kinds=(Kind.IMAGE,),
        )
        if not _url(card.get("landingPage")):
            problems.add("MISSING_FIELD", f"{where}/landingPage", "each card has an http(s) landingPage")


def _check_images(problems: Problems, ctx: Ctx, value: dict[str, Any], author: str) -> None:
    """``multiImage.images``: 2 to 20 images ``{id, altText?}`` (MultiImage API page)."""
    images = value.get("images")
    if not isinstance(images, list) or not IMAGES[0] <= len(images) <= IMAGES[1]:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/multiImage/images",
            f"a multi-image post has {IMAGES[0]} to {IMAGES[1]} images",
        )
        return
    for i, item in enumerate(images):
        where = f"content/multiImage/images/{i}"
        if not isinstance(item, dict) or not set(item) <= {"id", "altText"}:
            problems.add("INVALID_VALUE_FOR_FIELD", where, "each image is {id, altText?}")
            continue
        _check_media(problems, ctx, item.get("id"), author, f"{where}/id", required=True, kinds=(Kind.IMAGE,))


def _check_poll(problems: Problems, value: dict[str, Any]) -> None:
    """``poll {question, options: [{text}], settings: {duration}}`` (Poll API page: a question of at
    most 140 characters, 2 to 4 options of at most 30)."""
    question = value.get("question")
    if not _fits(question, POLL_QUESTION_MAX):
        problems.add(
            "INVALID_VALUE_FOR_FIELD", "content/poll/question", "a poll question is 1 to 140 characters"
        )
    options = value.get("options")
    if not isinstance(options, list) or not POLL_OPTIONS[0] <= len(options) <= POLL_OPTIONS[1]:
        problems.add("INVALID_VALUE_FOR_FIELD", "content/poll/options", "a poll has 2 to 4 options")
    else:
        for i, option in enumerate(options):
            text = option.get("text") if isinstance(option, dict) else None
            if not _fits(text, POLL_OPTION_MAX):
                problems.add(
                    "INVALID_VALUE_FOR_FIELD",
                    f"content/poll/options/{i}/text",
                    "an option is 1 to 30 characters",
                )
    settings = value.get("settings")
    duration = settings.get("duration") if isinstance(settings, dict) else None
    if duration is not None and duration not in POLL_DURATIONS:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            "content/poll/settings/duration",
            f"duration is one of {sorted(POLL_DURATIONS)}",
        )


def _check_media(
    problems: Problems,
    ctx: Ctx,
    urn: Any,
    author: str,
    path: str,
    *,
    required: bool = False,
    kinds: tuple[Kind, ...] = (Kind.IMAGE, Kind.VIDEO, Kind.DOCUMENT),
) -> None:
    if urn is None:
        if required:
            problems.add("MISSING_FIELD", path, f"{path} is required")
        return
    kind = media.kind_of_urn(urn)
    if kind not in kinds:
        problems.add(
            "INVALID_VALUE_FOR_FIELD", path, f"{path} must be an {' or '.join(k.value for k in kinds)} URN"
        )
        return
    asset = media.lookup(ctx, urn)
    if asset is None:
        return  # made elsewhere: not the emulator's to judge (GUESS)
    if asset.get("status") != "AVAILABLE":
        problems.add("MEDIA_ASSET_NOT_AVAILABLE", path, f"{urn} is {asset.get('status')}, not AVAILABLE")
    if asset.get("owner") != author:
        problems.add(
            "INVALID_VALUE_FOR_FIELD",
            path,
            f"{urn} is owned by {asset.get('owner')}, not by the author {author}",
        )


def _enum(
    problems: Problems, post: Entity, name: str, allowed: frozenset[str], *, required: bool = False
) -> None:
    value = post.get(name)
    if value is None:
        if required:
            problems.add("MISSING_FIELD", name, f"{name} is required")
    elif not isinstance(value, str) or value not in allowed:
        problems.add("INVALID_VALUE_FOR_FIELD", name, f"{name} {value!r} is not one of {sorted(allowed)}")


def _url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) > 8


def _fits(value: Any, limit: int) -> bool:
    return _text(value) and len(value) <= limit


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
