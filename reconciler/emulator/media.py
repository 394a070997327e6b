"""Images, Videos and Documents APIs: assets, their upload state and their processing.

Owns: ``POST /rest/{images,videos,documents}?action=initializeUpload`` (owner, optional
``mediaLibraryMetadata``), ``POST /rest/videos?action=finalizeUpload``, GET, BATCH_GET and the
``q=associatedAccount`` finder, and what an asset looks like when read. Status goes
``WAITING_UPLOAD`` → (bytes received; videos: finalized) → ``PROCESSING`` → ``AVAILABLE`` or
``PROCESSING_FAILED``, the verdict due ``Settings.media_processing_ms`` after the upload and
settled at read time, like a creative review. Receiving the bytes is ``uploads``' job.

Keys: asset URNs are opaque codes (``urn:li:image:C4E10AQ…``) that encode the stored numeric key.
Assets live in store bucket 0, indexed by their associated ad account.
"""

from __future__ import annotations

import hashlib
import math
import random
import string
from typing import Any

from reconciler.emulator import ids
from reconciler.emulator.batchget import batch_get_body
from reconciler.emulator.errors import ApiError, classic, not_found, param_invalid
from reconciler.emulator.paging import index_page
from reconciler.emulator.restli import Params
from reconciler.emulator.rules.common import Ctx, apply_patch
from reconciler.emulator.store import Entity, Kind, urn_id
from reconciler.emulator.wire import Reply

BUCKET = 0
RESOURCES = {"images": Kind.IMAGE, "videos": Kind.VIDEO, "documents": Kind.DOCUMENT}
PREFIX = {Kind.IMAGE: "urn:li:image:", Kind.VIDEO: "urn:li:video:", Kind.DOCUMENT: "urn:li:document:"}
RESPONSE_FIELD = {Kind.IMAGE: "image", Kind.VIDEO: "video", Kind.DOCUMENT: "document"}
# The fixed head of each kind's codes, shaped like LinkedIn's (GUESS: their meaning is not documented).
_HEAD = {Kind.IMAGE: "C4E10AQ", Kind.VIDEO: "C5605AQ", Kind.DOCUMENT: "D4D10AQ"}
_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
# Videos are uploaded in parts of 4 MB (4,194,304 bytes; Videos API page), the last one shorter.
PART_BYTES = 4 * 1024 * 1024
# GUESS: the docs show uploadUrlExpiresAt but not how far ahead it lies; a day.
UPLOAD_TTL_MS = 24 * 3_600_000
DOWNLOAD_TTL_MS = 24 * 3_600_000
# Videos API: up to 500 MB (the ads spec allows less; that is the client's offline check).
MAX_VIDEO_BYTES = 500 * 1024 * 1024
OWNER_PREFIXES = ("urn:li:organization:", "urn:li:person:")
STATUSES = ("WAITING_UPLOAD", "PROCESSING", "AVAILABLE", "PROCESSING_FAILED")
PRIVATE = ("_upload", "_processing", "_file")


def urn_of(kind: Kind, key: int) -> str:
    """The asset URN of ``key``: the kind's head, then the key in base 62."""
    digits = ""
    while True:
        key, rest = divmod(key, 62)
        digits = _ALPHABET[rest] + digits
        if key == 0:
            break
    return f"{PREFIX[kind]}{_HEAD[kind]}{digits}"


def key_of(kind: Kind, urn: object) -> int | None:
    """The stored key of an asset URN: the number the emulator's own codes encode, or for any other
    code (a seeded asset's real URN) a 63-bit hash of the URN. Readers compare the stored ``id``."""
    if not isinstance(urn, str) or not urn.startswith(PREFIX[kind]) or len(urn) == len(PREFIX[kind]):
        return None
    head = PREFIX[kind] + _HEAD[kind]
    code = urn[len(head) :]
    if urn.startswith(head) and 0 < len(code) <= 10 and all(c in _ALPHABET for c in code):
        key = 0
        for char in code:
            key = key * 62 + _ALPHABET.index(char)
        return key
    return int.from_bytes(hashlib.blake2b(urn.encode(), digest_size=8).digest(), "big") >> 1


