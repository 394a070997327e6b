"""``reconciler import`` end to end against the embedded emulator: a generated account of 20 groups,
500 campaigns and 1,500 creatives, and the b2b-saas example after it was applied, each imported and
planned again with no changes; ``--group`` subsets, removed entities, ``--force``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from reconciler.emulator import generate_account
from reconciler.manifest import load_project
from tests.workflows.support import MARKETER, ROOT, applied, cli, client_as, emulator_at

ACCOUNT = 500000001
SCHEMA_LINE = "# yaml-language-server: $schema="


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory whose emulator holds a generated account (20 / 500 / 1,500)."""
    workdir = tmp_path_factory.mktemp("generated")
    with emulator_at(workdir) as emulator:
        generate_account(emulator, groups=20, campaigns=500, creatives=1500)
    return workdir


@pytest.fixture(scope="module")
def applied_b2b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory whose emulator holds the b2b-saas example, applied."""
    workdir = tmp_path_factory.mktemp("b2b")
    applied(workdir, [ROOT / "examples" / "b2b-saas"])
    return workdir


@pytest.fixture
def b2b(applied_b2b: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh copy of the applied b2b-saas emulator, as the cwd."""
    shutil.copytree(applied_b2b / ".reconciler", tmp_path / ".reconciler")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def test_generated_account_imports_and_plans_to_no_change(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(generated)

    result = cli("import", "--account", str(ACCOUNT), "--out", "imported")
    plan = cli("plan", "imported", "--detailed-exitcode")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"Imported ad account {ACCOUNT} (USD) into imported: 20 campaign groups, 500 campaigns, "
        "1,500 creatives, 1 audience; 21 files written."
    )
    assert "Check: valid, and a plan against the account shows no changes." in result.stdout
    assert plan.exit_code == 0, plan.output
    files = sorted(p.relative_to("imported").as_posix() for p in Path("imported").rglob("*.yaml"))
    assert files == [
        "account.yaml",
        *(f"groups/generated-group-{i:03d}.yaml" for i in range(20)),
        "reconciler.lock.yaml",
    ]
    state = load_project(["imported"])  # raises ManifestError with every problem when invalid
    assert state.counts() == {"files": 21, "accounts": 1, "groups": 20, "campaigns": 500, "creatives": 1500}
    # Every resource is pinned.
    (account,) = state.accounts
    assert all(g.id for g in account.groups)
    assert all(c.id for _, c in account.campaigns())
    assert all(r.id for _, _, r in account.creatives())


def test_b2b_example_after_apply_imports_and_plans_to_no_change(b2b: Path) -> None:
    result = cli("import", "--account", str(ACCOUNT), "--out", "imported")
    plan = cli("plan", "imported", "--detailed-exitcode")
    drift = cli("drift", "imported")

    assert result.exit_code == 0, result.output
    assert "4 campaign groups, 11 campaigns, 23 creatives" in result.stdout
    assert plan.exit_code == 0, plan.output
    assert drift.exit_code == 0, drift.output
    account = yaml.safe_load(Path("imported/account.yaml").read_text(encoding="utf-8"))
    # Settings every campaign shares become defaults; locale (one is en_GB) and costType differ.
    assert account["defaults"] == {
        "campaign": {
            "offsiteDeliveryEnabled": False,
            "audienceExpansionEnabled": False,
            "creativeSelection": "OPTIMIZED",
            "pacingStrategy": "LIFETIME",
            "politicalIntent": "NOT_POLITICAL",
            "connectedTelevisionOnly": False,
        }
    }
    # The two retargeting campaigns that target exactly us-site-visitors share one audience.
    assert list(account["audiences"]) == ["audience-01"]
    retargeting = Path("imported/groups/retargeting-always-on-2027.yaml").read_text(encoding="utf-8")
    assert retargeting.count("targeting: audience-01") == 2


def test_imported_files_start_with_the_schema_line_and_are_deterministic(b2b: Path) -> None:
    first = cli("import", "--account", str(ACCOUNT), "--out", "one")
    second = cli("import", "--account", str(ACCOUNT), "--out", "two")

    assert first.exit_code == second.exit_code == 0
    one = {p.relative_to("one"): p.read_bytes() for p in Path("one").rglob("*.yaml")}
    two = {p.relative_to("two"): p.read_bytes() for p in Path("two").rglob("*.yaml")}
    assert one == two
    for name, text in one.items():
        if name.name == "reconciler.lock.yaml":
            continue
        first_line = text.decode().splitlines()[0]
        # The schema the import wrote beside account.yaml (no repository file to point at here).
        target = (Path("one") / name).parent / first_line.removeprefix(SCHEMA_LINE)
        assert target.resolve() == (Path("one") / "manifest.schema.json").resolve(), name
    written = json.loads(Path("one/manifest.schema.json").read_text(encoding="utf-8"))
    assert written == json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))
    assert "Wrote the manifest schema for editors to one/manifest.schema.json;" in first.stdout
    assert "https://" not in Path("one/account.yaml").read_text(encoding="utf-8").splitlines()[0]


