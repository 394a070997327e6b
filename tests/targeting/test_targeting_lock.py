"""``reconciler lock``'s core: names looked up once, pinned sorted and stable; unknown and ambiguous
names reported at each place they are written, with the candidates and their URNs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest import load_project
from reconciler.manifest.lockfile import LOCK_NAME, AssetPin, LockFile, load_lock, save_lock
from reconciler.targeting.lock import lock_targeting
from reconciler.targeting.resolve import candidates
from tests.api.fakes import make_client
from tests.targeting.catalog import catalog_fake, targeting_requests

MANIFEST = """\
version: 1
account: {id: 500000001, currency: USD}
audiences:
  leaders:
    include:
      - locations: [United States, Greater Seattle Area]
      - seniorities: [Director, vp, urn:li:seniority:8]
      - staffCountRanges: ["201-500"]
    exclude:
      jobFunctions: [Sales]
  cto:
    include:
      - locations: [United States]
      - titles: [Chief Technology Officer]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "main.yaml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def test_lock_pins_every_name_sorted_and_a_second_run_changes_nothing(project: Path) -> None:
    fake = catalog_fake()
    result = lock_targeting([project], make_client(fake).targeting)
    assert result.written and not result.problems
    assert (project / LOCK_NAME).read_text(encoding="utf-8").split("targeting:\n", 1)[1] == (
        "  jobFunctions:\n"
        "    Sales: urn:li:function:25\n"
        "  locations:\n"
        "    Greater Seattle Area: urn:li:geo:90000091\n"
        "    United States: urn:li:geo:103644278\n"
        "  seniorities:\n"
        "    Director: urn:li:seniority:6\n"
        "    vp: urn:li:seniority:7\n"
        "  staffCountRanges:\n"
        "    201-500: urn:li:staffCountRange:(201,500)\n"
        "  titles:\n"
        "    Chief Technology Officer: urn:li:title:153\n"
    )
    # one facet list, one read per closed list (seniorities: 3 pages), one typeahead per open name
    calls = targeting_requests(fake)
    assert sum("q=typeahead" in c for c in calls) == 3
    assert sum("seniorities" in c for c in calls) == 3
    assert sum(c.endswith("/adTargetingFacets") for c in calls) == 1
    before = (project / LOCK_NAME).read_bytes()
    again_fake = catalog_fake()
    again = lock_targeting([project], make_client(again_fake).targeting)
    assert not again.written and not again.added and not again.removed
    assert (project / LOCK_NAME).read_bytes() == before
    assert again_fake.requests == []  # every name pinned: nothing to look up
    assert load_project([project]).checksum  # and the manifests now load offline


def test_names_no_manifest_uses_are_dropped_and_the_assets_kept(project: Path) -> None:
    pin = AssetPin("b" * 64, 3, "a.png", {"urn:li:organization:1": "urn:li:image:X"})
    save_lock(
        LockFile(
            project / LOCK_NAME,
            assets={pin.sha256: pin},
            targeting={
                "titles": {"Founder": "urn:li:title:35"},
                "seniorities": {"Director": "urn:li:seniority:6"},
            },
        )
    )
    result = lock_targeting([project], make_client(catalog_fake()).targeting)
    assert result.removed == {"titles": {"Founder": "urn:li:title:35"}}
    assert "Director" not in result.added.get("seniorities", {})
    lock = load_lock([project])
    assert lock.assets == {pin.sha256: pin}
    assert "Founder" not in lock.targeting["titles"]


def test_refresh_looks_pinned_names_up_again(project: Path) -> None:
    save_lock(LockFile(project / LOCK_NAME, targeting={"seniorities": {"Director": "urn:li:seniority:99"}}))
    kept = lock_targeting([project], make_client(catalog_fake()).targeting)
    assert kept.lock.targeting["seniorities"]["Director"] == "urn:li:seniority:99"
    fresh = lock_targeting([project], make_client(catalog_fake()).targeting, refresh=True)
    assert fresh.lock.targeting["seniorities"]["Director"] == "urn:li:seniority:6"
    assert fresh.added["seniorities"]["Director"] == "urn:li:seniority:6"
    assert fresh.removed == {"seniorities": {"Director": "urn:li:seniority:99"}}


def test_unknown_and_ambiguous_names_are_reported_where_written_and_the_rest_pinned(project: Path) -> None:
    text = MANIFEST.replace("[Chief Technology Officer]", "[Engineer, Chief Wizard]").replace(
        "[Sales]", "[Sale, Saless]"
    )
    text = text.replace("Greater Seattle Area]", "Portland]")
    (project / "main.yaml").write_text(text, encoding="utf-8")
    result = lock_targeting([project], make_client(catalog_fake()).targeting)
    main = str(project / "main.yaml")
    shown = [str(p) for p in result.problems]
    assert shown == [
        f"{main}:6:36: audiences.leaders.include[0].locations[1]: 'Portland' is an ambiguous locations name: "
        "2 entries match it: 'Portland, Oregon Metropolitan Area' (urn:li:geo:90000079), "
        "'Portland, Maine, United States' (urn:li:geo:104727230); write one of these names exactly as "
        "shown, or its URN (reconciler targeting search 'Portland' --facet locations lists candidates)",
        f"{main}:10:22: audiences.leaders.exclude.jobFunctions[0]: 'Sale' is an ambiguous jobFunctions name: "
        "2 entries match it: 'Sales' (urn:li:function:25), 'Sales Operations' (urn:li:function:26); write "
        "one of these names exactly as shown, or its URN (reconciler targeting search 'Sale' --facet "
        "jobFunctions lists candidates)",
        f"{main}:10:28: audiences.leaders.exclude.jobFunctions[1]: unknown jobFunctions name 'Saless': "
        "LinkedIn has no entry of that name; did you mean 'Sales' (urn:li:function:25)? (reconciler "
        "targeting search 'Saless' --facet jobFunctions lists candidates)",
        f"{main}:14:18: audiences.cto.include[1].titles[0]: 'Engineer' is an ambiguous titles name: 2 "
        "entries have it: 'Engineer' (urn:li:title:3001), 'Engineer' (urn:li:title:3002); write the URN of "
        "the one you mean instead of the name (reconciler targeting search 'Engineer' --facet titles lists "
        "candidates)",
        f"{main}:14:28: audiences.cto.include[1].titles[1]: unknown titles name 'Chief Wizard': LinkedIn has "
        "no entry of that name (reconciler targeting search 'Chief Wizard' --facet titles lists candidates)",
    ]
    assert result.written
    assert load_lock([project]).targeting["seniorities"] == {
        "Director": "urn:li:seniority:6",
        "vp": "urn:li:seniority:7",
    }