def stored(ctx: Ctx, kind: Kind, urn: object) -> tuple[int, Entity] | None:
    """The key and stored entity of an asset URN (None when the emulator holds no such asset)."""
    key = key_of(kind, urn)
    entity = None if key is None else ctx.store.get(kind, BUCKET, key)
    if key is None or entity is None or entity.get("id") != urn:
        return None
    return key, entity


def kind_of_urn(urn: object) -> Kind | None:
    """Which media kind a URN names (by its prefix), or None."""
    for kind, prefix in PREFIX.items():
        if isinstance(urn, str) and urn.startswith(prefix):
            return kind
    return None


def lookup(ctx: Ctx, urn: object) -> Entity | None:
    """The stored asset a URN names, settled to the current time (None: not one the emulator holds)."""
    kind = kind_of_urn(urn)
    found = None if kind is None else stored(ctx, kind, urn)
    return None if found is None else settle(found[1], ctx.now_ms)


def settle(entity: Entity, now_ms: int) -> Entity:
    """The asset with a processing verdict that is due applied (in place; returns it)."""
    state = entity.get("_processing")
    if isinstance(state, dict) and isinstance(state.get("dueAt"), int) and state["dueAt"] <= now_ms:
        entity.pop("_processing")
        entity["status"] = str(state.get("verdict", "AVAILABLE"))
    return entity


def start_processing(ctx: Ctx, entity: Entity, broken: bool) -> None:
    """Bytes are complete: PROCESSING now, the verdict due after the configured delay.

    The verdict is PROCESSING_FAILED for bytes that are not of the kind's formats (``broken``) and
    for the share ``media_fail_rate`` of assets, drawn from the seed and the URN (reproducible).
    """
    draw = random.Random(f"{ctx.seed}:media:{entity['id']}").random()
    failed = broken or draw < ctx.settings.media_fail_rate
    entity["status"] = "PROCESSING"
    entity["_processing"] = {
        "dueAt": ctx.now_ms + ctx.settings.media_processing_ms,
        "verdict": "PROCESSING_FAILED" if failed else "AVAILABLE",
    }
    settle(entity, ctx.now_ms)


def present(ctx: Ctx, kind: Kind, entity: Entity) -> Entity:
    """The asset as GET returns it: private state left out, a download URL once AVAILABLE."""
    settle(entity, ctx.now_ms)
    out = {k: v for k, v in entity.items() if k not in PRIVATE}
    if out.get("status") == "AVAILABLE":
        code = str(out["id"]).rsplit(":", 1)[-1]
        # GUESS: LinkedIn's download URLs are on its media CDN; the emulator names its own host and
        # serves nothing there.
        out["downloadUrl"] = f"{ctx.origin}/dms/{RESPONSE_FIELD[kind]}/{code}"
        out["downloadUrlExpiresAt"] = ctx.now_ms + DOWNLOAD_TTL_MS
    return out


def upload_token(ctx: Ctx, urn: str, slot: str, expires_at: int) -> str:
    """The signature of one upload URL (the ``ut`` query parameter)."""
    text = f"{ctx.seed}:{urn}:{slot}:{expires_at}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def upload_url(ctx: Ctx, kind: Kind, urn: str, slot: str, expires_at: int) -> str:
    """An upload URL on the emulator's own host: ``/dms-uploads/{kind}/{code}/{slot}?ut=…``."""
    code = urn.rsplit(":", 1)[-1]
    token = upload_token(ctx, urn, slot, expires_at)
    return f"{ctx.origin}/dms-uploads/{kind.value}/{code}/{slot}?ut={token}"


