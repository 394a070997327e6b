"""Planning a project of several ad accounts account by account (``build_plan``): the plan is the
one planning them all at once makes, checksum and all; a file whose account cannot be told before
loading makes the project load in one piece; every file is validated, and errors come in their
order (problems, unknown ``--account`` ids, then the accounts' own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.emulator import Emulator, generate_account, open_emulator
from reconciler.errors import ConfigError, ManifestError
from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.live import read_accounts
from reconciler.manifest import load_project
from reconciler.manifest.lockfile import LOCK_NAME
from reconciler.manifest.sniff import account_of
from reconciler.manifest.split import group_files
from reconciler.planner import PlanOptions, make_plan
from reconciler.review import review
from reconciler.workflow import build_plan, campaign_organizations, check_access
from tests.manifest.mediafiles import image_bytes

IDS = (500000001, 500000002, 500000003)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emu = open_emulator(None)
    for account in IDS:
        generate_account(emu, account, groups=2, campaigns=6, creatives=12)
    yield emu
    emu.close()


def client_for(emu: Emulator) -> LinkedInClient:
    http = httpx.Client(transport=emu.transport(), base_url="https://api.linkedin.com/rest")
    return LinkedInClient(http, auth=BearerAuth(Secret("pipeline-test")))


@pytest.fixture
def project(emulator: Emulator, tmp_path: Path) -> Path:
    """The accounts imported, one folder each; the second's groups edited (a budget raised, a bid
    cut under LinkedIn's floor)."""
    with client_for(emulator) as client:
        for account in IDS:
            live = read_accounts(client, [account])[account]
            write_files(tmp_path / str(account), build_manifests(live, ImportOptions()).files)
    for path in (tmp_path / str(IDS[1]) / "groups").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("dailyBudget: ", "dailyBudget: 1", 1)
        path.write_text(text.replace("unitCost: ", "unitCost: 0.0", 1), encoding="utf-8")  # under the floor
    return tmp_path


def whole_plan(emulator: Emulator, path: Path) -> dict[str, object]:
    """The plan of every account loaded, read, planned, access-checked and reviewed at once."""
    desired = load_project([path])
    with client_for(emulator) as client:
        live = read_accounts(client, [a.id for a in desired.accounts])
        plan = make_plan(
            desired.accounts,
            live,
            target="t",
            api_version=client.version,
            manifest_checksum=desired.checksum,
            options=PlanOptions(names=desired.names),
        )
        plan = check_access(plan, client, campaign_organizations(desired.accounts))
        plan = review(
            plan,
            client.insights,
            live,
            names=desired.names,
            name_urns=lambda urns: {u: e.name for u, e in client.targeting.by_urns(urns).items()},
        )
    return plan.to_dict()


@pytest.mark.parametrize("ahead", [1, 2, 8])
def test_account_by_account_is_the_plan_of_all_at_once(emulator: Emulator, project: Path, ahead: int) -> None:
    with client_for(emulator) as client:
        result = build_plan([project], client, target="t", parallel_accounts=ahead)
    assert result.accounts == IDS
    assert result.files == len(list(project.rglob("*.yaml")))
    assert result.plan.summary()["update"] > 0  # the edited budgets of the second account
    # Reviewed account by account as the whole plan is: the raised budgets are priced.
    assert any(v.guard == "pricing" for v in result.plan.violations)
    assert result.plan.to_dict() == whole_plan(emulator, project)


def test_a_file_whose_account_cannot_be_told_loads_the_project_in_one_piece(
    emulator: Emulator, project: Path
) -> None:
    account_file = project / str(IDS[2]) / "account.yaml"
    text = account_file.read_text(encoding="utf-8")
    account_file.write_text(text.replace("account:\n", "account: !!map\n", 1), encoding="utf-8")
    assert account_of(account_file.read_bytes()) is None
    groups, _ = group_files([project])
    assert [g.account for g in groups] == [None]
    with client_for(emulator) as client:
        result = build_plan([project], client, target="t")
    assert result.accounts == IDS
    assert result.plan.to_dict() == whole_plan(emulator, project)


