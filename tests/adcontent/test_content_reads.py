"""The posts (and InMail contents, conversations) behind an account's creatives are read in full
batches as the creatives arrive, with as many calls as reading them all at the end."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import httpx
import pytest

from reconciler.adcontent.reader import ContentReads
from reconciler.errors import ApiError
from reconciler.model import Creative
from tests.api.fakes import FakeLinkedIn, ids_of, make_client, no_wait_policy


class Inline(Executor):
    """Runs each task as it is submitted: what was sent is known when ``submit`` returns."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to the future, as a pool does
            future.set_exception(exc)
        return future


def _answer(request: httpx.Request) -> httpx.Response:
    results = {key.replace(":", "%3A"): {"id": key} for key in ids_of(request) if not key.endswith(":9")}
    return httpx.Response(200, json={"results": results, "statuses": {}, "errors": {}})


def _creatives(*references: str) -> list[Creative]:
    return [
        Creative.from_api(
            {
                "id": f"urn:li:sponsoredCreative:{n}",
                "campaign": "urn:li:sponsoredCampaign:1",
                "content": {"reference": reference},
            }
        )
        for n, reference in enumerate(references, 1)
    ]


def _sent(fake: FakeLinkedIn) -> list[tuple[str, list[str]]]:
    return [(r.url.path.rsplit("/", 1)[-1], ids_of(r)) for r in fake.requests]


def test_full_batches_go_as_creatives_arrive_and_the_rest_at_the_end() -> None:
    fake = FakeLinkedIn(_answer)
    with make_client(fake, batch_size=3) as client:
        reads = ContentReads(client, Inline())
        reads.add(1, _creatives("urn:li:share:1", "urn:li:share:2", "urn:li:adInMailContent:5"))
        assert fake.requests == []  # no kind has a full batch yet
        reads.add(1, _creatives("urn:li:share:1", "urn:li:ugcPost:3", "urn:li:share:9"))
        assert _sent(fake) == [("posts", ["urn:li:share:1", "urn:li:share:2", "urn:li:ugcPost:3"])]
        found = reads.result()
    assert _sent(fake)[1:] == [
        ("posts", ["urn:li:share:9"]),
        ("inMailContents", ["urn:li:adInMailContent:5"]),
    ]
    assert sorted(found) == [
        "urn:li:adInMailContent:5",
        "urn:li:share:1",
        "urn:li:share:2",
        "urn:li:ugcPost:3",
    ]  # share 9 is gone: left out


def test_a_failed_batch_is_raised_by_result() -> None:
    fake = FakeLinkedIn(lambda request: httpx.Response(403, json={"status": 403, "message": "no"}))
    with make_client(fake, batch_size=2, retry=no_wait_policy()) as client:
        reads = ContentReads(client, Inline())
        reads.add(1, _creatives("urn:li:share:1", "urn:li:share:2"))
        with pytest.raises(ApiError) as raised:
            reads.result()
    assert raised.value.status == 403
