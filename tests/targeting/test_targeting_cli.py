"""Names end to end on the embedded emulator: ``reconciler lock``, offline ``validate`` with the lock,
``plan``/``apply`` refusing unpinned names, ``reconciler targeting search``, and ``import``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from reconciler.manifest.lockfile import LOCK_NAME
from tests.workflows.support import ROOT, applied, cli, client_as

ACCOUNT = 500000001


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The quickstart without its lock, in a fresh working directory."""
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "manifests")
    (tmp_path / "manifests" / LOCK_NAME).unlink()
    monkeypatch.chdir(tmp_path)
    return tmp_path / "manifests"


def test_lock_writes_the_examples_lock_and_a_rerun_changes_nothing(project: Path) -> None:
    first = cli("lock", "manifests")
    assert first.exit_code == 0, first.output
    assert "  + seniorities: Director = urn:li:seniority:6" in first.stdout
    assert "Wrote manifests/reconciler.lock.yaml: 10 names pinned (10 added, 0 removed)." in first.stdout
    written = (project / LOCK_NAME).read_bytes()
    assert written == (ROOT / "examples" / "quickstart" / LOCK_NAME).read_bytes()
    again = cli("lock", "manifests")
    assert again.exit_code == 0, again.output
    assert again.stdout == "manifests/reconciler.lock.yaml is up to date: 10 names pinned.\n"
    assert "API calls: 0, 0 retries." in again.stderr
    assert (project / LOCK_NAME).read_bytes() == written


def test_validate_is_offline_with_the_lock_and_names_each_unpinned_name(project: Path) -> None:
    unpinned = cli("validate", "manifests")
    assert unpinned.exit_code == 1
    lines = unpinned.stdout.splitlines()
    assert len(lines) == 10
    assert lines[0] == (
        "manifests/account.yaml:23:21: audiences.us-tech-leaders.include[0].locations[0]: locations name "
        "'United States' is not pinned to a URN in reconciler.lock.yaml; run 'reconciler lock manifests' "
        "to look it up"
    )
    assert lines[-1].startswith(
        "manifests/q1-brand.yaml:49:30: campaignGroups[0].campaigns[1].targeting.include[0].jobFunctions[0]: "
        "jobFunctions name 'Engineering' is not pinned"
    )
    shutil.copy(ROOT / "examples" / "quickstart" / LOCK_NAME, project / LOCK_NAME)
    valid = cli("validate", "manifests")
    assert valid.exit_code == 0, valid.output
    assert not Path(".reconciler").exists()  # nothing was looked up, nothing started


def test_plan_and_apply_refuse_unpinned_names_before_any_write(project: Path) -> None:
    plan = cli("plan", "manifests")
    assert plan.exit_code == 1
    assert "seniorities name 'Director' is not pinned" in plan.stdout
    apply = cli("apply", "manifests", "--auto-approve")
    assert apply.exit_code == 1
    assert "run 'reconciler lock manifests'" in apply.stdout
    with client_as(project.parent) as client:
        assert [g.name for g in client.search_groups(ACCOUNT) if g.name == "Q1 2027 Brand"] == []


def test_lock_reports_ambiguous_and_unknown_names_where_written(project: Path) -> None:
    account = project / "account.yaml"
    text = account.read_text(encoding="utf-8")
    account.write_text(
        text.replace("locations: [United States]", "locations: [Springfield, Atlantis]"), encoding="utf-8"
    )
    result = cli("lock", "manifests")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "manifests/account.yaml:23:21: audiences.us-tech-leaders.include[0].locations[0]: 'Springfield' is "
        "an ambiguous locations name: 2 entries have it: 'Springfield' (urn:li:geo:99900102), 'Springfield' "
        "(urn:li:geo:99900101); write the URN of the one you mean instead of the name (reconciler targeting "
        "search 'Springfield' --facet locations lists candidates)",
        "manifests/account.yaml:23:34: audiences.us-tech-leaders.include[0].locations[1]: unknown locations "
        "name 'Atlantis': LinkedIn has no entry of that name (reconciler targeting search 'Atlantis' --facet "
        "locations lists candidates)",
    ]
    assert "2 problems in 1 file: invalid" in result.stderr
    lock = yaml.safe_load((project / LOCK_NAME).read_text(encoding="utf-8"))
    assert (
        "locations" not in lock["targeting"]
        and lock["targeting"]["seniorities"]["VP"] == "urn:li:seniority:7"
    )


def test_targeting_search_prints_names_and_urns(project: Path) -> None:
    human = cli("targeting", "search", "Chief Technology", "--facet", "titles")
    assert human.exit_code == 0, human.output
    assert human.stdout.splitlines()[0].split() == ["Chief", "Technology", "Officer", "urn:li:title:100008"]
    data = json.loads(cli("targeting", "search", "VP", "--facet", "seniorities", "--format", "json").stdout)
    assert data == {"facet": "seniorities", "candidates": [{"name": "VP", "urn": "urn:li:seniority:7"}]}
    none = cli("targeting", "search", "Zzzz", "--facet", "titles")
    assert none.exit_code == 1 and "No titles entry matches 'Zzzz'." in none.stderr
    bad = cli("targeting", "search", "x", "--facet", "title")
    assert bad.exit_code == 1 and "unknown facet 'title'" in bad.stderr


def test_import_writes_names_and_pins_them(project: Path) -> None:
    shutil.copy(ROOT / "examples" / "quickstart" / LOCK_NAME, project / LOCK_NAME)
    applied(project.parent, [project])
    result = cli("import", "--account", str(ACCOUNT), "--out", "imported")
    assert result.exit_code == 0, result.output
    assert "Pinned 10 targeting names in imported/reconciler.lock.yaml" in result.stdout
    text = Path("imported/groups/q1-2027-brand.yaml").read_text(encoding="utf-8")
    assert text.count("seniorities: [Manager, Director, VP, CXO]") == 2
    assert "employers: [Northwind Analytics]" in text and "urn:li:seniority" not in text
    pins = yaml.safe_load(Path("imported", LOCK_NAME).read_text(encoding="utf-8"))["targeting"]
    assert pins == yaml.safe_load((project / LOCK_NAME).read_text(encoding="utf-8"))["targeting"]
    plan = cli("plan", "imported", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