def test_a_problem_in_any_file_fails_the_plan_with_every_problem(emulator: Emulator, project: Path) -> None:
    last = sorted((project / str(IDS[2]) / "groups").glob("*.yaml"))[-1]
    last.write_text(last.read_text(encoding="utf-8").replace("dailyBudget: ", "dailyBudget: -", 1), "utf-8")
    first = sorted((project / str(IDS[0]) / "groups").glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "unknownKey: 1\n", encoding="utf-8")
    with client_for(emulator) as client, pytest.raises(ManifestError) as failed:
        build_plan([project], client, target="t")
    files = {p.position.file for p in failed.value.problems if p.position is not None}
    assert files == {str(first), str(last)}


def test_a_broken_lock_fails_the_plan_with_the_files_problems_before_any_read(
    emulator: Emulator, project: Path
) -> None:
    (project / LOCK_NAME).write_text("version: 1\nassets: [1]\n", encoding="utf-8")
    first = sorted((project / str(IDS[0]) / "groups").glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "unknownKey: 1\n", encoding="utf-8")
    with client_for(emulator) as client, pytest.raises(ManifestError) as failed:
        build_plan([project], client, target="t")
    assert client.stats.calls == 0
    files = {p.position.file for p in failed.value.problems if p.position is not None}
    assert files == {str(first), str(project / LOCK_NAME)}


def test_an_account_no_manifest_names_is_refused_before_any_read(emulator: Emulator, project: Path) -> None:
    with client_for(emulator) as client:
        with pytest.raises(ConfigError, match="no manifest names ad account 7"):
            build_plan([project], client, target="t", accounts={IDS[0], 7})
        assert client.stats.calls == 0


def test_the_checksum_is_the_whole_project_s_whatever_accounts_are_chosen(
    emulator: Emulator, project: Path
) -> None:
    with client_for(emulator) as client:
        one = build_plan([project], client, target="t", accounts={IDS[1]})
    assert one.accounts == (IDS[1],)
    assert one.plan.manifest_checksum == load_project([project]).checksum


@pytest.mark.parametrize(
    ("text", "account"),
    [
        (b"version: 1\naccount:\n  id: 500000001\n  currency: USD\n", 500000001),
        (b"account: {currency: USD, id: 12}\n", 12),
        (b"campaignGroups: [{name: a, campaigns: [{name: b}]}]\naccount:\n  id: 7\n", 7),
        (b'account:\n  id: "7"\n', None),  # a string: the schema's to refuse
        (b"account:\n  id: 0x10\n", None),
        (b"account: *a\n", None),
        (b"account: !!map {id: 5}\n", None),
        (b"account:\n  id: !!int 5\n", None),
        (b"- 1\n", None),
        (b"\xff\xfe", None),
        (b"account:\n\tid: 1\n", None),
        (b"", None),
    ],
)
def test_the_account_of_a_file_is_told_only_when_certain(text: bytes, account: int | None) -> None:
    assert account_of(text) == account


AD = """version: 1
account: {id: %(account)d, currency: USD}
campaignGroups:
  - name: Launch
    status: DRAFT
    campaigns:
      - name: Launch
        status: DRAFT
        type: SPONSORED_UPDATES
        format: STANDARD_UPDATE
        costType: CPM
        locale: en_US
        runSchedule: {start: 2027-01-04}
        associatedEntity: urn:li:organization:1
        creatives:
          - name: ad
            intendedStatus: DRAFT
            content:
              image: {file: %(image)s}
"""


def test_the_files_creatives_name_are_found_by_sha256_whichever_account_names_them(
    emulator: Emulator, project: Path
) -> None:
    for n, account in enumerate(IDS[:2]):
        image = image_bytes(1200 + n, 628)  # a file of each account, each of other bytes
        (project / str(account) / "launch.png").write_bytes(image)
        (project / str(account) / "launch.yaml").write_text(AD % {"account": account, "image": "launch.png"})
    whole = load_project([project]).asset_sources
    assert len(whole) == 2
    with client_for(emulator) as client:
        result = build_plan([project], client, target="t", parallel_accounts=1)
    assert dict(result.asset_sources) == dict(whole)
    assert result.plan.summary()["create"] >= 2  # the two creatives, each in its own account
