"""load_project on valid manifests: the examples, the model built, positions, files and checksum."""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from reconciler.errors import ManifestError, Position
from reconciler.manifest import DesiredState, load_project, validate_paths
from reconciler.model import (
    CampaignStatus,
    CampaignType,
    CostType,
    GroupStatus,
    LeadgenCallToAction,
    Locale,
    Money,
    PostReference,
    Safety,
    Schedule,
    Targeting,
    TextAd,
    parse_instant,
)

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def quickstart() -> DesiredState:
    return load_project([EXAMPLES / "quickstart"])


@pytest.fixture
def b2b() -> DesiredState:
    return load_project([EXAMPLES / "b2b-saas"])


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


ACCOUNT = "version: 1\naccount: {id: 500000001, currency: USD}\n"


def test_both_examples_are_valid() -> None:
    assert validate_paths([EXAMPLES / "quickstart"]) == []
    assert validate_paths([EXAMPLES / "b2b-saas"]) == []


def test_quickstart_has_the_promised_shape(quickstart: DesiredState) -> None:
    assert quickstart.summary() == "2 files, 1 account, 1 group, 2 campaigns, 3 creatives"
    (account,) = quickstart.accounts
    assert (account.id, account.currency, account.name, account.prune) == (
        500000001,
        "USD",
        "Quickstart",
        False,
    )


def test_b2b_example_is_a_realistic_account(b2b: DesiredState) -> None:
    counts = b2b.counts()
    assert counts["files"] >= 3 and counts["groups"] >= 3
    assert counts["campaigns"] >= 10 and counts["creatives"] >= 20
    (account,) = b2b.accounts
    contents = {type(r.content) for _, _, r in account.creatives()}
    assert contents == {TextAd, PostReference}
    assert len(b2b.audiences[500000001]) >= 4


def test_every_example_campaign_is_complete_enough_to_create(
    b2b: DesiredState, quickstart: DesiredState
) -> None:
    for state in (b2b, quickstart):
        for _, campaign in state.accounts[0].campaigns():
            assert None not in (campaign.type, campaign.cost_type, campaign.objective_type, campaign.locale)
            assert None not in (campaign.run_schedule, campaign.targeting, campaign.political_intent)
            assert campaign.offsite_delivery_enabled is not None and campaign.unit_cost is not None
            assert campaign.daily_budget or campaign.total_budget
            assert campaign.targeting is not None
            facets = campaign.targeting.facets()
            assert "urn:li:adTargetingFacet:locations" in facets
            assert "urn:li:adTargetingFacet:interfaceLocales" in facets
            if campaign.type is CampaignType.SPONSORED_UPDATES:
                assert campaign.associated_entity == "urn:li:organization:2414183"


def test_defaults_apply_where_a_campaign_leaves_a_field_out(quickstart: DesiredState) -> None:
    (group,) = quickstart.accounts[0].groups
    video, text = group.campaigns
    assert video.cost_type is CostType.CPM  # from defaults
    assert text.cost_type is CostType.CPC  # the campaign's own value wins
    assert video.locale == text.locale == Locale("US", "en")
    assert video.political_intent == "NOT_POLITICAL" and video.offsite_delivery_enabled is False


def test_values_are_converted_to_the_model(quickstart: DesiredState) -> None:
    (group,) = quickstart.accounts[0].groups
    video, text = group.campaigns
    assert group.status is GroupStatus.ACTIVE
    assert group.total_budget == Money(Decimal("6000"), "USD")
    assert group.run_schedule == Schedule(parse_instant("2027-01-04"), parse_instant("2027-04-01"))
    assert text.daily_budget == Money(Decimal("30"), "USD")
    assert text.unit_cost == Money(Decimal("4.5"), "USD")
    assert text.run_schedule is not None and text.run_schedule.start == parse_instant("2027-01-11T09:00:00Z")
    assert video.status is CampaignStatus.ACTIVE and video.type is CampaignType.SPONSORED_UPDATES
    assert video.creatives[0].content == PostReference("urn:li:ugcPost:7012345678901234567")
    ad = text.creatives[0].content
    assert isinstance(ad, TextAd) and ad.headline == "Ship releases 2x faster"