def test_a_facet_without_a_name_finder_asks_for_urns(project: Path) -> None:
    text = MANIFEST.replace(
        "- staffCountRanges:", "- audienceMatchingSegments: [My list]\n      - staffCountRanges:"
    )
    (project / "main.yaml").write_text(text, encoding="utf-8")
    result = lock_targeting([project], make_client(catalog_fake()).targeting)
    assert [p.message for p in result.problems] == [
        "LinkedIn offers no look-up by name in audienceMatchingSegments; write its values as URNs"
    ]


def test_other_problems_stop_the_lock_before_any_look_up(project: Path) -> None:
    (project / "main.yaml").write_text(MANIFEST.replace("currency: USD", "currency: USDX"), encoding="utf-8")
    fake = catalog_fake()
    with pytest.raises(ManifestError) as caught:
        lock_targeting([project], make_client(fake).targeting)
    assert "currency" in str(caught.value)
    assert fake.requests == [] and not (project / LOCK_NAME).exists()


def test_search_lists_exact_names_first_and_filters_closed_lists() -> None:
    catalog = make_client(catalog_fake()).targeting
    assert [e.name for e in candidates(catalog, "jobFunctions", "sales")] == ["Sales", "Sales Operations"]
    assert [e.urn for e in candidates(catalog, "titles", "engineer")] == [
        "urn:li:title:3001",
        "urn:li:title:3002",
        "urn:li:title:9",
    ]
    assert len(candidates(catalog, "seniorities", "")) == 10
    assert [e.name for e in candidates(catalog, "seniorities", "Directr")] == ["Director"]
    with pytest.raises(LookupError):
        candidates(catalog, "audienceMatchingSegments", "x")


def test_with_several_roots_the_first_roots_lock_gets_every_name_and_keeps_its_own_assets(
    project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "more.yaml").write_text(
        "version: 1\naccount: {id: 500000002, currency: USD}\naudiences:\n  it:\n    include:\n"
        "      - jobFunctions: [Engineering]\n",
        encoding="utf-8",
    )
    pin = AssetPin("c" * 64, 3, "b.png", {"urn:li:organization:2": "urn:li:image:Y"})
    pinned_there = {"jobFunctions": {"Engineering": "urn:li:function:999"}}  # not what the catalog says
    save_lock(LockFile(other / LOCK_NAME, assets={pin.sha256: pin}, targeting=pinned_there))
    result = lock_targeting([project, other], make_client(catalog_fake()).targeting)
    assert result.lock.path == project / LOCK_NAME
    mine = load_lock([project])
    assert mine.assets == {}
    assert mine.targeting["jobFunctions"] == {
        "Engineering": "urn:li:function:999",
        "Sales": "urn:li:function:25",
    }
    assert load_lock([other]).targeting == pinned_there


def test_locking_one_file_keeps_the_pins_its_neighbours_use(tmp_path: Path) -> None:
    other = MANIFEST.replace("500000001", "500000002")
    (tmp_path / "a.yaml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        other.replace("Greater Seattle Area", '"Portland, Oregon Metropolitan Area"'), encoding="utf-8"
    )
    fake = catalog_fake()
    assert not lock_targeting([tmp_path], make_client(fake).targeting).problems
    before = (tmp_path / LOCK_NAME).read_bytes()
    alone = lock_targeting([tmp_path / "a.yaml"], make_client(fake).targeting)
    assert not alone.removed and not alone.written
    assert (tmp_path / LOCK_NAME).read_bytes() == before  # b.yaml's Portland still pinned
    (tmp_path / "b.yaml").unlink()
    whole = lock_targeting([tmp_path], make_client(fake).targeting)
    assert whole.removed == {"locations": {"Portland, Oregon Metropolitan Area": "urn:li:geo:90000079"}}


def test_refresh_keeps_the_pin_of_a_name_it_cannot_pin_again(project: Path) -> None:
    # Pinned when LinkedIn had one "Engineer" title; now it has two: the pin stays, and is reported.
    text = MANIFEST.replace("[Chief Technology Officer]", "[Engineer]")
    (project / "main.yaml").write_text(text, encoding="utf-8")
    save_lock(LockFile(project / LOCK_NAME, targeting={"titles": {"Engineer": "urn:li:title:3001"}}))
    fresh = lock_targeting([project], make_client(catalog_fake()).targeting, refresh=True)
    assert [p.message.split(":")[0] for p in fresh.problems] == ["'Engineer' is an ambiguous titles name"]
    assert fresh.lock.targeting["titles"] == {"Engineer": "urn:li:title:3001"}
    assert "titles" not in fresh.removed
    assert load_lock([project]).targeting["titles"] == {"Engineer": "urn:li:title:3001"}
