"""Posts API (``/rest/posts``): create, GET, BATCH_GET, the ``author`` and ``dscAdAccount`` finders,
PARTIAL_UPDATE and DELETE, with Direct Sponsored Content (``adContext``, ``feedDistribution: NONE``).

Sources: Posts API and Post Schema pages (content types sponsored vs organic: carousels are
sponsored only; multiImage, polls and celebrations organic only), creatives page (dark posts).
What the emulator enforces and why:

* a DSC post (``adContext`` or ``feedDistribution: NONE``) names an existing ``dscAdAccount``
  (``MISSING_REQUIRED_FIELD_FOR_DSC`` otherwise, as public clients report), is authored by an
  organization (GUESS: member-authored sponsored posts are Thought Leader ads, made by members) and
  is PUBLIC (GUESS);
* media it shows (image, video, document; carousel cards; article thumbnail) must be AVAILABLE and
  owned by the post's author — checked for assets the emulator holds; a URN it does not hold is
  taken as made elsewhere (GUESS, see docs/emulator.md);
* ``dscAdType`` and ``isDsc`` are computed (a ``dscAdType`` that contradicts the content is refused);
* updates: ``commentary``, ``contentCallToActionLabel``, ``contentLandingPage``, ``lifecycleState``
  and ``adContext`` ``dscName``/``dscStatus`` (GUESS: the docs' update list as remembered); every
  other field is immutable.

Errors: 422 in the classic envelope for invalid content (GUESS: LinkedIn's posts errors are
422 with a message naming the field), 404 for a missing post. Post URNs: ``urn:li:ugcPost:`` for
video, document and carousel posts, ``urn:li:share:`` otherwise (GUESS).
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator import ids, media
from reconciler.emulator.errors import ApiError, Problems, not_found, param_invalid
from reconciler.emulator.finders import list_param
from reconciler.emulator.paging import index_page
from reconciler.emulator.restli import Params, reduced_encode
from reconciler.emulator.rules.common import Ctx, apply_patch
from reconciler.emulator.store import Entity, Kind, urn_id

BUCKET = 0
PREFIXES = ("urn:li:share:", "urn:li:ugcPost:")
WRITABLE = frozenset(
    {
        "author",
        "commentary",
        "visibility",
        "distribution",
        "content",
        "contentLandingPage",
        "contentCallToActionLabel",
        "lifecycleState",
        "isReshareDisabledByAuthor",
        "adContext",
        "container",
        "reshareContext",
    }
)
UPDATABLE = frozenset(
    {"commentary", "contentCallToActionLabel", "contentLandingPage", "lifecycleState", "adContext"}
)
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
SPONSORED_ONLY = frozenset({"carousel"})
ORGANIC_ONLY = frozenset({"multiImage", "poll", "celebration"})
CONTENT_KINDS = frozenset({"media", "article", "carousel", "reference", *ORGANIC_ONLY})


def key_of(urn: object) -> int | None:
    """The numeric key of a share or ugcPost URN."""
    if not isinstance(urn, str):
        return None
    for prefix in PREFIXES:
        if urn.startswith(prefix) and urn[len(prefix) :].isdigit():
            return int(urn[len(prefix) :])
    return None


def lookup(ctx: Ctx, urn: object) -> Entity | None:
    """The stored post a URN names (its exact URN: a share key read as a ugcPost is not it)."""
    key = key_of(urn)
    post = None if key is None else ctx.store.get(Kind.POST, BUCKET, key)
    return post if post is not None and post.get("id") == urn else None


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


_AD_TYPE = {
    "image": "STANDARD",
    "article": "STANDARD",
    "text": "STANDARD",
    "video": "VIDEO",
    "carousel": "CAROUSEL",
    "document": "NATIVE_DOCUMENT",
    "event": "EVENT",
}


def create(ctx: Ctx, body: Any, *, default_account: int | None = None) -> str:
    """Validate and store a new post; its URN. ``default_account``: the ad account a DSC post
    without ``adContext.dscAdAccount`` belongs to (``createInline`` names it by its path)."""
    if not isinstance(body, dict):
        raise _error("the request body must be a JSON object", "")
    post = {k: v for k, v in body.items()}
    if default_account is not None and _dsc(post):
        context = dict(post.get("adContext") or {})
        context.setdefault("dscAdAccount", f"urn:li:sponsoredAccount:{default_account}")
        post["adContext"] = context
    problems = Problems()
    for name in sorted(set(post) - WRITABLE):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} is not a writable field of a post")
    _validate(problems, ctx, post)
    _raise(problems)
    kind = content_kind(post)
    if _dsc(post):
        post["adContext"] = {**post["adContext"], "dscAdType": _AD_TYPE.get(kind, "STANDARD"), "isDsc": True}
        post["adContext"].setdefault("dscStatus", "ACTIVE")
    key = ids.allocate(ctx.store, Kind.POST, ctx.seed)[0]
    prefix = "urn:li:ugcPost:" if kind in ("video", "document", "carousel") else "urn:li:share:"
    stamp = ctx.now_ms
    post.update(
        id=f"{prefix}{key}",
        createdAt=stamp,
        lastModifiedAt=stamp,
        lifecycleStateInfo={"isEditedByAuthor": False},
    )
    post.setdefault("isReshareDisabledByAuthor", False)
    if post.get("lifecycleState") == "PUBLISHED":
        post["publishedAt"] = stamp
    ctx.store.put(Kind.POST, BUCKET, key, post)
    return str(post["id"])


def update(ctx: Ctx, urn: str, body: Any) -> None:
    """PARTIAL_UPDATE ``{"patch": {"$set": {...}}}`` of the fields a post lets change."""
    post = _load(ctx, urn)
    if not isinstance(body, dict) or set(body) != {"patch"}:
        raise _error('a partial update body is {"patch": {...}}', "")
    after, touched = apply_patch(post, body["patch"])
    problems = Problems()
    for name in sorted(touched - UPDATABLE):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} can't be changed once a post is created")
    old_ctx, new_ctx = post.get("adContext") or {}, after.get("adContext") or {}
    for name in sorted(set(old_ctx) | set(new_ctx)):
        if name not in ("dscName", "dscStatus") and old_ctx.get(name) != new_ctx.get(name):
            problems.add("FIELD_NOT_ALLOWED", f"adContext/{name}", f"adContext/{name} can't be changed")
    if not problems:
        _validate(problems, ctx, after, before=post)
    _raise(problems)
    after["lastModifiedAt"] = ctx.now_ms
    if after.get("commentary") != post.get("commentary"):
        after["lifecycleStateInfo"] = {"isEditedByAuthor": True}
    if after.get("lifecycleState") == "PUBLISHED" and "publishedAt" not in after:
        after["publishedAt"] = ctx.now_ms
    key = key_of(urn)
    assert key is not None
    ctx.store.put(Kind.POST, BUCKET, key, after)


def delete(ctx: Ctx, urn: str) -> None:
    """DELETE a post (204)."""
    _load(ctx, urn)
    key = key_of(urn)
    assert key is not None
    ctx.store.delete(Kind.POST, BUCKET, key)


def get(ctx: Ctx, urn: str) -> Entity:
    """GET one post."""
    return _load(ctx, urn)


def batch_get(ctx: Ctx, params: Params) -> dict[str, Any]:
    """BATCH_GET ``ids=List(…)``: one store read per id, results keyed by the reduced-encoded URN."""
    urns = list_param(params, "ids")
    if not urns:
        raise param_invalid("ids")
    results, statuses, errors = {}, {}, {}
    for urn in urns:
        post, key = lookup(ctx, urn), reduced_encode(urn)
        if post is None:
            errors[key] = {"message": f"Post {urn} does not exist", "status": 404}
        else:
            results[key] = post
            statuses[key] = 200
    return {"results": results, "statuses": statuses, "errors": errors}


def find(ctx: Ctx, params: Params) -> dict[str, Any]:
    """``q=author&author=…`` and ``q=dscAdAccount&dscAdAccount=…[&dscAdTypes=List(…)]``, paged by
    ``start``/``count``, oldest first (GUESS: LinkedIn sorts by last modification)."""
    finder = params.get("q")
    if finder == "author":
        author = params.get("author")
        if not isinstance(author, str) or not author.startswith(("urn:li:organization:", "urn:li:person:")):
            raise param_invalid("author")
        rows = [(k, p) for k, p in ctx.store.scan(Kind.POST, BUCKET) if p.get("author") == author]
    elif finder == "dscAdAccount":
        account = params.get("dscAdAccount")
        account_id = (
            urn_id(account)
            if isinstance(account, str) and account.startswith("urn:li:sponsoredAccount:")
            else None
        )
        if account_id is None:
            raise param_invalid("dscAdAccount")
        types = list_param(params, "dscAdTypes")
        rows = [
            (k, p)
            for k, p in ctx.store.scan(Kind.POST, BUCKET, parents=[account_id])
            if types is None or (p.get("adContext") or {}).get("dscAdType") in types
        ]
    else:
        raise param_invalid("q")
    return index_page(params, lambda after, want=None: iter(rows))


def _load(ctx: Ctx, urn: str) -> Entity:
    post = lookup(ctx, urn)
    if post is None:
        raise not_found(f"Post {urn}")
    return post


def _dsc(post: Entity) -> bool:
    distribution = post.get("distribution")
    feed = distribution.get("feedDistribution") if isinstance(distribution, dict) else None
    return post.get("adContext") is not None or feed == "NONE"


def _validate(problems: Problems, ctx: Ctx, post: Entity, before: Entity | None = None) -> None:
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
    if not isinstance(distribution, dict) or distribution.get("feedDistribution") not in FEEDS:
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
    if _dsc(post):
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
    if context.get("dscStatus") is not None and context.get("dscStatus") not in DSC_STATUSES:
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
    if stated is not None and stated != _AD_TYPE.get(content_kind(post), "STANDARD"):
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
    dsc = _dsc(post)
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
    elif value not in allowed:
        problems.add("INVALID_VALUE_FOR_FIELD", name, f"{name} {value!r} is not one of {sorted(allowed)}")


def _url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) > 8


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _raise(problems: Problems) -> None:
    try:
        problems.raise_if_any()
    except ApiError as error:
        raise ApiError(422, error.code, error.message, error.inputs) from None


def _error(message: str, path: str) -> ApiError:
    problems = Problems()
    problems.add("INVALID_VALUE_FOR_FIELD", path or "body", message)
    return ApiError(422, "INVALID_VALUE_FOR_FIELD", message, problems.items)