def test_targeting_combines_audiences_and_inline_clauses(quickstart: DesiredState) -> None:
    audience = quickstart.audiences[500000001]["us-tech-leaders"]
    video, text = quickstart.accounts[0].groups[0].campaigns
    assert video.targeting == audience
    assert text.targeting is not None
    assert set(text.targeting.include) == {
        *audience.include,
        (("urn:li:adTargetingFacet:jobFunctions", ("urn:li:function:8",)),),
    }
    assert (
        text.targeting.exclude
        == audience.exclude
        == (("urn:li:adTargetingFacet:employers", ("urn:li:organization:2414183",)),)
    )


def test_several_audiences_and_extra_excludes(b2b: DesiredState) -> None:
    audiences = b2b.audiences[500000001]
    campaigns = {c.name: c for _, c in b2b.accounts[0].campaigns()}
    video = campaigns["Platform video — US engineering leaders"]
    us, software = audiences["us-engineering-leaders"], audiences["software-industry"]
    assert video.targeting == Targeting(tuple(sorted({*us.include, *software.include})), us.exclude)
    text = campaigns["Free trial — text ads US"]
    assert text.targeting is not None
    assert dict(text.targeting.exclude)["urn:li:adTargetingFacet:seniorities"] == (
        "urn:li:seniority:1",
        "urn:li:seniority:2",
    )


def test_objective_plurals_are_stored_singular(b2b: DesiredState) -> None:
    campaigns = {c.name: c for _, c in b2b.accounts[0].campaigns()}
    assert campaigns["Free trial — website conversions US"].objective_type == "WEBSITE_CONVERSION"


def test_lead_gen_and_ignore_changes(b2b: DesiredState) -> None:
    campaigns = {c.name: c for _, c in b2b.accounts[0].campaigns()}
    guide = campaigns["Platform guide — lead gen US"]
    assert guide.creatives[0].leadgen_call_to_action == LeadgenCallToAction(
        "urn:li:adForm:6001001", "DOWNLOAD"
    )
    assert campaigns["Docs visitors — text ads"].ignore_changes == ("unitCost",)


def test_ignore_changes_use_api_names_and_defaults_apply_where_the_field_exists(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        ACCOUNT + "defaults:\n  ignoreChanges: [status, intendedStatus, runSchedule.end]\n"
        "campaignGroups:\n  - name: G\n    id: 10\n    campaigns:\n      - name: C\n        id: 20\n"
        "        ignoreChanges: [targeting.include]\n"
        "        creatives: [{name: R, id: 30}]\n",
    )
    group = load_project([tmp_path]).accounts[0].groups[0]
    assert group.ignore_changes == ("runSchedule.end", "status")
    assert group.campaigns[0].ignore_changes == ("runSchedule.end", "status", "targetingCriteria.include")
    assert group.campaigns[0].creatives[0].ignore_changes == ("intendedStatus",)


def test_positions_name_where_each_resource_was_written(quickstart: DesiredState) -> None:
    base = "500000001", "Q1 2027 Brand"
    name = str(EXAMPLES / "quickstart" / "q1-brand.yaml")
    assert quickstart.positions[("500000001",)] == Position(
        str(EXAMPLES / "quickstart" / "account.yaml"), 7, 3
    )
    assert quickstart.positions[base] == Position(name, 10, 5)
    assert quickstart.positions[(*base, "Brand awareness — US tech leaders")] == Position(name, 18, 9)
    assert quickstart.positions[(*base, "Brand awareness — US tech leaders", "Launch video")] == Position(
        name, 30, 13
    )
    assert len(quickstart.positions) == 1 + 1 + 2 + 3


def test_desired_state_is_frozen(quickstart: DesiredState) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        quickstart.checksum = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        quickstart.positions[("x",)] = Position("f", 1, 1)  # type: ignore[index]


def test_files_are_named_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    state = load_project(["./examples/quickstart/", "examples/quickstart/account.yaml"])
    assert state.files == ("examples/quickstart/account.yaml", "examples/quickstart/q1-brand.yaml")


def test_the_checksum_ignores_argument_order_and_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = load_project([EXAMPLES / "quickstart" / "q1-brand.yaml", EXAMPLES / "quickstart" / "account.yaml"])
    monkeypatch.chdir(EXAMPLES)
    b = load_project(["quickstart/account.yaml", "quickstart/q1-brand.yaml"])
    assert a.checksum == b.checksum and len(a.checksum) == 64
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLES / "quickstart", copy)
    assert load_project([copy]).checksum == load_project([EXAMPLES / "quickstart"]).checksum
    (copy / "q1-brand.yaml").write_text((copy / "q1-brand.yaml").read_text().replace("50 USD", "55 USD"))
    assert load_project([copy]).checksum != a.checksum


