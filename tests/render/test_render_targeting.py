"""Targeting in every view: per facet, values added and removed, by name, never cut."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from reconciler.facetdiff import facet_changes, facet_values
from reconciler.model import Targeting
from reconciler.plan import Plan
from reconciler.planner import PlanOptions, make_plan
from reconciler.render import human, jsonout, markdown
from reconciler.render.targeting import facet_lines
from tests.planner.builders import (
    ACCOUNT,
    account,
    campaign,
    creative,
    group,
    live_account,
    live_campaign,
    live_creative,
    live_group,
)

SENIORITIES = [f"urn:li:seniority:{n}" for n in range(4, 11)]
TITLES = [f"urn:li:title:{n}" for n in range(100, 160)]  # long enough to be cut as one line
NAMES = {
    "urn:li:seniority:1": "Unpaid",
    "urn:li:seniority:3": "Entry",
    "urn:li:geo:103644278": "United States",
}


def targeting(exclude: list[str]) -> Targeting:
    include = [{"locations": ["urn:li:geo:103644278"]}, {"seniorities": SENIORITIES, "titles": TITLES}]
    return Targeting.build(include, {"seniorities": exclude} if exclude else None)


def plan_of(before: list[str], after: list[str], **options: Any) -> Plan:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US", targetingCriteria=targeting(before).to_api())],
        [live_creative(30, 20, "Hero")],
    )
    desired = account(group("Brand", campaign("Brand US", creative("Hero", 30), targeting=targeting(after))))
    made = make_plan(
        [desired],
        {ACCOUNT: live},
        target="test",
        api_version="202610",
        manifest_checksum="sha256:x",
        options=PlanOptions(**options),
    )
    names = {**NAMES, **{u: f"Title {u.rsplit(':', 1)[1]}" for u in TITLES}}
    return replace(made, names=names)


def test_adding_one_excluded_seniority_shows_exactly_that_value_by_name() -> None:
    plan = plan_of(["urn:li:seniority:1"], ["urn:li:seniority:1", "urn:li:seniority:3"])
    text = human.render(plan.to_dict())
    at = text.index("      targetingCriteria:\n")
    block = text[at:].split("\n")[1:]
    assert block[0] == "        + exclude seniorities: Entry"
    assert not block[1].startswith("        ")  # that is the only facet line
    md = markdown.render(plan.to_dict())
    assert "\n      targetingCriteria:\n+       exclude seniorities: Entry\n" in md
    assert md.count("+       ") == 1 and "Unpaid" not in md


def test_the_json_plan_carries_the_names_and_the_per_facet_difference() -> None:
    plan = plan_of(["urn:li:seniority:1"], ["urn:li:seniority:1", "urn:li:seniority:3"])
    document = json.loads(jsonout.render(plan.to_dict()))
    (change,) = document["changes"]
    assert change["targetingDiff"] == [
        {"section": "exclude", "facet": "seniorities", "added": ["urn:li:seniority:3"], "removed": []}
    ]
    assert document["names"]["urn:li:seniority:3"] == "Entry"
    assert Plan.from_dict(document).to_dict() == document


def test_a_create_lists_every_facet_whole_by_name() -> None:
    desired = account(group("Brand", campaign("Brand US", targeting=targeting(["urn:li:seniority:1"]))))
    made = make_plan(
        [desired], {ACCOUNT: live_account()}, target="t", api_version="202610", manifest_checksum="sha256:x"
    )
    text = human.render(replace(made, names=NAMES).to_dict())
    assert "        include locations: United States\n" in text
    assert "        exclude seniorities: Unpaid\n" in text
    titles = next(line for line in text.splitlines() if "include titles:" in line)
    assert titles.endswith("urn:li:title:159") and "…" not in titles


def test_explain_tells_a_targeting_facet_by_facet_by_name() -> None:
    plan = plan_of([], ["urn:li:seniority:3"], explain="targetingCriteria", names=NAMES)
    (note,) = plan.notes
    assert note == (
        "500000001 / Brand / Brand US: targetingCriteria: different, facet by facet\n"
        "  + exclude seniorities: Entry"
    )
    assert "facet by facet" in human.render(plan.to_dict())


def test_a_facet_in_two_clauses_is_told_apart_and_removals_are_shown() -> None:
    old = Targeting.build([{"titles": ["urn:li:title:1"]}, {"titles": ["urn:li:title:2"]}]).to_api()
    new = Targeting.build([{"titles": ["urn:li:title:1"]}, {"titles": ["urn:li:title:3"]}]).to_api()
    assert set(facet_values(old)) == {("include (clause 1)", "titles"), ("include (clause 2)", "titles")}
    (change,) = facet_changes(old, new)
    assert (change.added, change.removed) == (("urn:li:title:3",), ("urn:li:title:2",))


def test_a_targeting_set_where_there_was_none_adds_every_value() -> None:
    field = {"field": "targetingCriteria", "old": None, "new": targeting([]).to_api(), "ignored": False}
    lines = facet_lines(field, NAMES, created=False)
    assert lines[0] == "+ include locations: United States" and all(line.startswith("+ ") for line in lines)


def test_alike_changes_keep_the_review_notes_they_share() -> None:
    spent = {"amount": "0", "currencyCode": "USD", "impressions": 0, "days": 7}
    change = {
        "kind": "campaign",
        "action": "archive",
        "fields": [{"field": "status", "old": "ACTIVE", "new": "ARCHIVED", "ignored": False}],
        "body": {"status": "ARCHIVED"},
        "recentSpend": spent,
    }
    plan = {"changes": [{**change, "path": ["1", "G", name], "id": n} for n, name in ((1, "A"), (2, "B"))]}
    text = markdown.render(plan)
    assert "# archiving a campaign that spent 0 USD and had 0 impressions in the last 7 days" in text


def test_a_name_holding_a_comma_is_quoted_so_each_value_reads_apart() -> None:
    include = {"include": {"and": [{"or": {"urn:li:adTargetingFacet:industries": ["urn:li:industry:4"]}}]}}
    wider = {
        "include": {
            "and": [
                {"or": {"urn:li:adTargetingFacet:industries": ["urn:li:industry:4", "urn:li:industry:6"]}}
            ]
        }
    }
    names = {
        "urn:li:industry:4": "Software Development",
        "urn:li:industry:6": "Technology, Information and Internet",
    }
    field = {"field": "targetingCriteria", "old": include, "new": wider}
    assert facet_lines(field, names, created=False) == [
        '+ include industries: "Technology, Information and Internet"'
    ]
    assert facet_lines(field, names, created=True) == [
        'include industries: Software Development, "Technology, Information and Internet"'
    ]
