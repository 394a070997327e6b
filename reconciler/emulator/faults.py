"""Fault injection, seeded for reproducibility: latency, throttling, 5xx, and commit-then-fail.

Every request draws the same four numbers from one seeded RNG, in arrival order, whatever happens
to it; so the n-th request of a run meets the same fate for the same seed and options.
"Commit then fail" applies to successful writes only: the write is kept and the client gets a 500
or a dropped connection — the duplicate-create hazard a client must resolve by looking.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from enum import StrEnum


class Fate(StrEnum):
    """What the fault injector decided for one request."""

    NONE = "none"
    THROTTLE = "throttle"  # 429 before anything happens
    ERROR_500 = "error_500"  # 500 before anything happens
    ERROR_503 = "error_503"  # 503 before anything happens
    COMMIT_THEN_500 = "commit_then_500"
    COMMIT_THEN_DROP = "commit_then_drop"


@dataclass(frozen=True)
class FaultConfig:
    """Fault options; rates are probabilities in [0, 1]."""

    latency_ms: int = 0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    commit_then_fail_rate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("throttle_rate", "error_rate", "commit_then_fail_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.latency_ms < 0:
            raise ValueError("latency_ms must not be negative")


@dataclass(frozen=True)
class Draw:
    """The fate of one request: ``before`` applies up front, ``after_write`` to a successful write."""

    before: Fate
    after_write: Fate


class Faults:
    """Decides each request's fate from a seeded RNG; thread-safe."""

    def __init__(self, config: FaultConfig, seed: int) -> None:
        self.config = config
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def draw(self) -> Draw:
        """Draw this request's fate (always four numbers, so later requests stay aligned)."""
        with self._lock:
            throttle, error, commit, coin = (self._rng.random() for _ in range(4))
        cfg = self.config
        before = Fate.NONE
        if throttle < cfg.throttle_rate:
            before = Fate.THROTTLE
        elif error < cfg.error_rate:
            before = Fate.ERROR_500 if coin < 0.5 else Fate.ERROR_503
        after = Fate.NONE
        if commit < cfg.commit_then_fail_rate:
            after = Fate.COMMIT_THEN_500 if coin < 0.5 else Fate.COMMIT_THEN_DROP
        return Draw(before, after)

    def delay(self) -> None:
        """Sleep the configured latency (outside any lock, so concurrent requests overlap)."""
        if self.config.latency_ms:
            time.sleep(self.config.latency_ms / 1000)
