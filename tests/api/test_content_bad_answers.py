"""Bad answers to the content calls: a batch get of posts (InMail contents, media) that names other
keys, holds no entity, or reports an item error other than 404 is a bad answer, never "the post is
gone" (which would plan a replace); the token goes to no upload URL but the target's own origin."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from reconciler.api.content import UploadPart
from reconciler.errors import ApiError, BadAnswer
from tests.api.test_content import client_with

POST = "urn:li:share:7012"
OTHER = "urn:li:share:7013"
ENTITY = {"id": POST, "author": "urn:li:organization:2414183", "commentary": "hello"}


def batch_answer(body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=body)


def test_a_batch_get_holding_the_posts_asked_for_is_read() -> None:
    seen: list[httpx.Request] = []
    answer = {"results": {POST: ENTITY}, "errors": {OTHER: {"status": 404, "message": "gone"}}}
    with client_with(lambda r: batch_answer(answer), seen) as client:
        assert client.content.posts([POST, OTHER]) == {POST: ENTITY}


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ({"results": {OTHER: ENTITY}}, "which was not asked for"),
        ({"results": {POST: "garbage"}}, "the answer has the wrong shape"),
        ({"results": {}, "errors": {POST: {"status": 500, "message": "backend down"}}}, "backend down"),
        ({"results": {}, "errors": {}}, "left out 1 of the 1 keys asked for (in neither"),
        ({"results": {}, "errors": {OTHER: {"status": 404}}}, "left out 1 of the 1 keys asked for"),
    ],
    ids=["another-key", "not-an-entity", "item-error-500", "key-left-out", "other-key-404"],
)
def test_a_bad_batch_get_of_posts_is_an_error_not_a_missing_post(answer: dict[str, Any], said: str) -> None:
    seen: list[httpx.Request] = []
    with client_with(lambda r: batch_answer(answer), seen) as client, pytest.raises(ApiError) as caught:
        client.content.posts([POST])
    assert said in str(caught.value)


@pytest.mark.parametrize(
    ("read", "collection", "urns"),
    [
        ("posts", "posts", [POST, OTHER]),
        ("inmails", "inMailContents", ["urn:li:adInMailContent:1", "urn:li:adInMailContent:2"]),
        (
            "conversations",
            "conversationAds",
            ["urn:li:sponsoredConversation:1", "urn:li:sponsoredConversation:2"],
        ),
    ],
)
def test_a_batch_get_leaving_out_a_key_names_the_collection_and_the_count(
    read: str, collection: str, urns: list[str]
) -> None:
    """Each kind behind a creative (posts, InMail contents, conversations) is read alike."""
    answer = {"results": {urns[0]: {"id": urns[0]}}, "errors": {}}
    seen: list[httpx.Request] = []
    with client_with(lambda r: batch_answer(answer), seen) as client, pytest.raises(BadAnswer) as caught:
        getattr(client.content, read)(urns)
    assert str(caught.value) == (
        "HTTP 200: the batch answer left out 1 of the 2 keys asked for (in neither its results nor "
        f"its errors) (GET /{collection})"
    )


def test_a_media_status_answer_naming_other_assets_is_a_bad_answer() -> None:
    seen: list[httpx.Request] = []
    answer = {"results": {"urn:li:image:B": {"status": "AVAILABLE"}}}
    with client_with(lambda r: batch_answer(answer), seen) as client, pytest.raises(BadAnswer):
        client.content.media_status("image", ["urn:li:image:A"])


def test_an_upload_url_on_the_targets_host_in_plain_http_gets_no_token() -> None:
    url = "http://api.linkedin.com/dms-uploads/x"  # the target is https://api.linkedin.com
    seen: list[httpx.Request] = []
    with client_with(lambda r: httpx.Response(201, headers={"etag": "e1"}), seen) as client:
        client.content.put_part("image", UploadPart(url, 0, 2), b"abc")
    [request] = seen
    assert "authorization" not in request.headers


@pytest.mark.parametrize(
    "headers",
    [{"x-restli-id": "TOKEN_1234567890"}, {"location": "/rest/posts/TOKEN_1234567890"}],
    ids=["x-restli-id", "location"],
)
def test_a_created_id_echoing_the_token_never_carries_it(headers: dict[str, str]) -> None:
    """The id of a made post goes into the journal: a server echoing the token there must not."""
    seen: list[httpx.Request] = []
    with client_with(lambda r: httpx.Response(201, headers=headers), seen) as client:
        made = client.content.create_post({"author": "urn:li:organization:2414183"})
    assert "TOKEN_1234567890" not in made


def test_an_upload_url_echoing_the_token_is_logged_without_it(caplog: pytest.LogCaptureFixture) -> None:
    url = "https://www.linkedin.com/dms-uploads/x?t=TOKEN_1234567890"
    seen: list[httpx.Request] = []
    with (
        caplog.at_level(logging.DEBUG, logger="reconciler"),
        client_with(lambda r: httpx.Response(201, headers={"etag": "e1"}), seen) as client,
    ):
        client.content.put_part("image", UploadPart(url, 0, 2), b"abc")
    assert "/dms-uploads/x?t=***" in caplog.text
    assert "TOKEN_1234567890" not in caplog.text


def test_a_conversation_answered_with_fewer_messages_than_sent_names_the_missing_ones() -> None:
    seen: list[httpx.Request] = []
    answer = {"elements": [{"status": 201, "id": "1"}, {"status": 400, "message": "x" * 5000}]}
    conversation = "urn:li:sponsoredConversation:7"
    with client_with(lambda r: httpx.Response(200, json=answer), seen) as client:
        made = client.content.create_messages(conversation, [{"body": "a"}, {"body": "b"}, {"body": "c"}])
    assert [m.urn is not None for m in made] == [True, False, False]
    assert made[1].error is not None and len(str(made[1].error)) < 400
    assert made[2].error is not None
    assert "message 2 not created: the answer holds no result for it" in str(made[2].error)
