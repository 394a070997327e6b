"""Import writes targeting by the names LinkedIn gives, with the lock pins that read them back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.manifest import load_project
from reconciler.manifest.lockfile import LOCK_NAME, LockFile, save_lock
from reconciler.planner import make_plan
from tests.importer.test_build import load
from tests.planner.builders import live_account, live_campaign, live_group

TARGETING = {
    "include": {
        "and": [
            {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}},
            {"or": {"urn:li:adTargetingFacet:seniorities": ["urn:li:seniority:6", "urn:li:seniority:7"]}},
            {
                "or": {
                    "urn:li:adTargetingFacet:titles": ["urn:li:title:1", "urn:li:title:2", "urn:li:title:3"]
                }
            },
        ]
    },
    "exclude": {"or": {"urn:li:adTargetingFacet:employers": ["urn:li:organization:1035"]}},
}
NAMES = {
    "urn:li:geo:103644278": "United States",
    "urn:li:seniority:6": "Director",
    "urn:li:seniority:7": "VP",
    "urn:li:title:1": "Engineer",  # two titles share a name: both stay URNs
    "urn:li:title:2": "engineer",
    "urn:li:title:3": " padded ",  # not a name a manifest could hold
    "urn:li:organization:1035": "Microsoft",
}


def _live() -> Any:
    group = live_group(10, "Brand")
    campaigns = [
        live_campaign(c, 10, f"C{c}", targetingCriteria=TARGETING, locale={"country": "US", "language": "en"})
        for c in (20, 21)
    ]
    return live_account([group], campaigns)


def test_values_linkedin_names_are_written_by_name_and_pinned() -> None:
    result = build_manifests(_live(), ImportOptions(names=NAMES))
    account = load(next(f.text for f in result.files if f.path == "account.yaml"))
    audience = next(iter(account["audiences"].values()))
    assert audience["include"] == [
        {"locations": ["United States"]},
        {"seniorities": ["Director", "VP"]},
        {"titles": ["urn:li:title:1", "urn:li:title:2", "urn:li:title:3"]},
    ]
    assert audience["exclude"] == {"employers": ["Microsoft"]}
    assert result.pins == {
        "employers": {"Microsoft": "urn:li:organization:1035"},
        "locations": {"United States": "urn:li:geo:103644278"},
        "seniorities": {"Director": "urn:li:seniority:6", "VP": "urn:li:seniority:7"},
    }


def test_without_names_the_import_keeps_urns() -> None:
    result = build_manifests(_live())
    assert result.pins == {}
    assert "urn:li:seniority:6" in next(f.text for f in result.files if f.path == "account.yaml")


def test_the_named_import_with_its_lock_plans_no_change(tmp_path: Path) -> None:
    live = _live()
    result = build_manifests(live, ImportOptions(names=NAMES))
    written = write_files(tmp_path, result.files)
    save_lock(LockFile(tmp_path / LOCK_NAME, targeting={f: dict(n) for f, n in result.pins.items()}))
    desired = load_project(written)
    plan = make_plan(
        desired.accounts, {live.id: live}, target="t", api_version="202610", manifest_checksum="x"
    )
    assert plan.empty
