"""An API call leaves nothing for the cyclic collector: with it off, many calls against the
emulator in process (lists, gets, a refused get, creates, retried server errors) add no httpx
request or response to the live objects, so memory does not grow with the calls made."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable

import httpx

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret
from reconciler.emulator import TEST_ACCOUNT_ID, open_emulator
from reconciler.errors import ApiError, NotFound
from reconciler.model import CampaignGroup, GroupStatus, Schedule, account_urn

CALLS = 40


def httpx_objects() -> int:
    return sum(isinstance(o, httpx.Request | httpx.Response) for o in gc.get_objects())


def left_behind(call: Callable[[], object]) -> int:
    """How many httpx requests and responses ``CALLS`` calls leave alive with the collector off."""

    def once() -> None:
        with contextlib.suppress(ApiError):  # a server error a create may not retry: measured too
            call()

    once()  # the first call makes what lives as long as the client (connection pool, caches)
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        before = httpx_objects()
        for _ in range(CALLS):
            once()
        return httpx_objects() - before
    finally:
        if was:
            gc.enable()


def test_calls_leave_no_httpx_objects_for_the_collector() -> None:
    emulator = open_emulator(None, seed=3, error_rate=0.3)
    http = httpx.Client(
        base_url="https://api.linkedin.com/rest", transport=emulator.transport(), auth=BearerAuth(Secret("t"))
    )
    client = LinkedInClient(http, retry=RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=30))
    groups = client.groups(TEST_ACCOUNT_ID)
    start = int(time.time()) * 1000 + 86_400_000

    def create() -> int:
        body = CampaignGroup(
            name=f"g{time.perf_counter_ns()}", status=GroupStatus.DRAFT, run_schedule=Schedule(start)
        )
        return groups.create(body.to_api(account_urn(TEST_ACCOUNT_ID)))

    def missing() -> None:
        with contextlib.suppress(NotFound):
            groups.get(999)

    with client:
        assert left_behind(lambda: list(groups.search())) == 0
        assert left_behind(missing) == 0
        assert left_behind(create) == 0
    emulator.close()
