"""The content calls on the wire: exact requests (paths, Rest.li methods, bodies), answers read, and
no credentials sent to an upload host that is neither the target nor LinkedIn's."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret
from reconciler.api.content import UploadPart
from reconciler.errors import UnknownOutcome

FAST = RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=3)
ORG = "urn:li:organization:2414183"
ACCOUNT = "urn:li:sponsoredAccount:500000001"


def client_with(
    answer: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request]
) -> LinkedInClient:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answer(request)

    http = httpx.Client(
        base_url="https://api.linkedin.com/rest",
        transport=httpx.MockTransport(handler),
        auth=BearerAuth(Secret("TOKEN_1234567890")),
    )
    return LinkedInClient(http, retry=FAST)


def test_an_image_upload_starts_with_its_owner_and_media_library_name() -> None:
    seen: list[httpx.Request] = []
    value = {
        "uploadUrl": "https://www.linkedin.com/dms-uploads/x",
        "uploadUrlExpiresAt": 1,
        "image": "urn:li:image:C4E1",
    }
    with client_with(lambda r: httpx.Response(200, json={"value": value}), seen) as client:
        ticket = client.content.initialize_upload(
            "image", ORG, 4521, account=ACCOUNT, name="launch.png [rc:ab]"
        )
    [request] = seen
    assert request.method == "POST"
    assert request.url.raw_path == b"/rest/images?action=initializeUpload"
    assert request.headers["x-restli-method"] == "ACTION"
    assert json.loads(request.content) == {
        "initializeUploadRequest": {
            "owner": ORG,
            "mediaLibraryMetadata": {"associatedAccount": ACCOUNT, "assetName": "launch.png [rc:ab]"},
        }
    }
    assert ticket.urn == "urn:li:image:C4E1"
    assert ticket.parts == (UploadPart("https://www.linkedin.com/dms-uploads/x", 0, 4520),)


def test_a_video_upload_has_parts_a_thumbnail_and_is_finalized_with_the_etags() -> None:
    seen: list[httpx.Request] = []
    parts = [
        {"uploadUrl": "https://www.linkedin.com/up/0", "firstByte": 0, "lastByte": 4},
        {"uploadUrl": "https://www.linkedin.com/up/1", "firstByte": 5, "lastByte": 9},
    ]
    value = {
        "video": "urn:li:video:C5",
        "uploadInstructions": parts,
        "uploadToken": "tok",
        "thumbnailUploadUrl": "https://www.linkedin.com/up/t",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            return httpx.Response(200, headers={"etag": f"e-{request.url.path[-1]}"})
        if b"initializeUpload" in request.url.raw_path:
            return httpx.Response(200, json={"value": value})
        return httpx.Response(200, json={})

    with client_with(answer, seen) as client:
        api = client.content
        ticket = api.initialize_upload("video", ORG, 10, extras=["thumbnail"])
        etags = [api.put_part("video", p, b"0123456789"[p.first : p.last + 1]) for p in ticket.parts]
        api.finalize_video(ticket, etags)
    assert json.loads(seen[0].content)["initializeUploadRequest"] == {
        "owner": ORG,
        "fileSizeBytes": 10,
        "uploadCaptions": False,
        "uploadThumbnail": True,
    }
    assert ticket.extras == {"thumbnail": "https://www.linkedin.com/up/t"}
    assert [(r.method, r.content) for r in seen[1:3]] == [("PUT", b"01234"), ("PUT", b"56789")]
    assert seen[1].headers["content-type"] == "application/octet-stream"
    assert seen[3].url.raw_path == b"/rest/videos?action=finalizeUpload"
    assert json.loads(seen[3].content) == {
        "finalizeUploadRequest": {
            "video": "urn:li:video:C5",
            "uploadToken": "tok",
            "uploadedPartIds": ["e-0", "e-1"],
        }
    }


def test_credentials_go_only_to_the_target_or_linkedin_upload_hosts() -> None:
    seen: list[httpx.Request] = []
    with client_with(lambda r: httpx.Response(201), seen) as client:
        client.content.put_part("image", UploadPart("https://www.linkedin.com/dms-uploads/a", 0, 0), b"x")
        client.content.put_part("image", UploadPart("https://uploads.example.net/a", 0, 0), b"x")
        client.content.put_part("image", UploadPart("http://www.linkedin.com/dms-uploads/a", 0, 0), b"x")
    assert [("authorization" in r.headers) for r in seen] == [True, False, False]


def test_posts_are_created_read_in_batches_and_listed_by_account() -> None:
    seen: list[httpx.Request] = []
    post = {"id": "urn:li:share:7100000000000000001", "adContext": {"dscName": "Ad [rc:1]"}}

    def answer(request: httpx.Request) -> httpx.Response:
        method = request.headers["x-restli-method"]
        if method == "CREATE":
            return httpx.Response(201, headers={"x-restli-id": "urn%3Ali%3Ashare%3A7100000000000000001"})
        if method == "BATCH_GET":
            return httpx.Response(200, json={"results": {"urn%3Ali%3Ashare%3A7100000000000000001": post}})
        token = "next" if b"pageToken" not in request.url.raw_path else None
        return httpx.Response(200, json={"elements": [post], "metadata": {"nextPageToken": token}})

    with client_with(answer, seen) as client:
        api = client.content
        assert api.create_post({"author": ORG}) == "urn:li:share:7100000000000000001"
        assert api.posts(["urn:li:share:7100000000000000001"]) == {"urn:li:share:7100000000000000001": post}
        assert len(api.dsc_posts(ACCOUNT)) == 2
    assert seen[1].url.raw_path == b"/rest/posts?ids=List(urn%3Ali%3Ashare%3A7100000000000000001)"
    assert seen[2].url.raw_path == (
        b"/rest/posts?dscAdAccount=urn%3Ali%3AsponsoredAccount%3A500000001&pageSize=100&q=dscAdAccount"
    )
    assert seen[3].url.raw_path.endswith(b"&pageToken=next&q=dscAdAccount")


def test_an_action_that_fails_on_the_server_is_an_unknown_outcome_never_resent() -> None:
    seen: list[httpx.Request] = []
    with client_with(lambda r: httpx.Response(500), seen) as client, pytest.raises(UnknownOutcome):
        client.content.initialize_upload("image", ORG, 1)
    assert len(seen) == 1


def test_messages_are_batch_created_under_their_conversation() -> None:
    seen: list[httpx.Request] = []
    conversation = "urn:li:sponsoredConversation:9"
    made = "urn:li:sponsoredMessageContent:(urn:li:sponsoredConversation:9,1)"
    answer = {"elements": [{"status": 201, "id": made}, {"status": 400, "error": {"message": "bad"}}]}
    with client_with(lambda r: httpx.Response(200, json=answer), seen) as client:
        results = client.content.create_messages(conversation, [{"bodySource": {"text": "a"}}, {}])
    assert (
        seen[0].url.raw_path
        == b"/rest/conversationAds/urn%3Ali%3AsponsoredConversation%3A9/sponsoredMessageContents"
    )
    assert seen[0].headers["x-restli-method"] == "BATCH_CREATE"
    assert results[0].urn == made and results[1].urn is None and results[1].error is not None
