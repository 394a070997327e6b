"""build_manifests on small live accounts: key order, value forms, names, statuses, audiences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reconciler.errors import ConfigError
from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.importer import documents as docs
from reconciler.importer.build import ImportedFile
from reconciler.importer.naming import group_file_stems, slug
from reconciler.manifest import load_project, manifest_schema
from reconciler.planner import make_plan
from tests.planner.builders import live_account, live_campaign, live_creative, live_group

US = {"include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}}
DE = {"include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:101282230"]}}]}}
SIZES = {
    "include": {
        "and": [
            {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}},
            {"or": {"urn:li:adTargetingFacet:staffCountRanges": ["urn:li:staffCountRange:(201,500)"]}},
        ]
    },
    "exclude": {"or": {"urn:li:adTargetingFacet:employers": ["urn:li:organization:1"]}},
}


class Yaml12ishLoader(yaml.SafeLoader):
    """Dates stay strings, as in the manifest loader (YAML 1.2 has no timestamp type)."""


Yaml12ishLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12ishLoader)


def campaign(cid: int, gid: int, name: str, **extra: Any) -> Any:
    extra.setdefault("targetingCriteria", US)
    return live_campaign(cid, gid, name, **extra)


def files_of(live: Any, **options: Any) -> dict[str, Any]:
    result = build_manifests(live, ImportOptions(**options))
    return {f.path: load(f.text) for f in result.files}


def round_trip(tmp_path: Path, live: Any) -> Any:
    """Write the import, load it back, and plan it against the same live account."""
    written = write_files(tmp_path, build_manifests(live).files)
    desired = load_project(written)
    return make_plan(
        desired.accounts, {live.id: live}, target="t", api_version="202610", manifest_checksum="x"
    )


def test_key_orders_follow_the_schema() -> None:
    schema = manifest_schema()
    defs = schema["$defs"]
    assert tuple(schema["properties"]) == docs.FILE_KEYS
    assert tuple(schema["properties"]["account"]["properties"]) == docs.ACCOUNT_KEYS
    assert tuple(defs["campaignGroup"]["properties"]) == docs.GROUP_KEYS
    assert tuple(defs["campaign"]["properties"]) == docs.CAMPAIGN_KEYS
    assert tuple(defs["creative"]["properties"]) == docs.CREATIVE_KEYS
    assert tuple(defs["audience"]["properties"]) == docs.AUDIENCE_KEYS


def test_values_are_written_in_manifest_form(tmp_path: Path) -> None:
    group = live_group(
        10,
        "Brand",
        runSchedule={"start": 1_798_761_600_000, "end": 1_806_537_600_000},  # 2027-01-01, 2027-04-01
        totalBudget={"amount": "6000.00", "currencyCode": "USD"},
    )
    live = live_account(
        [group],
        [
            campaign(
                20,
                10,
                "Video",
                runSchedule={"start": 1_798_794_000_500},  # 2027-01-01T09:00:00.500Z
                locale={"country": "US", "language": "en"},
                targetingCriteria=SIZES,
            )
        ],
        [live_creative(30, 20, "Film")],
    )

    (body,) = files_of(live)["groups/brand.yaml"]["campaignGroups"]

    assert body["runSchedule"] == {"start": "2027-01-01", "end": "2027-04-01"}
    assert body["totalBudget"] == "6000 USD"
    (video,) = body["campaigns"]
    assert list(video)[:3] == ["name", "id", "status"]
    assert video["dailyBudget"] == "50 USD"
    assert video["runSchedule"] == {"start": "2027-01-01T09:00:00.500Z"}
    assert video["locale"] == "en_US"
    assert video["targeting"] == {
        "include": [
            {"locations": ["urn:li:geo:103644278"]},
            {"staffCountRanges": ["urn:li:staffCountRange:(201,500)"]},
        ],
        "exclude": {"employers": ["urn:li:organization:1"]},
    }
    assert video["creatives"] == [
        {"name": "Film", "id": 30, "intendedStatus": "ACTIVE", "content": {"reference": "urn:li:share:30"}}
    ]
    assert round_trip(tmp_path, live).empty


def test_yaml_text_is_block_style_with_short_lists_on_one_line() -> None:
    live = live_account([live_group(10, "Brand")], [campaign(20, 10, "Video", targetingCriteria=SIZES)])

    text = build_manifests(live).files[1].text

    assert "  - name: Brand\n    id: 10\n    status: ACTIVE\n    campaigns:\n      - name: Video\n" in text
    assert "- locations: [urn:li:geo:103644278]\n" in text
    assert "- staffCountRanges:\n                - urn:li:staffCountRange:(201,500)\n" in text
    assert "&" not in text and "*id" not in text  # no anchors or aliases


def test_repeated_targeting_becomes_named_audiences_in_order_of_first_use(tmp_path: Path) -> None:
    live = live_account(
        [live_group(10, "A"), live_group(11, "B")],
        [
            campaign(20, 10, "one", targetingCriteria=DE),
            campaign(21, 10, "two"),
            campaign(22, 11, "three", targetingCriteria=DE),
            campaign(23, 11, "four"),
            campaign(24, 11, "five", targetingCriteria=SIZES),
        ],
    )

    files = files_of(live)

    audiences = files["account.yaml"]["audiences"]
    assert list(audiences) == ["audience-01", "audience-02"]
    assert audiences["audience-01"]["include"] == [{"locations": ["urn:li:geo:101282230"]}]
    assert audiences["audience-02"]["description"] == (
        "The targeting 2 campaigns share (found by reconciler import)."
    )
    targets = [
        c["targeting"]
        for f in ("groups/a.yaml", "groups/b.yaml")
        for c in files[f]["campaignGroups"][0]["campaigns"]
    ]
    assert targets[:4] == ["audience-01", "audience-02", "audience-01", "audience-02"]
    assert isinstance(targets[4], dict)  # used once: inline
    assert round_trip(tmp_path, live).empty


def test_settings_every_campaign_shares_become_defaults() -> None:
    live = live_account(
        [live_group(10, "A")],
        [
            campaign(20, 10, "one", politicalIntent="NOT_POLITICAL"),
            campaign(21, 10, "two", politicalIntent="POLITICAL"),
        ],
    )

    files = files_of(live)

    assert files["account.yaml"]["defaults"] == {
        "campaign": {"costType": "CPM", "creativeSelection": "OPTIMIZED"}
    }
    one, two = files["groups/a.yaml"]["campaignGroups"][0]["campaigns"]
    assert "costType" not in one and one["politicalIntent"] == "NOT_POLITICAL"
    assert two["politicalIntent"] == "POLITICAL"


def test_names_the_manifest_cannot_take_are_fixed_and_noted() -> None:
    live = live_account(
        [live_group(10, "  Spaces  "), live_group(11, "x" * 120)],
        [campaign(20, 10, "Twin"), campaign(21, 10, "Twin"), campaign(22, 10, "two\nlines")],
        [live_creative(30, 20, "")],
    )

    result = build_manifests(live)
    files = {f.path: load(f.text) for f in result.files}

    (spaces,) = files["groups/spaces.yaml"]["campaignGroups"]
    assert spaces["name"] == "Spaces"
    assert [c["name"] for c in spaces["campaigns"]] == ["Twin (id 20)", "Twin (id 21)", "two lines"]
    # A creative without a name (made before 202410) gets a local label, never sent: no rename.
    assert spaces["campaigns"][0]["creatives"][0] == {
        "name": "Creative 30",
        "localName": True,
        "id": 30,
        "intendedStatus": "ACTIVE",
        "content": {"reference": "urn:li:share:30"},
    }
    assert len(files[f"groups/{'x' * 60}.yaml"]["campaignGroups"][0]["name"]) == 100
    assert len(result.notes) == 6
    assert "1 creative without a name at LinkedIn" in result.notes[-1]
    assert not any("live name ''" in note for note in result.notes)


def test_statuses_only_linkedin_sets_are_left_out_and_removed_entities_skipped() -> None:
    live = live_account(
        [live_group(10, "A"), live_group(11, "Gone", status="REMOVED")],
        [
            campaign(20, 10, "done", status="COMPLETED"),
            campaign(21, 10, "going", status="PENDING_DELETION"),
            campaign(22, 11, "under gone"),
        ],
        [
            live_creative(30, 20, "kept"),
            live_creative(31, 20, "canceled", status="CANCELED"),
            live_creative(32, 21, "x"),
        ],
    )

    result = build_manifests(live)
    files = {f.path: load(f.text) for f in result.files}

    assert sorted(files) == ["account.yaml", "groups/a.yaml"]
    (done,) = files["groups/a.yaml"]["campaignGroups"][0]["campaigns"]
    assert "status" not in done
    assert [r["name"] for r in done["creatives"]] == ["kept"]
    assert result.skipped == {"campaign groups": 1, "campaigns": 2, "creatives": 2}
    assert result.notes == (
        "1 campaign COMPLETED: a status only LinkedIn sets, so written without one "
        "(status is not managed for them)",
    )


def test_the_default_group_only_with_campaigns_or_when_asked_for() -> None:
    empty = live_account([live_group(10, "A")], [campaign(20, 10, "one")])
    used = live_account([live_group(10, "A")], [campaign(20, 1, "in the default group")])

    assert sorted(files_of(empty)) == ["account.yaml", "groups/a.yaml"]
    assert sorted(files_of(used)) == ["account.yaml", "groups/a.yaml", "groups/default-campaign-group.yaml"]
    assert sorted(files_of(empty, groups=("Default Campaign Group",))) == [
        "account.yaml",
        "groups/default-campaign-group.yaml",
    ]


def test_unknown_groups_are_refused_with_the_known_ones() -> None:
    live = live_account([live_group(10, "Alpha"), live_group(11, "Beta")])

    with pytest.raises(ConfigError, match="did you mean 'Alpha'"):
        build_manifests(live, ImportOptions(groups=("Alpah",)))
    with pytest.raises(ConfigError, match="its groups: 'Alpha', 'Beta', 'Default Campaign Group'"):
        build_manifests(live, ImportOptions(groups=("zzz",)))


def test_slugs_and_stems_are_stable() -> None:
    assert slug("Brand — H1 2027", "x") == "brand-h1-2027"
    assert slug("Café Crème", "x") == "cafe-creme"
    assert slug("日本", "group-7") == "group-7"
    assert group_file_stems([(1, "Brand"), (2, "brand!"), (3, "Other")]) == {
        1: "brand-1",
        2: "brand-2",
        3: "other",
    }


def test_write_files_refuses_to_overwrite(tmp_path: Path) -> None:
    live = live_account([live_group(10, "A")])
    files = build_manifests(live).files
    write_files(tmp_path, files)

    with pytest.raises(ConfigError, match="refusing to overwrite"):
        write_files(tmp_path, files)
    assert write_files(tmp_path, files, force=True) == [tmp_path / f.path for f in files]


@pytest.mark.parametrize("force", [False, True])
def test_write_files_never_writes_through_a_symlink(tmp_path: Path, force: bool) -> None:
    files = build_manifests(live_account([live_group(10, "A")])).files
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / files[0].path).symlink_to(outside)
    with pytest.raises(ConfigError, match=r"is a symlink \(import writes only inside --out"):
        write_files(out, files, force=force)
    assert outside.read_text() == "precious\n"
    assert [p.name for p in out.iterdir()] == [files[0].path]  # nothing else was written


@pytest.mark.parametrize("force", [False, True])
def test_write_files_never_writes_into_a_symlinked_folder(tmp_path: Path, force: bool) -> None:
    files = build_manifests(live_account([live_group(10, "A")])).files
    nested = next(f for f in files if "/" in f.path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / nested.path.split("/")[0]).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ConfigError, match="is a symlink"):
        write_files(out, files, force=force)
    assert list(elsewhere.iterdir()) == []


def test_write_files_refuses_a_path_outside_out(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="outside"):
        write_files(tmp_path / "out", [ImportedFile("../escape.yaml", "x: 1\n")])
    assert not (tmp_path / "escape.yaml").exists()
