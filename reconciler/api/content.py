"""The calls behind ads as code: media uploads, Direct Sponsored Content posts, inline creatives,
InMail contents and conversation ads.

Shapes (LinkedIn's Images, Videos, Documents, Posts, Creatives, inMailContents and Conversation Ads
pages; see docs/client.md "Ad content" for which parts are read from the docs and which are guesses):

- ``POST /images?action=initializeUpload`` ``{"initializeUploadRequest": {"owner": org,
  "mediaLibraryMetadata": {"associatedAccount": account, "assetName": name}}}`` →
  ``{"value": {"uploadUrl", "uploadUrlExpiresAt", "image"}}``; documents alike (``document``);
  videos add ``fileSizeBytes``, ``uploadCaptions``, ``uploadThumbnail`` and answer
  ``{"value": {"video", "uploadInstructions": [{"uploadUrl", "firstByte", "lastByte"}],
  "uploadToken"}}``, then each part is PUT (its ``ETag`` kept) and
  ``POST /videos?action=finalizeUpload`` ``{"finalizeUploadRequest": {"video", "uploadToken",
  "uploadedPartIds"}}`` closes it.
- ``GET /{images|videos|documents}?ids=List(…)`` (BATCH_GET) reads ``status`` (``WAITING_UPLOAD``,
  ``PROCESSING``, ``AVAILABLE``, ``PROCESSING_FAILED``); ``q=associatedAccount`` lists an account's
  media library (where a killed run's upload is found again by its ``assetName``).
- ``POST /posts`` → 201 ``x-restli-id: urn:li:share:…|urn:li:ugcPost:…``; ``GET /posts?ids=List(…)``;
  ``q=dscAdAccount`` lists an account's Direct Sponsored Content posts.
- ``POST /adAccounts/{a}/creatives?action=createInline`` ``{"creative": {…, "inlineContent":
  {"post": {…}}}}``; ``POST /inMailContents``; ``POST /conversationAds``, then
  ``POST /conversationAds/{urn}/sponsoredMessageContents`` (BATCH_CREATE), then a partial update of
  the conversation's ``firstMessageContent``.

Keys here are URNs (``urn:li:image:…``), not the numeric ids of the ads collections.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from reconciler.api.collection import reading, unanswered
from reconciler.api.errors import error_from_item
from reconciler.api.restli import (
    Method,
    Request,
    created_id,
    encode_key,
    encode_query,
    patch_body,
    reduced_decode,
)
from reconciler.api.wire import Wire
from reconciler.errors import ApiError, BadAnswer, UnknownOutcome, clip

T = TypeVar("T")
R = TypeVar("R")
Mapper = Callable[[Callable[[T], R], Iterable[T]], list[R]]

# Media kind -> (collection, the key of its URN in the initializeUpload answer).
MEDIA = {"image": ("images", "image"), "video": ("videos", "video"), "document": ("documents", "document")}
POSTS_PAGE = 100  # posts finder page size (the docs' examples use count up to 100)
MEDIA_PAGE = 100
MAX_PAGES = 301  # as for creatives: twice an account at the limits, plus one
_DICT = frozenset({dict})


@dataclass(frozen=True)
class UploadPart:
    """One part of an upload: PUT bytes ``first``..``last`` (inclusive) of the file to ``url``."""

    url: str
    first: int
    last: int


@dataclass(frozen=True)
class UploadTicket:
    """What ``initializeUpload`` handed out: the asset's URN and where its bytes go."""

    urn: str
    parts: tuple[UploadPart, ...]
    token: str = ""
    extras: Mapping[str, str] = field(default_factory=dict)  # a video's "thumbnail"/"captions" -> URL


@dataclass(frozen=True)
class Created:
    """The outcome of one create of a batch: its key (URN) or its error."""

    index: int
    urn: str | None = None
    error: ApiError | None = None


