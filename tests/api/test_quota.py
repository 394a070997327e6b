"""Daily quotas and stopping: a quota 429 told from a burst, and a halted client starting no write."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from reconciler.api.quota import quota_message
from reconciler.errors import NotSent, QuotaExhausted, RateLimited
from tests.api.fakes import FakeLinkedIn, make_client, no_wait_policy

ACCOUNT = 507404993

THROTTLED = {"message": "Resource level throttle limit for calls to this resource is reached.", "status": 429}


class Clock:
    """A clock that advances by the waits the policy asks for."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_long_retry_after_is_a_quota_at_once_and_later_calls_are_not_sent() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(429, json=THROTTLED, headers={"Retry-After": "3600"}))
    with make_client(fake) as client:
        with pytest.raises(QuotaExhausted, match="resets at 00:00 UTC"):
            client.campaigns(ACCOUNT).get(1)
        with pytest.raises(QuotaExhausted):
            client.groups(ACCOUNT).search()
        assert client.wire.halted
    assert len(fake.requests) == 1


def test_429s_that_outlast_the_throttle_budget_are_a_quota() -> None:
    clock = Clock()
    fake = FakeLinkedIn().queue(*[httpx.Response(429, json=THROTTLED) for _ in range(50)])
    policy = no_wait_policy(base_delay=0.5, max_delay=30, clock=clock, sleep=clock.sleep, max_attempts=50)
    with make_client(fake, retry=policy) as client, pytest.raises(QuotaExhausted):
        client.campaigns(ACCOUNT).get(1)
    assert policy.throttle_budget <= clock.now < policy.throttle_budget + 1
    assert len(fake.requests) < 10


def test_a_burst_of_429s_is_retried_and_is_not_a_quota() -> None:
    clock = Clock()
    fake = FakeLinkedIn().queue(*[httpx.Response(429, json=THROTTLED) for _ in range(3)])
    policy = no_wait_policy(base_delay=0.5, max_delay=30, clock=clock, sleep=clock.sleep)
    with make_client(fake, retry=policy) as client:
        assert client.campaigns(ACCOUNT).get(123456789).id == 123456789
        assert client.wire.halted is None


def test_a_create_met_by_the_quota_raises_quota_exhausted_and_is_not_resent() -> None:
    fake = FakeLinkedIn().queue(httpx.Response(429, json=THROTTLED, headers={"Retry-After": "86400"}))
    with make_client(fake) as client, pytest.raises(QuotaExhausted):
        client.campaigns(ACCOUNT).create({"name": "c"})
    assert len(fake.requests) == 1


def test_a_halted_client_sends_no_write_but_still_reads() -> None:
    fake = FakeLinkedIn()
    with make_client(fake) as client:
        client.wire.halt("interrupted by SIGINT")
        with pytest.raises(NotSent, match="interrupted by SIGINT"):
            client.campaigns(ACCOUNT).create({"name": "c"})
        results = client.campaigns(ACCOUNT).batch_delete([1, 2])
        assert all(isinstance(r.error, NotSent) for r in results)
        client.campaigns(ACCOUNT).get(123456789)
    assert [r.method for r in fake.requests] == ["GET"]


def test_a_plain_429_given_up_within_the_budget_stays_rate_limited() -> None:
    fake = FakeLinkedIn().queue(*[httpx.Response(429, json=THROTTLED) for _ in range(2)])
    with make_client(fake, retry=no_wait_policy(max_attempts=2)) as client:
        with pytest.raises(RateLimited) as caught:
            client.campaigns(ACCOUNT).get(1)
        assert not isinstance(caught.value, QuotaExhausted)
        assert client.wire.halted is None


def test_the_quota_message_says_when_it_resets() -> None:
    message = quota_message(datetime(2027, 1, 4, 18, 48, 0, tzinfo=UTC))
    assert message == (
        "LinkedIn's daily API quota for this application or member is exhausted; "
        "it resets at 00:00 UTC (in 5 h 12 min)"
    )
