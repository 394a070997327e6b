"""A small stand-in for LinkedIn's content APIs (Images, Videos, Documents, Posts, inMailContents,
conversationAds) in front of the emulator's transport: the tests of the client side of ads as code
run against it; everything else goes to the emulator.

It follows the documented shapes the client sends (see reconciler/api/content.py) and records every
upload and post, so tests can count them. ``die_after`` makes it raise :class:`Killed` right after
the Nth content write was committed: a process killed between a write and its answer.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx

UPLOAD_PREFIX = "/upload/"


class Killed(BaseException):
    """The apply process died (raised through the client, past every ``except Exception``)."""


class FakeContent:
    """Content endpoints; ``inner`` answers the rest (the emulator's transport)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.lock = threading.Lock()
        self.assets: dict[str, dict[str, Any]] = {}  # urn -> entity
        self.bytes: dict[str, bytes] = {}
        self.posts: dict[str, dict[str, Any]] = {}
        self.inmails: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.uploads: list[str] = []  # asset URN of every PUT
        self.initialized: list[str] = []
        self.writes = 0
        self.die_after: int | None = None
        self.processing_polls = 0  # GETs an asset stays PROCESSING after its upload
        self._polls: dict[str, int] = {}
        self._next = 7100000000000000000  # post ids are 19 digits at LinkedIn

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # -- dispatch --------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        raw = request.url.raw_path.decode()
        path, _, query = raw.partition("?")
        if request.headers.get("x-http-method-override"):
            query = request.content.decode()
        path = path.removeprefix("/rest")
        if path.startswith(UPLOAD_PREFIX):
            return self._put(path, request.content, request)
        top = path.strip("/").split("/")
        if top[0] in ("images", "videos", "documents"):
            return self._media(top[0], request, query)
        if top[0] == "posts":
            return self._collection(self.posts, "share", request, query)
        if top[0] == "inMailContents":
            return self._collection(self.inmails, "adInMailContent", request, query)
        if top[0] == "conversationAds":
            return self._conversation(top, request, query)
        inner = self.inner.handle_request(request)
        inner.read()
        return inner

    def _write(self) -> None:
        self.writes += 1
        if self.die_after is not None and self.writes >= self.die_after:
            self.die_after = None
            raise Killed(f"killed after content write {self.writes}")

    def _new(self, kind: str) -> str:
        self._next += 1
        return f"urn:li:{kind}:{self._next}"

    # -- media -----------------------------------------------------------------------------------

    def _media(self, collection: str, request: httpx.Request, query: str) -> httpx.Response:
        params = parse_qs(query)
        kind = collection[:-1]
        if "action" in params:
            body = json.loads(request.content or b"{}")
            if params["action"][0] == "initializeUpload":
                return self._initialize(kind, body["initializeUploadRequest"])
            video = body["finalizeUploadRequest"]["video"]
            with self.lock:
                self.assets[video]["status"] = "AVAILABLE"
                self._write()
            return httpx.Response(200, json={})
        if params.get("q") == ["associatedAccount"]:
            account = params["associatedAccount"][0]
            found = [
                a
                for a in self.assets.values()
                if a["id"].startswith(f"urn:li:{kind}:")
                and (a.get("mediaLibraryMetadata") or {}).get("associatedAccount") == account
            ]
            return httpx.Response(200, json={"elements": found, "metadata": {}})
        results = {}
        for key in _ids(query):
            entity = self.assets.get(key)
            if entity is not None:
                results[key] = dict(entity)
                self._settle(key)
        return httpx.Response(200, json={"results": results, "statuses": {}, "errors": {}})

    def _settle(self, urn: str) -> None:
        entity = self.assets[urn]
        if entity["status"] == "PROCESSING":
            self._polls[urn] = self._polls.get(urn, 0) + 1
            if self._polls[urn] > self.processing_polls:
                entity["status"] = "AVAILABLE"

    def _initialize(self, kind: str, request: dict[str, Any]) -> httpx.Response:
        with self.lock:
            urn = self._new(kind)
            entity = {"id": urn, "owner": request["owner"], "status": "WAITING_UPLOAD"}
            if "mediaLibraryMetadata" in request:
                entity["mediaLibraryMetadata"] = request["mediaLibraryMetadata"]
            self.assets[urn] = entity
            self.initialized.append(urn)
            self._write()
        url = f"https://api.linkedin.com{UPLOAD_PREFIX}{urn}"
        if kind == "video":
            size = int(request["fileSizeBytes"])
            half = max(size // 2, 1)
            parts = [
                {"uploadUrl": url + "?part=0", "firstByte": 0, "lastByte": half - 1},
                {"uploadUrl": url + "?part=1", "firstByte": half, "lastByte": size - 1},
            ]
            value = {"video": urn, "uploadInstructions": parts, "uploadToken": "tok"}
        else:
            value = {kind: urn, "uploadUrl": url, "uploadUrlExpiresAt": 4102444800000}
        return httpx.Response(200, json={"value": value})

    def _put(self, path: str, data: bytes, request: httpx.Request) -> httpx.Response:
        urn = unquote(path.removeprefix(UPLOAD_PREFIX))
        with self.lock:
            entity = self.assets[urn]
            self.bytes[urn] = self.bytes.get(urn, b"") + data
            self.uploads.append(urn)
            if not urn.startswith("urn:li:video:"):
                entity["status"] = "PROCESSING" if self.processing_polls else "AVAILABLE"
            self._write()
        return httpx.Response(201, headers={"etag": f"etag-{len(self.uploads)}"})

    # -- posts, InMail, conversations --------------------------------------------------------------

    def _collection(
        self, store: dict[str, dict[str, Any]], kind: str, request: httpx.Request, query: str
    ) -> httpx.Response:
        method = request.headers.get("x-restli-method")
        params = parse_qs(query)
        if method == "CREATE":
            body = json.loads(request.content)
            with self.lock:
                urn = self._new(kind)
                store[urn] = {**body, "id": urn}
                self._write()
            return httpx.Response(201, headers={"x-restli-id": urn})
        if params.get("q") == ["dscAdAccount"]:
            account = params["dscAdAccount"][0]
            found = [p for p in store.values() if (p.get("adContext") or {}).get("dscAdAccount") == account]
            return httpx.Response(200, json={"elements": found, "metadata": {}})
        results = {k: store[k] for k in _ids(query) if k in store}
        return httpx.Response(200, json={"results": results, "statuses": {}, "errors": {}})

    def _conversation(self, top: list[str], request: httpx.Request, query: str) -> httpx.Response:
        method = request.headers.get("x-restli-method")
        if len(top) == 3:  # sponsoredMessageContents BATCH_CREATE
            conversation = unquote(top[1])
            elements = json.loads(request.content)["elements"]
            out = []
            with self.lock:
                for element in elements:
                    urn = self._new("sponsoredMessageContent")
                    self.messages[urn] = {**element, "conversation": conversation}
                    out.append({"status": 201, "id": urn})
                self._write()
            return httpx.Response(200, json={"elements": out})
        if len(top) == 2 and method == "PARTIAL_UPDATE":
            patch = json.loads(request.content)["patch"]["$set"]
            with self.lock:
                self.conversations[unquote(top[1])].update(patch)
                self._write()
            return httpx.Response(204)
        return self._collection(self.conversations, "sponsoredConversation", request, query)


def _ids(query: str) -> list[str]:
    match = re.search(r"ids=List\(([^)]*)\)", query)
    return [unquote(k) for k in match.group(1).split(",")] if match and match.group(1) else []
