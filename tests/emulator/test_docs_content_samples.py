"""The content APIs' documented sample requests, sent as LinkedIn's pages and Postman collection show
them (headers, key encodings, bodies), with the documented answer shapes.

Sources (learn.microsoft.com/linkedin, Marketing pages, and LinkedIn's Postman collection "Content
APIs"): Images API, Videos API, Documents API, Posts API (and the Post schema), Creatives
(createInline, Spotlight ads), InMail content, Conversation ads and Sponsored Message Contents. The
sample bodies are copied in ``tests/data/docs_content_samples.json``; only URNs the emulator cannot
know (accounts, campaigns, assets) are replaced by the ones these tests create.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, EmuResponse, MemoryStore
from tests.emulator.conftest import Tree
from tests.emulator.content_helpers import ORG, campaign, enc, image, new_post, post_body, put, video
from tests.emulator.helpers import ACCOUNT_URN, TOKEN, VERSION, coll

SAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "docs_content_samples.json").read_text(encoding="utf-8")
)


def doc_headers(method: str | None = None, *, protocol: bool = True) -> dict[str, str]:
    """The headers the docs' samples send: token, version, protocol 2.0 and, where shown, the method."""
    out = {"Authorization": f"Bearer {TOKEN}", "LinkedIn-Version": VERSION}
    if protocol:
        out["X-Restli-Protocol-Version"] = "2.0.0"
    if method is not None:
        out["X-RestLi-Method"] = method
    return out


def send(
    emu: Emulator, verb: str, target: str, body: Any = None, method: str | None = None, **kw: bool
) -> EmuResponse:
    raw = b"" if body is None else json.dumps(body).encode()
    hdrs = doc_headers(method, **kw)
    if raw:
        hdrs["Content-Type"] = "application/json"
    return emu.handle(verb, target, hdrs, raw)


def sample(name: str, **replace: str) -> Any:
    """A documented body with its placeholders (``{{name}}``) replaced."""
    text = json.dumps(SAMPLES[name])
    for key, value in replace.items():
        text = text.replace("{{" + key + "}}", value)
    return json.loads(text)


def error_shape(response: EmuResponse) -> None:
    """LinkedIn's error body: ``status`` (the HTTP status) and ``message``; ``code`` and
    ``serviceErrorCode`` optional."""
    body = response.json()
    assert body["status"] == response.status
    assert isinstance(body["message"], str) and body["message"]
    assert set(body) <= {"status", "code", "message", "serviceErrorCode", "errorDetailType", "errorDetails"}


# --- Images API -------------------------------------------------------------------------------


def test_images_initialize_upload_get_and_batch_get_as_documented(emu: Emulator) -> None:
    init = send(emu, "POST", "/rest/images?action=initializeUpload", sample("images.initializeUpload"))
    assert init.status == 200, init.body
    value = init.json()["value"]
    assert set(value) == {"uploadUrlExpiresAt", "uploadUrl", "image"}
    urn = value["image"]
    assert urn.startswith("urn:li:image:")
    # curl -i --upload-file image.png -H 'Authorization: Bearer …' '{uploadUrl}'
    assert (
        put(
            emu, value["uploadUrl"], b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, Authorization=f"Bearer {TOKEN}"
        ).status
        == 201
    )
    # GET https://api.linkedin.com/rest/images/{image urn}: the docs show it both raw and encoded
    for path in (f"/rest/images/{urn}", f"/rest/images/{enc(urn)}"):
        got = send(emu, "GET", path)
        assert got.status == 200, got.body
        body = got.json()
        assert body["id"] == urn and body["owner"] == "urn:li:organization:2414183"
        assert body["status"] == "AVAILABLE"
        assert {"downloadUrl", "downloadUrlExpiresAt"} <= set(body)
    second = image(emu)
    for ids in (f"List({enc(urn)},{enc(second)})", f"List({urn},{second})"):
        batch = send(emu, "GET", f"/rest/images?ids={ids}", method="BATCH_GET")
        assert batch.status == 200, batch.body
        assert len(batch.json()["results"]) == 2
        assert set(batch.json()) >= {"results", "statuses", "errors"}


