"""Call counters of one client: what benchmarks and tests measure efficiency with.

A *call* is one logical Rest.li request (one page, one batch, one create), however many HTTP
*attempts* its retries took; ``retries`` and ``throttles`` count the extra attempts and the 429s.
Thread-safe.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ClientStats:
    """Counters, updated by the client. Read them with :meth:`count` or :meth:`snapshot`."""

    by_call: Counter[tuple[str, str]] = field(default_factory=Counter)
    attempts: int = 0
    retries: int = 0
    throttles: int = 0
    unknown_outcomes: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, method: str | None = None, resource: str | None = None) -> int:
        """Logical calls, optionally only of one Rest.li method and/or one resource (``adCampaigns``)."""
        with self._lock:
            return sum(
                n
                for (m, r), n in self.by_call.items()
                if (method is None or m == method) and (resource is None or r == resource)
            )

    @property
    def calls(self) -> int:
        """All logical calls."""
        return self.count()

    def snapshot(self) -> dict[str, Any]:
        """A JSON-friendly copy: calls per method, per resource, and the other counters."""
        with self._lock:
            by_method: Counter[str] = Counter()
            by_resource: Counter[str] = Counter()
            for (method, resource), n in self.by_call.items():
                by_method[method] += n
                by_resource[resource] += n
            return {
                "calls": sum(self.by_call.values()),
                "by_method": dict(sorted(by_method.items())),
                "by_resource": dict(sorted(by_resource.items())),
                "attempts": self.attempts,
                "retries": self.retries,
                "throttles": self.throttles,
                "unknown_outcomes": self.unknown_outcomes,
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            }

    def reset(self) -> None:
        """Zero every counter (e.g. between benchmark phases)."""
        with self._lock:
            self.by_call.clear()
            self.statuses.clear()
            self.attempts = self.retries = self.throttles = self.unknown_outcomes = 0

    def record_call(self, method: str, resource: str) -> None:
        """One logical call started."""
        with self._lock:
            self.by_call[(method, resource)] += 1

    def record_attempt(self, status: int | None) -> None:
        """One HTTP attempt finished (``status`` None when no answer came)."""
        with self._lock:
            self.attempts += 1
            if status is not None:
                self.statuses[status] += 1
            if status == 429:
                self.throttles += 1

    def record_retry(self) -> None:
        """A failed attempt is about to be repeated."""
        with self._lock:
            self.retries += 1

    def record_unknown_outcome(self) -> None:
        """A write ended with its outcome unknown."""
        with self._lock:
            self.unknown_outcomes += 1
