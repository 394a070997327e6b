"""LinkedIn's daily quotas: when a 429 is one, and what to tell the user.

LinkedIn limits calls per application and per member per application over a day that resets at
00:00 UTC, answers 429 past the limit and documents no ``Retry-After`` or rate-limit header
(reference §7.2). A 429 can also be a short burst ("infrastructure protection ... returns to normal
automatically"). The only way to tell them apart is how long they last: a ``Retry-After`` longer
than a few minutes, or 429s that persist past a short budget, mean the quota is spent.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

QUOTA_RETRY_AFTER = 300.0
"""A ``Retry-After`` longer than this (seconds) is a quota, not a burst."""

THROTTLE_BUDGET = 6.0
"""Seconds of consecutive 429s one call tolerates (from its first 429) before calling it a quota.

Judgement, not documentation: the bursts seen in practice clear within a second or two; waiting
longer only delays telling the user that the day's quota is gone."""


def quota_message(now: datetime | None = None) -> str:
    """``LinkedIn's daily API quota … is exhausted; it resets at 00:00 UTC (in 5 h 12 min)``."""
    moment = now or datetime.now(UTC)
    midnight = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = max(1, math.ceil((midnight - moment).total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    return (
        "LinkedIn's daily API quota for this application or member is exhausted; "
        f"it resets at 00:00 UTC (in {hours} h {rest} min)"
    )


def proves_nothing_written(status: int | None, message: str) -> bool:
    """Whether a 429 answer is LinkedIn's throttle refusing the call before doing any work.

    LinkedIn's throttle answers with its own envelope, "Resource level throttle limit for calls to
    this resource is reached." (reference §7.2): the call was counted and refused, not executed.
    Any other 429 (a proxy's, one without that body) proves nothing.
    """
    return status == 429 and "throttle limit" in message.lower()
