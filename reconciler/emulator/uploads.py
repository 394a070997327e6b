"""Upload URLs: ``PUT /dms-uploads/{kind}/{code}/{slot}?ut=…`` receives an asset's bytes.

Owns: checking an upload URL (signature, expiry, the asset still waiting for these bytes), the
size of a video part, the ETag answered for it, and telling a file of the wrong format (so its
processing fails, as LinkedIn's does). Only the size and SHA-256 of the bytes are kept.

Answers (Images/Documents/Videos pages): 201 for an image or document; 200 with an ``ETag``
header for a video part. GUESS: the docs do not say what an expired or forged URL answers; the
emulator answers 403 in the classic envelope. The docs' examples send the bearer token with the
PUT; an upload URL is accepted with or without one (GUESS: the URL itself is the credential).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from reconciler.emulator import media
from reconciler.emulator.errors import classic
from reconciler.emulator.restli import split_query
from reconciler.emulator.rules.common import Ctx
from reconciler.emulator.store import Entity, Kind
from reconciler.emulator.wire import Reply

PREFIX = "/dms-uploads/"
# The largest upload accepted in one request: LinkedIn's documents go up to 100 MB (video parts are 4 MB).
MAX_UPLOAD = 100 * 1024 * 1024
_KINDS = {kind.value: kind for kind in (Kind.IMAGE, Kind.VIDEO, Kind.DOCUMENT)}
# Leading bytes of the formats each kind takes (Images: JPG, PNG, GIF; Videos: MP4/MOV; Documents:
# PDF, PPT(X), DOC(X)); anything else uploads fine and then fails processing (GUESS: LinkedIn judges
# the bytes when it processes them).
_MAGIC: dict[Kind, tuple[bytes, ...]] = {
    Kind.IMAGE: (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a"),
    Kind.DOCUMENT: (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
}


def is_upload(path: str) -> bool:
    """Whether a request path is an upload URL."""
    return path.startswith(PREFIX)


def receive(ctx: Ctx, verb: str, path: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
    """Store the bytes of one upload URL; every refusal is an :class:`ApiError`."""
    if verb != "PUT":
        raise classic(405, f"HTTP method {verb} is not supported by upload URLs; PUT the bytes")
    kind, entity, key, slot = _target(ctx, path, query)
    upload = entity.get("_upload")
    if not isinstance(upload, dict):
        raise classic(400, f"{entity['id']} is not waiting for an upload")
    if len(body) > MAX_UPLOAD:
        raise classic(400, f"the upload is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
    digest = hashlib.sha256(body).hexdigest()
    if slot in ("captions", "thumbnail"):
        reply = _extra(upload, slot, body, digest)
    elif kind is Kind.VIDEO:
        reply = _video_part(ctx, entity, upload, slot, body, digest)
    else:
        reply = _whole(ctx, kind, entity, upload, body, digest)
    ctx.store.put(kind, media.BUCKET, key, entity)
    return reply


def _target(ctx: Ctx, path: str, query: str) -> tuple[Kind, Entity, int, str]:
    parts = path[len(PREFIX) :].split("/")
    kind = _KINDS.get(parts[0]) if len(parts) == 3 else None
    if kind is None:
        raise classic(404, f"No upload found for {path}")
    urn = f"{media.PREFIX[kind]}{parts[1]}"
    found = media.stored(ctx, kind, urn)
    if found is None:
        raise classic(404, f"No upload found for {path}")
    key, entity = found
    upload = entity.get("_upload") if isinstance(entity.get("_upload"), dict) else {}
    expires = upload.get("expiresAt") if isinstance(upload, dict) else None
    token = dict(split_query(query)).get("ut", "")
    if not isinstance(expires, int) or token != media.upload_token(ctx, urn, parts[2], expires):
        raise classic(403, "The upload URL is not valid", code="FORBIDDEN")
    if ctx.now_ms > expires:
        raise classic(
            403, "The upload URL has expired; initialize the upload again", code="UPLOAD_URL_EXPIRED"
        )
    return kind, entity, key, parts[2]


def _whole(ctx: Ctx, kind: Kind, entity: Entity, upload: dict[str, Any], body: bytes, digest: str) -> Reply:
    """An image or a document: one PUT of the whole file, then processing."""
    done = entity.get("_file")
    if entity.get("status") != "WAITING_UPLOAD":
        if isinstance(done, dict) and done.get("sha256") == digest:
            return Reply(201)  # the same bytes again (a retried PUT): nothing changes
        raise classic(409, f"{entity['id']} has already been uploaded; initialize a new upload")
    if not body:
        raise classic(400, "the upload is empty")
    entity["_file"] = {"size": len(body), "sha256": digest}
    media.start_processing(ctx, entity, broken=not body.startswith(_MAGIC[kind]))
    return Reply(201)


def _video_part(
    ctx: Ctx, entity: Entity, upload: dict[str, Any], slot: str, body: bytes, digest: str
) -> Reply:
    parts = upload.get("parts") or []
    index = int(slot) if slot.isdigit() else -1
    if not 0 <= index < len(parts):
        raise classic(404, f"No upload part {slot} for {entity['id']}")
    if entity.get("status") != "WAITING_UPLOAD":
        raise classic(409, f"{entity['id']} is already finalized")
    part = parts[index]
    expected = part["lastByte"] - part["firstByte"] + 1
    if len(body) != expected:
        raise classic(
            400,
            f"part {index} must hold bytes {part['firstByte']}-{part['lastByte']} ({expected} bytes), "
            f"not {len(body)}",
        )
    # The ETag names the part's content, so a retried PUT of the same bytes answers the same ETag.
    seen = f"{entity['id']}:{index}:{digest}".encode()
    part["etag"] = "/ETag/" + hashlib.blake2b(seen, digest_size=16).hexdigest()
    part["sha256"] = digest
    if index == 0:
        # MP4 and MOV files name their brand in an "ftyp" box at byte 4.
        upload["broken"] = body[4:8] != b"ftyp"
    return Reply(200, None, {"ETag": part["etag"]})


def _extra(upload: dict[str, Any], slot: str, body: bytes, digest: str) -> Reply:
    """Captions (SRT) or a thumbnail of a video (GUESS: answered 201 like an image upload)."""
    if slot not in upload:
        raise classic(404, f"this video was not initialized with {slot}")
    if not body:
        raise classic(400, "the upload is empty")
    upload[slot] = {"received": True, "size": len(body), "sha256": digest}
    return Reply(201)