def test_images_media_library_upload_and_its_finder(emu: Emulator) -> None:
    body = sample("images.initializeUpload.mediaLibrary", account=ACCOUNT_URN)
    init = send(emu, "POST", "/rest/images?action=initializeUpload", body)
    assert init.status == 200, init.body
    found = send(
        emu, "GET", f"/rest/images?q=associatedAccount&associatedAccount={enc(ACCOUNT_URN)}", method="FINDER"
    )
    assert found.status == 200, found.body
    assert [e["id"] for e in found.json()["elements"]] == [init.json()["value"]["image"]]
    assert found.json()["elements"][0]["mediaLibraryMetadata"]["assetName"] == "Q1 hero image"


def test_images_initialize_without_an_owner_is_refused_in_linkedins_error_shape(emu: Emulator) -> None:
    refused = send(emu, "POST", "/rest/images?action=initializeUpload", {"initializeUploadRequest": {}})
    assert refused.status == 400
    error_shape(refused)


# --- Videos API -------------------------------------------------------------------------------


def test_videos_single_part_upload_as_documented(emu: Emulator) -> None:
    init = send(emu, "POST", "/rest/videos?action=initializeUpload", sample("videos.initializeUpload"))
    assert init.status == 200, init.body
    value = init.json()["value"]
    assert set(value) == {"uploadUrlsExpireAt", "video", "uploadInstructions", "uploadToken"}
    assert value["uploadInstructions"] == [
        {"uploadUrl": value["uploadInstructions"][0]["uploadUrl"], "firstByte": 0, "lastByte": 1055735}
    ]
    data = (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 1055736)[:1055736]
    # curl -v -H "Content-Type:application/octet-stream" --upload-file video.mp4 '{uploadUrl}'
    part = put(
        emu, value["uploadInstructions"][0]["uploadUrl"], data, **{"Content-Type": "application/octet-stream"}
    )
    assert part.status == 200 and part.headers["ETag"]
    final = sample(
        "videos.finalizeUpload",
        video=value["video"],
        uploadToken=value["uploadToken"],
        etag=part.headers["ETag"],
    )
    done = send(emu, "POST", "/rest/videos?action=finalizeUpload", final)
    assert done.status == 200, done.body
    got = send(emu, "GET", f"/rest/videos/{enc(value['video'])}")
    assert got.status == 200 and got.json()["status"] in ("PROCESSING", "AVAILABLE")
    assert got.json()["status"] in ("WAITING_UPLOAD", "PROCESSING", "AVAILABLE", "PROCESSING_FAILED")
    batch = send(emu, "GET", f"/rest/videos?ids=List({enc(value['video'])})", method="BATCH_GET")
    assert batch.status == 200 and len(batch.json()["results"]) == 1


def test_videos_multi_part_upload_with_captions_and_thumbnail(emu: Emulator) -> None:
    body = {
        "initializeUploadRequest": {
            "owner": ORG,
            "fileSizeBytes": 5_000_000,
            "uploadCaptions": True,
            "uploadThumbnail": True,
        }
    }
    init = send(emu, "POST", "/rest/videos?action=initializeUpload", body)
    assert init.status == 200, init.body
    value = init.json()["value"]
    assert {"captionsUploadUrl", "thumbnailUploadUrl"} <= set(value)
    parts = value["uploadInstructions"]
    assert [(p["firstByte"], p["lastByte"]) for p in parts] == [(0, 4194303), (4194304, 4999999)]
    data = (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 5_000_000)[:5_000_000]
    etags = [
        put(emu, p["uploadUrl"], data[p["firstByte"] : p["lastByte"] + 1]).headers["ETag"] for p in parts
    ]
    request = {"video": value["video"], "uploadToken": value["uploadToken"], "uploadedPartIds": etags}
    done = send(emu, "POST", "/rest/videos?action=finalizeUpload", {"finalizeUploadRequest": request})
    assert done.status == 200, done.body


# --- Documents API ----------------------------------------------------------------------------