def test_directories_are_searched_recursively_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    write(tmp_path, "b/two.yml", ACCOUNT)
    write(tmp_path, "a.yaml", ACCOUNT)
    write(tmp_path, ".hidden/broken.yaml", "{")
    write(tmp_path, ".broken.yaml", "{")
    write(tmp_path, "notes.txt", "{")
    state = load_project([tmp_path])
    assert state.files == (str(tmp_path / "a.yaml"), str(tmp_path / "b" / "two.yml"))


def test_an_account_may_be_split_and_groups_keep_file_order(tmp_path: Path) -> None:
    write(tmp_path, "1.yaml", ACCOUNT + "campaignGroups: [{name: B, status: DRAFT}]\n")
    write(
        tmp_path,
        "2.yaml",
        "version: 1\naccount: {id: 500000001, currency: USD, name: Main}\n"
        "campaignGroups: [{name: A, status: DRAFT}]\n",
    )
    write(tmp_path, "3.yaml", "version: 1\naccount: {id: 500000002, currency: EUR}\n")
    state = load_project([tmp_path])
    assert [a.id for a in state.accounts] == [500000001, 500000002]
    assert [g.name for g in state.accounts[0].groups] == ["B", "A"]
    assert state.accounts[0].name == "Main" and state.accounts[1].currency == "EUR"


def test_a_missing_path_or_an_empty_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    problems = validate_paths([tmp_path / "nope", tmp_path / "empty"])
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'empty'}: no .yaml or .yml files in this directory",
        f"{tmp_path / 'nope'}: no such file or directory",
    ]
    with pytest.raises(ManifestError, match="no manifest paths given"):
        load_project([])


def test_an_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.yaml", ACCOUNT)
    path.chmod(0)
    try:
        if _readable(path):
            pytest.skip("running as a user who can read anything")
        assert [str(p) for p in validate_paths([path])] == [
            f"{path}:1:1: cannot read the file: Permission denied"
        ]
    finally:
        path.chmod(0o644)


def _readable(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True


def test_a_file_given_by_name_is_read_whatever_its_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "manifest.txt", ACCOUNT)
    assert load_project([path]).files == (str(path),)


def test_the_typo_from_the_issue_is_reported_with_its_line_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES / "quickstart", tmp_path / "quickstart")
    target = tmp_path / "quickstart" / "q1-brand.yaml"
    lines = target.read_text().splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, 1) if "dailyBudget: 50 USD" in text)
    lines[line - 1] = lines[line - 1].replace("dailyBudget", "dailyBudgett")
    target.write_text("".join(lines))
    monkeypatch.chdir(tmp_path)
    (problem,) = validate_paths(["quickstart"])
    assert str(problem) == (
        f"quickstart/q1-brand.yaml:{line}:9: campaignGroups[0].campaigns[0].dailyBudgett: "
        "unknown field 'dailyBudgett' — did you mean 'dailyBudget'?"
    )


def test_safety_thresholds_are_read_and_must_agree_across_files(tmp_path: Path) -> None:
    safety = "account: {id: 500000001, currency: USD, "
    safety += "safety: {maxDailyBudgetIncrease: 1.5, minManagedEntities: 3}}\n"
    write(tmp_path, "a.yaml", "version: 1\n" + safety)
    state = load_project([tmp_path])
    assert state.accounts[0].safety == Safety(None, 1.5, 3)
    write(
        tmp_path,
        "b.yaml",
        "version: 1\naccount: {id: 500000001, currency: USD, safety: {maxRemovalFraction: 0.5}}\n",
    )
    with pytest.raises(ManifestError) as caught:
        load_project([tmp_path])
    (problem,) = caught.value.problems
    assert problem.path == "account.safety" and "disagrees with" in problem.message


def test_the_minimum_daily_budget_is_left_to_linkedins_pricing_answer(tmp_path: Path) -> None:
    # It differs per currency and campaign: the plan asks adBudgetPricing (reconciler.review).
    text = (
        ACCOUNT + "campaignGroups:\n  - name: G\n    id: 10\n    campaigns:\n"
        "      - name: C\n        id: 20\n        status: DRAFT\n"
        "        dailyBudget: 5 USD\n"
    )
    write(tmp_path, "a.yaml", text)
    assert validate_paths([tmp_path]) == []
