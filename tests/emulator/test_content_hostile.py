"""Content bodies with a value of every JSON type in every field: a 4xx answer, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.emulator import Emulator
from tests.emulator.content_helpers import ORG, image, post_body
from tests.emulator.helpers import ACCOUNT_URN, call, coll, creative_body

ODD: list[Any] = [None, True, 0, -1, 1.5, "", "x", "urn:li:image:", [], [1], {}, {"a": 1}, ["x", {"b": []}]]


def bodies(emu: Emulator) -> dict[str, tuple[str, str, dict[str, Any]]]:
    picture = image(emu)
    card = {"media": {"id": picture, "title": "C"}, "landingPage": "https://x.io"}
    made = call(emu, "POST", "/rest/conversationAds", {"parentAccount": ACCOUNT_URN}, method="CREATE")
    conversation = made.headers["x-restli-id"].replace(":", "%3A")
    return {
        "post": ("/rest/posts", "CREATE", post_body({"media": {"id": picture, "title": "A"}})),
        "carousel": ("/rest/posts", "CREATE", post_body({"carousel": {"cards": [card, card]}})),
        "article": (
            "/rest/posts",
            "CREATE",
            post_body({"article": {"source": "https://x.io", "title": "T", "thumbnail": picture}}),
        ),
        "image": (
            "/rest/images?action=initializeUpload",
            "ACTION",
            {"initializeUploadRequest": {"owner": ORG}},
        ),
        "video": (
            "/rest/videos?action=initializeUpload",
            "ACTION",
            {"initializeUploadRequest": {"owner": ORG, "fileSizeBytes": 10, "uploadCaptions": True}},
        ),
        "inmail": (
            "/rest/inMailContents",
            "CREATE",
            {
                "account": ACCOUNT_URN,
                "sender": "urn:li:person:a",
                "subject": "S",
                "htmlBody": "B",
                "subContent": {
                    "regular": {"callToActionText": "Go", "callToActionLandingPageUrl": "https://x.io"}
                },
            },
        ),
        "conversation": (
            "/rest/conversationAds",
            "CREATE",
            {"parentAccount": ACCOUNT_URN, "headlineText": "H"},
        ),
        "message": (
            f"/rest/conversationAds/{conversation}/sponsoredMessageContents",
            "CREATE",
            {
                "bodySource": {"text": "Hi"},
                "nextAction": {
                    "options": [
                        {"replyType": "EXTERNAL_WEBSITE", "optionText": "Go", "landingPage": "https://x.io"}
                    ]
                },
            },
        ),
        "finalize": (
            "/rest/videos?action=finalizeUpload",
            "ACTION",
            {
                "finalizeUploadRequest": {
                    "video": "urn:li:video:C5605AQ1",
                    "uploadToken": "",
                    "uploadedPartIds": ["e"],
                }
            },
        ),
    }


def mutations(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The body with each field (and each field of a nested object or first list item) replaced by each
    odd value."""
    out = []
    for name, value in body.items():
        for odd in ODD:
            out.append({**body, name: odd})
        if isinstance(value, dict):
            for inner in mutations(value):
                out.append({**body, name: inner})
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for inner in mutations(value[0]):
                out.append({**body, name: [inner, *value[1:]]})
    return out


@pytest.mark.parametrize(
    "which",
    ["post", "carousel", "article", "image", "video", "inmail", "conversation", "message", "finalize"],
)
def test_no_content_body_makes_the_emulator_fail(emu: Emulator, which: str) -> None:
    path, method, body = bodies(emu)[which]
    for mutated in mutations(body):
        response = call(emu, "POST", path, mutated, method=method)
        assert response.status < 500, (mutated, response.body)


def test_no_creative_content_makes_the_emulator_fail(emu: Emulator, tree: Any) -> None:
    for kind in ("reference", "follow", "spotlight", "jobs", "eventAd"):
        for odd in ODD:
            body = creative_body(tree.campaign, content={kind: odd})
            assert call(emu, "POST", coll("creatives"), body, method="CREATE").status < 500, (kind, odd)
            nested = creative_body(tree.campaign, content={kind: {"headline": odd, "logo": odd}})
            assert call(emu, "POST", coll("creatives"), nested, method="CREATE").status < 500, (kind, odd)