def test_documents_initialize_upload_get_and_batch_get(emu: Emulator) -> None:
    init = send(emu, "POST", "/rest/documents?action=initializeUpload", sample("documents.initializeUpload"))
    assert init.status == 200, init.body
    value = init.json()["value"]
    assert set(value) == {"uploadUrlExpiresAt", "uploadUrl", "document"}
    assert put(emu, value["uploadUrl"], b"%PDF-1.4\n" + b"x" * 64).status == 201
    got = send(emu, "GET", f"/rest/documents/{value['document']}")
    assert got.status == 200 and got.json()["status"] == "AVAILABLE"
    batch = send(emu, "GET", f"/rest/documents?ids=List({enc(value['document'])})", method="BATCH_GET")
    assert batch.status == 200 and len(batch.json()["results"]) == 1


# --- Posts API --------------------------------------------------------------------------------


def create(emu: Emulator, body: Any) -> EmuResponse:
    return send(emu, "POST", "/rest/posts", body)


def test_posts_text_and_dsc_samples(emu: Emulator) -> None:
    organic = create(emu, sample("posts.text"))
    assert organic.status == 201, organic.body
    assert organic.headers["x-restli-id"].startswith("urn:li:share:")
    assert organic.body in (b"", None)
    dark = create(emu, sample("posts.dsc", account=ACCOUNT_URN))
    assert dark.status == 201, dark.body
    got = send(emu, "GET", f"/rest/posts/{enc(dark.headers['x-restli-id'])}")
    assert got.status == 200
    post = got.json()
    assert post["adContext"]["dscAdAccount"] == ACCOUNT_URN and post["adContext"]["isDsc"] is True
    assert post["distribution"]["feedDistribution"] == "NONE"
    assert {
        "id",
        "author",
        "commentary",
        "createdAt",
        "lastModifiedAt",
        "lifecycleState",
        "visibility",
    } <= set(post)


def test_posts_media_article_multi_image_and_carousel_samples(emu: Emulator) -> None:
    img, img2, vid = image(emu), image(emu), video(emu)
    cases = {
        "posts.image": {"image": img},
        "posts.video": {"video": vid},
        "posts.article": {"image": img},
        "posts.multiImage": {"image": img, "image2": img2},
        "posts.carousel": {"image": img, "image2": img2, "account": ACCOUNT_URN},
    }
    for name, urns in cases.items():
        response = create(emu, sample(name, **urns))
        assert response.status == 201, (name, response.body)


def test_posts_get_with_view_context_batch_get_and_finders(emu: Emulator) -> None:
    first, second = new_post(emu), new_post(emu)
    got = send(emu, "GET", f"/rest/posts/{enc(first)}?viewContext=AUTHOR")
    assert got.status == 200, got.body
    batch = send(emu, "GET", f"/rest/posts?ids=List({enc(first)},{enc(second)})", method="BATCH_GET")
    assert batch.status == 200 and len(batch.json()["results"]) == 2
    by_author = send(
        emu, "GET", f"/rest/posts?author={enc(ORG)}&q=author&count=10&sortBy=LAST_MODIFIED", method="FINDER"
    )
    assert by_author.status == 200, by_author.body
    assert {e["id"] for e in by_author.json()["elements"]} == {first, second}
    assert by_author.json()["paging"]["count"] == 10
    by_account = send(
        emu,
        "GET",
        f"/rest/posts?dscAdAccount={enc(ACCOUNT_URN)}&q=dscAdAccount&dscAdTypes=List(STANDARD,VIDEO)",
        method="FINDER",
    )
    assert by_account.status == 200 and len(by_account.json()["elements"]) == 2


def test_posts_partial_update_samples_with_and_without_the_method_header(emu: Emulator) -> None:
    urn = new_post(emu)
    plain = send(emu, "POST", f"/rest/posts/{enc(urn)}", sample("posts.update"))
    assert plain.status == 204, plain.body
    assert send(emu, "GET", f"/rest/posts/{enc(urn)}").json()["commentary"] == "Update to the post"
    dsc = send(
        emu, "POST", f"/rest/posts/{enc(urn)}", sample("posts.update.adContext"), method="PARTIAL_UPDATE"
    )
    assert dsc.status == 204, dsc.body
    context = send(emu, "GET", f"/rest/posts/{enc(urn)}").json()["adContext"]
    assert context["dscName"] == "Updated DSC name" and context["dscStatus"] == "ARCHIVED"


