"""The Plan as data: round trips, checksum, tamper refusal, summary, guardrails, order, schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reconciler.errors import LimitExceeded, UnsafePlan
from reconciler.live import LiveAccount
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    CampaignStatus,
    CampaignType,
    CostType,
    Creative,
    CreativeStatus,
    GroupStatus,
    Money,
    PostReference,
    Schedule,
    Targeting,
)
from reconciler.plan import (
    OPTIONAL_FIELDS,
    PLAN_FORMAT_VERSION,
    Action,
    BudgetImpact,
    FieldChange,
    Headroom,
    Kind,
    Plan,
    ResourceChange,
    Unmanaged,
    Violation,
    checksum_of,
    sort_changes,
)
from reconciler.planner import PlanOptions, make_plan
from tests.render.sample_plans import ALL, empty_plan, mixed_plan, new_account_plan

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())

# -- plans made by the planner ---------------------------------------------------------------------

ACCOUNT = 500000001
ACCOUNT_URN = f"urn:li:sponsoredAccount:{ACCOUNT}"


def live_group(gid: int, name: str, status: str = "ACTIVE", **extra: Any) -> CampaignGroup:
    data = {"id": gid, "name": name, "account": ACCOUNT_URN, "status": status, "version": {"versionTag": "1"}}
    return CampaignGroup.from_api({**data, **extra})


def live_campaign(cid: int, gid: int, name: str, status: str = "ACTIVE") -> Campaign:
    return Campaign.from_api(
        {
            "id": cid,
            "name": name,
            "campaignGroup": f"urn:li:sponsoredCampaignGroup:{gid}",
            "account": ACCOUNT_URN,
            "status": status,
            "type": "SPONSORED_UPDATES",
            "costType": "CPM",
            "dailyBudget": {"amount": "50", "currencyCode": "USD"},
            "version": {"versionTag": "3"},
            "changeAuditStamps": {"created": {"time": 1}, "lastModified": {"time": 1_767_300_000_000}},
        }
    )


def live_creative(rid: int, cid: int, name: str, status: str = "ACTIVE") -> Creative:
    return Creative.from_api(
        {
            "id": f"urn:li:sponsoredCreative:{rid}",
            "name": name,
            "campaign": f"urn:li:sponsoredCampaign:{cid}",
            "intendedStatus": status,
            "content": {"reference": f"urn:li:share:{rid}"},
            "version": {"versionTag": "2"},
            "lastModifiedAt": 1_767_300_000_000,
        }
    )


def desired_campaign(name: str, *creatives: Creative, **kw: Any) -> Campaign:
    kw.setdefault("status", CampaignStatus.ACTIVE)
    kw.setdefault("type", CampaignType.SPONSORED_UPDATES)
    kw.setdefault("cost_type", CostType.CPM)
    kw.setdefault("daily_budget", Money.parse("50 USD"))
    return Campaign(name=name, creatives=creatives, **kw)


def desired_creative(name: str, rid: int) -> Creative:
    return Creative(
        name=name, content=PostReference(f"urn:li:share:{rid}"), intended_status=CreativeStatus.ACTIVE
    )


def planned(desired: Account, live: LiveAccount, **options: Any) -> Plan:
    return make_plan(
        [desired],
        {ACCOUNT: live},
        target="test",
        api_version="202610",
        manifest_checksum="sha256:" + "0" * 64,
        options=PlanOptions(**options),
    )


def default_group() -> CampaignGroup:
    return live_group(1, "Default Campaign Group", backfilled=True)


def planned_new_account() -> Plan:
    campaign = desired_campaign(
        "Q1 Brand — US",
        desired_creative("Hero", 1),
        desired_creative("Second", 2),
        targeting=Targeting.build([{"locations": ["urn:li:geo:103644278"]}]),
        run_schedule=Schedule(1_767_225_600_000, 1_774_915_200_000),
    )
    group = CampaignGroup(name="Q1 Brand", status=GroupStatus.ACTIVE, campaigns=(campaign,))
    empty = LiveAccount(ACCOUNT, "USD", "Test", (default_group(),))
    return planned(Account(id=ACCOUNT, currency="USD", groups=(group,)), empty)


def planned_mixed(**options: Any) -> Plan:
    """Update, replace, archive, delete, ignored drift and an unmanaged group against one live account."""
    live = LiveAccount(
        ACCOUNT,
        "USD",
        "Test",
        (default_group(), live_group(10, "Brand"), live_group(11, "Events")),
        (
            live_campaign(20, 10, "Prospecting"),
            live_campaign(21, 10, "Retargeting"),
            live_campaign(22, 10, "Old"),
            live_campaign(23, 10, "Draft", "DRAFT"),
            live_campaign(24, 10, "Quiet"),
        ),
        (live_creative(30, 20, "Hero"),),
    )
    campaigns = (
        desired_campaign(
            "Prospecting",
            desired_creative("Hero", 30),
            desired_creative("New", 31),
            daily_budget=Money.parse("75 USD"),
            targeting=Targeting.build([{"locations": ["urn:li:geo:1"]}]),
        ),
        desired_campaign("Retargeting", cost_type=CostType.CPC),
        desired_campaign("Quiet", daily_budget=Money.parse("60 USD"), ignore_changes=("dailyBudget",)),
    )
    group = CampaignGroup(name="Brand", status=GroupStatus.ACTIVE, prune=True, campaigns=campaigns)
    return planned(Account(id=ACCOUNT, currency="USD", groups=(group,)), live, **options)


PLANS = {
    **{f"sample-{name}": make for name, make in ALL.items()},
    "planned-new-account": planned_new_account,
    "planned-mixed": planned_mixed,
}


# -- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PLANS))
def test_from_dict_rebuilds_the_same_plan(name: str) -> None:
    plan = PLANS[name]()
    assert Plan.from_dict(plan.to_dict()) == plan
    assert Plan.from_dict(json.loads(plan.to_json())) == plan
    assert Plan.from_dict(plan.to_dict()).to_dict() == plan.to_dict()


def test_from_dict_restores_enums_and_tuples() -> None:
    plan = Plan.from_dict(json.loads(mixed_plan().to_json()))
    change = plan.changes[0]
    assert isinstance(change.kind, Kind) and isinstance(change.action, Action)
    assert isinstance(change.path, tuple) and isinstance(change.fields[0], FieldChange)
    assert isinstance(change.delete_fields, tuple) and isinstance(plan.notes, tuple)
    assert isinstance(plan.unmanaged[0], Unmanaged) and isinstance(plan.unmanaged[0].path, tuple)
    assert isinstance(plan.headroom[0], Headroom) and isinstance(plan.budgets[0], BudgetImpact)
    assert isinstance(plan.violations[0], Violation)


def test_to_dict_is_plain_json() -> None:
    data = planned_mixed().to_dict()
    assert json.loads(json.dumps(data)) == data  # no enums, tuples or other non-JSON types survive
    assert data["format_version"] == PLAN_FORMAT_VERSION == 1


def test_to_json_is_sorted_and_stable() -> None:
    text = mixed_plan().to_json()
    assert text == mixed_plan().to_json()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# -- checksum --------------------------------------------------------------------------------------


def tiny_plan() -> Plan:
    change = ResourceChange(
        Kind.GROUP, Action.CREATE, ("1", "g"), fields=(FieldChange("name", None, "g"),), body={"name": "g"}
    )
    return Plan("emulator", "202610", "sha256:" + "0" * 64, changes=(change,))


def test_checksum_is_pinned() -> None:
    # Changing this value breaks every saved plan: only with a format_version bump.
    assert tiny_plan().checksum == "sha256:69f4d2e40b9da518ebfa6b71cef425ab218499b1a59ca48e3a61cac9f8059473"


def test_checksum_is_the_same_in_another_process() -> None:
    code = "from tests.render.sample_plans import mixed_plan; print(mixed_plan().checksum)"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    other = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == mixed_plan().checksum


def test_checksum_covers_the_content_but_not_the_summary() -> None:
    data = mixed_plan().to_dict()
    assert data["checksum"] == checksum_of(data) == checksum_of({**data, "summary": {}})


@pytest.mark.parametrize(
    "edit",
    [
        lambda p: replace(p, target="staging"),
        lambda p: replace(p, api_version="202609"),
        lambda p: replace(p, manifest_checksum="sha256:" + "1" * 64),
        lambda p: replace(p, notes=()),
        lambda p: replace(p, changes=p.changes[1:]),
        lambda p: replace(p, changes=(replace(p.changes[0], version_tag="5"), *p.changes[1:])),
        lambda p: replace(
            p, changes=(replace(p.changes[0], fields=(FieldChange("x", 1, 2),)), *p.changes[1:])
        ),
        lambda p: replace(p, budgets=(replace(p.budgets[0], daily_after="81"), *p.budgets[1:])),
    ],
)
def test_checksum_changes_when_content_changes(edit: Any) -> None:
    plan = mixed_plan()
    assert edit(plan).checksum != plan.checksum


# -- tamper refusal --------------------------------------------------------------------------------


def edited(mutate: Any) -> dict[str, Any]:
    data = json.loads(mixed_plan().to_json())
    mutate(data)
    return dict(data)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["changes"][0]["fields"][0].update(new={"amount": "9999", "currencyCode": "USD"}),
        lambda d: d["changes"][0]["body"].update(dailyBudget={"amount": "9999", "currencyCode": "USD"}),
        lambda d: d["changes"].pop(),
        lambda d: d["violations"].clear(),
        lambda d: d.update(target="staging"),
        lambda d: d.update(checksum="sha256:" + "0" * 64),
        lambda d: d.pop("checksum"),
    ],
)
def test_from_dict_refuses_an_edited_plan(mutate: Any) -> None:
    with pytest.raises(ValueError, match="checksum does not match"):
        Plan.from_dict(edited(mutate))


# -- summary ---------------------------------------------------------------------------------------


def test_summary_counts_each_action_and_the_unmanaged() -> None:
    assert mixed_plan().summary() == {
        "create": 1,
        "update": 2,
        "ignored": 1,
        "archive": 1,
        "delete": 1,
        "replace": 1,
        "unmanaged": 2,
    }
    assert mixed_plan().to_dict()["summary"] == mixed_plan().summary()
    assert planned_new_account().summary() == {
        "create": 4,
        "update": 0,
        "ignored": 0,
        "archive": 0,
        "delete": 0,
        "replace": 0,
        "unmanaged": 0,
    }


def test_empty() -> None:
    assert empty_plan().empty and not new_account_plan().empty
    assert empty_plan().summary() == dict.fromkeys(
        ("create", "update", "archive", "delete", "replace", "ignored", "unmanaged"), 0
    )


# -- guardrails ------------------------------------------------------------------------------------


def with_violations(*guards: str) -> Plan:
    return replace(empty_plan(), violations=tuple(Violation(g, f"{g} crossed") for g in guards))


def test_no_violation_passes() -> None:
    with_violations().check_guardrails()
    new_account_plan().check_guardrails()


def test_a_broken_limit_is_refused_even_with_force() -> None:
    for force in (False, True):
        with pytest.raises(LimitExceeded, match="limit crossed"):
            with_violations("threshold", "limit").check_guardrails(force=force)


def test_a_crossed_threshold_needs_force() -> None:
    with pytest.raises(UnsafePlan, match="needs --force: threshold crossed"):
        with_violations("threshold").check_guardrails()
    with_violations("threshold").check_guardrails(force=True)


def test_the_planner_reports_a_replace_without_allow_replace() -> None:
    plan = planned_mixed()
    assert [v.guard for v in plan.violations] == ["replace"]
    assert [v.guard for v in planned_mixed(allow_replace=True).violations] == []


def test_replaces_are_refused_unless_allowed_when_applying() -> None:
    # Decided by the flag given at apply time, whatever the plan was made with.
    made_allowing = planned_mixed(allow_replace=True)
    with pytest.raises(UnsafePlan, match="needs --allow-replace"):
        made_allowing.check_guardrails(force=True)
    planned_mixed().check_guardrails(force=True, allow_replace=True)


# -- order -----------------------------------------------------------------------------------------


def change(kind: Kind, action: Action, *names: str) -> ResourceChange:
    return ResourceChange(kind, action, ("1", *names), id=None if action is Action.CREATE else 1)


def test_creates_parents_first_archives_children_first() -> None:
    ordered = [
        change(Kind.GROUP, Action.CREATE, "b"),
        change(Kind.GROUP, Action.UPDATE, "c"),
        change(Kind.CAMPAIGN, Action.CREATE, "b", "x"),
        change(Kind.CAMPAIGN, Action.REPLACE, "c", "y"),
        change(Kind.CREATIVE, Action.CREATE, "b", "x", "ad"),
        change(Kind.CREATIVE, Action.DELETE, "a", "old", "ad"),
        change(Kind.CAMPAIGN, Action.ARCHIVE, "a", "old"),
        change(Kind.GROUP, Action.ARCHIVE, "a"),
    ]
    for shuffled in (list(reversed(ordered)), ordered[3:] + ordered[:3], ordered[::2] + ordered[1::2]):
        assert list(sort_changes(shuffled)) == ordered


def test_the_planner_orders_its_plans() -> None:
    for plan in (planned_new_account(), planned_mixed()):
        assert plan.changes == sort_changes(plan.changes)
    kinds = [c.kind for c in planned_new_account().changes]
    assert kinds == [Kind.GROUP, Kind.CAMPAIGN, Kind.CREATIVE, Kind.CREATIVE]


# -- schema ----------------------------------------------------------------------------------------


def test_the_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"].startswith("urn:uuid:")  # not a URL someone else could register


def test_the_schema_ships_with_the_package() -> None:
    packaged = resources.files("reconciler") / "schemas" / "plan.schema.json"
    assert json.loads(packaged.read_text(encoding="utf-8")) == SCHEMA


@pytest.mark.parametrize("name", sorted(PLANS))
def test_plans_validate_against_the_schema(name: str) -> None:
    VALIDATOR.validate(PLANS[name]().to_dict())


@pytest.mark.parametrize(
    ("definition", "cls"),
    [
        (None, Plan),
        ("change", ResourceChange),
        ("fieldChange", FieldChange),
        ("unmanaged", Unmanaged),
        ("budget", BudgetImpact),
        ("headroom", Headroom),
        ("violation", Violation),
    ],
)
def test_the_schema_describes_exactly_the_dataclass_fields(definition: str | None, cls: type) -> None:
    node = SCHEMA if definition is None else SCHEMA["$defs"][definition]
    names = {f.name for f in fields(cls)} | ({"summary", "checksum"} if cls is Plan else set())
    run_only = {"api"} if cls is Plan else set()  # 'plan --format json' only, never in a saved plan
    assert set(node["properties"]) == names | run_only
    # Fields a plan may leave out when unset (what its review found, the targeting names).
    assert names - OPTIONAL_FIELDS == set(node["required"])
    assert node["additionalProperties"] is False


def test_every_definition_and_property_is_titled_and_described() -> None:
    def described(node: dict[str, Any]) -> bool:
        if "$ref" in node and "description" not in node:
            node = SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")]
        return "title" in node and "description" in node

    nodes = {"#": SCHEMA, **{f"$defs/{k}": v for k, v in SCHEMA["$defs"].items()}}
    for where, node in list(nodes.items()):
        nodes.update({f"{where}/{k}": v for k, v in node.get("properties", {}).items()})
    undescribed = [where for where, node in nodes.items() if not described(node)]
    assert not undescribed


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(extra=1),
        lambda d: d.update(format_version=2),
        lambda d: d.update(checksum="md5:abc"),
        lambda d: d["changes"][0].update(action="destroy"),
        lambda d: d["changes"][0].update(colour="red"),
        lambda d: d["changes"][0].update(id=None),  # an update needs the live id
        lambda d: d["changes"][0].update(path=["500000001", "Brand"]),  # a campaign path has 3 parts
        lambda d: d["unmanaged"][0].update(kind="ad"),
        lambda d: d["budgets"][0].update(daily_after="1e3"),
        lambda d: d["headroom"][0].update(after=-1),
        lambda d: d["violations"][0].update(guard="soft"),
        lambda d: d["summary"].pop("replace"),
    ],
)
def test_the_schema_rejects_what_to_dict_never_writes(mutate: Any) -> None:
    data = json.loads(mixed_plan().to_json())
    mutate(data)
    assert list(VALIDATOR.iter_errors(data))


def test_a_create_has_no_live_id_in_the_schema() -> None:
    data = json.loads(new_account_plan().to_json())
    data["changes"][0]["id"] = 5
    assert list(VALIDATOR.iter_errors(data))


@pytest.mark.parametrize("data", [None, [1, 2], "plan", 3])
def test_from_dict_refuses_what_is_not_a_plan_object(data: Any) -> None:
    with pytest.raises(ValueError, match="not a plan"):
        Plan.from_dict(data)
