"""The pinned ``LinkedIn-Version``: validation, the default, and the sunset notice.

LinkedIn ships a version each month and sunsets it about a year later (calls then fail with 426).
The reconciler pins a version on purpose rather than following "latest": an API change must be a
reviewed change of :data:`DEFAULT_VERSION` (or of ``LINKEDIN_VERSION``), never a surprise in production.
"""

from __future__ import annotations

import re
from datetime import date

from reconciler.errors import ConfigError

DEFAULT_VERSION = "202610"
"""Pinned deliberately (October 2026 release; active until about October 2027). Bump with care."""

SUNSET_WARNING_DAYS = 60
"""Warn when the pinned version is this close to its one-year sunset."""

# LinkedIn's sunset table (the "migrations" page of the Marketing docs; en-us view of 2025 for the
# 2024 releases, it-it view of 2026-03 for the later ones). The days are not always the 15th.
SUNSETS: dict[str, date] = {
    "202407": date(2025, 7, 22),
    "202408": date(2025, 8, 18),
    "202409": date(2025, 9, 15),
    "202410": date(2025, 10, 15),
    "202411": date(2025, 11, 17),
    "202510": date(2026, 10, 15),
    "202511": date(2026, 11, 16),
    "202601": date(2027, 1, 15),
    "202602": date(2027, 2, 15),
    "202603": date(2027, 3, 16),
}
# GUESS for a version the table does not list (yet): the 15th of its month one year on, as most
# rows are; versions live "a minimum of one year" (versioning page).
_SUNSET_DAY = 15
_VERSION = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?:\.(?P<rev>\d{2}))?")


def parse_version(text: str | None) -> str:
    """A valid version string (``YYYYMM`` or ``YYYYMM.RR``), or the default when ``text`` is empty.

    Raises ConfigError for anything else, naming ``LINKEDIN_VERSION``.
    """
    if text is None or not text.strip():
        return DEFAULT_VERSION
    value = text.strip()
    match = _VERSION.fullmatch(value)
    if match is None or not 1 <= int(match["month"]) <= 12:
        raise ConfigError(
            f"LINKEDIN_VERSION {value!r} is not a LinkedIn-Version: "
            f"use YYYYMM or YYYYMM.RR (e.g. {DEFAULT_VERSION})"
        )
    if int(match["year"]) < 2022:
        # Versioned APIs began with 202206: anything older never existed, so say it is too old.
        raise ConfigError(
            f"LINKEDIN_VERSION {value} is older than LinkedIn's versioned API (202206) and long sunset; "
            f"use a release from the last 12 months (e.g. {DEFAULT_VERSION})"
        )
    return value


def sunset_date(version: str) -> date:
    """The first day ``version`` no longer works (LinkedIn answers 426): its row of the sunset
    table, else the 15th of its release month one year later."""
    match = _VERSION.fullmatch(version)
    if match is None:
        raise ConfigError(f"not a LinkedIn-Version: {version!r}")
    base = match["year"] + match["month"]
    return SUNSETS.get(base) or date(int(match["year"]) + 1, int(match["month"]), _SUNSET_DAY)


def version_notice(version: str, today: date | None = None) -> str | None:
    """A warning for the user when ``version`` is within 60 days of its sunset, sunset, or not
    released yet (the last two: LinkedIn answers 426), else None."""
    today = today or date.today()
    match = _VERSION.fullmatch(version)
    if match is not None and date(int(match["year"]), int(match["month"]), 1) > today:
        return f"LinkedIn-Version {version} is not released yet: LinkedIn answers 426; use {DEFAULT_VERSION}"
    sunset = sunset_date(version)
    days = (sunset - today).days
    if days > SUNSET_WARNING_DAYS:
        return None
    if days <= 0:
        when = f"was sunset on {sunset.isoformat()}: LinkedIn answers 426"
    else:
        when = f"will be sunset on {sunset.isoformat()} ({days} days)"
    return f"LinkedIn-Version {version} {when}; raise LINKEDIN_VERSION (current default {DEFAULT_VERSION})"
