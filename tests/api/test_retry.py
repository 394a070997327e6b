"""The retry policy: full-jitter backoff, Retry-After, attempts and the time budget."""

from __future__ import annotations

import random

from reconciler.api.retry import NO_RETRY, RetryPolicy
from reconciler.errors import BadRequest, RateLimited, ServerError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_backoff_is_full_jitter_under_an_exponential_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, rng=random.Random(1))
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        waits = [policy.backoff(attempt) for _ in range(200)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.8  # the whole range is used
        assert min(waits) < ceiling * 0.2


def test_retry_after_wins_over_backoff() -> None:
    policy = RetryPolicy(base_delay=1.0, clock=Clock())
    assert policy.next_delay(RateLimited("slow down", retry_after=12.0), 1, started=100.0) == 12.0


def test_permanent_errors_are_not_retried() -> None:
    assert RetryPolicy().next_delay(BadRequest("no"), 1, started=0.0) is None


def test_attempts_are_bounded() -> None:
    policy = RetryPolicy(max_attempts=3, clock=Clock())
    assert policy.next_delay(ServerError("x"), 2, started=100.0) is not None
    assert policy.next_delay(ServerError("x"), 3, started=100.0) is None
    assert NO_RETRY.next_delay(ServerError("x"), 1, started=0.0) is None


def test_budget_bounds_the_whole_call() -> None:
    clock = Clock()
    policy = RetryPolicy(budget=10.0, clock=clock)
    assert policy.next_delay(RateLimited("x", retry_after=9.0), 1, started=100.0) == 9.0
    clock.now = 102.0
    assert policy.next_delay(RateLimited("x", retry_after=9.0), 1, started=100.0) is None
