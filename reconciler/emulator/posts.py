"""Posts API (``/rest/posts``): create, GET, BATCH_GET, the ``author`` and ``dscAdAccount`` finders,
PARTIAL_UPDATE and DELETE, with Direct Sponsored Content (``adContext``, ``feedDistribution: NONE``).
What a post may hold is ``rules.posts``'.

* ``dscAdType`` and ``isDsc`` are computed; ``dscStatus`` defaults to ACTIVE;
* updates: ``commentary``, ``contentCallToActionLabel``, ``contentLandingPage``, ``lifecycleState``
  and ``adContext`` ``dscName``/``dscStatus`` (GUESS: the docs' update list as remembered; a data
  provider lists commentary, lifecycleState, dscName and dscStatus as mutable); every other field is
  immutable.

Errors: 422 in the classic envelope for invalid content (GUESS: LinkedIn's posts errors are
422 with a message naming the field), 404 for a missing post. Post URNs: ``urn:li:ugcPost:`` for
video, document and carousel posts, ``urn:li:share:`` otherwise (GUESS).
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator import ids
from reconciler.emulator.batchget import batch_get_body
from reconciler.emulator.errors import ApiError, Problems, not_found, param_invalid
from reconciler.emulator.finders import list_param
from reconciler.emulator.paging import index_page
from reconciler.emulator.restli import Params
from reconciler.emulator.rules.common import Ctx, apply_patch
from reconciler.emulator.rules.posts import AD_TYPE, content_kind, is_dsc, validate
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
# The Posts page's "Update a Post" table: commentary, contentCallToActionLabel, contentLandingPage,
# reshareContext, lifecycleState and adContext (dscName, dscStatus).
UPDATABLE = frozenset(
    {
        "commentary",
        "contentCallToActionLabel",
        "contentLandingPage",
        "lifecycleState",
        "adContext",
        "reshareContext",
    }
)


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
    return lookup_many(ctx, [urn]).get(urn) if isinstance(urn, str) else None


def lookup_many(ctx: Ctx, urns: list[str]) -> dict[str, Entity]:
    """The stored posts the URNs name, by URN, read in one store call (as :func:`lookup`)."""
    keys = {urn: key for urn, key in ((urn, key_of(urn)) for urn in urns) if key is not None}
    stored = ctx.store.get_many(Kind.POST, BUCKET, keys.values())
    found = {urn: stored.get(key) for urn, key in keys.items()}
    return {urn: post for urn, post in found.items() if post is not None and post.get("id") == urn}


def create(ctx: Ctx, body: Any, *, default_account: int | None = None) -> str:
    """Validate and store a new post; its URN. ``default_account``: the ad account a DSC post
    without ``adContext.dscAdAccount`` belongs to (``createInline`` names it by its path)."""
    if not isinstance(body, dict):
        raise _error("the request body must be a JSON object", "")
    post = {k: v for k, v in body.items()}
    if default_account is not None:
        # GUESS: the Creatives page's createInline sample sends no ``distribution``; an inline post
        # is Direct Sponsored Content, so it gets the DSC distribution.
        post.setdefault(
            "distribution",
            {"feedDistribution": "NONE", "targetEntities": [], "thirdPartyDistributionChannels": []},
        )
    if default_account is not None and is_dsc(post) and isinstance(post.get("adContext"), (dict, type(None))):
        context = dict(post.get("adContext") or {})
        context.setdefault("dscAdAccount", f"urn:li:sponsoredAccount:{default_account}")
        post["adContext"] = context
    problems = Problems()
    for name in sorted(set(post) - WRITABLE):
        problems.add("FIELD_NOT_ALLOWED", name, f"{name} is not a writable field of a post")
    validate(problems, ctx, post)
    _raise(problems)
    kind = content_kind(post)
    if is_dsc(post):
        post["adContext"] = {**post["adContext"], "dscAdType": AD_TYPE.get(kind, "STANDARD"), "isDsc": True}
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
        validate(problems, ctx, after, before=post)
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
    """DELETE a post (204). Idempotent, as the Posts page says ("Deletion requests for a previously
    deleted UGC Post will return a 204"): a share or ugcPost URN the emulator does not hold is
    answered 204 too (GUESS: it keeps no tombstones, so a post it never held is treated alike)."""
    key = key_of(urn)
    if key is None:
        raise not_found(f"Post {urn}")
    if lookup(ctx, urn) is not None:
        ctx.store.delete(Kind.POST, BUCKET, key)


def get(ctx: Ctx, urn: str) -> Entity:
    """GET one post."""
    return _load(ctx, urn)


def batch_get(ctx: Ctx, params: Params) -> dict[str, Any]:
    """BATCH_GET ``ids=List(…)``: one store read for all ids, results keyed by the reduced-encoded URN."""
    found = lookup_many(ctx, list_param(params, "ids") or [])

    def read(urn: str) -> dict[str, Any]:
        post = found.get(urn)
        if post is None:
            raise not_found(f"Post {urn}")
        return post

    return batch_get_body(params, read)


def find(ctx: Ctx, params: Params) -> dict[str, Any]:
    """``q=author&author=…[&isDsc=true|false][&sortBy=LAST_MODIFIED|CREATED]`` and
    ``q=dscAdAccount&dscAdAccount=…[&dscAdTypes=List(…)]``, paged by ``start``/``count``.

    Order: the Posts page's ``sortBy`` (LAST_MODIFIED, the default, or CREATED), most recent first
    (GUESS: the page names the keys, not the direction); ties by id. ``isDsc`` (public clients send
    ``isDsc=false``) keeps only sponsored or only organic posts; without it, both (GUESS)."""
    finder = params.get("q")
    if finder == "author":
        author = params.get("author")
        if not isinstance(author, str) or not author.startswith(("urn:li:organization:", "urn:li:person:")):
            raise param_invalid("author")
        dsc = params.get("isDsc")
        if dsc not in (None, "true", "false"):
            raise param_invalid("isDsc")
        rows = [
            (k, p)
            for k, p in ctx.store.scan(Kind.POST, BUCKET)
            if p.get("author") == author and (dsc is None or is_dsc(p) == (dsc == "true"))
        ]
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
    sort = params.get("sortBy", "LAST_MODIFIED")
    if sort not in ("LAST_MODIFIED", "CREATED"):
        raise param_invalid("sortBy")
    stamp = "lastModifiedAt" if sort == "LAST_MODIFIED" else "createdAt"
    rows.sort(key=lambda row: (_number(row[1].get(stamp)), row[0]), reverse=True)
    return index_page(params, lambda after, want=None: iter(rows))


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _load(ctx: Ctx, urn: str) -> Entity:
    post = lookup(ctx, urn)
    if post is None:
        raise not_found(f"Post {urn}")
    return post


def _raise(problems: Problems) -> None:
    try:
        problems.raise_if_any()
    except ApiError as error:
        raise ApiError(422, error.code, error.message, error.inputs) from None


def _error(message: str, path: str) -> ApiError:
    problems = Problems()
    problems.add("INVALID_VALUE_FOR_FIELD", path or "body", message)
    return ApiError(422, "INVALID_VALUE_FOR_FIELD", message, problems.items)
