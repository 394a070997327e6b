"""LinkedInClient over a MockTransport: the exact bytes, headers, paging, batches, retries, creates."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from reconciler import __version__
from reconciler.api import ItemResult, Patch, RetryPolicy
from reconciler.errors import (
    AuthError,
    BadAnswer,
    BadRequest,
    NotFound,
    PermanentApiError,
    RateLimited,
    ServerError,
    TransportError,
    UnknownOutcome,
)
from reconciler.model import Campaign, CampaignGroup, Creative
from tests.api.fakes import FakeLinkedIn, default_answer, make_client, no_wait_policy

ACCOUNT = 507404993


def page(elements: list[dict[str, object]], token: str | None = None) -> httpx.Response:
    metadata = {"nextPageToken": token} if token else {}
    return httpx.Response(
        200, json={"elements": elements, "paging": {"start": 0, "count": 10}, "metadata": metadata}
    )


def campaign(i: int) -> dict[str, object]:
    return {"id": i, "name": f"c{i}", "campaignGroup": "urn:li:sponsoredCampaignGroup:1", "status": "ACTIVE"}


# -- the wire --------------------------------------------------------------------------------


def test_exact_bytes_of_a_creative_get_and_finder() -> None:
    fake = FakeLinkedIn()
    with make_client(fake) as client:
        creative = client.creatives(ACCOUNT).get(1234567)
        client.creatives(ACCOUNT).search(
            {"campaigns": ["urn:li:sponsoredCampaign:1", "urn:li:sponsoredCampaign:2"]}
        )
    assert isinstance(creative, Creative) and creative.id == 1234567
    assert fake.raw_paths() == [
        "/rest/adAccounts/507404993/creatives/urn%3Ali%3AsponsoredCreative%3A1234567",
        "/rest/adAccounts/507404993/creatives?campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1,"
        "urn%3Ali%3AsponsoredCampaign%3A2)&pageSize=100&q=criteria",
    ]


def test_headers_on_every_call() -> None:
    fake = FakeLinkedIn()
    with make_client(fake, version="202609") as client:
        client.campaigns(ACCOUNT).get(1)
        client.campaigns(ACCOUNT).partial_update(1, {"name": "x"})
    get, update = fake.requests
    for request in (get, update):
        assert request.headers["Authorization"] == "Bearer TEST_TOKEN"
        assert request.headers["LinkedIn-Version"] == "202609"
        assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
        assert request.headers["User-Agent"] == f"reconciler/{__version__}"
    assert get.headers["X-RestLi-Method"] == "GET"
    assert "Content-Type" not in get.headers
    assert update.headers["X-RestLi-Method"] == "PARTIAL_UPDATE"
    assert update.headers["Content-Type"] == "application/json"
    assert update.content == b'{"patch":{"$set":{"name":"x"}}}'


def test_base_url_path_prefix_is_kept() -> None:
    fake = FakeLinkedIn()
    http = httpx.Client(base_url="http://127.0.0.1:8765/rest/", transport=httpx.MockTransport(fake))
    from reconciler.api import LinkedInClient

    with LinkedInClient(http, retry=no_wait_policy()) as client:
        client.accounts.get(7)
    assert str(fake.requests[0].url) == "http://127.0.0.1:8765/rest/adAccounts/7"


# -- reads -----------------------------------------------------------------------------------


def test_search_follows_cursors_with_a_constant_page_size() -> None:
    fake = FakeLinkedIn().queue(
        page([campaign(1), campaign(2)], "t1"),
        page([campaign(3)], "t2"),
        page([]),
    )
    with make_client(fake) as client:
        found = client.campaigns(ACCOUNT).search({"status": ["ACTIVE"]})
    assert [c.id for c in found] == [1, 2, 3]
    assert all(isinstance(c, Campaign) for c in found)
    queries = [p.partition("?")[2] for p in fake.raw_paths()]
    assert queries == [
        "pageSize=1000&q=search&search=(status:(values:List(ACTIVE)))",
        "pageSize=1000&pageToken=t1&q=search&search=(status:(values:List(ACTIVE)))",
        "pageSize=1000&pageToken=t2&q=search&search=(status:(values:List(ACTIVE)))",
    ]


def test_search_without_criteria_sends_none_and_reads_canceled_creatives_apart() -> None:
    # Without criteria a status of a later version is read too; a status list would leave it out.
    # LinkedIn hides CANCELED creatives from a query that names no status: they are read by one search
    # of their own, naming a documented symbol of the creatives finder.
    fake = FakeLinkedIn()
    with make_client(fake) as client:
        assert client.groups(ACCOUNT).search() == []
        client.creatives(ACCOUNT).search()
        client.search_creatives(ACCOUNT, ["urn:li:sponsoredCampaign:1"])
        client.search_canceled_creatives(ACCOUNT)
        client.accounts.search()
        client.campaigns(ACCOUNT).search({})
        client.campaigns(ACCOUNT).search()
    assert fake.raw_paths() == [
        "/rest/adAccounts/507404993/adCampaignGroups?pageSize=1000&q=search",
        "/rest/adAccounts/507404993/creatives?pageSize=100&q=criteria",
        "/rest/adAccounts/507404993/creatives?campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1)&pageSize=100&q=criteria",
        "/rest/adAccounts/507404993/creatives?intendedStatuses=List(CANCELED)&pageSize=100&q=criteria",
        "/rest/adAccounts?pageSize=1000&q=search",
        "/rest/adAccounts/507404993/adCampaigns?pageSize=1000&q=search",
        "/rest/adAccounts/507404993/adCampaigns?pageSize=1000&q=search",
    ]


def test_a_repeated_page_token_stops_paging() -> None:
    fake = FakeLinkedIn().queue(page([campaign(1)], "same"), page([campaign(2)], "same"))
    with make_client(fake) as client, pytest.raises(PermanentApiError, match="paging did not advance"):
        client.campaigns(ACCOUNT).search()


def test_search_partitions_each_have_their_own_cursor() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        query = request.url.raw_path.decode()
        base = 100 if "%3A1)" in query else 200
        if "pageToken" not in query:
            return page(
                [{"id": f"urn:li:sponsoredCreative:{base}", "campaign": "urn:li:sponsoredCampaign:1"}], "next"
            )
        return page(
            [{"id": f"urn:li:sponsoredCreative:{base + 1}", "campaign": "urn:li:sponsoredCampaign:1"}]
        )

    fake = FakeLinkedIn(answer)
    partitions = [
        {"campaigns": ["urn:li:sponsoredCampaign:1"]},
        {"campaigns": ["urn:li:sponsoredCampaign:2"]},
    ]
    with make_client(fake) as client:
        found = client.creatives(ACCOUNT).search_partitions(partitions)
    assert [c.id for c in found] == [100, 101, 200, 201]
    assert len(fake.requests) == 4


def test_batch_get_leaves_out_missing_ids_and_raises_other_errors() -> None:
    body = {
        "results": {"1": {"id": 1, "name": "g1", "account": "urn:li:sponsoredAccount:1"}},
        "statuses": {"1": 200},
        "errors": {"2": {"status": 404, "message": "Not found"}},
    }
    fake = FakeLinkedIn().queue(
        httpx.Response(200, json=body),
        httpx.Response(200, json={"results": {}, "errors": {"3": {"status": 403, "message": "no"}}}),
    )
    with make_client(fake) as client:
        found = client.groups(ACCOUNT).batch_get([1, 2, 1])
        assert list(found) == [1] and isinstance(found[1], CampaignGroup)
        with pytest.raises(PermanentApiError, match="campaign group 3 HTTP 403"):
            client.groups(ACCOUNT).batch_get([3])
    assert fake.raw_paths()[0].endswith("?ids=List(1,2)")


def test_batch_get_of_ids_the_answer_leaves_out_is_a_bad_answer_not_gone_entities() -> None:
    """An id in neither ``results`` nor ``errors`` is a partial answer: read as gone, a retire
    would count the old creative as done while it still runs."""
    group = {"id": 1, "name": "g1", "account": "urn:li:sponsoredAccount:1"}
    fake = FakeLinkedIn().queue(httpx.Response(200, json={"results": {"1": group}, "errors": {}}))
    with make_client(fake) as client, pytest.raises(BadAnswer) as caught:
        client.groups(ACCOUNT).batch_get([1, 2, 3])
    assert str(caught.value) == (
        "HTTP 200: the batch answer left out 2 of the 3 keys asked for (in neither its results nor its "
        "errors) (GET /adAccounts/507404993/adCampaignGroups)"
    )


def test_batch_get_splits_and_tunnels_long_batches() -> None:
    fake = FakeLinkedIn()
    with make_client(fake, batch_size=150) as client:
        found = client.creatives(ACCOUNT).batch_get(range(1, 301))
    assert sorted(found) == list(range(1, 301))
    assert len(fake.requests) == 2
    for request in fake.requests:
        assert request.method == "POST"
        assert request.headers["X-HTTP-Method-Override"] == "GET"
        assert request.headers["X-RestLi-Method"] == "BATCH_GET"
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.url.raw_path == b"/rest/adAccounts/507404993/creatives"
        assert request.content.startswith(b"ids=List(urn%3Ali%3AsponsoredCreative%3A")


def test_errors_name_the_resource() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(404, json={"message": "Not found", "status": 404}))
    with make_client(fake) as client, pytest.raises(NotFound) as caught:
        client.campaigns(ACCOUNT).get(5)
    assert str(caught.value) == "campaign 5 HTTP 404: Not found (GET /adAccounts/507404993/adCampaigns/5)"


# -- writes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-restli-id": "urn%3Ali%3AsponsoredCreative%3A55"}, 55),
        ({"x-linkedin-id": "urn:li:sponsoredCreative:56"}, 56),
        ({"location": "/rest/adAccounts/1/creatives/urn%3Ali%3AsponsoredCreative%3A57"}, 57),
        ({"x-restli-id": "58"}, 58),
    ],
)
def test_create_reads_the_id_from_headers(headers: dict[str, str], expected: int) -> None:
    fake = FakeLinkedIn().queue(httpx.Response(201, headers=headers))
    with make_client(fake) as client:
        assert client.creatives(ACCOUNT).create({"campaign": "urn:li:sponsoredCampaign:1"}) == expected
    assert fake.requests[0].headers["X-RestLi-Method"] == "CREATE"
    assert fake.requests[0].content == b'{"campaign":"urn:li:sponsoredCampaign:1"}'


def test_create_without_an_id_is_an_unknown_outcome() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(201))
    with make_client(fake) as client, pytest.raises(UnknownOutcome):
        client.groups(ACCOUNT).create({"name": "g"})


def test_partial_update_and_delete() -> None:
    fake = FakeLinkedIn()
    with make_client(fake) as client:
        client.groups(ACCOUNT).partial_update(
            9, {"totalBudget": {"amount": "5", "currencyCode": "EUR"}}, ["dailyBudget"]
        )
        client.creatives(ACCOUNT).delete(10)
    update, delete = fake.requests
    assert update.method == "POST" and update.url.raw_path == b"/rest/adAccounts/507404993/adCampaignGroups/9"
    assert update.content == (
        b'{"patch":{"$set":{"totalBudget":{"amount":"5","currencyCode":"EUR"}},"$delete":["dailyBudget"]}}'
    )
    assert delete.method == "DELETE" and delete.headers["X-RestLi-Method"] == "DELETE"
    assert delete.url.raw_path == b"/rest/adAccounts/507404993/creatives/urn%3Ali%3AsponsoredCreative%3A10"


def test_batch_create_gives_one_result_per_body_in_order() -> None:
    answer = {
        "elements": [
            {"status": 201, "id": "11"},
            {"status": 400, "error": {"status": 400, "code": "FIELD_INVALID", "message": "bad name"}},
            {"status": 201, "id": "13"},
        ]
    }
    fake = FakeLinkedIn().queue(httpx.Response(200, json=answer))
    with make_client(fake) as client:
        results = client.campaigns(ACCOUNT).batch_create([{"name": "a"}, {"name": ""}, {"name": "c"}])
    assert [(r.key, r.ok, r.id) for r in results] == [(0, True, 11), (1, False, None), (2, True, 13)]
    assert isinstance(results[1].error, BadRequest) and results[1].error.code == "FIELD_INVALID"
    assert fake.requests[0].headers["X-RestLi-Method"] == "BATCH_CREATE"
    assert fake.requests[0].content == b'{"elements":[{"name":"a"},{"name":""},{"name":"c"}]}'


def test_batch_create_failure_is_unknown_for_its_items_and_not_resent() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(502))
    with make_client(fake) as client:
        results = client.campaigns(ACCOUNT).batch_create([{"name": "a"}, {"name": "b"}])
    assert [r.ok for r in results] == [False, False]
    assert all(isinstance(r.error, UnknownOutcome) for r in results)
    assert len(fake.requests) == 1


def test_batch_partial_update_and_delete_results() -> None:
    answer = {
        "results": {"urn%3Ali%3AsponsoredCreative%3A1": {"status": 204}},
        "errors": {"urn%3Ali%3AsponsoredCreative%3A2": {"status": 400, "message": "not allowed"}},
    }
    fake = FakeLinkedIn().queue(httpx.Response(200, json=answer))
    with make_client(fake) as client:
        results = client.creatives(ACCOUNT).batch_partial_update(
            {
                1: Patch({"intendedStatus": "PAUSED"}),
                2: Patch({"intendedStatus": "ACTIVE"}),
                3: Patch(delete=["name"]),
            }
        )
        deleted = client.campaigns(ACCOUNT).batch_delete([4, 5])
    assert [(r.key, r.ok) for r in results] == [(1, True), (2, False), (3, False)]
    assert isinstance(results[1].error, BadRequest)
    assert "creative 3" in str(results[2].error) and "no result" in str(results[2].error)
    assert deleted == [ItemResult(4, True), ItemResult(5, True)]
    assert fake.requests[1].method == "DELETE" and fake.raw_paths()[1].endswith("adCampaigns?ids=List(4,5)")


def test_batch_partial_update_of_many_urns_tunnels_as_multipart() -> None:
    fake = FakeLinkedIn()
    patches = {i: Patch({"intendedStatus": "PAUSED"}) for i in range(1, 201)}
    with make_client(fake, batch_size=200) as client:
        results = client.creatives(ACCOUNT).batch_partial_update(patches)
    assert all(r.ok for r in results) and len(results) == 200
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.headers["X-HTTP-Method-Override"] == "POST"
    assert request.headers["X-RestLi-Method"] == "BATCH_PARTIAL_UPDATE"
    assert request.headers["Content-Type"].startswith("multipart/mixed; boundary=")
    assert request.url.raw_path == b"/rest/adAccounts/507404993/creatives"


# -- retries ---------------------------------------------------------------------------------


def test_reads_retry_temporary_failures_and_honour_retry_after() -> None:
    waits: list[float] = []
    fake = FakeLinkedIn().queue(
        httpx.Response(503),
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.ReadTimeout("slow"),
        httpx.Response(504),
    )
    with make_client(fake, retry=no_wait_policy(sleep=waits.append)) as client:
        assert client.campaigns(ACCOUNT).get(1).id == 1
        stats = client.stats.snapshot()
    assert len(fake.requests) == 5
    assert waits[1] == 7.0 and len(waits) == 4
    assert (
        stats["calls"] == 1 and stats["attempts"] == 5 and stats["retries"] == 4 and stats["throttles"] == 1
    )


def test_reads_give_up_when_attempts_run_out() -> None:
    fake = FakeLinkedIn().queue(*[httpx.Response(500) for _ in range(3)])
    with make_client(fake, retry=no_wait_policy(max_attempts=3)) as client, pytest.raises(ServerError):
        client.accounts.get(1)
    assert len(fake.requests) == 3


def test_permanent_errors_are_not_retried() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(401, json={"message": "Invalid access token", "status": 401}))
    with make_client(fake) as client, pytest.raises(AuthError):
        client.accounts.get(1)
    assert len(fake.requests) == 1


def test_updates_and_deletes_are_retried() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(500), httpx.Response(204), httpx.ConnectError("refused"))
    with make_client(fake) as client:
        client.campaigns(ACCOUNT).partial_update(1, {"status": "PAUSED"})
        client.campaigns(ACCOUNT).delete(2)
    assert [r.method for r in fake.requests] == ["POST", "POST", "DELETE", "DELETE"]


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(500), httpx.Response(503), httpx.ReadTimeout("t"), httpx.RemoteProtocolError("x")],
)
def test_a_create_is_never_resent_after_an_unknown_outcome(failure: httpx.Response | Exception) -> None:
    fake = FakeLinkedIn().queue(failure)
    with make_client(fake) as client, pytest.raises(UnknownOutcome) as caught:
        client.campaigns(ACCOUNT).create({"name": "c"})
    assert len(fake.requests) == 1
    assert "look the entity up" in str(caught.value)
    assert client.stats.unknown_outcomes == 1


THROTTLED = {"message": "Resource level throttle limit for calls to this resource is reached.", "status": 429}


def test_a_throttled_create_is_resent_because_it_did_not_happen() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(429, json=THROTTLED))
    with make_client(fake) as client:
        assert client.campaigns(ACCOUNT).create({"name": "c"}) == 123456789
    assert len(fake.requests) == 2


def test_a_create_answered_429_without_linkedins_throttle_body_is_unknown_not_resent() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(429))
    with make_client(fake) as client, pytest.raises(UnknownOutcome):
        client.campaigns(ACCOUNT).create({"name": "c"})
    assert len(fake.requests) == 1


def test_throttled_creates_can_be_treated_as_unknown() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(429))
    policy = no_wait_policy(retry_throttled_creates=False)
    with make_client(fake, retry=policy) as client, pytest.raises(UnknownOutcome):
        client.campaigns(ACCOUNT).create({"name": "c"})
    assert len(fake.requests) == 1


def test_a_create_throttled_every_time_raises_rate_limited() -> None:
    fake = FakeLinkedIn().queue(*[httpx.Response(429, json=THROTTLED) for _ in range(2)])
    with make_client(fake, retry=no_wait_policy(max_attempts=2)) as client, pytest.raises(RateLimited):
        client.campaigns(ACCOUNT).create({"name": "c"})


def test_transport_failures_of_reads_become_transport_errors() -> None:
    fake = FakeLinkedIn().queue(httpx.ConnectError("refused"))
    with make_client(fake, retry=RetryPolicy(max_attempts=1)) as client, pytest.raises(TransportError):
        client.accounts.get(1)


# -- concurrency and counting ----------------------------------------------------------------


def test_in_flight_requests_are_bounded_across_callers() -> None:
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow(request: httpx.Request) -> httpx.Response:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.01)
        with lock:
            state["now"] -= 1
        return default_answer(request)

    with make_client(FakeLinkedIn(slow), concurrency=3) as client:
        collection = client.campaigns(ACCOUNT)
        threads = [
            threading.Thread(target=lambda: client.parallel(collection.get, range(6))) for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert client.stats.count("GET", "adCampaigns") == 18
    assert 1 < state["max"] <= 3


def test_parallel_inside_the_pool_runs_inline() -> None:
    with make_client(FakeLinkedIn(), concurrency=2) as client:
        nested = client.parallel(lambda i: client.parallel(lambda j: i * 10 + j, range(3)), range(4))
    assert nested == [[0, 1, 2], [10, 11, 12], [20, 21, 22], [30, 31, 32]]


def test_parallel_raises_the_first_error_after_all_finish() -> None:
    done: list[int] = []

    def work(i: int) -> int:
        if i == 0:
            raise ValueError("boom")
        time.sleep(0.005)
        done.append(i)
        return i

    with make_client(FakeLinkedIn()) as client, pytest.raises(ValueError):
        client.parallel(work, range(4))
    assert sorted(done) == [1, 2, 3]


def test_stats_count_calls_per_method_and_resource() -> None:
    with make_client(FakeLinkedIn()) as client:
        client.campaigns(ACCOUNT).search()
        client.creatives(ACCOUNT).search()
        client.creatives(ACCOUNT).get(1)
        snapshot = client.stats.snapshot()
        assert client.stats.count("FINDER") == 2
        assert client.stats.count(resource="creatives") == 2
        client.stats.reset()
        assert client.stats.calls == 0
    assert snapshot["by_method"] == {"FINDER": 2, "GET": 1}
    assert snapshot["by_resource"] == {"adCampaigns": 1, "creatives": 2}


def test_client_satisfies_the_live_reader_protocol() -> None:
    from reconciler.live import read_accounts

    with make_client(FakeLinkedIn()) as client:
        live = read_accounts(client, [ACCOUNT])
    assert live[ACCOUNT].currency == "EUR" and live[ACCOUNT].name == f"account {ACCOUNT}"
