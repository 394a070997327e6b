"""The lock file: read, merged across roots, written sorted and stable, bad files cited by place."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest.lockfile import (
    LOCK_NAME,
    AssetPin,
    LockFile,
    dump_lock,
    load_lock,
    lock_path,
    save_lock,
)

SHA = "a" * 64


def _lock(root: Path) -> LockFile:
    return LockFile(
        root / LOCK_NAME,
        assets={SHA: AssetPin(SHA, 12, "assets/a.png", {"urn:li:organization:2": "urn:li:image:C1"})},
        targeting={
            "seniorities": {"VP": "urn:li:seniority:9", "Director": "urn:li:seniority:8"},
            "locations": {"United States": "urn:li:geo:103644278"},
        },
    )


def test_lock_path_is_in_the_first_paths_root(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    manifest = tmp_path / "b" / "main.yaml"
    manifest.parent.mkdir()
    manifest.write_text("version: 1\n")
    assert lock_path([tmp_path / "a", manifest]) == tmp_path / "a" / LOCK_NAME
    assert lock_path([manifest]) == tmp_path / "b" / LOCK_NAME


def test_a_missing_lock_is_empty(tmp_path: Path) -> None:
    lock = load_lock([tmp_path])
    assert lock == LockFile(tmp_path / LOCK_NAME)


def test_save_then_load_round_trips_and_is_sorted(tmp_path: Path) -> None:
    save_lock(_lock(tmp_path))
    text = (tmp_path / LOCK_NAME).read_text()
    assert text.startswith("#")
    assert text.index("locations:") < text.index("seniorities:")
    assert text.index("Director:") < text.index("VP:")
    again = load_lock([tmp_path])
    assert again == _lock(tmp_path)
    save_lock(again)
    assert (tmp_path / LOCK_NAME).read_text() == text
    assert not [p for p in tmp_path.iterdir() if p.name != LOCK_NAME]  # no temporary file left


def test_names_that_yaml_would_retype_stay_strings(tmp_path: Path) -> None:
    odd = {
        "201-500": "urn:li:staffCountRange:(201,500)",
        "NO": "urn:li:geo:1",
        "2027-01-01": "urn:li:title:2",
    }
    save_lock(LockFile(tmp_path / LOCK_NAME, targeting={"staffCountRanges": odd}))
    assert load_lock([tmp_path]).targeting == {"staffCountRanges": odd}


def test_reverse_names_by_urn(tmp_path: Path) -> None:
    lock = _lock(tmp_path)
    assert lock.names("seniorities") == {"urn:li:seniority:8": "Director", "urn:li:seniority:9": "VP"}
    assert lock.pinned("locations", "United States") == "urn:li:geo:103644278"
    assert lock.pinned("locations", "Canada") is None


def test_several_roots_merge_and_the_first_wins(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    save_lock(LockFile(one / LOCK_NAME, targeting={"titles": {"CTO": "urn:li:title:1"}}))
    save_lock(
        LockFile(two / LOCK_NAME, targeting={"titles": {"CTO": "urn:li:title:2", "CEO": "urn:li:title:3"}})
    )
    lock = load_lock([one, two])
    assert lock.path == one / LOCK_NAME
    assert lock.targeting == {"titles": {"CTO": "urn:li:title:1", "CEO": "urn:li:title:3"}}


def test_each_writer_keeps_the_other_section(tmp_path: Path) -> None:
    save_lock(_lock(tmp_path))
    lock = load_lock([tmp_path])
    lock.targeting["titles"] = {"CTO": "urn:li:title:1"}
    save_lock(lock)
    assert load_lock([tmp_path]).assets == _lock(tmp_path).assets


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("version: 2\nassets: {}\ntargeting: {}\n", ":1:10", "version must be 1"),
        ("version: 1\ntargeting:\n  titles:\n    CTO: 39\n", ":4:10", "must be a URN"),
        ("version: 1\ntargeting:\n  titles: [a]\n", ":3:11", "must be a mapping"),
        ("version: 1\nassets:\n  abc:\n    file: a.png\n    size: -1\n", ":5:11", "size in bytes"),
        ("version: 1\nextra: 1\n", ":2:8", "unknown key 'extra'"),
        ("- a\n", ":1:1", "is this a reconciler lock file?"),
        ("version: 1\ntargeting: {a: 1\n", ":", "reconciler.lock.yaml"),
    ],
)
def test_a_bad_lock_is_cited_by_place(tmp_path: Path, text: str, where: str, words: str) -> None:
    (tmp_path / LOCK_NAME).write_text(text)
    with pytest.raises(ManifestError) as caught:
        load_lock([tmp_path])
    message = str(caught.value)
    assert f"{LOCK_NAME}{where}" in message
    assert words in message


def test_dump_is_byte_stable_whatever_the_insertion_order(tmp_path: Path) -> None:
    a = LockFile(tmp_path / LOCK_NAME, targeting={"b": {"y": "urn:li:x:2", "x": "urn:li:x:1"}, "a": {}})
    b = LockFile(tmp_path / LOCK_NAME, targeting={"a": {}, "b": {"x": "urn:li:x:1", "y": "urn:li:x:2"}})
    assert dump_lock(a) == dump_lock(b)


def test_a_directory_of_manifests_does_not_read_its_lock_as_a_manifest(tmp_path: Path) -> None:
    from reconciler.manifest.sources import discover

    (tmp_path / "main.yaml").write_text("version: 1\n")
    save_lock(_lock(tmp_path))
    files, problems = discover([tmp_path])
    assert [f.key for f in files] == ["main.yaml"] and not problems