class ContentApi:
    """Typed access to the content calls, on the client's :class:`Wire` (same headers, retries,
    in-flight bound and counters as every other call)."""

    def __init__(self, wire: Wire, parallel: Mapper[Any, Any], batch_size: int = 200) -> None:
        self.wire = wire
        self._parallel = parallel
        self._batch_size = batch_size

    # -- media -----------------------------------------------------------------------------------

    def initialize_upload(
        self,
        media: str,
        owner: str,
        size: int,
        *,
        account: str | None = None,
        name: str | None = None,
        extras: Sequence[str] = (),
    ) -> UploadTicket:
        """Start an upload of ``size`` bytes owned by ``owner`` (an organization URN); the asset goes
        to ``account``'s media library under ``name`` when both are given (so it can be found again).
        A video's ``extras`` (``thumbnail``, ``captions``) get upload URLs of their own."""
        collection, key = MEDIA[media]
        request: dict[str, Any] = {"owner": owner}
        if media == "video":
            request.update(
                fileSizeBytes=size, uploadCaptions="captions" in extras, uploadThumbnail="thumbnail" in extras
            )
        if account and name:
            request["mediaLibraryMetadata"] = {"associatedAccount": account, "assetName": name}
        value = self._action(collection, "initializeUpload", {"initializeUploadRequest": request})
        path = f"/{collection}"
        with reading("POST", path):
            urn = str(value[key])
            if media == "video":
                parts = tuple(
                    UploadPart(
                        str(p["uploadUrl"]), int(p.get("firstByte", 0)), int(p.get("lastByte", size - 1))
                    )
                    for p in value.get("uploadInstructions") or ()
                )
                token = str(value.get("uploadToken") or "")
                more = {slot: str(value[f"{slot}UploadUrl"]) for slot in extras}
            else:
                parts = (UploadPart(str(value["uploadUrl"]), 0, size - 1),)
                token, more = "", {}
        if not parts:
            raise BadAnswer("initializeUpload named no upload URL", status=200, method="POST", path=path)
        return UploadTicket(urn, parts, token, more)

    def put_part(self, media: str, part: UploadPart, data: bytes) -> str:
        """PUT one part's bytes; its ETag ("" when the answer has none)."""
        collection, _ = MEDIA[media]
        request = Request(Method.UPLOAD, collection, f"/{collection} (upload)", url=part.url, data=data)
        response = self.wire.upload(request)
        return str(response.headers.get("etag", ""))

    def finalize_video(self, ticket: UploadTicket, etags: Sequence[str]) -> None:
        """Close a video upload once every part is PUT (its ETags in part order)."""
        body = {
            "finalizeUploadRequest": {
                "video": ticket.urn,
                "uploadToken": ticket.token,
                "uploadedPartIds": list(etags),
            }
        }
        self._action("videos", "finalizeUpload", body, want_value=False)

    def media(self, media: str, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The assets themselves (owner, status, ``mediaLibraryMetadata``), by batch get."""
        return self._batch_get(MEDIA[media][0], urns)

    def media_status(self, media: str, urns: Iterable[str]) -> dict[str, str]:
        """The ``status`` of each asset (those LinkedIn answers 404 for left out), by batch get."""
        collection, _ = MEDIA[media]
        found = self._batch_get(collection, urns)
        return {urn: str(entity.get("status") or "") for urn, entity in found.items()}

    def media_library(self, media: str, account: str) -> list[dict[str, Any]]:
        """Every asset of ``account``'s media library (``q=associatedAccount``), all pages."""
        collection, _ = MEDIA[media]
        return self._finder(collection, {"q": "associatedAccount", "associatedAccount": account}, MEDIA_PAGE)

    # -- posts -----------------------------------------------------------------------------------

    def create_post(self, body: Mapping[str, Any]) -> str:
        """Create a post; its URN. UnknownOutcome when it cannot be known whether it was made."""
        return self._create("posts", "/posts", body)

    def posts(self, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The posts with these URNs, by URN, in batch gets (those LinkedIn answers 404 for left out;
        BadAnswer when the answer leaves a URN out of both its results and its errors)."""
        return self._batch_get("posts", urns)

    def dsc_posts(self, account: str) -> list[dict[str, Any]]:
        """Every Direct Sponsored Content post of ``account`` (``q=dscAdAccount``), all pages."""
        return self._finder("posts", {"q": "dscAdAccount", "dscAdAccount": account}, POSTS_PAGE)

    # -- creatives made in one call, InMail and conversations --------------------------------------

    def create_inline(self, account_id: int, creative: Mapping[str, Any]) -> int:
        """``createInline``: the post and the creative in one call; the creative's id."""
        path = f"/adAccounts/{int(account_id)}/creatives"
        response = self._send(
            Method.ACTION, "creatives", path, "action=createInline", {"creative": dict(creative)}
        )
        key = created_id(response.headers)
        if key is None and response.content:
            with reading("POST", path):
                value = self.wire.json(Request(Method.ACTION, "creatives", path), response).get("value")
                key = str(value.get("id") if isinstance(value, Mapping) else value) if value else None
        if not key:
            raise UnknownOutcome("createInline answered with no creative id; look it up", path=path)
        return int(key.rsplit(":", 1)[-1])

    def create_inmail(self, body: Mapping[str, Any]) -> str:
        """Create an InMail content (``urn:li:adInMailContent:…``)."""
        return self._create("inMailContents", "/inMailContents", body)

    def inmails(self, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """InMail contents by URN, in batch gets."""
        return self._batch_get("inMailContents", urns)

    def create_conversation(self, body: Mapping[str, Any]) -> str:
        """Create a sponsored conversation (``urn:li:sponsoredConversation:…``)."""
        return self._create("conversationAds", "/conversationAds", body)

    def create_messages(self, conversation: str, bodies: Sequence[Mapping[str, Any]]) -> list[Created]:
        """Create a conversation's messages in one BATCH_CREATE; one result per body, in order."""
        path = f"/conversationAds/{encode_key(conversation)}/sponsoredMessageContents"
        body = {"elements": [dict(b) for b in bodies]}
        try:
            response = self._send(Method.BATCH_CREATE, "sponsoredMessageContents", path, "", body)
            data = self.wire.json(Request(Method.BATCH_CREATE, "sponsoredMessageContents", path), response)
        except ApiError as error:
            return [Created(i, error=error) for i in range(len(bodies))]
        out = []
        with reading("POST", path):
            elements = data.get("elements") or []
            for index in range(len(bodies)):
                element = elements[index] if index < len(elements) else {}
                status = element.get("status") if isinstance(element, Mapping) else None
                if isinstance(status, int) and 200 <= status < 300 and element.get("id"):
                    out.append(
                        Created(index, urn=_message_urn(conversation, reduced_decode(str(element["id"]))))
                    )
                else:
                    why = clip(str(element), 200) if element else "the answer holds no result for it"
                    out.append(
                        Created(index, error=ApiError(f"message {index} not created: {why}", path=path))
                    )
        return out

    def set_first_message(self, conversation: str, message: str) -> None:
        """Point the conversation at its first message (``firstMessageContent``)."""
        path = f"/conversationAds/{encode_key(conversation)}"
        self._send(
            Method.PARTIAL_UPDATE, "conversationAds", path, "", patch_body({"firstMessageContent": message})
        )

    def conversations(self, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Sponsored conversations by URN, in batch gets."""
        return self._batch_get("conversationAds", urns)

    # -- helpers ---------------------------------------------------------------------------------

    def _send(self, method: Method, resource: str, path: str, query: str, body: Any) -> httpx.Response:
        return self.wire.call(Request(method, resource, path, query, body))

    def _action(self, collection: str, action: str, body: Any, *, want_value: bool = True) -> dict[str, Any]:
        path = f"/{collection}"
        response = self._send(Method.ACTION, collection, path, f"action={action}", body)
        if not want_value:
            return {}
        data = self.wire.json(Request(Method.ACTION, collection, path), response)
        with reading("POST", path):
            value = data.get("value")
            if not isinstance(value, Mapping):
                raise TypeError("its value is not an object")
            return dict(value)

    def _create(self, resource: str, path: str, body: Mapping[str, Any]) -> str:
        response = self._send(Method.CREATE, resource, path, "", dict(body))
        key = created_id(response.headers)
        if not key:
            raise UnknownOutcome(
                "created, but the answer named no usable id; look it up",
                status=response.status_code,
                method="POST",
                path=path,
            )
        return key

    def _batch_get(self, collection: str, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
        keys = list(dict.fromkeys(urns))
        chunks = [keys[i : i + self._batch_size] for i in range(0, len(keys), self._batch_size)]
        found: dict[str, dict[str, Any]] = {}
        for part in self._parallel(lambda chunk: self._batch_get_chunk(collection, chunk), chunks):
            found.update(part)
        return found

    def _batch_get_chunk(self, collection: str, keys: list[str]) -> dict[str, dict[str, Any]]:
        path = f"/{collection}"
        query = encode_query({"ids": keys})
        response = self._send(Method.BATCH_GET, collection, path, query, None)
        data = self.wire.json(Request(Method.BATCH_GET, collection, path, query), response)
        with reading("GET", path):
            errors = {reduced_decode(str(k)): v for k, v in (data.get("errors") or {}).items()}
            for error in errors.values():
                item = error_from_item(None, error, method="GET", path=path)
                if item.status != 404:  # a key that failed is not a key that is gone
                    raise item
            found = {reduced_decode(str(k)): v for k, v in (data.get("results") or {}).items()}
        # An entity that is not one, or under a key not asked for, would read as gone (a replace).
        strange = sorted(found.keys() - set(keys))
        if strange:
            why = f"the answer names {clip(strange[0], 100)}, which was not asked for"
            raise BadAnswer(why, status=200, method="GET", path=path)
        unanswered(keys, found.keys() | errors.keys(), path=path)
        with reading("GET", path):
            # Parsed JSON: an object is a dict, handed on as parsed (no copy of 15,000 posts).
            if not _DICT.issuperset(map(type, found.values())):
                raise TypeError("a result is not an object")
            return found

    def _finder(self, collection: str, params: Mapping[str, Any], page_size: int) -> list[dict[str, Any]]:
        path = f"/{collection}"
        out: list[dict[str, Any]] = []
        token: str | None = None
        seen: set[str] = set()
        for _page in range(MAX_PAGES):
            query = encode_query({**params, "pageSize": page_size, "pageToken": token})
            response = self._send(Method.FINDER, collection, path, query, None)
            data = self.wire.json(Request(Method.FINDER, collection, path, query), response)
            with reading("GET", path):
                out.extend(dict(e) for e in data.get("elements") or () if isinstance(e, Mapping))
                token = (data.get("metadata") or {}).get("nextPageToken")
            if not token:
                return out
            if token in seen:
                raise BadAnswer(
                    "paging did not advance (a page token repeated)", status=200, method="GET", path=path
                )
            seen.add(str(token))
        raise BadAnswer(f"paging did not end after {MAX_PAGES} pages", status=200, method="GET", path=path)


def _message_urn(conversation: str, key: str) -> str:
    """A created message's URN: the key as sent back, or built from the conversation's id (a guess:
    the docs show ``urn:li:sponsoredMessageContent:(urn:li:sponsoredConversation:1,2)``)."""
    if key.startswith("urn:"):
        return key
    return f"urn:li:sponsoredMessageContent:({conversation},{key})"
