"""Targeting names in manifests: pinned through the lock file, offline; unpinned names cited by place."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest import load_project
from reconciler.manifest.lockfile import LOCK_NAME, LockFile, save_lock
from reconciler.manifest.names import UnpinnedName, is_urn

MANIFEST = """\
version: 1
account: {id: 500000001, currency: USD}
audiences:
  leaders:
    include:
      - locations: [United States]
      - seniorities: [Director, VP]
    exclude:
      jobFunctions: [Sales]
campaignGroups:
  - name: G
    status: DRAFT
    campaigns:
      - name: C
        status: DRAFT
        type: TEXT_AD
        costType: CPC
        objectiveType: WEBSITE_VISIT
        dailyBudget: 30 USD
        unitCost: 4 USD
        locale: en_US
        runSchedule: {start: 2027-01-04}
        targeting:
          audience: leaders
          include:
            - titles: [Chief Technology Officer, urn:li:title:2]
"""

PINS = {
    "locations": {"United States": "urn:li:geo:103644278"},
    "seniorities": {"Director": "urn:li:seniority:8", "VP": "urn:li:seniority:9"},
    "jobFunctions": {"Sales": "urn:li:function:25"},
    "titles": {"Chief Technology Officer": "urn:li:title:153"},
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "main.yaml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def _pin(root: Path, pins: dict[str, dict[str, str]]) -> None:
    save_lock(LockFile(root / LOCK_NAME, targeting=pins))


def test_a_value_is_a_urn_only_when_it_starts_with_urn_li() -> None:
    assert is_urn("urn:li:geo:103644278")
    assert not is_urn("United States") and not is_urn("urn-ish name")


def test_pinned_names_become_their_urns_offline(project: Path) -> None:
    _pin(project, PINS)
    state = load_project([project])
    campaign = next(iter(state.accounts[0].campaigns()))[1]
    assert campaign.targeting is not None
    api = campaign.targeting.to_api()
    facets = {k: v for item in api["include"]["and"] for k, v in item["or"].items()}
    assert facets["urn:li:adTargetingFacet:seniorities"] == ["urn:li:seniority:8", "urn:li:seniority:9"]
    assert facets["urn:li:adTargetingFacet:titles"] == ["urn:li:title:153", "urn:li:title:2"]
    assert api["exclude"]["or"] == {"urn:li:adTargetingFacet:jobFunctions": ["urn:li:function:25"]}
    assert state.names["urn:li:seniority:9"] == "VP"


def test_names_and_urns_give_the_same_desired_state_but_not_the_same_checksum(project: Path) -> None:
    _pin(project, PINS)
    by_name = load_project([project])
    urns = MANIFEST
    for pins in PINS.values():
        for name, urn in pins.items():
            urns = urns.replace(name, urn)
    other = project / "urns"
    other.mkdir()
    (other / "main.yaml").write_text(urns, encoding="utf-8")
    by_urn = load_project([other])
    assert by_name.accounts == by_urn.accounts
    moved = {**PINS, "seniorities": {"Director": "urn:li:seniority:7", "VP": "urn:li:seniority:9"}}
    before = by_name.checksum
    _pin(project, moved)
    after = load_project([project / "main.yaml"])
    assert after.checksum != before


def test_each_unpinned_name_is_cited_with_the_command_that_pins_it(project: Path) -> None:
    _pin(project, {"locations": PINS["locations"], "seniorities": {"VP": "urn:li:seniority:9"}})
    with pytest.raises(ManifestError) as caught:
        load_project([project])
    problems = caught.value.problems
    assert [type(p) for p in problems] == [UnpinnedName] * 3
    shown = [str(p) for p in problems]
    main = str(project / "main.yaml")
    assert shown[0] == (
        f"{main}:7:23: audiences.leaders.include[1].seniorities[0]: seniorities name 'Director' is not "
        f"pinned to a URN in reconciler.lock.yaml; run 'reconciler lock {project}' to look it up"
    )
    assert shown[1].startswith(
        f"{main}:9:22: audiences.leaders.exclude.jobFunctions[0]: jobFunctions name 'Sales'"
    )
    assert shown[2].startswith(f"{main}:26:24: campaignGroups[0].campaigns[0].targeting.include[0].titles[0]")


def test_without_a_lock_every_name_is_unpinned_and_urns_still_load(project: Path) -> None:
    with pytest.raises(ManifestError) as caught:
        load_project([project])
    assert {(p.facet, p.name) for p in caught.value.problems if isinstance(p, UnpinnedName)} == {
        (facet, name) for facet, pins in PINS.items() for name in pins
    }


def test_a_name_pinned_in_another_facet_is_not_pinned_here(project: Path) -> None:
    _pin(
        project,
        {**PINS, "seniorities": {"VP": "urn:li:seniority:9"}, "titles": {"Director": "urn:li:title:1"}},
    )
    with pytest.raises(ManifestError) as caught:
        load_project([project])
    assert [(p.facet, p.name) for p in caught.value.problems if isinstance(p, UnpinnedName)] == [
        ("seniorities", "Director"),
        ("titles", "Chief Technology Officer"),
    ]


def test_a_name_and_its_urn_both_excluded_and_included_is_caught(project: Path) -> None:
    text = MANIFEST.replace("jobFunctions: [Sales]", "seniorities: [urn:li:seniority:8]")
    (project / "main.yaml").write_text(text, encoding="utf-8")
    _pin(project, PINS)
    with pytest.raises(ManifestError) as caught:
        load_project([project])
    assert "'urn:li:seniority:8' is both included and excluded" in str(caught.value)


def test_a_broken_lock_is_reported_with_the_manifests_problems(project: Path) -> None:
    (project / LOCK_NAME).write_text("version: 1\ntargeting:\n  titles: {CTO: 7}\n", encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_project([project])
    shown = [str(p) for p in caught.value.problems]
    assert f"{project / LOCK_NAME}:3:17: targeting.titles.CTO: must be a URN (urn:li:...)" in shown


def test_a_pin_to_a_urn_of_another_facet_is_not_trusted(project: Path) -> None:
    _pin(project, {**PINS, "seniorities": {"Director": "urn:li:geo:1", "VP": "urn:li:seniority:9"}})
    with pytest.raises(ManifestError) as caught:
        load_project([project])
    (problem,) = caught.value.problems
    assert problem.message == (
        "reconciler.lock.yaml pins seniorities name 'Director' to 'urn:li:geo:1', which is not a seniorities "
        f"URN; run 'reconciler lock {project}' to look it up"
    )
