"""The client's version notices and the emulator's 426 agree, each computed by its own code from
LinkedIn's sunset table (issue 14 item 4): across two and a half years of days and every monthly
version, the client says "LinkedIn answers 426" exactly when the emulator answers 426, and warns
("will be sunset … (N days)") only while the emulator still answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reconciler.api.version import SUNSET_WARNING_DAYS, sunset_date, version_notice
from reconciler.emulator.errors import ApiError
from reconciler.emulator.gate import Gate, default_active_versions

VERSIONS = [f"{y}{m:02d}" for y in range(2023, 2029) for m in range(1, 13)]
DAYS = [date(2025, 6, 1) + timedelta(days=n) for n in range(0, 950, 3)]


def _emulator_answers(version: str, day: date) -> bool:
    gate = Gate(default_active_versions(day))
    try:
        gate.version({"linkedin-version": version})
    except ApiError as error:
        assert error.status == 426
        return False
    return True


def test_client_notices_and_emulator_426_agree_across_dates_and_versions() -> None:
    disagreements = []
    for day in DAYS:
        for version in VERSIONS:
            notice = version_notice(version, day) or ""
            client_says_426 = "426" in notice
            if client_says_426 == _emulator_answers(version, day):
                disagreements.append((day.isoformat(), version, notice))
            if "will be sunset" in notice:
                assert _emulator_answers(version, day), (day, version)
    assert disagreements == []


@pytest.mark.parametrize(
    ("version", "last_day", "sunset"),
    [
        ("202511", date(2026, 11, 15), date(2026, 11, 16)),
        ("202510", date(2026, 10, 14), date(2026, 10, 15)),
        ("202603", date(2027, 3, 15), date(2027, 3, 16)),
        ("202411", date(2025, 11, 16), date(2025, 11, 17)),
    ],
)
def test_the_tables_sunset_day_is_the_first_426_on_both_sides(
    version: str, last_day: date, sunset: date
) -> None:
    assert sunset_date(version) == sunset
    assert _emulator_answers(version, last_day) and not _emulator_answers(version, sunset)
    warning = version_notice(version, last_day)
    assert warning is not None and "(1 days)" in warning
    gone = version_notice(version, sunset)
    assert gone is not None and "426" in gone


def test_the_warning_comes_sixty_days_before_the_emulators_426() -> None:
    sunset = sunset_date("202511")
    first_warning = sunset - timedelta(days=SUNSET_WARNING_DAYS)
    assert version_notice("202511", first_warning - timedelta(days=1)) is None
    assert version_notice("202511", first_warning) is not None
    assert _emulator_answers("202511", first_warning)