def initialize(ctx: Ctx, kind: Kind, body: Any) -> Reply:
    """``action=initializeUpload``: a new asset WAITING_UPLOAD and where to PUT its bytes."""
    request = _request(body, "initializeUploadRequest")
    allowed = {"owner", "mediaLibraryMetadata"}
    if kind is Kind.VIDEO:
        allowed |= {"fileSizeBytes", "uploadCaptions", "uploadThumbnail"}
    unknown = sorted(set(request) - allowed)
    if unknown:
        raise _invalid(
            f"initializeUploadRequest/{unknown[0]}", f"{unknown[0]} is not a field of this request"
        )
    owner = request.get("owner")
    if not isinstance(owner, str) or not owner.startswith(OWNER_PREFIXES) or owner.endswith(":"):
        raise _invalid("initializeUploadRequest/owner", "owner must be an organization or person URN")
    library = _library(ctx, request.get("mediaLibraryMetadata"))
    key = ids.allocate(ctx.store, kind, ctx.seed)[0]
    urn = urn_of(kind, key)
    expires = ctx.now_ms + UPLOAD_TTL_MS
    entity: Entity = {"id": urn, "owner": owner, "status": "WAITING_UPLOAD"}
    if library is not None:
        entity["mediaLibraryMetadata"] = library
    value: dict[str, Any] = {RESPONSE_FIELD[kind]: urn}
    upload: dict[str, Any] = {"expiresAt": expires}
    if kind is Kind.VIDEO:
        value.update(_video_instructions(ctx, request, urn, expires, upload))
    else:
        value.update(uploadUrl=upload_url(ctx, kind, urn, "0", expires), uploadUrlExpiresAt=expires)
        upload["parts"] = [{"firstByte": 0, "lastByte": None, "etag": None}]
    entity["_upload"] = upload
    ctx.store.put(kind, BUCKET, key, entity)
    return Reply(200, {"value": value})


def _video_instructions(
    ctx: Ctx, request: dict[str, Any], urn: str, expires: int, upload: dict[str, Any]
) -> dict[str, Any]:
    size = request.get("fileSizeBytes")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_VIDEO_BYTES:
        raise _invalid(
            "initializeUploadRequest/fileSizeBytes",
            f"fileSizeBytes must be a number of bytes from 1 to {MAX_VIDEO_BYTES}",
        )
    for flag in ("uploadCaptions", "uploadThumbnail"):
        if request.get(flag) is not None and not isinstance(request.get(flag), bool):
            raise _invalid(f"initializeUploadRequest/{flag}", f"{flag} must be a boolean")
    parts, instructions = [], []
    for n in range(math.ceil(size / PART_BYTES)):
        first, last = n * PART_BYTES, min(size, (n + 1) * PART_BYTES) - 1
        parts.append({"firstByte": first, "lastByte": last, "etag": None})
        url = upload_url(ctx, Kind.VIDEO, urn, str(n), expires)
        instructions.append({"uploadUrl": url, "firstByte": first, "lastByte": last})
    upload["parts"] = parts
    # GUESS: the docs' single-part example answers an empty uploadToken; a multi-part one gets one.
    upload["token"] = "" if len(parts) == 1 else upload_token(ctx, urn, "token", expires)
    value: dict[str, Any] = {
        "uploadUrlsExpireAt": expires,
        "uploadInstructions": instructions,
        "uploadToken": upload["token"],
    }
    for flag, slot, name in (
        ("uploadCaptions", "captions", "captionsUploadUrl"),
        ("uploadThumbnail", "thumbnail", "thumbnailUploadUrl"),
    ):
        if request.get(flag):
            value[name] = upload_url(ctx, Kind.VIDEO, urn, slot, expires)
            upload[slot] = {"received": False}
    return value


def finalize(ctx: Ctx, body: Any) -> Reply:
    """``POST /rest/videos?action=finalizeUpload``: every part uploaded, ETags given in order."""
    request = _request(body, "finalizeUploadRequest")
    urn = request.get("video")
    found = stored(ctx, Kind.VIDEO, urn)
    if found is None:
        raise not_found(f"Video {urn}")
    key, entity = found
    upload = entity.get("_upload") or {}
    if entity.get("status") != "WAITING_UPLOAD":
        raise _invalid(
            "finalizeUploadRequest/video", f"video {urn} is {entity.get('status')}, not WAITING_UPLOAD"
        )
    if request.get("uploadToken", "") != upload.get("token", ""):
        raise _invalid("finalizeUploadRequest/uploadToken", "uploadToken does not match the upload")
    etags = [part.get("etag") for part in upload.get("parts", [])]
    given = request.get("uploadedPartIds")
    if None in etags:
        missing = etags.index(None)
        raise _invalid("finalizeUploadRequest/uploadedPartIds", f"part {missing} of {urn} was not uploaded")
    if given != etags:
        raise _invalid(
            "finalizeUploadRequest/uploadedPartIds",
            "uploadedPartIds must list the ETag of every part, in the order of uploadInstructions",
        )
    start_processing(ctx, entity, bool(upload.get("broken")))
    ctx.store.put(Kind.VIDEO, BUCKET, key, entity)
    return Reply(200)


