"""Posts API: Direct Sponsored Content posts created, read (GET, BATCH_GET, finders), updated where
LinkedIn lets them change, and refused where it refuses them (LinkedIn's error shape)."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, Settings
from tests.emulator.content_helpers import (
    ORG,
    create_post,
    document,
    enc,
    get,
    image,
    init,
    new_post,
    post_body,
    video,
)
from tests.emulator.helpers import ACCOUNT_URN, NOW, call, code, headers


def test_an_image_dsc_post_is_created_and_read_back(emu: Emulator) -> None:
    picture = image(emu)
    response = create_post(emu, post_body({"media": {"id": picture, "title": "Demo"}}))
    assert response.status == 201
    urn = response.headers["x-restli-id"]
    assert urn.startswith("urn:li:share:") and response.headers["x-linkedin-id"] == urn
    post = get(emu, "posts", urn).json()
    assert post["id"] == urn and post["author"] == ORG
    assert post["adContext"] == {
        "dscAdAccount": ACCOUNT_URN,
        "dscStatus": "ACTIVE",
        "dscAdType": "STANDARD",
        "isDsc": True,
    }
    assert post["distribution"]["feedDistribution"] == "NONE"
    assert post["content"] == {"media": {"id": picture, "title": "Demo"}}
    assert post["lifecycleState"] == "PUBLISHED"


def test_video_document_and_carousel_posts_are_ugc_posts_of_their_ad_type(emu: Emulator) -> None:
    cards = [
        {"media": {"id": image(emu), "title": f"Card {n}"}, "landingPage": "https://x.io"} for n in (1, 2)
    ]
    made = {
        "VIDEO": new_post(emu, {"media": {"id": video(emu), "title": "Film"}}),
        "NATIVE_DOCUMENT": new_post(emu, {"media": {"id": document(emu), "title": "Guide"}}),
        "CAROUSEL": new_post(emu, {"carousel": {"cards": cards}}),
    }
    for ad_type, urn in made.items():
        assert urn.startswith("urn:li:ugcPost:")
        assert get(emu, "posts", urn).json()["adContext"]["dscAdType"] == ad_type


def test_article_and_text_posts(emu: Emulator) -> None:
    article = {"article": {"source": "https://x.io/a", "title": "A", "thumbnail": image(emu)}}
    assert new_post(emu, article).startswith("urn:li:share:")
    assert new_post(emu).startswith("urn:li:share:")


def test_batch_get_reads_many_posts_in_one_call_with_encoded_urns(emu: Emulator) -> None:
    urns = [new_post(emu, commentary=f"Post {n}") for n in range(100)]
    missing = "urn:li:share:1"
    response = call(emu, "GET", f"/rest/posts?ids=List({','.join(enc(u) for u in [*urns, missing])})")
    body = response.json()
    assert response.status == 200
    assert [body["results"][enc(u)]["commentary"] for u in urns] == [f"Post {n}" for n in range(100)]
    assert list(body["errors"]) == [enc(missing)]
    # A share URN is not the ugcPost of the same number.
    assert get(emu, "posts", urns[0].replace("share", "ugcPost")).status == 404


def test_finders_by_dsc_ad_account_and_by_author(emu: Emulator) -> None:
    text = new_post(emu)
    film = new_post(emu, {"media": {"id": video(emu), "title": "Film"}})
    base = f"/rest/posts?q=dscAdAccount&dscAdAccount={enc(ACCOUNT_URN)}"
    # most recently modified first (the clock stands still here: then the newer post first)
    assert [p["id"] for p in call(emu, "GET", base).json()["elements"]] == [film, text]
    only = call(emu, "GET", f"{base}&dscAdTypes=List(VIDEO)").json()["elements"]
    assert [p["id"] for p in only] == [film]
    by_author = call(emu, "GET", f"/rest/posts?q=author&author={enc(ORG)}&count=1").json()
    assert [p["id"] for p in by_author["elements"]] == [film]
    assert by_author["paging"]["total"] == 2


def picture_not_available(emu: Emulator) -> dict[str, Any]:
    return {"media": {"id": init(emu, "images")["image"]}}


REFUSALS: list[tuple[str, Any, str]] = [
    ("no dscAdAccount", lambda emu: post_body(adContext=None), "MISSING_REQUIRED_FIELD_FOR_DSC"),
    (
        "account unknown",
        lambda emu: post_body(adContext={"dscAdAccount": "urn:li:sponsoredAccount:9"}),
        "FIELD_VALUE_DOES_NOT_EXIST",
    ),
    (
        "member author of a DSC post",
        lambda emu: post_body(author="urn:li:person:abc"),
        "INVALID_VALUE_FOR_FIELD",
    ),
    ("not PUBLIC", lambda emu: post_body(visibility="CONNECTIONS"), "INVALID_VALUE_FOR_FIELD"),
    (
        "media waiting for upload",
        lambda emu: post_body(picture_not_available(emu)),
        "MEDIA_ASSET_NOT_AVAILABLE",
    ),
    (
        "video still processing",
        lambda emu: post_body({"media": {"id": video(emu, finalize=False)}}),
        "MEDIA_ASSET_NOT_AVAILABLE",
    ),
    (
        "media of another owner",
        lambda emu: post_body({"media": {"id": image(emu, owner="urn:li:organization:9")}}),
        "INVALID_VALUE_FOR_FIELD",
    ),
    (
        "one-card carousel",
        lambda emu: post_body({"carousel": {"cards": [{"media": {"id": image(emu)}}]}}),
        "INVALID_VALUE_FOR_FIELD",
    ),
    (
        "multiImage sponsored",
        lambda emu: post_body({"multiImage": {"images": [{"id": image(emu)}, {"id": image(emu)}]}}),
        "INVALID_VALUE_FOR_FIELD",
    ),
    ("document without title", lambda emu: post_body({"media": {"id": document(emu)}}), "MISSING_FIELD"),
    (
        "dscAdType contradicting",
        lambda emu: post_body(adContext={"dscAdAccount": ACCOUNT_URN, "dscAdType": "VIDEO"}),
        "INVALID_VALUE_FOR_FIELD",
    ),
    (
        "two content kinds",
        lambda emu: post_body({"media": {"id": image(emu)}, "article": {}}),
        "INVALID_VALUE_FOR_FIELD",
    ),
    ("unknown field", lambda emu: post_body(lifecycle="PUBLISHED"), "FIELD_NOT_ALLOWED"),
    (
        "bad call to action",
        lambda emu: post_body(contentCallToActionLabel="CLICK_HERE"),
        "INVALID_VALUE_FOR_FIELD",
    ),
]


@pytest.mark.parametrize(("case", "make", "reason"), REFUSALS, ids=[c for c, _, _ in REFUSALS])
def test_invalid_posts_are_refused_with_a_422(emu: Emulator, case: str, make: Any, reason: str) -> None:
    response = create_post(emu, make(emu))
    assert response.status == 422, case
    body = response.json()
    assert set(body) == {"message", "serviceErrorCode", "status"} and body["status"] == 422
    assert code(response) == reason


def test_a_carousel_is_sponsored_only(emu: Emulator) -> None:
    cards = [{"media": {"id": image(emu)}, "landingPage": "https://x.io"}] * 2
    organic = post_body(
        {"carousel": {"cards": cards}}, adContext=None, distribution={"feedDistribution": "MAIN_FEED"}
    )
    assert create_post(emu, organic).status == 422


def test_commentary_and_dsc_status_change_content_does_not(emu: Emulator) -> None:
    urn = new_post(emu, {"media": {"id": image(emu), "title": "A"}})
    path = f"/rest/posts/{enc(urn)}"

    def patch(body: dict[str, Any]) -> int:
        return call(emu, "POST", path, {"patch": body}, method="PARTIAL_UPDATE").status

    assert patch({"$set": {"commentary": "New words"}}) == 204
    assert patch({"adContext": {"$set": {"dscStatus": "ARCHIVED", "dscName": "Old"}}}) == 204
    post = get(emu, "posts", urn).json()
    assert post["commentary"] == "New words" and post["lifecycleStateInfo"]["isEditedByAuthor"]
    assert post["adContext"]["dscStatus"] == "ARCHIVED"
    assert patch({"$set": {"content": {"media": {"id": image(emu)}}}}) == 422
    assert patch({"adContext": {"$set": {"dscAdAccount": "urn:li:sponsoredAccount:9"}}}) == 422
    assert patch({"$set": {"author": "urn:li:organization:9"}}) == 422
    assert get(emu, "posts", urn).json()["content"]["media"]["title"] == "A"


def test_delete_removes_a_post(emu: Emulator) -> None:
    urn = new_post(emu)
    assert call(emu, "DELETE", f"/rest/posts/{enc(urn)}", method="DELETE").status == 204
    missing = get(emu, "posts", urn)
    assert missing.status == 404 and missing.json()["status"] == 404


def test_posts_and_media_take_community_management_scopes() -> None:
    def emulator(scopes: set[str]) -> Emulator:
        return Emulator(
            MemoryStore(), EmulatorConfig(clock=lambda: NOW, settings=Settings(scopes=frozenset(scopes)))
        )

    ads_only = emulator({"r_ads", "rw_ads"})
    refused = create_post(ads_only, post_body())
    assert refused.status == 403 and refused.json()["serviceErrorCode"] == 100
    assert "POST /posts" in refused.json()["message"]
    assert get(ads_only, "posts", "urn:li:share:1").status == 403
    assert image(ads_only).startswith("urn:li:image:")  # rw_ads may upload media
    social = emulator({"r_ads", "rw_ads", "w_organization_social", "r_organization_social"})
    urn = new_post(social)
    assert get(social, "posts", urn).status == 200


def test_batch_get_takes_every_form_clients_send_and_projections(emu: Emulator) -> None:
    urn = new_post(emu, commentary="Projected")
    raw = call(emu, "GET", f"/rest/posts?ids=List({urn})").json()  # URNs left unencoded in the list
    assert list(raw["results"]) == [enc(urn)]
    v1 = headers()
    del v1["X-Restli-Protocol-Version"]
    repeated = emu.handle("GET", f"/rest/posts?ids={enc(urn)}&ids={enc(urn)}", v1).json()  # protocol 1.0
    assert list(repeated["results"]) == [enc(urn)]
    projected = call(emu, "GET", f"/rest/posts?ids=List({enc(urn)})&fields=id,commentary").json()
    assert projected["results"][enc(urn)] == {"id": urn, "commentary": "Projected"}
