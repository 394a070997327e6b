"""``reconciler drift`` end to end: the b2b-saas example is applied to the embedded emulator, then
another member edits it through the API ("by hand in Campaign Manager"), and drift must name the
fields, the member and the time; ``ignoreChanges`` rules turn the same edits into ignored drift."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.model import Campaign
from reconciler.plan import Plan
from reconciler.render.values import instant
from tests.workflows.support import MARKETER, ROOT, applied, cli, client_as, member

ACCOUNT = 500000001
EDITED_AT = 1_793_000_000_123  # 2026-10-26T07:33:20.123Z, the marketer's clock
BRAND_VIDEO = "Platform video — US engineering leaders"
BRAND_FILE = Path("groups") / "brand-h1-2027.yaml"


@pytest.fixture(scope="module")
def applied_b2b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory whose emulator holds the b2b-saas example, applied once."""
    workdir = tmp_path_factory.mktemp("applied")
    applied(workdir, [ROOT / "examples" / "b2b-saas"])
    return workdir


@pytest.fixture
def workdir(applied_b2b: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh copy of that emulator and of the manifests (as ``manifests/``), as the cwd."""
    shutil.copytree(applied_b2b / ".reconciler", tmp_path / ".reconciler")
    shutil.copytree(ROOT / "examples" / "b2b-saas", tmp_path / "manifests")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    yield tmp_path


def campaign_named(workdir: Path, name: str) -> Campaign:
    with client_as(workdir) as client:
        return next(c for c in client.campaigns(ACCOUNT).search() if c.name == name)


def edit_by_hand(workdir: Path, campaign_id: int, **fields: object) -> None:
    """The marketer changes a campaign through the API, at EDITED_AT."""
    with client_as(workdir, MARKETER, clock=lambda: EDITED_AT) as client:
        client.campaigns(ACCOUNT).partial_update(campaign_id, fields)


def test_an_applied_account_has_no_drift(workdir: Path) -> None:
    result = cli("drift", "manifests")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("No drift: the live account matches the manifests.")


def test_edits_by_another_member_are_drift_with_fields_member_and_time(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, dailyBudget={"amount": "300", "currencyCode": "USD"}, status="PAUSED")

    result = cli("drift", "manifests", "--show-actors")

    assert result.exit_code == 2, result.output
    out = result.stdout
    assert f"changed campaign {ACCOUNT} / Brand — H1 2027 / {BRAND_VIDEO} (id {video.id})" in out
    assert "dailyBudget: 150 USD → 300 USD" in out
    assert "status: ACTIVE → PAUSED" in out
    assert f"changed in Campaign Manager at {instant(EDITED_AT)} by {member(MARKETER)}" in out
    assert "2026-10-26T07:33:20.123Z" in out
    assert "manifest: manifests/groups/brand-h1-2027.yaml:" in out
    assert out.rstrip().endswith("Drift: 1 changed.")


def test_json_and_markdown_carry_the_same_facts(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, dailyBudget={"amount": "300", "currencyCode": "USD"})

    document = json.loads(cli("drift", "manifests", "--format", "json", "--show-actors").stdout)
    markdown = cli("drift", "manifests", "-f", "markdown", "--show-actors")

    assert document["drifted"] is True
    assert document["summary"]["changed"] == 1
    (item,) = document["items"]
    assert item["modified_by"] == member(MARKETER)
    assert item["modified_at"] == EDITED_AT
    assert item["last_change"] == f"changed in Campaign Manager at {instant(EDITED_AT)} by {member(MARKETER)}"
    assert item["fields"] == [
        {
            "field": "dailyBudget",
            "manifest": {"amount": "150", "currencyCode": "USD"},
            "live": {"amount": "300", "currencyCode": "USD"},
            "ignored": False,
        }
    ]
    assert markdown.exit_code == 2
    assert (
        "| dailyBudget | `150 USD` | `300 USD` | changed in Campaign Manager at 2026-10-26T07:33:20.123Z by "
        in markdown.stdout
    )
    assert member(MARKETER) in markdown.stdout
    assert f"| `manifests/{BRAND_FILE.as_posix()}:" in markdown.stdout  # the file:line column


def test_markdown_json_and_piped_text_name_no_member_unless_asked(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, dailyBudget={"amount": "300", "currencyCode": "USD"})

    document = json.loads(cli("drift", "manifests", "--format", "json", "--fix").stdout)
    markdown = cli("drift", "manifests", "-f", "markdown", "--fix")
    piped = cli("drift", "manifests")  # not a terminal: like a CI log

    (item,) = document["drift"]["items"]
    assert item["modified_by"] is None and item["modified_at"] == EDITED_AT
    assert item["last_change"] == f"changed in Campaign Manager at {instant(EDITED_AT)}"
    assert "| changed in Campaign Manager at 2026-10-26T07:33:20.123Z |" in markdown.stdout
    assert f"changed in Campaign Manager at {instant(EDITED_AT)}\n" in piped.stdout
    for output in (json.dumps(document), markdown.stdout, piped.stdout):
        assert "urn:li:person:" not in output


IGNORE_ON_THE_CAMPAIGN = (
    BRAND_FILE,
    f"      - name: {BRAND_VIDEO}\n",
    f"      - name: {BRAND_VIDEO}\n        ignoreChanges: [dailyBudget, status]\n",
)
IGNORE_IN_DEFAULTS = (
    Path("account.yaml"),
    "  ignoreChanges: []",
    "  ignoreChanges: [dailyBudget, status]",
)


@pytest.mark.parametrize(
    "rule", [IGNORE_ON_THE_CAMPAIGN, IGNORE_IN_DEFAULTS], ids=["on-the-campaign", "in-defaults"]
)
def test_ignore_changes_covering_the_edits_is_not_drift(workdir: Path, rule: tuple[Path, str, str]) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, dailyBudget={"amount": "300", "currencyCode": "USD"}, status="PAUSED")
    path, old, new = rule
    manifest = workdir / "manifests" / path
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")

    drift = cli("drift", "manifests", "--show-actors")
    plan = cli("plan", "manifests", "--detailed-exitcode", "--out", "plan.json")

    assert drift.exit_code == 0, drift.output
    assert "Ignored (ignoreChanges), not drift:" in drift.stdout
    assert "dailyBudget: 150 USD → 300 USD  (ignored)" in drift.stdout
    assert "status: ACTIVE → PAUSED  (ignored)" in drift.stdout
    assert f"by {member(MARKETER)}" in drift.stdout
    assert drift.stdout.rstrip().endswith("No drift (1 ignored).")
    # The plan says it was ignored, and applying it would write nothing.
    assert plan.exit_code == 0, plan.output
    assert "(ignored)" in plan.stdout
    saved = Plan.from_dict(json.loads(Path("plan.json").read_text(encoding="utf-8")))
    assert saved.empty
    assert saved.summary()["ignored"] == 1


def test_the_examples_own_rule_ignores_hand_tuned_bids(workdir: Path) -> None:
    visitors = campaign_named(workdir, "Pricing page visitors — case studies")
    assert visitors.id is not None
    edit_by_hand(workdir, visitors.id, unitCost={"amount": "9.5", "currencyCode": "USD"})

    result = cli("drift", "manifests")

    assert result.exit_code == 0, result.output
    assert "unitCost: 7 USD → 9.5 USD  (ignored)" in result.stdout


def test_a_campaign_removed_by_hand_is_missing_with_its_creatives(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, status="PENDING_DELETION")

    result = cli("drift", "manifests", "--format", "json", "--show-actors")

    assert result.exit_code == 2, result.output
    document = json.loads(result.stdout)
    missing = [i for i in document["items"] if i["state"] == "missing"]
    assert [i["kind"] for i in missing] == ["campaign", "creative", "creative", "creative"]
    assert missing[0]["status"] == "PENDING_DELETION"
    assert missing[0]["modified_by"] == member(MARKETER)
    assert missing[0]["note"] == "PENDING_DELETION at LinkedIn; the fix creates it again"
    assert "its parent Brand — H1 2027 / " in missing[1]["note"]
    assert document["summary"]["not_applied"] == 0


def test_a_campaign_created_by_hand_is_an_unmanaged_newcomer(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.meta is not None
    body = {
        "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
        "campaignGroup": video.meta.parent,
        **{k: v for k, v in video.api_fields().items() if k != "status"},
        "name": "Marketer's experiment",
        "status": "DRAFT",
    }
    with client_as(workdir, MARKETER, clock=lambda: EDITED_AT) as client:
        new_id = client.campaigns(ACCOUNT).create(body)

    counted = cli("drift", "manifests", "--show-actors")
    listed = cli("drift", "manifests", "--ignore-unmanaged")

    assert counted.exit_code == 2, counted.output
    line = f"unmanaged campaign {ACCOUNT} / Brand — H1 2027 / Marketer's experiment (id {new_id}, DRAFT)"
    assert line in counted.stdout
    assert f"by {member(MARKETER)} (created {instant(EDITED_AT)})" in counted.stdout
    assert listed.exit_code == 0
    assert line in listed.stdout
    assert listed.stdout.rstrip().endswith("No drift counted: 1 unmanaged listed.")


def test_fix_saves_a_revert_plan_that_brings_the_account_back(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, dailyBudget={"amount": "300", "currencyCode": "USD"})

    result = cli("drift", "manifests", "--fix", "--out", "revert.json")

    assert result.exit_code == 2
    assert "~ update campaign" in result.stdout  # the plan follows the report
    assert "Apply it with: reconciler apply --plan revert.json manifests\n" in result.stderr
    revert = Plan.from_dict(json.loads(Path("revert.json").read_text(encoding="utf-8")))
    (change,) = revert.changes
    assert (change.id, dict(change.body)) == (
        video.id,
        {"dailyBudget": {"amount": "150", "currencyCode": "USD"}},
    )
    applying = cli("apply", "--plan", "revert.json", "manifests", "--auto-approve")
    assert applying.exit_code == 0, applying.output
    assert cli("drift", "manifests").exit_code == 0


def test_fix_without_drift_has_nothing_to_revert(workdir: Path) -> None:
    result = cli("drift", "manifests", "--fix", "--format", "json")

    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["drift"]["drifted"] is False
    assert document["plan"]["summary"]["update"] == 0
    assert "Nothing to revert" in result.stderr


def test_the_fix_hint_names_the_manifests(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, status="PAUSED")

    result = cli("drift", "manifests", "--fix")

    assert result.exit_code == 2
    assert "reconciler apply manifests (shows the plan and asks)" in result.stderr
    assert "run: reconciler apply --plan FILE manifests\n" in result.stderr


def test_resources_never_applied_are_not_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)

    result = cli("drift", str(ROOT / "examples" / "quickstart"))

    assert result.exit_code == 0, result.output
    assert "Not yet applied (in the manifests, never created; run apply), not drift:" in result.stdout
    assert result.stdout.rstrip().endswith("No drift (6 not yet applied).")


def test_invalid_manifests_and_unknown_accounts_exit_1(workdir: Path) -> None:
    (workdir / "manifests" / "account.yaml").write_text("version: 1\naccount: {id: 7, currency: USD}\n")
    bad = workdir / "bad.yaml"
    bad.write_text("version: 2\n", encoding="utf-8")

    invalid = cli("drift", str(bad))
    unknown = cli("drift", "manifests/account.yaml")

    assert invalid.exit_code == 1
    assert "bad.yaml:1:10: version" in invalid.stdout
    assert unknown.exit_code == 1
    assert "error: an ad account of the manifests does not exist at this target" in unknown.stderr


def test_no_file_the_tool_writes_holds_a_member_urn(workdir: Path) -> None:
    video = campaign_named(workdir, BRAND_VIDEO)
    assert video.id is not None
    edit_by_hand(workdir, video.id, dailyBudget={"amount": "300", "currencyCode": "USD"})

    assert cli("plan", "manifests", "--out", "plan.json").exit_code == 0
    assert cli("drift", "manifests", "--out", "revert.json", "-f", "markdown").exit_code == 2
    assert cli("import", "--account", str(ACCOUNT), "--out", "imported").exit_code == 0
    applied = cli("apply", "--plan", "revert.json", "manifests", "--auto-approve")
    assert applied.exit_code == 0, applied.output

    written = [p for p in workdir.rglob("*") if p.is_file() and p.name != "emulator.sqlite"]
    assert any(".reconciler/journal" in str(p) for p in written)
    assert {"plan.json", "revert.json", "account.yaml"} <= {p.name for p in written}
    # The emulator's own database stands for LinkedIn and keeps its audit stamps; nothing else may.
    # (The manifest schema import writes names the URN's form, urn:li:person:{id}, for message senders.)
    member_urn = re.compile(rb"urn:li:person:[A-Za-z0-9_-]+")
    holding = [str(p) for p in written if member_urn.search(p.read_bytes())]
    assert holding == []