def get(ctx: Ctx, kind: Kind, raw_key: str) -> Reply:
    """GET one asset by its URN."""
    return Reply(200, _load(ctx, kind, raw_key))


def batch_get(ctx: Ctx, kind: Kind, params: Params) -> Reply:
    """BATCH_GET ``ids=List(…)``: results, statuses and errors keyed by the reduced-encoded URN."""
    return Reply(200, batch_get_body(params, lambda urn: _load(ctx, kind, urn)))


def find(ctx: Ctx, kind: Kind, params: Params) -> Reply:
    """``q=associatedAccount&associatedAccount=urn:li:sponsoredAccount:N``: the account's media
    library, every status, oldest first, paged by ``start``/``count``."""
    if params.get("q") != "associatedAccount":
        raise param_invalid("q")
    account = params.get("associatedAccount")
    account_id = (
        urn_id(account)
        if isinstance(account, str) and account.startswith("urn:li:sponsoredAccount:")
        else None
    )
    if account_id is None:
        raise param_invalid("associatedAccount")

    def scan(after: int | None, want: int | None = None) -> Any:
        rows = ctx.store.scan(kind, BUCKET, after=after, parents=[account_id])
        return iter([(key, present(ctx, kind, entity)) for key, entity in rows])

    return Reply(200, index_page(params, scan))


def update(ctx: Ctx, kind: Kind, raw_key: str, body: Any) -> None:
    """PARTIAL_UPDATE of an image or video: only its ``mediaLibraryMetadata`` (GUESS: the docs list
    the method, not the fields; the bytes and the owner of an asset never change)."""
    found = stored(ctx, kind, raw_key)
    if found is None:
        raise not_found(f"{RESPONSE_FIELD[kind].capitalize()} {raw_key}")
    key, entity = found
    if not isinstance(body, dict) or set(body) != {"patch"}:
        raise _invalid("patch", 'a partial update body is {"patch": {...}}')
    after, touched = apply_patch(entity, body["patch"])
    if touched - {"mediaLibraryMetadata"}:
        raise _invalid(sorted(touched)[0], "only mediaLibraryMetadata can change")
    library = _library(ctx, after.get("mediaLibraryMetadata"))
    if library is not None:
        after["mediaLibraryMetadata"] = library
    ctx.store.put(kind, BUCKET, key, after)


def _load(ctx: Ctx, kind: Kind, raw_key: str) -> Entity:
    found = stored(ctx, kind, raw_key)
    if found is None:
        raise not_found(f"{RESPONSE_FIELD[kind].capitalize()} {raw_key}")
    return present(ctx, kind, found[1])


def _library(ctx: Ctx, value: Any) -> dict[str, Any] | None:
    """``mediaLibraryMetadata {associatedAccount, assetName}``: the asset joins that account's library."""
    if value is None:
        return None
    path = "mediaLibraryMetadata"
    if not isinstance(value, dict) or not set(value) <= {"associatedAccount", "assetName"}:
        raise _invalid(path, "mediaLibraryMetadata is {associatedAccount, assetName}")
    account = value.get("associatedAccount")
    account_id = (
        urn_id(account)
        if isinstance(account, str) and account.startswith("urn:li:sponsoredAccount:")
        else None
    )
    if account_id is None or ctx.store.get(Kind.ACCOUNT, account_id, account_id) is None:
        raise _invalid(f"{path}/associatedAccount", f"ad account {account!r} does not exist")
    name = value.get("assetName")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise _invalid(f"{path}/assetName", "assetName must be a non-blank string")
    return dict(value)


def _request(body: Any, name: str) -> dict[str, Any]:
    if not isinstance(body, dict) or set(body) != {name} or not isinstance(body[name], dict):
        raise _invalid(name, f'the body must be {{"{name}": {{...}}}}')
    return dict(body[name])


def _invalid(path: str, message: str) -> ApiError:
    # The media APIs answer the classic envelope; the field is named in the message.
    return classic(400, f"ERROR :: /{path} :: {message}", code="INVALID_VALUE_FOR_FIELD")
