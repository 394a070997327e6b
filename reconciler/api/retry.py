"""When to try a request again, and how long to wait first.

:class:`RetryPolicy` decides; it does no I/O of its own beyond the ``sleep`` it is given, and the
clock and random source are injectable so tests run instantly and deterministically.

Policy: temporary failures (429, 5xx, 408, timeouts, dropped connections) of idempotent requests are
retried with exponential backoff and *full jitter* (a uniform wait in ``[0, min(cap, base·2^n)]``),
or after ``Retry-After`` when the server gives one, until ``max_attempts`` or the total time
``budget`` would be passed. 429s are held to a shorter budget, ``throttle_budget`` from the first
429 of a call: past it they are LinkedIn's daily quota, not a burst (see :mod:`reconciler.api.quota`).
Creates are a separate matter, decided by the caller (see :mod:`reconciler.api.wire`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from reconciler.api.quota import QUOTA_RETRY_AFTER, THROTTLE_BUDGET
from reconciler.errors import ApiError, RateLimited, TemporaryApiError


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff settings. ``budget`` bounds the whole call, first attempt to last wait, in seconds."""

    max_attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 30.0
    budget: float = 120.0
    retry_throttled_creates: bool = True
    throttle_budget: float = THROTTLE_BUDGET
    quota_retry_after: float = QUOTA_RETRY_AFTER
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """The full-jitter wait before retry number ``attempt`` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return self.rng.uniform(0.0, ceiling)

    def delay_for(self, error: ApiError, attempt: int) -> float:
        """The wait before the next attempt: ``Retry-After`` when given (not capped), else backoff."""
        if error.retry_after is not None:
            return error.retry_after
        return self.backoff(attempt)

    def next_delay(self, error: ApiError, attempt: int, started: float) -> float | None:
        """How long to wait before attempt ``attempt + 1``, or ``None`` to give up and raise ``error``.

        ``attempt`` counts the attempts made so far; ``started`` is the clock reading at the first.
        """
        if not isinstance(error, TemporaryApiError) or attempt >= self.max_attempts:
            return None
        delay = self.delay_for(error, attempt)
        if self.clock() + delay - started > self.budget:
            return None
        return delay

    def is_quota(self, error: ApiError, first_throttle: float) -> bool:
        """Whether a 429 means a spent daily quota rather than a burst: a ``Retry-After`` past
        ``quota_retry_after``, or 429s that have lasted ``throttle_budget`` since ``first_throttle``."""
        if not isinstance(error, RateLimited):
            return False
        if error.retry_after is not None:
            return error.retry_after > self.quota_retry_after
        return self.clock() - first_throttle >= self.throttle_budget

    def throttle_delay(
        self, error: ApiError, attempt: int, started: float, first_throttle: float
    ) -> float | None:
        """The wait after a burst 429: "equal jitter" (half the backoff, plus up to half again) so
        429s that persist reach ``throttle_budget`` in a few attempts; never past that budget."""
        delay = self.next_delay(error, attempt, started)
        if delay is None or error.retry_after is not None:
            return delay
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        wait: float = ceiling / 2 + self.rng.uniform(0.0, ceiling / 2)
        left: float = first_throttle + self.throttle_budget - self.clock()
        return max(0.0, min(wait, left))


NO_RETRY = RetryPolicy(max_attempts=1)
"""A policy that never retries (useful for diagnostics and tests)."""