def test_the_schema_line_points_at_the_file_reconciler_schema_wrote(b2b: Path) -> None:
    assert cli("schema", "--out", "ads/manifest.schema.json").exit_code == 0

    assert cli("import", "--account", str(ACCOUNT), "--out", "ads/imported").exit_code == 0

    account = Path("ads/imported/account.yaml").read_text(encoding="utf-8")
    group = Path("ads/imported/groups/brand-h1-2027.yaml").read_text(encoding="utf-8")
    assert account.startswith(f"{SCHEMA_LINE}../manifest.schema.json\n")
    assert group.startswith(f"{SCHEMA_LINE}../../manifest.schema.json\n")
    assert not Path("ads/imported/manifest.schema.json").exists()


def test_the_schema_line_is_relative_inside_a_checkout(b2b: Path) -> None:
    (b2b / "schemas").mkdir()
    shutil.copy(ROOT / "schemas" / "manifest.schema.json", b2b / "schemas")

    assert cli("import", "--account", str(ACCOUNT), "--out", "ads/imported").exit_code == 0

    account = Path("ads/imported/account.yaml").read_text(encoding="utf-8")
    group = Path("ads/imported/groups/brand-h1-2027.yaml").read_text(encoding="utf-8")
    assert account.startswith(f"{SCHEMA_LINE}../../schemas/manifest.schema.json\n")
    assert group.startswith(f"{SCHEMA_LINE}../../../schemas/manifest.schema.json\n")


def test_group_imports_a_subset_by_name_or_id(b2b: Path) -> None:
    with client_as(b2b) as client:
        retargeting = next(g for g in client.groups(ACCOUNT).search() if g.name.startswith("Retargeting"))

    result = cli(
        "import", "-a", str(ACCOUNT), "-o", "subset", "--group", "Brand — H1 2027", "-g", str(retargeting.id)
    )
    plan = cli("plan", "subset", "--detailed-exitcode", "--format", "json")

    assert result.exit_code == 0, result.output
    assert "2 campaign groups, 6 campaigns, 13 creatives" in result.stdout
    files = sorted(p.relative_to("subset").as_posix() for p in Path("subset").rglob("*.yaml"))
    assert files == [
        "account.yaml",
        "groups/brand-h1-2027.yaml",
        "groups/retargeting-always-on-2027.yaml",
        "reconciler.lock.yaml",
    ]
    assert plan.exit_code == 0, plan.output  # the other groups are unmanaged: listed, left alone
    assert '"unmanaged": 2' in plan.stdout


def test_an_unknown_group_is_an_error_with_a_suggestion(b2b: Path) -> None:
    result = cli("import", "-a", str(ACCOUNT), "-o", "out", "--group", "Brand — H1 2028")

    assert result.exit_code == 1
    assert "--group 'Brand — H1 2028': ad account 500000001 has no campaign group of that name or id" in (
        result.stderr
    )
    assert "did you mean 'Brand — H1 2027'?" in result.stderr
    assert not Path("out").exists()


def test_existing_files_are_not_overwritten_without_force(b2b: Path) -> None:
    assert cli("import", "-a", str(ACCOUNT), "-o", "out").exit_code == 0
    Path("out/account.yaml").write_text("# edited by hand\n", encoding="utf-8")

    refused = cli("import", "-a", str(ACCOUNT), "-o", "out")
    forced = cli("import", "-a", str(ACCOUNT), "-o", "out", "--force")

    assert refused.exit_code == 1
    assert "refusing to overwrite out/account.yaml" in refused.stderr
    assert "use --force" in refused.stderr
    assert forced.exit_code == 0
    assert Path("out/account.yaml").read_text(encoding="utf-8").startswith(SCHEMA_LINE)


def test_out_naming_a_file_is_refused_in_one_line(b2b: Path) -> None:
    Path("notes.txt").write_text("keep me\n", encoding="utf-8")

    result = cli("import", "-a", str(ACCOUNT), "-o", "notes.txt", "--force")

    assert result.exit_code == 1
    assert result.stderr.endswith(
        "error: --out notes.txt is a file; give the directory to write the manifests into\n"
    )
    assert Path("notes.txt").read_text(encoding="utf-8") == "keep me\n"


def test_removed_entities_are_skipped_and_counted(b2b: Path) -> None:
    with client_as(b2b, MARKETER) as client:
        campaigns = {c.name: c for c in client.campaigns(ACCOUNT).search()}
        demo = campaigns["Demo request — lead gen US"]
        assert demo.id is not None
        client.campaigns(ACCOUNT).partial_update(demo.id, {"status": "PENDING_DELETION"})

    result = cli("import", "-a", str(ACCOUNT), "-o", "out")
    plan = cli("plan", "out", "--detailed-exitcode")

    assert result.exit_code == 0, result.output
    assert "4 campaign groups, 10 campaigns, 21 creatives" in result.stdout
    assert "Skipped 1 campaign, 2 creatives that LinkedIn removed" in result.stdout
    assert "Demo request" not in Path("out/groups/demand-gen-q1-2027.yaml").read_text(encoding="utf-8")
    assert plan.exit_code == 0, plan.output


def test_the_default_group_is_written_only_when_it_holds_campaigns(b2b: Path) -> None:
    result = cli("import", "-a", str(ACCOUNT), "-o", "out")

    assert result.exit_code == 0
    assert not any("default" in p.name for p in Path("out/groups").iterdir())


def test_an_unknown_account_is_an_error(b2b: Path) -> None:
    result = cli("import", "-a", "42", "-o", "out")

    assert result.exit_code == 1
    assert "ad account 42 does not exist at this target" in result.stderr
    assert not Path("out").exists()