def test_posts_delete_is_idempotent(emu: Emulator) -> None:
    urn = new_post(emu)
    assert send(emu, "DELETE", f"/rest/posts/{enc(urn)}", method="DELETE").status == 204
    assert send(emu, "GET", f"/rest/posts/{enc(urn)}").status == 404
    # "Deletion requests for a previously deleted UGC Post will return a 204"
    assert send(emu, "DELETE", f"/rest/posts/{enc(urn)}", method="DELETE").status == 204


def test_posts_refusals_use_linkedins_error_shape(emu: Emulator) -> None:
    refused = create(emu, post_body(commentary=None))
    assert 400 <= refused.status < 500
    error_shape(refused)


# --- Creatives: createInline, Spotlight ----------------------------------------------------------


def test_create_inline_sample_without_distribution(emu: Emulator, tree: Tree) -> None:
    vid = video(emu)
    cid = campaign(emu, tree.group, format="SINGLE_VIDEO")
    body = sample(
        "creatives.createInline", account=ACCOUNT_URN, video=vid, campaign=f"urn:li:sponsoredCampaign:{cid}"
    )
    response = send(emu, "POST", f"{coll('creatives')}?action=createInline", body, method="ACTION")
    assert response.status == 200, response.body
    creative = response.json()["value"]["creative"]
    assert creative.startswith("urn:li:sponsoredCreative:")
    got = send(emu, "GET", f"{coll('creatives')}/{enc(creative)}")
    post = got.json()["content"]["reference"]
    assert send(emu, "GET", f"/rest/posts/{enc(post)}").json()["distribution"]["feedDistribution"] == "NONE"


def test_spotlight_sample_create_read_and_update(emu: Emulator, tree: Tree) -> None:
    logo = image(emu)
    cid = campaign(emu, tree.group, type="DYNAMIC", format="SPOTLIGHT", objectiveType="BRAND_AWARENESS")
    body = sample("creatives.spotlight", campaign=f"urn:li:sponsoredCampaign:{cid}", logo=logo)
    made = send(emu, "POST", coll("creatives"), body, method="CREATE")
    assert made.status == 201, made.body
    urn = made.headers["x-linkedin-id"]
    got = send(emu, "GET", f"{coll('creatives')}/{enc(urn)}")
    assert got.json()["content"]["spotlight"]["headline"] == "Spotlight Ad Demo"
    update = sample("creatives.spotlight.update", logo=image(emu))
    patched = send(emu, "POST", f"{coll('creatives')}/{enc(urn)}", update, method="PARTIAL_UPDATE")
    assert patched.status == 204, patched.body
    assert (
        send(emu, "GET", f"{coll('creatives')}/{enc(urn)}").json()["content"]["spotlight"]["headline"]
        == "New Headline"
    )


def test_a_creatives_post_reference_stays_immutable(emu: Emulator, tree: Tree) -> None:
    urn = f"urn:li:sponsoredCreative:{tree.creative}"
    patch = {"patch": {"$set": {"content": {"reference": "urn:li:share:7012345678901234568"}}}}
    refused = send(emu, "POST", f"{coll('creatives')}/{enc(urn)}", patch, method="PARTIAL_UPDATE")
    assert refused.status == 400
    error_shape(refused)


# --- InMail content -----------------------------------------------------------------------------


def test_inmail_content_create_get_batch_get_and_update(emu: Emulator) -> None:
    banner = image(emu)
    body = sample("inMailContents.create", account=ACCOUNT_URN, image=banner)
    made = send(emu, "POST", "/rest/inMailContents", body)
    assert made.status == 201, made.body
    urn = made.headers["x-restli-id"]
    assert urn.startswith("urn:li:adInMailContent:") and made.headers["x-linkedin-id"] == urn
    for key in (enc(urn), urn.rsplit(":", 1)[1]):
        got = send(emu, "GET", f"/rest/inMailContents/{key}")
        assert got.status == 200, (key, got.body)
        assert got.json()["subject"] == "test subject" and got.json()["id"] == urn
    batch = send(emu, "GET", f"/rest/inMailContents?ids=List({enc(urn)})", method="BATCH_GET")
    assert batch.status == 200 and len(batch.json()["results"]) == 1
    patched = send(emu, "POST", f"/rest/inMailContents/{enc(urn)}", sample("inMailContents.update"))
    assert patched.status == 204, patched.body
    assert send(emu, "GET", f"/rest/inMailContents/{enc(urn)}").json()["name"] == "test strings new"


