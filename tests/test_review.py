"""A plan's review: audience size, bid and budget floors, recent spend and names, through the
transport seam (a fake LinkedIn answering the documented shapes)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.parse import unquote

import httpx
import jsonschema
import pytest

from reconciler.api import LinkedInClient
from reconciler.errors import BelowMinimum
from reconciler.live import LiveAccount
from reconciler.model import Account, CampaignType, Money, Targeting
from reconciler.plan import Plan
from reconciler.planner import make_plan
from reconciler.render import human, markdown
from reconciler.review import review
from reconciler.review_pricing import far_from_suggestion
from tests.api.fakes import FakeLinkedIn, make_client, query_of
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
from tests.workflows.support import ROOT

US = Targeting.build([{"locations": ["urn:li:geo:103644278"]}])
TINY = Targeting.build([{"locations": ["urn:li:geo:103644278"]}, {"titles": ["urn:li:title:9"]}])
TODAY = date(2026, 12, 6)


class Answers:
    """Answers of the helper endpoints, as the docs shape them; counts the calls per resource."""

    def __init__(
        self, currency: str = "USD", *, reporting: bool = True, refused: str = "", spent: Any = "1234.5"
    ) -> None:
        self.currency = currency
        self.spent = spent
        self.reporting = reporting
        self.refused = refused  # a campaign type adBudgetPricing answers 400 for
        self.calls: dict[str, int] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        resource = request.url.raw_path.decode().partition("?")[0].rsplit("/", 1)[1]
        self.calls[resource] = self.calls.get(resource, 0) + 1
        query = unquote(query_of(request))
        if resource == "audienceCounts":
            total = 0 if "urn:li:title:9" in query else 25_312_600
            return httpx.Response(200, json={"elements": [{"active": 0, "total": total}]})
        if resource == "adBudgetPricing":
            if self.refused and f"campaignType={self.refused}" in query:
                return httpx.Response(400, json={"status": 400, "message": "Invalid campaignType"})
            return httpx.Response(200, json={"elements": [self.pricing()]})
        if resource == "adAnalytics":
            if not self.reporting:
                return httpx.Response(403, json={"status": 403, "message": "Not enough permissions"})
            row = {
                "costInLocalCurrency": self.spent,
                "impressions": 56789 if self.spent == "1234.5" else -5,
                "pivotValues": ["urn:li:sponsoredCampaign:20"],
            }
            return httpx.Response(200, json={"elements": [row]})
        if resource == "adTargetingEntities":
            names = {"urn:li:geo:103644278": "United States", "urn:li:seniority:3": "Entry"}
            found = [{"urn": u, "name": n} for u, n in names.items() if u in query]
            return httpx.Response(200, json={"elements": found})
        return httpx.Response(404, json={"status": 404, "message": "Not Found"})

    def pricing(self) -> dict[str, Any]:
        floor = {"USD": ("2", "10"), "EUR": ("1.8", "9.5")}[self.currency]

        def money(amount: str) -> dict[str, str]:
            return {"amount": amount, "currencyCode": self.currency}

        return {
            "bidLimits": {"min": money(floor[0]), "max": money("100")},
            "suggestedBid": {"default": money("7.5"), "min": money("6"), "max": money("9")},
            "dailyBudgetLimits": {"min": money(floor[1]), "max": money("1000000"), "default": money("50")},
        }


def planned(
    desired: Account, live: LiveAccount, answers: Answers, reporting: Callable[[], bool] | None = None
) -> Plan:
    made = make_plan(
        [desired], {ACCOUNT: live}, target="t", api_version="202610", manifest_checksum="sha256:x"
    )
    with make_client(FakeLinkedIn(answers)) as client:
        return review(
            made, client.insights, {ACCOUNT: live}, name_urns=named(client), today=TODAY, reporting=reporting
        )


def named(client: LinkedInClient) -> Callable[[Sequence[str]], dict[str, str]]:
    return lambda urns: {u: e.name for u, e in client.targeting.by_urns(urns).items()}


def matching_live(**extra: Any) -> LiveAccount:
    return live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US", targetingCriteria=US.to_api(), **extra)],
        [live_creative(30, 20, "Hero")],
    )


def brand(**kw: Any) -> Account:
    kw.setdefault("targeting", US)
    return account(group("Brand", campaign("Brand US", creative("Hero", 30), **kw)))


def test_a_created_campaign_carries_its_audience_size_and_pricing() -> None:
    answers = Answers()
    plan = planned(brand(), live_account(), answers)
    (created,) = [c for c in plan.changes if c.kind.value == "campaign"]
    assert created.audienceSize == 25_312_600
    assert created.pricing is not None and created.pricing["bidLimits"]["min"]["amount"] == "2"
    assert plan.to_dict()["changes"][1]["audienceSize"] == 25_312_600
    assert "# audience: 25,312,600 members" in human.render(plan.to_dict())
    assert answers.calls == {"audienceCounts": 1, "adBudgetPricing": 1, "adTargetingEntities": 1}
    assert plan.names == {"urn:li:geo:103644278": "United States"}


def test_activating_a_campaign_under_300_members_is_refused_a_draft_is_warned() -> None:
    plan = planned(brand(targeting=TINY), live_account(), Answers())
    (violation,) = plan.violations
    assert violation.guard == "audience" and "300-member minimum" in violation.message
    with pytest.raises(BelowMinimum, match="300-member minimum"):
        plan.check_guardrails()
    assert "This plan will be refused" in markdown.render(plan.to_dict())
    draft = planned(brand(targeting=TINY, status="DRAFT"), live_account(), Answers())
    assert draft.violations == ()
    assert any("fewer than 300 members" in note and "DRAFT" in note for note in draft.notes)


def test_one_audience_question_per_distinct_targeting_and_none_for_unchanged_campaigns() -> None:
    answers = Answers()
    desired = account(
        group(
            "Brand", campaign("A", targeting=US), campaign("B", targeting=US), campaign("C", targeting=TINY)
        )
    )
    planned(desired, live_account(), answers)
    assert answers.calls["audienceCounts"] == 2
    quiet = Answers()
    assert planned(brand(), matching_live(), quiet).changes == ()
    assert quiet.calls == {}


def test_a_bid_under_the_floor_is_refused_with_the_floor_shown() -> None:
    plan = planned(brand(unit_cost=Money.parse("0.01 USD")), live_account(), Answers())
    (violation,) = plan.violations
    assert violation.guard == "pricing"
    assert "unitCost 0.01 USD is below LinkedIn's bid floor of 2 USD" in violation.message
    text = human.render(plan.to_dict())
    assert "bid floor 2 USD" in text and "LinkedIn suggests a bid of 7.5 USD (6 USD to 9 USD)" in text
    assert not any("LinkedIn suggests" in note for note in plan.notes)  # the refusal says it already


def test_a_eur_account_gets_its_own_budget_minimum() -> None:
    live = LiveAccount(ACCOUNT, "EUR", "Test", live_account().groups)
    desired = account(group("Brand", campaign("Brand US", targeting=US, daily="9 EUR")))
    plan = planned(desired, live, Answers("EUR"))
    (violation,) = plan.violations
    assert "dailyBudget 9 EUR is below LinkedIn's minimum daily budget of 9.5 EUR" in violation.message
    ok = planned(
        account(group("Brand", campaign("Brand US", targeting=US, daily="9.5 EUR"))), live, Answers("EUR")
    )
    assert ok.violations == ()


def test_archiving_a_campaign_shows_its_last_7_days_spend() -> None:
    answers = Answers()
    plan = planned(brand(status="ARCHIVED"), matching_live(), answers)
    (archive,) = plan.changes
    assert archive.recentSpend == {"amount": "1234.5", "currencyCode": "USD", "impressions": 56789, "days": 7}
    assert answers.calls == {"adAnalytics": 1}
    text = human.render(plan.to_dict())
    assert "archiving a campaign that spent 1,234.5 USD and had 56,789 impressions in the last 7 days" in text
    assert "archiving a campaign that spent 1,234.5 USD" in markdown.render(plan.to_dict())
    assert json.loads(plan.to_json())["changes"][0]["recentSpend"]["amount"] == "1234.5"


def test_without_reporting_access_the_plan_says_so_in_one_line_and_goes_on() -> None:
    plan = planned(brand(status="PAUSED"), matching_live(), Answers(reporting=False))
    (change,) = plan.changes
    assert change.recentSpend is None
    (note,) = plan.notes
    assert "spend is not shown" in note and "r_ads_reporting" in note


def test_a_token_known_to_lack_r_ads_reporting_is_one_note_and_no_reporting_call() -> None:
    asked: list[bool] = []

    def reporting() -> bool:
        asked.append(True)
        return False

    answers = Answers()
    plan = planned(brand(status="PAUSED"), matching_live(), answers, reporting)
    (change,) = plan.changes
    assert change.recentSpend is None and "adAnalytics" not in answers.calls
    assert plan.notes == (
        "the last 7 days' spend is not shown: the token lacks the r_ads_reporting scope (token "
        "introspection); authorize the app again with r_ads_reporting to see it",
    )
    assert all("r_ads_reporting" not in v.message for v in plan.violations)  # a note, not a violation
    # Asked only when spend is to be shown: a created campaign has spent nothing.
    asked.clear()
    created = planned(brand(), live_account(), Answers(), reporting)
    assert asked == [] and not any("r_ads_reporting" in n for n in created.notes)


def test_a_server_that_does_not_answer_leaves_a_note_not_a_failure() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"status": 404, "message": "Not Found"})

    made = make_plan(
        [brand()], {ACCOUNT: live_account()}, target="t", api_version="202610", manifest_checksum="sha256:x"
    )
    with make_client(FakeLinkedIn(broken)) as client:
        plan = review(made, client.insights, {ACCOUNT: live_account()}, name_urns=named(client), today=TODAY)
    assert plan.violations == ()
    assert any("audience size" in note and "could not be read" in note for note in plan.notes)


def test_a_bid_far_from_the_suggestion_is_warned_with_the_suggestion() -> None:
    plan = planned(brand(unit_cost=Money.parse("30 USD")), live_account(), Answers())
    assert plan.violations == ()
    assert any(
        "unitCost 30 USD is above the range of bids LinkedIn suggests, 6 USD to 9 USD (suggested 7.5 USD)"
        in note
        for note in plan.notes
    )


def test_activating_a_draft_whose_audience_is_under_300_is_refused() -> None:
    live = live_account(
        [live_group(10, "Brand")],
        [live_campaign(20, 10, "Brand US", status="DRAFT", targetingCriteria=TINY.to_api())],
        [live_creative(30, 20, "Hero")],
    )
    plan = planned(brand(targeting=TINY), live, Answers())
    assert [v.guard for v in plan.violations] == ["audience"]
    assert plan.changes[0].audienceSize == 0


def test_settings_linkedin_refuses_to_price_are_noted_and_the_other_campaigns_still_judged() -> None:
    answers = Answers(refused="TEXT_AD")
    desired = account(
        group(
            "Brand",
            campaign("A", targeting=US, type=CampaignType.TEXT_AD),
            campaign("B", targeting=US, unit_cost=Money.parse("0.01 USD")),
        )
    )
    plan = planned(desired, live_account(), answers)
    assert answers.calls["adBudgetPricing"] == 2
    assert any("bid and budget limits of 500000001 / Brand / A could not be read" in n for n in plan.notes)
    assert [v.guard for v in plan.violations] == ["pricing"]


def test_a_reviewed_plan_is_valid_against_the_plan_schema_and_round_trips() -> None:
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    reviewed = [
        planned(brand(unit_cost=Money.parse("0.01 USD")), live_account(), Answers()),
        planned(brand(status="ARCHIVED"), matching_live(), Answers()),
        planned(brand(targeting=TINY), live_account(), Answers()),
    ]
    for plan in reviewed:
        document = json.loads(plan.to_json())
        jsonschema.validate(document, schema)
        assert Plan.from_dict(document).to_json() == plan.to_json()


def test_settings_refused_once_are_not_asked_again_for_every_campaign_that_shares_them() -> None:
    answers = Answers(refused="TEXT_AD")
    many = [campaign(f"Text {n}", targeting=US, type=CampaignType.TEXT_AD) for n in range(30)]
    plan = planned(account(group("Brand", *many)), live_account(), answers)
    assert answers.calls["adBudgetPricing"] == 1  # one refused question, not one per campaign
    assert sum("bid and budget limits" in n for n in plan.notes) == 1


@pytest.mark.parametrize("spent", ["-1234.5", "1234.5x"])
def test_a_spend_row_that_cannot_be_money_is_left_out_and_the_plan_stays_valid(spent: str) -> None:
    plan = planned(brand(status="ARCHIVED"), matching_live(), Answers(spent=spent))
    (archive,) = plan.changes
    assert archive.recentSpend == {"amount": "0", "currencyCode": "USD", "impressions": 0, "days": 7}
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(plan.to_json()), schema)


def test_a_plan_of_many_distinct_targetings_asks_a_bounded_number_of_questions_and_says_so() -> None:
    answers = Answers()
    many = [
        campaign(f"C{n}", targeting=Targeting.build([{"locations": [f"urn:li:geo:{100 + n}"]}]))
        for n in range(105)
    ]
    plan = planned(account(group("Brand", *many)), live_account(), answers)
    assert answers.calls["audienceCounts"] == answers.calls["adBudgetPricing"] == 100
    assert sum(c.audienceSize is not None for c in plan.changes) == 100
    notes = [n for n in plan.notes if "5 more campaign(s) was not read" in n]
    assert len(notes) == 2 and all("minimums were not checked" in n for n in notes), plan.notes


def test_without_a_suggested_range_a_bid_under_half_or_over_twice_the_suggestion_is_warned() -> None:
    pricing = {"suggestedBid": {"default": {"amount": "10", "currencyCode": "USD"}}}

    def note(bid: str) -> str | None:
        return far_from_suggestion("C", {"unitCost": {"amount": bid, "currencyCode": "USD"}}, pricing)

    assert note("4.99") == "C: unitCost 4.99 USD is less than half the bid LinkedIn suggests, 10 USD"
    assert note("20.01") == "C: unitCost 20.01 USD is more than twice the bid LinkedIn suggests, 10 USD"
    assert note("5") is None and note("20") is None
