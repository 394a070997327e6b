"""LinkedIn's account limits, checked within the manifests themselves (reference §6).

The manifests are generated at full size: the point is that the real numbers are enforced.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.manifest import validate_paths

# What every new group, campaign and creative needs at create, so only the limits are judged.
HEAD = (
    "version: 1\naccount: {id: 500000001, currency: USD}\n"
    "defaults:\n  campaign: {type: SPONSORED_UPDATES, costType: CPM, locale: en_US,"
    " runSchedule: {start: 2027-01-01}, associatedEntity: 'urn:li:organization:2414183'}\n"
    "audiences:\n  us: {include: [{locations: [urn:li:geo:103644278]}]}\n"
    "campaignGroups:\n"
)
CONTENT = "content: {reference: 'urn:li:share:7012345678901234567'}"


def group(name: str) -> str:
    return f"  - name: {name}\n    status: ACTIVE\n    runSchedule: {{start: 2027-01-01}}\n    campaigns:\n"


def campaign(name: str, status: str = "DRAFT", creatives: int = 0, active: int = 0) -> str:
    items = [
        f"{{name: r{i}, intendedStatus: {'ACTIVE' if i < active else 'PAUSED'}, {CONTENT}}}"
        for i in range(creatives)
    ]
    money = "dailyBudget: 50 USD, targeting: us"
    return f"      - {{name: {name}, status: {status}, {money}, creatives: [{', '.join(items)}]}}\n"


def problems(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / "big.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    return [str(p) for p in validate_paths(["big.yaml"])]


def test_account_and_group_limits_at_full_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 5,001 campaigns in three groups (the first with 2,001), 1,001 of them ACTIVE or PAUSED,
    # and 15,001 creatives: every account-wide limit and the per-group one are one over.
    text = HEAD
    sizes = (2_001, 2_000, 1_000)
    number = 0
    for index, size in enumerate(sizes):
        text += group(f"G{index}")
        for _ in range(size):
            status = ("ACTIVE", "PAUSED")[number % 2] if number < 1_001 else "DRAFT"
            creatives = 100 if number < 150 else (1 if number == 150 else 0)
            text += campaign(f"c{number}", status, creatives)
            number += 1
    assert problems(tmp_path, text, monkeypatch) == [
        f"big.yaml:{at(text, '{name: c150, ', 'r0')}: campaignGroups[0].campaigns[150].creatives[0].name: "
        "ad account 500000001 has 15,001 creatives; LinkedIn allows at most 15,000 (this is number 15,001)",
        f"big.yaml:{at(text, '{name: c1000, ', 'ACTIVE')}: campaignGroups[0].campaigns[1000].status: "
        "ad account 500000001 has 1,001 ACTIVE or PAUSED campaigns (paused ones count as active); "
        "LinkedIn allows at most 1,000 (this is number 1,001)",
        f"big.yaml:{at(text, '{name: c2000, ', 'c2000')}: campaignGroups[0].campaigns[2000].name: "
        "campaign group 'G0' has 2,001 campaigns; LinkedIn allows at most 2,000 (this is number 2,001)",
        f"big.yaml:{at(text, '{name: c5000, ', 'c5000')}: campaignGroups[2].campaigns[999].name: "
        "ad account 500000001 has 5,001 campaigns; LinkedIn allows at most 5,000 (this is number 5,001)",
    ]


def at(text: str, line_marker: str, value: str) -> str:
    """``line:column`` of the first ``value`` on the line holding ``line_marker``."""
    for number, line in enumerate(text.splitlines(), 1):
        if line_marker in line:
            start = line.index(line_marker)
            return f"{number}:{line.index(value, start) + 1}"
    raise AssertionError(line_marker)


def test_at_the_limits_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + group("G") + campaign("c", "ACTIVE", creatives=100, active=15)
    assert problems(tmp_path, text, monkeypatch) == []


def test_creatives_per_campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = HEAD + group("G") + campaign("c", "ACTIVE", creatives=101, active=16)
    assert problems(tmp_path, text, monkeypatch) == [
        f"big.yaml:{at(text, '{name: r15, ', 'ACTIVE')}: "
        "campaignGroups[0].campaigns[0].creatives[15].intendedStatus: "
        "campaign 'c' has 16 ACTIVE creatives; LinkedIn allows at most 15 (this is number 16)",
        f"big.yaml:{at(text, '{name: r100, ', 'r100')}: campaignGroups[0].campaigns[0].creatives[100].name: "
        "campaign 'c' has 101 creatives; LinkedIn allows at most 100 (this is number 101)",
    ]
