"""Drift of a project of several ad accounts, checked account by account (``check_drift`` on the
plan's pipeline): the report, the revert plan and the calls are those of one check of every account
loaded and read at once; each account's model and live state are let go before the next is checked."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reconciler.adcontent.reader import read_content
from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.drift import check_drift, detect, unpin_missing
from reconciler.drift.pipeline import CHECKED
from reconciler.emulator import Emulator, generate_account, open_emulator
from reconciler.errors import ConfigError, PlanError
from reconciler.importer import ImportOptions, build_manifests, write_files
from reconciler.live import LiveAccount, read_accounts
from reconciler.manifest import load_project
from reconciler.manifest.lockfile import load_lock
from reconciler.manifest.split import group_files
from reconciler.model import Account
from reconciler.planner import PlanOptions, Scope, make_plan
from reconciler.workflow import with_assets, with_recovered

IDS = (512340001, 512340002, 512340003)  # ids no other test's leftovers hold
NEW_GROUP = """version: 1
account: {id: %d, currency: USD}
campaignGroups:
  - name: Never applied
    status: DRAFT
"""


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emu = open_emulator(None)
    for account in IDS:
        generate_account(emu, account, groups=2, campaigns=6, creatives=12)
    yield emu
    emu.close()


def client_for(emu: Emulator) -> LinkedInClient:
    http = httpx.Client(transport=emu.transport(), base_url="https://api.linkedin.com/rest")
    return LinkedInClient(http, auth=BearerAuth(Secret("drift-accounts-test")))


@pytest.fixture
def project(emulator: Emulator, tmp_path: Path) -> Path:
    """The accounts imported, one folder each, then drifted in every way a report tells apart: a
    budget changed (first account), a pin to a creative that is gone and a group never applied
    (second), a group no manifest mentions any more (third)."""
    with client_for(emulator) as client:
        for account in IDS:
            live = read_accounts(client, [account])[account]
            write_files(tmp_path / str(account), build_manifests(live, ImportOptions()).files)
    first = sorted((tmp_path / str(IDS[0]) / "groups").glob("*.yaml"))[0]
    first.write_text(first.read_text("utf-8").replace("dailyBudget: 1", "dailyBudget: 9", 1), "utf-8")
    second = sorted((tmp_path / str(IDS[1]) / "groups").glob("*.yaml"))[0]
    text = second.read_text("utf-8")
    creative = text.index("id: ", text.index("creatives:"))
    second.write_text(text[:creative] + "id: 199999999" + text[text.index("\n", creative) :], "utf-8")
    (tmp_path / str(IDS[1]) / "groups" / "never-applied.yaml").write_text(NEW_GROUP % IDS[1], "utf-8")
    sorted((tmp_path / str(IDS[2]) / "groups").glob("*.yaml"))[-1].unlink()
    return tmp_path


def all_at_once(
    emulator: Emulator, path: Path, options: PlanOptions, accounts: frozenset[int] | None = None
) -> tuple[dict[str, object], dict[str, object], int]:
    """The report, revert plan and calls of every account loaded, read, planned and classified at
    once (how drift was checked before it went account by account)."""
    desired = load_project([path], accounts=accounts)
    with client_for(emulator) as client:
        live = read_accounts(client, [a.id for a in desired.accounts])
        live = read_content(client, desired.accounts, live)
        options = with_recovered(client, desired.accounts, live, with_assets(options, load_lock([path])))
        pinned, missing = unpin_missing(desired.accounts, live)
        plan = make_plan(
            pinned,
            live,
            target="t",
            api_version=client.version,
            manifest_checksum=desired.checksum,
            options=options,
        )
        in_scope = {p: gone for p, gone in missing.items() if options.only.covers(p)}
        report = detect(plan, live, desired, in_scope)
        return report.to_dict(), plan.to_dict(), client.stats.calls


@pytest.mark.parametrize("ahead", [1, 3])
def test_account_by_account_is_the_drift_of_all_at_once(
    emulator: Emulator, project: Path, ahead: int
) -> None:
    with client_for(emulator) as client:
        result = check_drift([project], client, target="t", parallel_accounts=ahead)
        calls = client.stats.calls
    report, plan, old_calls = all_at_once(emulator, project, PlanOptions())
    assert result.accounts == IDS
    summary = result.report.summary()
    assert summary["changed"] and summary["missing"] and summary["unmanaged"] and summary["not_applied"]
    assert {item.path[0] for item in result.report.items} == {str(i) for i in IDS}
    assert result.report.to_dict() == report
    assert result.plan.to_dict() == plan
    assert calls == old_calls


def test_chosen_accounts_and_only_give_the_drift_of_all_at_once(emulator: Emulator, project: Path) -> None:
    chosen = frozenset(IDS[1:])
    group = sorted((project / str(IDS[1]) / "groups").glob("generated-*.yaml"))[0]
    name = next(line for line in group.read_text("utf-8").splitlines() if line.startswith("  - name: "))
    options = PlanOptions(only=Scope(((str(IDS[1]), name.removeprefix("  - name: ")),)))
    with client_for(emulator) as client:
        result = check_drift([project], client, target="t", options=options, accounts=chosen)
    report, plan, _ = all_at_once(emulator, project, options, chosen)
    assert result.accounts == IDS[1:]
    assert result.report.summary()["missing"] == 1  # the pin to the gone creative, in the group chosen
    assert result.report.to_dict() == report
    assert result.plan.to_dict() == plan


def held(kind: type[object]) -> set[int]:
    """The ids of this module's accounts (models or live states) still in memory (other tests may
    keep accounts of their own, e.g. in module-scoped fixtures)."""
    found = {obj.id for obj in gc.get_objects() if isinstance(obj, kind)}  # type: ignore[attr-defined]
    return found & set(IDS)


@pytest.mark.parametrize("ahead", [1, 2])
def test_each_account_is_let_go_before_the_next_is_checked(
    emulator: Emulator, project: Path, ahead: int
) -> None:
    checked: list[int] = []
    seen: list[tuple[int, set[int], set[int]]] = []

    def progress(message: str) -> None:
        for account in IDS:
            if message == CHECKED.format(account):
                checked.append(account)
                seen.append((account, held(Account), held(LiveAccount)))

    gc.collect()  # garbage earlier tests left in reference cycles (the check runs with the collector paused)
    with client_for(emulator) as client:
        result = check_drift([project], client, target="t", progress=progress, parallel_accounts=ahead)
    assert checked == list(IDS)
    for account, models, lives in seen:
        # The account checked, and those loaded or read ahead of it: never one checked before.
        assert account in models and account in lives, seen
        assert all(other > account for other in (models | lives) - {account}), seen
        assert len(models) <= ahead and len(lives) <= ahead + 1
    if ahead == 1:
        assert all(models == lives == {account} for account, models, lives in seen)
    assert result.report.items  # kept: the items of every account
    assert held(Account) == set() and held(LiveAccount) == set()


def test_errors_come_as_before(emulator: Emulator, project: Path) -> None:
    with client_for(emulator) as client:
        with pytest.raises(ConfigError, match="no manifest names ad account 7"):
            check_drift([project], client, target="t", accounts={IDS[0], 7})
        assert client.stats.calls == 0
    for path in (project / str(IDS[2])).rglob("*.yaml"):  # the third account in euros
        path.write_text(path.read_text("utf-8").replace("USD", "EUR"), "utf-8")
    with client_for(emulator) as client, pytest.raises(PlanError, match=f"ad account {IDS[2]} is in USD"):
        check_drift([project], client, target="t")


def test_a_project_loaded_in_one_piece_gives_the_same_drift(emulator: Emulator, project: Path) -> None:
    account_file = project / str(IDS[2]) / "account.yaml"  # its account cannot be told before loading
    account_file.write_text(
        account_file.read_text("utf-8").replace("account:\n", "account: !!map\n", 1), "utf-8"
    )
    assert [group.account for group in group_files([project])[0]] == [None]
    with client_for(emulator) as client:
        result = check_drift([project], client, target="t")
    report, plan, _ = all_at_once(emulator, project, PlanOptions())
    assert result.accounts == IDS
    assert result.report.to_dict() == report
    assert result.plan.to_dict() == plan
