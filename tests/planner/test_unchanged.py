"""The planner's model-level shortcut agrees with the API-form comparison it stands in for."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reconciler.diff import compare
from reconciler.model import LeadgenCallToAction, Money, Targeting
from reconciler.planner.rules import CLEARABLE, _kind, unchanged
from tests.planner.builders import campaign, creative, group, live_campaign, live_creative, live_group

TARGETING = {"include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}}

CASES: list[tuple[str, Any, Any, bool]] = [
    ("equal campaign", campaign("C", daily="50 USD"), live_campaign(10, 2, "C"), True),
    ("money written differently", campaign("C", daily="50.00 USD"), live_campaign(10, 2, "C"), True),
    ("other budget", campaign("C", daily="60 USD"), live_campaign(10, 2, "C"), False),
    ("other name", campaign("D"), live_campaign(10, 2, "C"), False),
    ("other status", campaign("C", status="PAUSED"), live_campaign(10, 2, "C"), False),
    ("clearable set live only", campaign("C", daily=""), live_campaign(10, 2, "C"), False),
    (
        "unmanaged field set live only",
        campaign("C"),
        live_campaign(10, 2, "C", locale={"country": "US", "language": "en"}),
        True,
    ),
    (
        "total budget set live only",
        campaign("C"),
        live_campaign(10, 2, "C", totalBudget={"amount": "900", "currencyCode": "USD"}),
        False,
    ),
    (
        "equal targeting",
        campaign("C", targeting=Targeting.from_api(TARGETING)),
        live_campaign(10, 2, "C", targetingCriteria=TARGETING),
        True,
    ),
    (
        "targeting unset live",
        campaign("C", targeting=Targeting.from_api(TARGETING)),
        live_campaign(10, 2, "C"),
        False,
    ),
    ("equal creative", creative("A", 7), live_creative(7, 10, "A"), True),
    ("other creative status", creative("A", 7, status="PAUSED"), live_creative(7, 10, "A"), False),
    ("other creative content", creative("A", 8), live_creative(7, 10, "A"), False),
    ("equal group", group("G"), live_group(2, "G"), True),
    (
        "group daily budget live only",
        group("G"),
        live_group(2, "G", dailyBudget={"amount": "5", "currencyCode": "USD"}),
        False,
    ),
    ("group budget", group("G", total_budget=Money.parse("100 USD")), live_group(2, "G"), False),
]


@pytest.mark.parametrize(("label", "desired", "live", "expected"), CASES, ids=[c[0] for c in CASES])
def test_shortcut_agrees_with_the_api_form_comparison(
    label: str, desired: Any, live: Any, expected: bool
) -> None:
    kind = _kind(desired)
    found = compare(desired.api_fields(), live.api_fields(), clearable=CLEARABLE[kind])
    assert unchanged(kind, desired, live) is expected
    # The shortcut may only ever say "unchanged" when the full comparison finds nothing.
    assert (not found.changes) is expected, found


FORM = LeadgenCallToAction("urn:li:adForm:5", "APPLY")
# A creative whose content is managed is compared without its content (plandata compares that with
# the post behind it): every other field the shortcut compares must still be seen.
BUT_CONTENT: list[tuple[str, Any, Any, bool]] = [
    ("other content only", creative("A", 8), live_creative(7, 10, "A"), True),
    ("other content and status", creative("A", 8, status="PAUSED"), live_creative(7, 10, "A"), False),
    ("other content and name", creative("B", 8), live_creative(7, 10, "A"), False),
    ("other name, a local label", creative("B", 8, local_name=True), live_creative(7, 10, "A"), True),
    ("lead form set", creative("A", 8, leadgen_call_to_action=FORM), live_creative(7, 10, "A"), False),
    (
        "other lead form",
        creative("A", 8, leadgen_call_to_action=FORM),
        live_creative(7, 10, "A", leadgenCallToAction={"destination": "urn:li:adForm:6", "label": "APPLY"}),
        False,
    ),
    (
        "lead form live only",
        creative("A", 8),
        live_creative(7, 10, "A", leadgenCallToAction={"destination": "urn:li:adForm:6", "label": "APPLY"}),
        True,
    ),
]


@pytest.mark.parametrize(
    ("label", "desired", "live", "expected"), BUT_CONTENT, ids=[c[0] for c in BUT_CONTENT]
)
def test_shortcut_without_content_agrees_with_the_comparison_of_the_rest(
    label: str, desired: Any, live: Any, expected: bool
) -> None:
    found = compare(replace(desired, content=live.content).api_fields(), live.api_fields())
    assert unchanged("creative", desired, live, but_content=True) is expected
    assert (not found.changes) is expected, found