# --- Conversation ads -----------------------------------------------------------------------------


def conversation(emu: Emulator) -> str:
    made = send(emu, "POST", "/rest/conversationAds", sample("conversationAds.create", account=ACCOUNT_URN))
    assert made.status == 201, made.body
    return made.headers["x-linkedin-id"]


def test_conversation_create_get_and_batch_get(emu: Emulator) -> None:
    first, second = conversation(emu), conversation(emu)
    assert first.startswith("urn:li:sponsoredConversation:")
    got = send(emu, "GET", f"/rest/conversationAds/{enc(first)}")
    assert got.status == 200 and got.json()["parentAccount"] == ACCOUNT_URN and got.json()["id"] == first
    batch = send(
        emu, "GET", f"/rest/conversationAds?ids=List({enc(first)},{enc(second)})", method="BATCH_GET"
    )
    assert batch.status == 200, batch.body
    assert len(batch.json()["results"]) == 2 and batch.json()["errors"] == {}


def test_sponsored_message_contents_tree_as_documented(emu: Emulator) -> None:
    conv = conversation(emu)
    base = f"/rest/conversationAds/{enc(conv)}/sponsoredMessageContents"
    leaf = send(emu, "POST", base, {"elements": [sample("messages.leaf")]}, method="BATCH_CREATE")
    assert leaf.status == 200, leaf.body
    leaf_urn = leaf.json()["elements"][0]["id"]
    assert leaf.json()["elements"][0]["status"] == 201
    assert leaf_urn.startswith(f"urn:li:sponsoredMessageContent:({conv},")
    body = sample("messages.batchCreate", leaf=leaf_urn)
    made = send(emu, "POST", base, body, method="BATCH_CREATE")
    assert made.status == 200, made.body
    assert [e["status"] for e in made.json()["elements"]] == [201, 201]
    first = made.json()["elements"][1]["id"]
    got = send(emu, "GET", f"{base}/{enc(first)}")
    assert got.status == 200 and got.json()["bodySource"] == {"text": "Sample text"}
    batch = send(emu, "GET", f"{base}?ids=List({enc(leaf_urn)},{enc(first)})", method="BATCH_GET")
    assert batch.status == 200, batch.body
    assert len(batch.json()["results"]) == 2
    patched = send(emu, "POST", f"{base}/{enc(leaf_urn)}", sample("messages.update"))
    assert patched.status == 204, patched.body
    assert send(emu, "GET", f"{base}/{enc(leaf_urn)}").json()["bodySource"] == {"text": "New updated text"}
    many = {"entities": {enc(leaf_urn): sample("messages.update"), enc(first): sample("messages.update")}}
    batch_patch = send(
        emu, "POST", f"{base}?ids=List({enc(leaf_urn)},{enc(first)})", many, method="BATCH_PARTIAL_UPDATE"
    )
    assert batch_patch.status == 200, batch_patch.body
    assert list(batch_patch.json()["results"].values()) == [{"status": 204}, {"status": 204}]
    first_set = sample("conversationAds.update", message=first)
    assert send(emu, "POST", f"/rest/conversationAds/{enc(conv)}", first_set).status == 204
    assert send(emu, "GET", f"/rest/conversationAds/{enc(conv)}").json()["firstMessageContent"] == first


@pytest.mark.parametrize(
    "resource", ["images", "videos", "documents", "posts", "inMailContents", "conversationAds"]
)
def test_a_missing_entity_is_linkedins_404(emu: Emulator, resource: str) -> None:
    urns = {
        "images": "urn:li:image:C4E10AQzzzzzz",
        "videos": "urn:li:video:C5605AQzzzzzz",
        "documents": "urn:li:document:D4D10AQzzzzzz",
        "posts": "urn:li:share:1",
        "inMailContents": "urn:li:adInMailContent:1",
        "conversationAds": "urn:li:sponsoredConversation:1",
    }
    missing = send(emu, "GET", f"/rest/{resource}/{enc(urns[resource])}")
    assert missing.status == 404
    error_shape(missing)


