"""The pinned LinkedIn-Version: validation and the sunset notice."""

from __future__ import annotations

from datetime import date

import pytest

from reconciler.api.version import DEFAULT_VERSION, parse_version, sunset_date, version_notice
from reconciler.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, DEFAULT_VERSION), ("", DEFAULT_VERSION), (" 202609 ", "202609"), ("202406.01", "202406.01")],
)
def test_accepted_versions(text: str | None, expected: str) -> None:
    assert parse_version(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-10", "20261", "202613", "202600", "202610.1", "v202610", "latest", "201912"]
)
def test_rejected_versions_name_the_setting(text: str) -> None:
    with pytest.raises(ConfigError, match="LINKEDIN_VERSION"):
        parse_version(text)


def test_default_is_current_and_quiet_today() -> None:
    assert version_notice(DEFAULT_VERSION, date(2026, 11, 22)) is None


def test_sunset_follows_linkedins_table_else_a_year_after_release() -> None:
    assert sunset_date("202511") == date(2026, 11, 16)  # not the 15th: the table's day
    assert sunset_date("202603") == date(2027, 3, 16)
    assert sunset_date("202601") == date(2027, 1, 15)
    assert sunset_date("202406.01") == date(2025, 6, 15)  # not in the table: the 15th, one year on


def test_notice_within_sixty_days_and_after_sunset() -> None:
    assert version_notice("202601", date(2026, 11, 15)) is None
    soon = version_notice("202601", date(2026, 11, 22))
    assert (
        soon is not None and "will be sunset on 2027-01-15 (54 days)" in soon and "LINKEDIN_VERSION" in soon
    )
    gone = version_notice("202406", date(2026, 11, 22))
    assert gone is not None and "426" in gone
    on_the_day = version_notice("202511", date(2026, 11, 16))
    assert on_the_day is not None and "was sunset on 2026-11-16" in on_the_day
    eve = version_notice("202511", date(2026, 11, 15))
    assert eve is not None and "(1 days)" in eve


def test_a_version_before_the_versioned_api_is_called_too_old() -> None:
    with pytest.raises(ConfigError, match="older than LinkedIn's versioned API"):
        parse_version("202001")


def test_a_future_version_gets_a_notice() -> None:
    notice = version_notice("203001", today=date(2026, 11, 22))
    assert notice is not None and "not released yet" in notice
