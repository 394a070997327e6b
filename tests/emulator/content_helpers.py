"""Helpers of the content tests: raw requests as a client written against LinkedIn's docs sends them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from reconciler.emulator import Emulator, EmuResponse
from tests.emulator.helpers import ACCOUNT_URN, call, campaign_body, coll, created_id, headers

ORG = "urn:li:organization:2414183"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"x" * 200
PART = 4 * 1024 * 1024


def enc(urn: str) -> str:
    """A URN percent-encoded for a path or a ``List(…)``."""
    return quote(urn, safe="")


def put(emu: Emulator, url: str, data: bytes, **extra: str) -> EmuResponse:
    """PUT bytes to an upload URL, as ``curl --upload-file`` does (no LinkedIn headers)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return emu.handle("PUT", target, {"Host": parts.netloc, **extra}, data)


def init(emu: Emulator, kind: str, owner: str = ORG, **request: Any) -> dict[str, Any]:
    """``POST /rest/{kind}?action=initializeUpload``; the answer's ``value``."""
    body = {"initializeUploadRequest": {"owner": owner, **request}}
    response = call(emu, "POST", f"/rest/{kind}?action=initializeUpload", body, method="ACTION")
    assert response.status == 200, response.body
    value: dict[str, Any] = response.json()["value"]
    return value


def image(emu: Emulator, data: bytes = PNG, owner: str = ORG, **request: Any) -> str:
    """An uploaded image's URN."""
    value = init(emu, "images", owner, **request)
    assert put(emu, value["uploadUrl"], data).status == 201
    return str(value["image"])


def document(emu: Emulator, owner: str = ORG) -> str:
    """An uploaded document's URN."""
    value = init(emu, "documents", owner)
    assert put(emu, value["uploadUrl"], PDF).status == 201
    return str(value["document"])


def video(emu: Emulator, size: int = 1000, owner: str = ORG, finalize: bool = True) -> str:
    """An uploaded (and finalized) video's URN."""
    value = init(emu, "videos", owner, fileSizeBytes=size)
    data = (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * size)[:size]
    etags = []
    for part in value["uploadInstructions"]:
        answer = put(emu, part["uploadUrl"], data[part["firstByte"] : part["lastByte"] + 1])
        assert answer.status == 200, answer.body
        etags.append(answer.headers["ETag"])
    if finalize:
        request = {"video": value["video"], "uploadToken": value["uploadToken"], "uploadedPartIds": etags}
        done = call(
            emu,
            "POST",
            "/rest/videos?action=finalizeUpload",
            {"finalizeUploadRequest": request},
            method="ACTION",
        )
        assert done.status == 200, done.body
    return str(value["video"])


def get(emu: Emulator, collection: str, urn: str) -> EmuResponse:
    """GET one entity of a top-level collection by its URN."""
    return call(emu, "GET", f"/rest/{collection}/{enc(urn)}")


def post_body(content: dict[str, Any] | None = None, **over: Any) -> dict[str, Any]:
    """A Direct Sponsored Content post of the test organization in the test account."""
    body: dict[str, Any] = {
        "author": ORG,
        "commentary": "Ship releases 2x faster.",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "NONE",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        "adContext": {"dscAdAccount": ACCOUNT_URN, "dscStatus": "ACTIVE"},
    }
    if content is not None:
        body["content"] = content
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


def create_post(emu: Emulator, body: dict[str, Any]) -> EmuResponse:
    """``POST /rest/posts``."""
    return call(emu, "POST", "/rest/posts", body, method="CREATE")


def new_post(emu: Emulator, content: dict[str, Any] | None = None, **over: Any) -> str:
    """A created post's URN."""
    response = create_post(emu, post_body(content, **over))
    assert response.status == 201, response.body
    return response.headers["x-restli-id"]


def campaign(emu: Emulator, group: int, **over: Any) -> int:
    """A created campaign's id."""
    return created_id(call(emu, "POST", coll("adCampaigns"), campaign_body(group, **over), method="CREATE"))


def creative(emu: Emulator, campaign_id: int, content: dict[str, Any], **over: Any) -> EmuResponse:
    """``POST …/creatives`` with ``content``."""
    body = {
        "campaign": f"urn:li:sponsoredCampaign:{campaign_id}",
        "content": content,
        "intendedStatus": "ACTIVE",
        "name": "Ad",
        **over,
    }
    return call(emu, "POST", coll("creatives"), body, method="CREATE")


def error_text(response: EmuResponse) -> str:
    """The message of a classic-envelope error."""
    return str(response.json().get("message"))


__all__ = ["headers"]
