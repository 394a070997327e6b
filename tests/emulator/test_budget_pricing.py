"""adBudgetPricing (q=criteriaV2): limits and suggestions per currency, objective and audience size."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore, Settings, seed_entities
from tests.emulator.helpers import ACCOUNT, NOW, call, campaign_body, coll, created_id, group_body

US_ONLY = (
    "(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A103644278))))))"
)
US_VPS = (
    "(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A103644278))),"
    "(or:(urn%3Ali%3AadTargetingFacet%3Aseniorities:List(urn%3Ali%3Aseniority%3A7))))))"
)
CURRENCIES = {"USD": 500_000_001, "EUR": 600_000_002, "GBP": 600_000_003, "CAD": 600_000_004}
CURRENCIES |= {"AUD": 600_000_005, "INR": 600_000_006, "JPY": 600_000_007}


def seed_accounts(emu: Emulator) -> None:
    accounts = [
        {"id": key, "name": f"{code} account", "currency": code, "status": "ACTIVE", "type": "BUSINESS"}
        for code, key in CURRENCIES.items()
        if code != "USD"
    ]
    seed_entities(emu, {"adAccounts": accounts})


def price(emu: Emulator, key: int, *, targeting: str = US_ONLY, **over: str) -> Any:
    params = {
        "q": "criteriaV2",
        "account": f"urn%3Ali%3AsponsoredAccount%3A{key}",
        "campaignType": "SPONSORED_UPDATES",
        "bidType": "CPM",
        "matchType": "EXACT",
        "objectiveType": "BRAND_AWARENESS",
        "optimizationTargetType": "MAX_IMPRESSION",
        "targetingCriteria": targeting,
    } | over
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return call(emu, "GET", f"/rest/adBudgetPricing?{query}")


def element(emu: Emulator, key: int = ACCOUNT, **over: str) -> dict[str, Any]:
    response = price(emu, key, **over)
    assert response.status == 200, response.body
    found: dict[str, Any] = response.json()["elements"][0]
    return found


def amount(value: dict[str, str]) -> Decimal:
    return Decimal(value["amount"])


def test_the_documented_shape_in_the_account_currency(emu: Emulator) -> None:
    found = element(emu, dailyBudget="(amount:50,currencyCode:USD)")
    assert set(found) == {"bidLimits", "suggestedBid", "dailyBudgetLimits"}
    assert set(found["bidLimits"]) == {"min", "max"}
    assert set(found["suggestedBid"]) == set(found["dailyBudgetLimits"]) == {"default", "min", "max"}
    assert found["dailyBudgetLimits"]["min"] == {"amount": "10.00", "currencyCode": "USD"}
    bid = found["suggestedBid"]
    assert (
        amount(found["bidLimits"]["min"])
        <= amount(bid["min"])
        <= amount(bid["default"])
        <= amount(bid["max"])
    )
    assert element(emu, dailyBudget="(amount:50,currencyCode:USD)") == found  # deterministic


def test_every_currency_has_its_own_minimums(emu: Emulator) -> None:
    seed_accounts(emu)
    minimums = {}
    for code, account in CURRENCIES.items():
        found = element(emu, account)
        assert {v["currencyCode"] for part in found.values() for v in part.values()} == {code}
        minimums[code] = found["dailyBudgetLimits"]["min"]["amount"]
    assert minimums["USD"] == "10.00"
    assert minimums["EUR"] == "9.20" and minimums["JPY"] == "1500" and minimums["INR"] == "830.00"
    assert len(set(minimums.values())) == len(minimums)


def test_bid_floor_depends_on_bid_type_and_suggestions_on_audience_and_objective(emu: Emulator) -> None:
    cpc = element(emu, bidType="CPC", objectiveType="WEBSITE_VISIT")
    assert cpc["bidLimits"]["min"] == {"amount": "2.00", "currencyCode": "USD"}
    wide, narrow = element(emu), element(emu, targeting=US_VPS)
    assert amount(narrow["suggestedBid"]["default"]) > amount(wide["suggestedBid"]["default"])
    leads = element(emu, objectiveType="LEAD_GENERATION", optimizationTargetType="")
    assert amount(leads["suggestedBid"]["default"]) > amount(wide["suggestedBid"]["default"])


def test_a_smaller_audience_scale_raises_the_suggestion() -> None:
    settings = Settings(audience_scale=0.001)
    small = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW, settings=settings))
    big = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW))
    assert amount(element(small)["suggestedBid"]["default"]) > amount(element(big)["suggestedBid"]["default"])


def test_campaign_rules_use_the_same_minimum(emu: Emulator) -> None:
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body(), method="CREATE"))
    low = campaign_body(group, dailyBudget={"amount": "9.99", "currencyCode": "USD"})
    assert call(emu, "POST", coll("adCampaigns"), low, method="CREATE").status == 400


@pytest.mark.parametrize(
    ("over", "status"),
    [
        ({"bidType": "CPX"}, 400),
        ({"bidType": ""}, 400),
        ({"matchType": "FUZZY"}, 400),
        ({"campaignType": ""}, 400),
        ({"objectiveType": "FAME"}, 400),
        ({"targetingCriteria": ""}, 400),
        ({"dailyBudget": "(amount:50,currencyCode:EUR)"}, 400),
        ({"dailyBudget": "(amount:-1,currencyCode:USD)"}, 400),
        ({"account": "urn%3Ali%3AsponsoredAccount%3A999"}, 404),
        ({"account": "123"}, 400),
    ],
)
def test_bad_parameters_are_refused(emu: Emulator, over: dict[str, str], status: int) -> None:
    assert price(emu, ACCOUNT, **over).status == status


def test_a_member_without_a_role_on_the_account_is_refused(emu: Emulator) -> None:
    seed_accounts(emu)
    seed_entities(
        emu,
        {
            "adAccountUsers": [
                {
                    "account": "urn:li:sponsoredAccount:600000002",
                    "user": "urn:li:person:other",
                    "role": "VIEWER",
                }
            ]
        },
    )
    assert price(emu, 600_000_002).status == 403
