"""Images, Videos and Documents APIs, driven as LinkedIn's docs describe: initializeUpload, PUT the
bytes to the upload URL (video parts answer ETags, then finalizeUpload), GET / BATCH_GET / finder,
and the processing states."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from reconciler.emulator import (
    Emulator,
    EmulatorConfig,
    FaultConfig,
    MemoryStore,
    Settings,
    SqliteStore,
    seed_entities,
    serve_in_thread,
)
from tests.emulator.content_helpers import (
    ORG,
    PART,
    PDF,
    PNG,
    document,
    enc,
    get,
    image,
    init,
    new_post,
    put,
    video,
)
from tests.emulator.helpers import ACCOUNT_URN, NOW, call, headers


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def emulator(clock: Clock, **settings: object) -> Emulator:
    return Emulator(MemoryStore(), EmulatorConfig(clock=clock, settings=Settings(**settings)))  # type: ignore[arg-type]


@pytest.fixture
def slow(clock: Clock) -> Iterator[Emulator]:
    """Media take 5 s to process."""
    emu = emulator(clock, media_processing_ms=5000)
    yield emu
    emu.close()


def test_image_upload_url_is_on_the_emulators_host_and_expires(emu: Emulator) -> None:
    value = init(emu, "images")
    assert set(value) == {"image", "uploadUrl", "uploadUrlExpiresAt"}
    assert value["image"].startswith("urn:li:image:")
    url = urlsplit(value["uploadUrl"])
    assert (url.scheme, url.netloc) == ("https", "api.linkedin.com")
    assert url.path.startswith("/dms-uploads/")
    assert value["uploadUrlExpiresAt"] > NOW
    assert get(emu, "images", value["image"]).json()["status"] == "WAITING_UPLOAD"


def test_image_goes_available_and_is_read_by_get_batch_get_and_finder(emu: Emulator) -> None:
    library = {"associatedAccount": ACCOUNT_URN, "assetName": "launch.png"}
    urn = image(emu, mediaLibraryMetadata=library)
    got = get(emu, "images", urn).json()
    assert (got["id"], got["owner"], got["status"]) == (urn, ORG, "AVAILABLE")
    assert got["mediaLibraryMetadata"] == library
    assert got["downloadUrl"].startswith("https://")
    other = image(emu)
    batch = call(emu, "GET", f"/rest/images?ids=List({enc(urn)},{enc(other)},{enc(urn + 'x')})").json()
    assert set(batch["results"]) == {enc(urn), enc(other)}
    assert list(batch["errors"]) == [enc(urn + "x")]
    found = call(emu, "GET", f"/rest/images?q=associatedAccount&associatedAccount={enc(ACCOUNT_URN)}").json()
    assert [e["id"] for e in found["elements"]] == [urn]  # only the asset of the account's library
    assert found["paging"]["total"] == 1


def test_finder_shows_an_asset_a_killed_run_initialized_but_never_uploaded(emu: Emulator) -> None:
    value = init(emu, "images", mediaLibraryMetadata={"associatedAccount": ACCOUNT_URN, "assetName": "ab12"})
    found = call(emu, "GET", f"/rest/images?q=associatedAccount&associatedAccount={enc(ACCOUNT_URN)}").json()
    assert [(e["id"], e["status"]) for e in found["elements"]] == [(value["image"], "WAITING_UPLOAD")]


def test_processing_takes_the_configured_time(slow: Emulator, clock: Clock) -> None:
    urn = image(slow)
    assert get(slow, "images", urn).json()["status"] == "PROCESSING"
    assert "downloadUrl" not in get(slow, "images", urn).json()
    clock.now += 5000
    assert get(slow, "images", urn).json()["status"] == "AVAILABLE"


def test_injected_failures_and_bytes_of_the_wrong_format_fail_processing(clock: Clock, emu: Emulator) -> None:
    failing = emulator(clock, media_fail_rate=1.0)
    assert get(failing, "images", image(failing)).json()["status"] == "PROCESSING_FAILED"
    assert get(emu, "images", image(emu, data=b"GIF? no, plain text")).json()["status"] == "PROCESSING_FAILED"
    assert get(emu, "images", image(emu, data=b"GIF89a" + b"\x00" * 10)).json()["status"] == "AVAILABLE"


def test_an_expired_or_forged_upload_url_is_refused(clock: Clock) -> None:
    moving = emulator(clock)
    value = init(moving, "images")
    forged = value["uploadUrl"].replace("ut=", "ut=0")
    assert put(moving, forged, PNG).status == 403
    clock.now = value["uploadUrlExpiresAt"] + 1
    expired = put(moving, value["uploadUrl"], PNG)
    assert expired.status == 403
    assert expired.json()["status"] == 403 and "expired" in expired.json()["message"]
    assert get(moving, "images", value["image"]).json()["status"] == "WAITING_UPLOAD"


def test_a_retried_put_of_the_same_bytes_is_accepted_other_bytes_are_not(emu: Emulator) -> None:
    value = init(emu, "images")
    assert put(emu, value["uploadUrl"], PNG).status == 201
    assert put(emu, value["uploadUrl"], PNG).status == 201
    assert put(emu, value["uploadUrl"], PNG + b"!").status == 409


def test_upload_needs_no_token_but_the_api_does(emu: Emulator) -> None:
    value = init(emu, "images")
    assert put(emu, value["uploadUrl"], PNG).status == 201  # no Authorization header
    bare = emu.handle("POST", "/rest/images?action=initializeUpload", {}, b"{}")
    assert bare.status == 401


def test_initialize_refuses_a_bad_owner_or_library(emu: Emulator) -> None:
    for request in (
        {"owner": "urn:li:sponsoredAccount:1"},
        {"owner": ORG, "mediaLibraryMetadata": {"associatedAccount": "urn:li:sponsoredAccount:1"}},
        {"owner": ORG, "recipes": ["feedshare-image"]},
    ):
        response = call(
            emu,
            "POST",
            "/rest/images?action=initializeUpload",
            {"initializeUploadRequest": request},
            method="ACTION",
        )
        assert response.status == 400 and response.json()["status"] == 400, request


def test_video_parts_of_4_mb_answer_etags_and_finalize_checks_them(emu: Emulator) -> None:
    size = PART + 1000
    value = init(emu, "videos", fileSizeBytes=size, uploadCaptions=True, uploadThumbnail=True)
    parts = value["uploadInstructions"]
    assert [(p["firstByte"], p["lastByte"]) for p in parts] == [(0, PART - 1), (PART, size - 1)]
    assert value["uploadToken"] and value["captionsUploadUrl"] and value["thumbnailUploadUrl"]
    data = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (size - 12)
    finalize = {"video": value["video"], "uploadToken": value["uploadToken"], "uploadedPartIds": []}

    def finish(ids: list[str]) -> int:
        request = {"finalizeUploadRequest": {**finalize, "uploadedPartIds": ids}}
        return call(emu, "POST", "/rest/videos?action=finalizeUpload", request, method="ACTION").status

    assert put(emu, parts[1]["uploadUrl"], data[:10]).status == 400  # not the part's byte range
    first = put(emu, parts[0]["uploadUrl"], data[:PART])
    assert first.status == 200 and first.headers["ETag"]
    assert finish([first.headers["ETag"]]) == 400  # part 1 not uploaded
    second = put(emu, parts[1]["uploadUrl"], data[PART:])
    etags = [first.headers["ETag"], second.headers["ETag"]]
    assert finish(etags[::-1]) == 400
    assert get(emu, "videos", value["video"]).json()["status"] == "WAITING_UPLOAD"
    assert put(emu, value["captionsUploadUrl"], b"1\n00:00:00,000 --> 00:00:01,000\nHi\n").status == 201
    assert put(emu, value["thumbnailUploadUrl"], PNG, **{"media-type-family": "STILLIMAGE"}).status == 201
    assert finish(etags) == 200
    assert get(emu, "videos", value["video"]).json()["status"] == "AVAILABLE"
    assert finish(etags) == 400  # already finalized


def test_a_single_part_video_has_an_empty_upload_token(emu: Emulator) -> None:
    urn = video(emu, size=2000)
    assert get(emu, "videos", urn).json()["status"] == "AVAILABLE"
    assert init(emu, "videos", fileSizeBytes=10)["uploadToken"] == ""


def test_video_processing_delay_and_a_video_that_is_not_mp4(
    slow: Emulator, clock: Clock, emu: Emulator
) -> None:
    urn = video(slow)
    assert get(slow, "videos", urn).json()["status"] == "PROCESSING"
    clock.now += 5000
    assert get(slow, "videos", urn).json()["status"] == "AVAILABLE"
    value = init(emu, "videos", fileSizeBytes=4)
    etag = put(emu, value["uploadInstructions"][0]["uploadUrl"], b"abcd").headers["ETag"]
    request = {"video": value["video"], "uploadToken": "", "uploadedPartIds": [etag]}
    call(
        emu, "POST", "/rest/videos?action=finalizeUpload", {"finalizeUploadRequest": request}, method="ACTION"
    )
    assert get(emu, "videos", value["video"]).json()["status"] == "PROCESSING_FAILED"


def test_documents_upload_like_images(emu: Emulator) -> None:
    urn = document(emu)
    assert urn.startswith("urn:li:document:")
    assert get(emu, "documents", urn).json()["status"] == "AVAILABLE"
    batch = call(emu, "GET", f"/rest/documents?ids=List({enc(urn)})").json()
    assert batch["statuses"] == {enc(urn): 200}


def test_the_request_log_shows_each_upload_with_its_digest() -> None:
    log = io.StringIO()
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW, request_log=log))
    image(emu)
    image(emu)
    document(emu)
    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    uploads = [e["upload"] for e in entries if "upload" in e]
    assert len(uploads) == 3
    assert len({u["sha256"] for u in uploads}) == 2  # two distinct files
    assert {u["bytes"] for u in uploads} == {len(PNG), len(PDF)}


def test_over_a_socket_the_upload_url_points_back_at_the_server() -> None:
    emu = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW))
    server, base = serve_in_thread(emu)
    try:
        with httpx.Client(base_url=base, headers=headers()) as http:
            body = {"initializeUploadRequest": {"owner": ORG}}
            value = http.post("/rest/images?action=initializeUpload", json=body).json()["value"]
            assert value["uploadUrl"].startswith(base + "/dms-uploads/")
            assert httpx.put(value["uploadUrl"], content=PNG).status_code == 201
            got = http.get(f"/rest/images/{enc(value['image'])}").json()
            assert got["status"] == "AVAILABLE"
    finally:
        server.shutdown()
        server.server_close()
        emu.close()


def test_seeded_media_posts_and_messages_are_served_as_given(emu: Emulator) -> None:
    real = "urn:li:image:C4E10AQFoyyAjHPMQuQ"  # a LinkedIn image URN, not one the emulator made
    seed = {
        "images": [{"id": real, "owner": ORG, "status": "AVAILABLE"}],
        "posts": {
            "elements": [
                {
                    "id": "urn:li:share:6844785523593134080",
                    "author": ORG,
                    "commentary": "Seeded",
                    "content": {"media": {"id": real}},
                    "adContext": {"dscAdAccount": ACCOUNT_URN, "dscAdType": "STANDARD"},
                }
            ]
        },
        "conversationAds": [{"id": "urn:li:sponsoredConversation:77", "parentAccount": ACCOUNT_URN}],
        "sponsoredMessageContents": [
            {
                "id": "urn:li:sponsoredMessageContent:(urn:li:sponsoredConversation:77,5)",
                "bodySource": {"text": "Hi"},
            }
        ],
    }
    assert seed_entities(emu, seed).content == 4
    assert get(emu, "images", real).json()["status"] == "AVAILABLE"
    assert get(emu, "posts", "urn:li:share:6844785523593134080").json()["commentary"] == "Seeded"
    listed = call(
        emu, "GET", "/rest/conversationAds/urn%3Ali%3AsponsoredConversation%3A77/sponsoredMessageContents"
    )
    assert [m["bodySource"]["text"] for m in listed.json()["elements"]] == ["Hi"]
    with pytest.raises(ValueError, match="not a seeded account"):
        seed_entities(
            emu,
            {"posts": [{"id": "urn:li:share:1", "adContext": {"dscAdAccount": "urn:li:sponsoredAccount:9"}}]},
        )
    with pytest.raises(ValueError, match="invalid id"):
        seed_entities(emu, {"videos": [{"id": "urn:li:image:C4E10AQ1"}]})


def test_content_survives_in_sqlite_and_its_finders_use_the_index(tmp_path: Path) -> None:
    emu = Emulator(SqliteStore(tmp_path / "emu.sqlite"), EmulatorConfig(clock=lambda: NOW))
    try:
        urn = image(emu, mediaLibraryMetadata={"associatedAccount": ACCOUNT_URN, "assetName": "a"})
        post = new_post(emu, {"media": {"id": urn, "title": "A"}})
    finally:
        emu.close()
    again = Emulator(SqliteStore(tmp_path / "emu.sqlite"), EmulatorConfig(clock=lambda: NOW))
    try:
        found = call(again, "GET", f"/rest/images?q=associatedAccount&associatedAccount={enc(ACCOUNT_URN)}")
        assert [e["id"] for e in found.json()["elements"]] == [urn]
        posts = call(again, "GET", f"/rest/posts?q=dscAdAccount&dscAdAccount={enc(ACCOUNT_URN)}").json()
        assert [p["id"] for p in posts["elements"]] == [post]
        assert get(again, "posts", post).json()["content"]["media"]["id"] == urn
    finally:
        again.close()


def test_a_lost_upload_answer_is_retried_safely() -> None:
    store = MemoryStore()
    plain = Emulator(store, EmulatorConfig(clock=lambda: NOW))
    # The same store behind an emulator that keeps every write and then loses its answer.
    lossy = Emulator(store, EmulatorConfig(clock=lambda: NOW, faults=FaultConfig(commit_then_fail_rate=1.0)))
    value = init(plain, "images")
    lost = put(lossy, value["uploadUrl"], PNG)
    assert lost.drop or lost.status == 500
    assert get(plain, "images", value["image"]).json()["status"] == "AVAILABLE"  # the bytes were kept
    assert put(plain, value["uploadUrl"], PNG).status == 201  # and the retry is answered as a success


def test_an_images_library_name_can_change_nothing_else(emu: Emulator) -> None:
    urn = image(emu, mediaLibraryMetadata={"associatedAccount": ACCOUNT_URN, "assetName": "old"})
    path = f"/rest/images/{enc(urn)}"
    rename = {"patch": {"mediaLibraryMetadata": {"$set": {"assetName": "new"}}}}
    assert call(emu, "POST", path, rename, method="PARTIAL_UPDATE").status == 204
    assert get(emu, "images", urn).json()["mediaLibraryMetadata"]["assetName"] == "new"
    owner = {"patch": {"$set": {"owner": "urn:li:organization:9"}}}
    assert call(emu, "POST", path, owner, method="PARTIAL_UPDATE").status == 400
    assert (
        call(emu, "POST", f"/rest/documents/{enc(document(emu))}", rename, method="PARTIAL_UPDATE").status
        == 405
    )