def test_follower_and_jobs_ad_samples(emu: Emulator, tree: Tree) -> None:
    for name, format_ in (("creatives.follow", "FOLLOW_COMPANY"), ("creatives.jobs", "JOBS")):
        cid = campaign(emu, tree.group, type="DYNAMIC", format=format_, objectiveType="BRAND_AWARENESS")
        body = sample(name, campaign=f"urn:li:sponsoredCampaign:{cid}", logo=image(emu))
        made = send(emu, "POST", coll("creatives"), body, method="CREATE")
        assert made.status == 201, (name, made.body)
    cid = campaign(emu, tree.group, type="DYNAMIC", format="JOBS", objectiveType="BRAND_AWARENESS")
    body = sample("creatives.jobs", campaign=f"urn:li:sponsoredCampaign:{cid}", logo=image(emu))
    body["content"]["jobs"]["buttonLabel"] = {"preApproved": 7}
    refused = send(emu, "POST", coll("creatives"), body, method="CREATE")
    assert refused.status == 400
    error_shape(refused)


def test_multi_image_and_poll_bounds(emu: Emulator) -> None:
    assert create(emu, sample("posts.poll")).status == 201
    one = sample("posts.multiImage", image=image(emu), image2=image(emu))
    one["content"]["multiImage"]["images"] = one["content"]["multiImage"]["images"][:1]
    refused = create(emu, one)
    assert refused.status == 422
    error_shape(refused)
    poll = sample("posts.poll")
    poll["content"]["poll"]["options"] = [{"text": "Only one"}]
    assert create(emu, poll).status == 422
    poll["content"]["poll"]["options"] = [{"text": "a"}, {"text": "b"}]
    poll["content"]["poll"]["settings"] = {"duration": "ONE_YEAR"}
    assert create(emu, poll).status == 422


def test_conversation_and_inmail_keys_by_number(emu: Emulator) -> None:
    conv = conversation(emu)
    number = conv.rsplit(":", 1)[1]
    base = f"/rest/conversationAds/{number}/sponsoredMessageContents"
    made = send(emu, "POST", base, {"elements": [sample("messages.leaf")]}, method="BATCH_CREATE")
    assert made.status == 200 and made.json()["elements"][0]["id"].startswith(
        f"urn:li:sponsoredMessageContent:({conv},"
    )
    banner = image(emu)
    inmail = send(
        emu,
        "POST",
        "/rest/inMailContents",
        sample("inMailContents.create", account=ACCOUNT_URN, image=banner),
    )
    key = inmail.headers["x-restli-id"].rsplit(":", 1)[1]
    batch = send(emu, "GET", f"/rest/inMailContents?ids=List({key})", method="BATCH_GET")
    assert batch.status == 200 and list(batch.json()["results"]) == [key]


def test_a_reshare_and_raw_urns_in_a_posts_batch_get(emu: Emulator) -> None:
    parent = create(emu, sample("posts.text")).headers["x-restli-id"]
    reshare = {**sample("posts.text"), "commentary": "Worth a read", "reshareContext": {"parent": parent}}
    child = create(emu, reshare)
    assert child.status == 201, child.body
    second = child.headers["x-restli-id"]
    batch = send(emu, "GET", f"/rest/posts?ids=List({parent},{second})", method="BATCH_GET")
    assert batch.status == 200 and len(batch.json()["results"]) == 2


def test_media_library_metadata_patch_of_an_image(emu: Emulator) -> None:
    body = sample("images.initializeUpload.mediaLibrary", account=ACCOUNT_URN)
    urn = send(emu, "POST", "/rest/images?action=initializeUpload", body).json()["value"]["image"]
    patch = {"patch": {"mediaLibraryMetadata": {"$set": {"assetName": "Q1 hero image (final)"}}}}
    assert send(emu, "POST", f"/rest/images/{enc(urn)}", patch).status == 204
    assert send(emu, "GET", f"/rest/images/{enc(urn)}").json()["mediaLibraryMetadata"]["assetName"] == (
        "Q1 hero image (final)"
    )


