"""Every answer the client cannot use becomes one ApiError line naming the method and path, never a
Python error; and a credential planted anywhere in any answer never comes out of the client.

A fake server (``httpx.MockTransport``) answers every request of every read and write with one
malformed shape at a time.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Patch, Secret
from reconciler.errors import ApiError, BadAnswer, UnknownOutcome
from tests.api.fakes import BASE_URL, no_wait_policy

TOKEN = "tok-PLANTED-5d1e77c0ffee"
ENTITY: dict[str, Any] = {"id": 7, "name": "n", "campaignGroup": "urn:li:sponsoredCampaignGroup:1"}


def _j(value: Any) -> bytes:
    return json.dumps(value).encode()


# Bodies of a 200 that no operation can use as it is: each must be refused with BadAnswer (or,
# for writes, an item error), whatever operation meets it.
NOT_AN_OBJECT: list[bytes] = [
    b"",
    b"   ",
    b"<html><body>Service Unavailable</body></html>",
    b"<!DOCTYPE html>",
    b"null",
    b"[]",
    b"[1, 2, 3]",
    b'"a string"',
    b"42",
    b"-1.5e300",
    b"true",
    b"false",
    b"{",
    b'{"elements": [',
    b"}{",
    b"\xff\xfe\x00garbage",
    b"\x00" * 16,
    b"NaN",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b'{"elements": []}trailing',
]

# JSON objects of the wrong shape: refused with BadAnswer by the operations they break, accepted
# (with what can be read) by the others.
WRONG_SHAPES: list[Any] = [
    {},
    {"elements": None},
    {"elements": 5},
    {"elements": "abc"},
    {"elements": {"a": 1}},
    {"elements": [None]},
    {"elements": [1]},
    {"elements": ["x"]},
    {"elements": [[]]},
    {"elements": [{}]},
    {"elements": [{"id": "abc"}]},
    {"elements": [{"id": None}]},
    {"elements": [{"id": {}}]},
    {"elements": [{"id": [1]}]},
    {"elements": [{**ENTITY, "id": 1e400}]},
    {"elements": [{**ENTITY, "name": {"x": 1}}]},
    {"elements": [{**ENTITY, "dailyBudget": "ten"}]},
    {"elements": [{**ENTITY, "dailyBudget": {"amount": "abc", "currencyCode": "USD"}}]},
    {"elements": [{**ENTITY, "runSchedule": "soon"}]},
    {"elements": [{**ENTITY, "runSchedule": {"start": "x"}}]},
    {"elements": [{**ENTITY, "targetingCriteria": 5}]},
    {"elements": [{**ENTITY, "targetingCriteria": {"include": "x"}}]},
    {"elements": [{**ENTITY, "changeAuditStamps": "x"}]},
    {"elements": [{**ENTITY, "changeAuditStamps": {"lastModified": {"time": "late"}}}]},
    {"elements": [{**ENTITY, "version": "v"}]},
    {"elements": [{**ENTITY, "locale": 5}]},
    {"elements": [ENTITY], "metadata": []},
    {"elements": [ENTITY], "metadata": "x"},
    {"elements": [ENTITY], "metadata": {"nextPageToken": {}}},
    {"elements": [ENTITY], "metadata": {"nextPageToken": [1]}},
    {"elements": [ENTITY], "metadata": {"nextPageToken": True}},
    {"results": []},
    {"results": "x"},
    {"results": {"1": None}},
    {"results": {"1": 5}},
    {"results": {"abc": ENTITY}},
    {"results": {"1": {"status": "ok"}}},
    {"errors": []},
    {"errors": {"1": "x"}},
    {"errors": {"abc": {"status": 500}}},
    {"errors": {"1": {"status": "bad"}}},
    {"errors": {"1": {"status": 400, "errorDetails": {"inputErrors": [{"input": []}]}}}},
    {"id": "abc"},
    {"id": None, "name": None},
    {"id": [], "currency": {}},
    {"name": 5, "id": 1},
    {"elements": [{"status": "x"}]},
    {"elements": [{"status": 201, "id": {"a": 1}}]},
    {"elements": [{"status": 201, "id": "urn:li:x:notanumber"}]},
    {"elements": [{"status": 400, "error": "x"}]},
    {"elements": [{"status": 400, "error": {"message": {"a": 1}, "code": []}}]},
]

SHAPES: list[bytes] = [*NOT_AN_OBJECT, *(_j(shape) for shape in WRONG_SHAPES), b"\xef\xbb\xbf{}"]


def client_answering(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> LinkedInClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, content=body, headers={"x-restli-id": "not-a-number", **(headers or {})}
        )

    http = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(answer))
    return LinkedInClient(http, retry=no_wait_policy(max_attempts=2), auth=BearerAuth(Secret(TOKEN)))


def operations(client: LinkedInClient) -> dict[str, Callable[[], Any]]:
    campaigns, creatives = client.campaigns(1), client.creatives(1)
    return {
        "get": lambda: campaigns.get(1),
        "account": lambda: client.accounts.get(1),
        "search": lambda: campaigns.search({"status": ["ACTIVE"]}),
        "creatives": lambda: creatives.search(),
        "groups": lambda: client.search_groups(1),
        "batch_get": lambda: creatives.batch_get([1, 2]),
        "create": lambda: campaigns.create({"name": "x"}),
        "batch_create": lambda: campaigns.batch_create([{"name": "x"}]),
        "batch_update": lambda: campaigns.batch_partial_update({1: Patch({"name": "n"})}),
        "batch_delete": lambda: campaigns.batch_delete([1]),
    }


def outcome(action: Callable[[], Any]) -> tuple[Any, ApiError | None]:
    try:
        return action(), None
    except ApiError as error:
        return None, error


def test_the_corpus_is_large() -> None:
    assert len(SHAPES) >= 50


@pytest.mark.parametrize("body", SHAPES, ids=[f"shape{i}" for i in range(len(SHAPES))])
def test_a_malformed_answer_is_one_clear_api_error(body: bytes) -> None:
    with client_answering(body) as client:
        for name, action in operations(client).items():
            result, error = outcome(action)  # any other exception fails the test with its traceback
            items = result if isinstance(result, list) else []
            errors = [error] if error else [i.error for i in items if getattr(i, "error", None)]
            for found in errors:
                assert found is not None
                line = str(found)
                assert "\n" not in line and len(line) < 1_200, (name, line)
                assert found.path and "/adAccounts" in found.path, (name, line)
                assert "Traceback" not in "".join(traceback.format_exception_only(found))
            if body in NOT_AN_OBJECT and name in (
                "get",
                "account",
                "search",
                "creatives",
                "groups",
                "batch_get",
            ):
                assert isinstance(error, BadAnswer), (name, error)
                assert f"{error.method} {error.path}" in str(error)


def test_a_batch_create_whose_answer_cannot_be_read_has_an_unknown_outcome() -> None:
    with client_answering(b"<html>oops</html>") as client:
        [item] = client.campaigns(1).batch_create([{"name": "x"}])
    assert isinstance(item.error, UnknownOutcome)


def test_what_is_wrong_is_said() -> None:
    with client_answering(b"<html>Bad gateway</html>") as client:
        _, error = outcome(lambda: client.campaigns(1).get(1))
    assert str(error) == (
        "campaign 1 HTTP 200: the answer is not JSON (it starts with '<html>Bad gateway</html>') "
        "(GET /adAccounts/1/adCampaigns/1)"
    )
    with client_answering(b"null") as client:
        _, error = outcome(lambda: client.campaigns(1).search({"status": ["ACTIVE"]}))
    assert "the answer is null, not a JSON object (GET /adAccounts/1/adCampaigns)" in str(error)
    with client_answering(_j({"elements": [{"name": "no id"}]})) as client:
        _, error = outcome(lambda: client.campaigns(1).search({"status": ["ACTIVE"]}))
    assert "the answer has the wrong shape: missing field 'id'" in str(error)


def test_endless_new_page_tokens_stop_at_the_account_limits() -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(
            200, json={"elements": [], "metadata": {"nextPageToken": f"t{len(calls)}" * 50}}
        )

    http = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(answer))
    with LinkedInClient(http, retry=no_wait_policy(), auth=BearerAuth(Secret(TOKEN))) as client:
        _, error = outcome(lambda: client.campaigns(1).search({"status": ["ACTIVE"]}))
    assert isinstance(error, BadAnswer)
    assert "paging did not end after 11 pages of 1,000" in str(error)
    assert len(calls) == 11


def test_a_repeated_long_page_token_is_cut_in_the_error() -> None:
    token = "x" * 100_000
    body = _j({"elements": [], "metadata": {"nextPageToken": token}})
    with client_answering(body) as client:
        _, error = outcome(lambda: client.campaigns(1).search({"status": ["ACTIVE"]}))
    assert isinstance(error, BadAnswer) and "repeated" in str(error)
    assert len(str(error)) < 300


def test_a_broken_content_encoding_is_a_bad_answer() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip"))

    http = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(answer))
    with LinkedInClient(http, retry=no_wait_policy(), auth=BearerAuth(Secret(TOKEN))) as client:
        _, error = outcome(lambda: client.accounts.get(1))
    assert isinstance(error, BadAnswer)
    assert "the answer's 'gzip' content encoding is broken (GET /adAccounts/1)" in str(error)


def test_an_answer_over_the_size_cap_is_refused() -> None:
    with client_answering(_j({"elements": [], "pad": "x" * 5_000})) as client:
        client.wire.max_answer = 1_000
        _, error = outcome(lambda: client.campaigns(1).search({"status": ["ACTIVE"]}))
    assert isinstance(error, BadAnswer) and "larger than" in str(error)


# -- the token planted everywhere ------------------------------------------------------------


def planted(value: Any) -> Any:
    """``value`` with the token put into every string and key, raw and JSON-escaped."""
    if isinstance(value, str):
        return f"{value}{TOKEN}"
    if isinstance(value, list):
        return [planted(v) for v in value]
    if isinstance(value, dict):
        return {
            (k if k in ("elements", "results", "errors", "id", "status") else f"{k}{TOKEN}"): planted(v)
            for k, v in value.items()
        }
    return value


def escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


ERROR_BODY = {
    "status": 400,
    "code": f"CODE_{TOKEN}",
    "message": f"bad {TOKEN}",
    "serviceErrorCode": 100,
    "errorDetails": {
        "inputErrors": [
            {
                "code": TOKEN,
                "description": f"field {TOKEN}",
                "input": {"inputPath": {"fieldPath": f"name{TOKEN}"}},
            }
        ]
    },
}
ANSWERS: list[tuple[int, Any]] = [
    (200, {"elements": [{**ENTITY, "name": f"echo {TOKEN}"}], "metadata": {"nextPageToken": TOKEN}}),
    (200, {"elements": [planted(ENTITY)]}),
    (200, {"results": {"7": planted(ENTITY)}, "errors": {"8": ERROR_BODY}}),
    (200, {"elements": [{"status": 400, "error": ERROR_BODY}]}),
    (200, planted({"id": 7, "name": "x", "currency": "EUR", "campaignGroup": "g"})),
    *[(status, ERROR_BODY) for status in (400, 401, 403, 404, 409, 422, 426, 429, 500)],
    (302, {"message": TOKEN}),
    (200, f"<html>{TOKEN}</html>"),
    (200, "x" * 10 + TOKEN + "y" * 10_000),
]


@pytest.mark.parametrize("status,answer", ANSWERS)
@pytest.mark.parametrize("escape", [False, True])
def test_a_planted_token_never_comes_out(status: int, answer: Any, escape: bool) -> None:
    body = answer if isinstance(answer, str) else json.dumps(answer)
    if escape:
        body = body.replace(TOKEN, escaped(TOKEN))
    headers = {"Location": f"https://evil.example/{TOKEN}", "Retry-After": "3600", "x-restli-id": TOKEN}
    seen: list[str] = []
    with client_answering(body.encode(), status, headers) as client:
        for action in operations(client).values():
            result, error = outcome(action)
            seen.append(repr(result))
            if error is not None:
                seen.extend(
                    [
                        str(error),
                        repr(error),
                        repr(error.__dict__),
                        "".join(traceback.format_exception(error)),
                    ]
                )
            for item in result if isinstance(result, list) else []:
                seen.append(repr(item))
                if getattr(item, "error", None) is not None:
                    seen.append(repr(item.error.__dict__))
    everything = "\n".join(seen)
    assert TOKEN not in everything
    assert "PLANTED" not in everything
