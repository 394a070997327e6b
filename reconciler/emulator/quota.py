"""Daily call quotas, as LinkedIn counts them: per member token, per UTC day, reset at 00:00 UTC.

LinkedIn documents that every call counts against a daily limit per application and per member
per application, that the limits reset at midnight UTC, and that a call over the limit gets a 429
(reference §7.2). It publishes neither the numbers nor any ``Retry-After`` / rate-limit header, so
the emulator sends none (INFERRED, see docs/emulator.md). One counter per member stands for both
of LinkedIn's counters: the emulator serves one application.
"""

from __future__ import annotations

import threading

DAY_MS = 86_400_000


class DailyQuota:
    """``limit`` calls per member and UTC day; thread-safe. ``limit`` None means no quota."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self._day = -1
        self._used: dict[str, int] = {}
        self._lock = threading.Lock()

    def spend(self, member: str, now_ms: int) -> bool:
        """Count one call by ``member`` at ``now_ms`` (epoch ms); False when it is over the quota."""
        if self.limit is None:
            return True
        day = now_ms // DAY_MS
        with self._lock:
            if day != self._day:  # a new UTC day: every counter starts again
                self._day = day
                self._used.clear()
            used = self._used.get(member, 0)
            if used >= self.limit:
                return False
            self._used[member] = used + 1
            return True