def test_an_action_linkedin_offers_but_the_emulator_does_not_is_a_405_in_linkedins_shape(
    emu: Emulator,
) -> None:
    refused = send(emu, "POST", "/rest/inMailContents?action=sendTestInMail", {})
    assert refused.status == 405
    error_shape(refused)


def official(method: str, **extra: str) -> dict[str, str]:
    """The headers LinkedIn's official Python client sends (tests/data/recorded): X-RestLi-Method on
    every call, JSON content type, the protocol and version headers."""
    return {
        "X-RestLi-Protocol-Version": "2.0.0",
        "X-RestLi-Method": method,
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/json",
        "LinkedIn-Version": VERSION,
        **extra,
    }


def test_the_official_clients_forms_on_the_content_resources(emu: Emulator) -> None:
    init = emu.handle(
        "POST",
        "/rest/images?action=initializeUpload",
        official("ACTION"),
        json.dumps(sample("images.initializeUpload")).encode(),
    )
    assert init.status == 200, init.body
    made = [
        emu.handle("POST", "/rest/posts", official("CREATE"), json.dumps(sample("posts.text")).encode())
        for _ in range(3)
    ]
    urns = [m.headers["x-restli-id"] for m in made]
    got = emu.handle("GET", f"/rest/posts/{enc(urns[0])}", official("GET"), b"")
    assert got.status == 200
    # a long BATCH_GET is tunnelled: POST, X-HTTP-Method-Override: GET, the query in a form body
    form = f"ids=List({','.join(enc(u) for u in urns)})".encode()
    tunnelled = emu.handle(
        "POST",
        "/rest/posts",
        official(
            "BATCH_GET",
            **{"Content-Type": "application/x-www-form-urlencoded", "X-HTTP-Method-Override": "GET"},
        ),
        form,
    )
    assert tunnelled.status == 200, tunnelled.body
    assert len(tunnelled.json()["results"]) == 3
    finder = emu.handle("GET", f"/rest/posts?q=author&author={enc(ORG)}", official("FINDER"), b"")
    assert finder.status == 200 and len(finder.json()["elements"]) == 3
    patch = json.dumps(sample("posts.update")).encode()
    assert emu.handle("POST", f"/rest/posts/{enc(urns[0])}", official("PARTIAL_UPDATE"), patch).status == 204
    assert emu.handle("DELETE", f"/rest/posts/{enc(urns[1])}", official("DELETE"), b"").status == 204


def test_a_creative_referencing_a_documented_dsc_post(emu: Emulator, tree: Tree) -> None:
    post = create(emu, sample("posts.dsc", account=ACCOUNT_URN)).headers["x-restli-id"]
    body = {
        "campaign": f"urn:li:sponsoredCampaign:{tree.campaign}",
        "content": {"reference": post},
        "intendedStatus": "ACTIVE",
        "name": "Dark post ad",
    }
    made = send(emu, "POST", coll("creatives"), body, method="CREATE")
    assert made.status == 201, made.body
    assert made.headers["x-restli-id"].startswith("urn:li:sponsoredCreative:")
    assert made.headers["x-linkedin-id"] == made.headers["x-restli-id"]


def test_the_author_finder_sorts_and_filters_as_documented() -> None:
    clock = [1_795_000_000_000]
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: clock[0]))
    dark = create(emu, sample("posts.dsc", account=ACCOUNT_URN)).headers["x-restli-id"]
    clock[0] += 1000
    organic = create(emu, sample("posts.text")).headers["x-restli-id"]
    clock[0] += 1000
    assert send(emu, "POST", f"/rest/posts/{enc(dark)}", sample("posts.update")).status == 204
    base = f"/rest/posts?author={enc(ORG)}&q=author"

    def ids(query: str) -> list[str]:
        response = send(emu, "GET", base + query, method="FINDER")
        assert response.status == 200, response.body
        return [e["id"] for e in response.json()["elements"]]

    assert ids("") == [dark, organic]  # LAST_MODIFIED, the default: the edited post first
    assert ids("&sortBy=CREATED") == [organic, dark]
    assert ids("&isDsc=false") == [organic]
    assert ids("&isDsc=true") == [dark]
    assert send(emu, "GET", base + "&sortBy=NAME", method="FINDER").status == 400
