# ruff: noqa: E501  (expected messages are kept whole, one per line, so they read like the CLI output)
"""Invalid manifests, one small file (or directory) per scenario under tests/data/manifests/invalid/.

Each scenario lists every problem expected, exactly: file:line:column, field path and message. A
scenario file added without an expectation here fails ``test_every_scenario_has_an_expectation``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest import load_project, validate_paths

INVALID = Path(__file__).parents[1] / "data" / "manifests" / "invalid"

EXPECTED: dict[str, list[str]] = {
    "active-campaign-without-budget.yaml": [
        "active-campaign-without-budget.yaml:15:17: campaignGroups[0].campaigns[0].status: a campaign that is ACTIVE needs a dailyBudget or totalBudget",
        "active-campaign-without-budget.yaml:22:17: campaignGroups[0].campaigns[1].status: a SPONSORED_UPDATES campaign that is PAUSED needs an associatedEntity (urn:li:organization:…)",
    ],
    "active-campaign-without-location.yaml": [
        "active-campaign-without-location.yaml:10:11: campaignGroups[0].campaigns[0].targeting: targeting names no location; include a locations or profileLocations facet to run",
    ],
    "alias-bomb.yaml": [
        "alias-bomb.yaml:8:1: e: YAML aliases expand to more than 50,000 values (an alias bomb?); use 'audiences' and 'defaults' for reuse instead",
    ],
    "audience-defined-twice": [
        "audience-defined-twice/b.yaml:5:3: audiences.us-tech: audience 'us-tech' is already defined at audience-defined-twice/a.yaml:5:3",
    ],
    "bad-urn-for-facet.yaml": [
        "bad-urn-for-facet.yaml:7:21: audiences.us.include[0].locations[0]: locations takes names (e.g. United States) or URNs such as urn:li:geo:103644278; a value starting with urn:li: must be such a URN, and a name neither starts nor ends with a space; got 'urn:li:geo:US'",
        "bad-urn-for-facet.yaml:8:22: audiences.us.include[1].industries[0]: industries takes names (e.g. Software Development) or URNs such as urn:li:industry:4; a value starting with urn:li: must be such a URN, and a name neither starts nor ends with a space; got 'urn:li:seniority:5'",
    ],
    "binary-file.yaml": [
        "binary-file.yaml:3:1: binary file (NUL byte found); manifests are UTF-8 text",
    ],
    "boolean-yes.yaml": [
        "boolean-yes.yaml:14:33: campaignGroups[0].campaigns[0].offsiteDeliveryEnabled: expected true or false; got the string 'yes' (only true and false are booleans)",
    ],
    "connected-tv-without-offsite.yaml": [
        "connected-tv-without-offsite.yaml:16:34: campaignGroups[0].campaigns[0].connectedTelevisionOnly: connectedTelevisionOnly needs offsiteDeliveryEnabled: true (offsiteDeliveryEnabled from defaults)",
    ],
    "content-reference-and-text-ad.yaml": [
        "content-reference-and-text-ad.yaml:18:15: campaignGroups[0].campaigns[0].creatives[0].content: give exactly one kind of content: reference, textAd, image, video, carousel, document, article, event, message, conversation, follower, spotlight or jobs",
    ],
    "content-wrong-for-campaign-type.yaml": [
        "content-wrong-for-campaign-type.yaml:17:22: campaignGroups[0].campaigns[0].creatives[0].content: a SPONSORED_UPDATES campaign takes post references (urn:li:share:… or urn:li:ugcPost:…), not a text ad",
        "content-wrong-for-campaign-type.yaml:27:22: campaignGroups[0].campaigns[1].creatives[0].content: a TEXT_AD campaign takes text ads (content.textAd), not a post reference",
    ],
    "currency-code-lowercase.yaml": [
        "currency-code-lowercase.yaml:3:36: account.currency: a currency code is three upper-case letters, e.g. USD; got 'usd'",
    ],
    "currency-mismatch.yaml": [
        "currency-mismatch.yaml:14:22: campaignGroups[0].campaigns[0].dailyBudget: 50 EUR is in EUR, but the ad account's currency is USD",
        "currency-mismatch.yaml:15:19: campaignGroups[0].campaigns[0].unitCost: 4 GBP is in GBP, but the ad account's currency is USD",
    ],
    "date-impossible.yaml": [
        "date-impossible.yaml:8:14: campaignGroups[0].runSchedule.start: '2027-02-30' is not a real date or time: day is out of range for month",
    ],
    "date-without-zone.yaml": [
        "date-without-zone.yaml:7:26: campaignGroups[0].runSchedule.start: dates are ISO 8601: a date such as 2027-01-31, or a date-time with a time zone such as 2027-01-31T09:00:00Z; got '2027-01-04T09:00:00'",
    ],
    "defaults-twice": [
        "defaults-twice/b.yaml:4:1: defaults: account 500000001 already has defaults at defaults-twice/a.yaml:4:1; write them once per account",
    ],
    "draft-group-active-campaign.yaml": [
        "draft-group-active-campaign.yaml:11:17: campaignGroups[0].campaigns[1].status: campaign is ACTIVE, but its group is DRAFT; a DRAFT group holds only DRAFT campaigns",
    ],
    "duplicate-campaign-name.yaml": [
        "duplicate-campaign-name.yaml:20:15: campaignGroups[0].campaigns[2].name: duplicate campaign name 'US'; also defined at duplicate-campaign-name.yaml:8:15",
    ],
    "duplicate-facet-value.yaml": [
        "duplicate-facet-value.yaml:7:65: audiences.us.include[0].locations[2]: 'urn:li:geo:103644278' is listed twice",
    ],
    "duplicate-group-across-files": [
        "duplicate-group-across-files/b.yaml:7:11: campaignGroups[1].name: duplicate campaign group name 'Q1 Brand'; also defined at duplicate-group-across-files/a.yaml:5:11",
    ],
    "duplicate-id-pin.yaml": [
        "duplicate-id-pin.yaml:11:13: campaignGroups[0].campaigns[1].id: campaign id 712345678 is also pinned at duplicate-id-pin.yaml:9:13",
    ],
    "dynamic-without-format.yaml": [
        "dynamic-without-format.yaml:13:15: campaignGroups[0].campaigns[0].type: a DYNAMIC campaign needs a format (FOLLOW_COMPANY, JOBS or SPOTLIGHT), set when it is created",
        "dynamic-without-format.yaml:20:17: campaignGroups[0].campaigns[1].format: format CAROUSEL does not go with type TEXT_AD, which takes TEXT_AD",
        "dynamic-without-format.yaml:27:19: campaignGroups[0].campaigns[2].costType: costType CPV is only for VIDEO_VIEW campaigns, not BRAND_AWARENESS",
        "dynamic-without-format.yaml:27:19: campaignGroups[0].campaigns[2].costType: costType CPV needs format SINGLE_VIDEO",
    ],
    "duplicate-key.yaml": [
        "duplicate-key.yaml:10:9: campaignGroups[0].campaigns[0].dailyBudget: duplicate key 'dailyBudget' (first at line 8, column 9); YAML would silently keep only the last one",
    ],
    "empty-file.yaml": [
        "empty-file.yaml:1:1: the file is empty; a manifest starts with 'version: 1'",
    ],
    "engagement-max-impression.yaml": [
        "engagement-max-impression.yaml:16:33: campaignGroups[0].campaigns[0].optimizationTargetType: optimizationTargetType MAX_IMPRESSION is not allowed with objectiveType ENGAGEMENT, which takes NONE, ENHANCED_CONVERSION, MAX_CLICK, TARGET_COST_PER_CLICK or CAP_COST_AND_MAXIMIZE_CLICKS (objectiveType from defaults)",
        "engagement-max-impression.yaml:24:19: campaignGroups[0].campaigns[1].costType: costType CPM does not go with optimizationTargetType TARGET_COST_PER_CLICK, which takes CPC",
    ],
    "enum-typo.yaml": [
        "enum-typo.yaml:6:13: campaignGroups[0].status: 'ACTIV' is not one of ACTIVE, PAUSED, ARCHIVED, DRAFT — did you mean 'ACTIVE'?",
        "enum-typo.yaml:14:24: campaignGroups[0].campaigns[0].objectiveType: 'brand_awareness' is not one of BRAND_AWARENESS, ENGAGEMENT, VIDEO_VIEW, LEAD_GENERATION, WEBSITE_VISIT, WEBSITE_CONVERSION, JOB_APPLICANT, TALENT_LEAD, CREATIVE_ENGAGEMENT, WEBSITE_VISITS, VIDEO_VIEWS, JOB_APPLICANTS, WEBSITE_CONVERSIONS — did you mean 'BRAND_AWARENESS'?",
    ],
    "format-document.yaml": [
        "format-document.yaml:14:17: campaignGroups[0].campaigns[0].format: 'DOCUMENT' is not one of STANDARD_UPDATE, TEXT_AD, SINGLE_VIDEO, CAROUSEL, SPOTLIGHT, FOLLOW_COMPANY, JOBS, SPONSORED_INMAIL, SPONSORED_MESSAGE, SPONSORED_UPDATE_EVENT",
        "format-document.yaml:21:17: campaignGroups[0].campaigns[1].format: 'EVENT' is not one of STANDARD_UPDATE, TEXT_AD, SINGLE_VIDEO, CAROUSEL, SPOTLIGHT, FOLLOW_COMPANY, JOBS, SPONSORED_INMAIL, SPONSORED_MESSAGE, SPONSORED_UPDATE_EVENT",
    ],
    "facet-too-many-combined.yaml": [
        "facet-too-many-combined.yaml:19:20: campaignGroups[0].campaigns[0].targeting: 120 values for facet titles; LinkedIn allows at most 100 once the audiences are combined",
    ],
    "facet-too-many-values.yaml": [
        "facet-too-many-values.yaml:8:17: audiences.many-titles.include[1].titles: 101 values for facet titles; LinkedIn allows at most 100",
    ],
    "group-daily-budget-without-dynamic.yaml": [
        "group-daily-budget-without-dynamic.yaml:7:18: campaignGroups[0].dailyBudget: a group dailyBudget needs budgetOptimization.budgetOptimizationStrategy: DYNAMIC",
    ],
    "group-total-budget-without-end.yaml": [
        "group-total-budget-without-end.yaml:8:18: campaignGroups[0].totalBudget: a campaign group with a totalBudget needs a runSchedule.end",
    ],
    "ignore-changes-unknown-field.yaml": [
        "ignore-changes-unknown-field.yaml:5:27: defaults.ignoreChanges[1]: 'bidAmount' is not a group, campaign or creative field; expected one of: associatedEntity, audienceExpansionEnabled, budgetOptimization, connectedTelevisionOnly, content, costType, creativeSelection, dailyBudget, format, intendedStatus, leadgenCallToAction, locale, name, objectiveType, offsiteDeliveryEnabled, optimizationTargetType, pacingStrategy, politicalIntent, runSchedule, status, targeting, totalBudget, type, unitCost",
        "ignore-changes-unknown-field.yaml:9:21: campaignGroups[0].ignoreChanges[0]: 'unitCost' is not a campaign group field; expected one of: name, status, runSchedule, totalBudget, dailyBudget, budgetOptimization",
        "ignore-changes-unknown-field.yaml:17:25: campaignGroups[0].campaigns[0].ignoreChanges[0]: 'dailyBudgett' is not a campaign field — did you mean 'dailyBudget'?",
    ],
    "included-and-excluded-combined.yaml": [
        "included-and-excluded-combined.yaml:20:11: campaignGroups[0].campaigns[0].targeting: 'urn:li:seniority:7' is both included and excluded once the audiences are combined",
    ],
    "included-and-excluded.yaml": [
        "included-and-excluded.yaml:10:16: audiences.engineers.exclude.titles[0]: 'urn:li:title:39' is both included and excluded",
    ],
    "inmail-optimized-rotation.yaml": [
        "inmail-optimized-rotation.yaml:15:15: campaignGroups[0].campaigns[0].type: OPTIMIZED creative rotation is not available for SPONSORED_INMAILS (creativeSelection from defaults)",
    ],
    "invalid-utf8.yaml": [
        "invalid-utf8.yaml:5:14: invalid UTF-8 (byte 0xe9); manifests must be UTF-8 text",
    ],
    "lead-gen-without-call-to-action.yaml": [
        "lead-gen-without-call-to-action.yaml:16:19: campaignGroups[0].campaigns[0].creatives[0].name: a creative of a LEAD_GENERATION campaign needs a leadgenCallToAction (lead form and label)",
    ],
    "locale-malformed.yaml": [
        "locale-malformed.yaml:5:22: defaults.campaign.locale: a locale is written language_COUNTRY, e.g. en_US or de_DE; got 'en-US'",
        "locale-malformed.yaml:15:27: campaignGroups[0].campaigns[0].locale.country: a country is two upper-case letters, e.g. US; got 'us'",
    ],
    "malformed-yaml.yaml": [
        "malformed-yaml.yaml:8:15: invalid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence at line 7, column 20)",
    ],
    "many-problems.yaml": [
        "many-problems.yaml:6:13: campaignGroups[0].status: 'PAUSD' is not one of ACTIVE, PAUSED, ARCHIVED, DRAFT — did you mean 'PAUSED'?",
        "many-problems.yaml:7:18: campaignGroups[0].totalBudget: a campaign group with a totalBudget needs a runSchedule.end",
        "many-problems.yaml:10:9: campaignGroups[0].campaigns[0].dailyBudgett: unknown field 'dailyBudgett' — did you mean 'dailyBudget'?",
        "many-problems.yaml:11:22: campaignGroups[0].campaigns[0].totalBudget: 10 EUR is in EUR, but the ad account's currency is USD",
        "many-problems.yaml:12:47: campaignGroups[0].campaigns[0].runSchedule.end: end 2027-01-01 is not after start 2027-03-01",
        "many-problems.yaml:13:15: campaignGroups[0].campaigns[1].name: duplicate campaign name 'US'; also defined at many-problems.yaml:9:15",
    ],
    "missing-account.yaml": [
        "missing-account.yaml:2:1: missing required field 'account'",
    ],
    "money-amount-number.yaml": [
        'money-amount-number.yaml:14:28: campaignGroups[0].campaigns[0].unitCost.amount: the amount is a quoted decimal string such as "150" or "99.50"; numbers are refused so that money is never a float; got the number 12.5',
    ],
    "money-bad-format.yaml": [
        "money-bad-format.yaml:7:18: campaignGroups[0].totalBudget: money is written '<amount> <CURRENCY>', e.g. '150 USD' or '99.50 USD'; got 'USD 5000'",
    ],
    "money-float.yaml": [
        "money-float.yaml:14:22: campaignGroups[0].campaigns[0].dailyBudget: money is written as a string such as '150 USD' or as {amount: \"150\", currencyCode: USD}; numbers are refused so that money is never a float; got the number 150.5",
    ],
    "multiple-documents.yaml": [
        "multiple-documents.yaml:4:1: a manifest file holds one YAML document; move this one to a file of its own",
    ],
    "name-blank-or-padded.yaml": [
        "name-blank-or-padded.yaml:5:11: campaignGroups[0].name: must be a non-empty name on one line, without leading or trailing spaces; got ''",
        "name-blank-or-padded.yaml:7:11: campaignGroups[1].name: must be a non-empty name on one line, without leading or trailing spaces; got 'Q1 Brand '",
    ],
    "not-a-mapping.yaml": [
        "not-a-mapping.yaml:2:1: a manifest is a mapping with version, account and campaignGroups; got a list",
    ],
    "paused-group-without-schedule.yaml": [
        "paused-group-without-schedule.yaml:6:13: campaignGroups[0].status: a campaign group that is PAUSED needs a runSchedule; only a DRAFT group may leave it out",
        "paused-group-without-schedule.yaml:10:13: campaignGroups[2].status: a campaign group that is ACTIVE needs a runSchedule; only a DRAFT group may leave it out",
    ],
    "recursive-alias.yaml": [
        "recursive-alias.yaml:4:17: campaignGroups[0].campaigns: this alias refers to a value that contains it (a recursive alias)",
    ],
    "schema-error-not-repeated-by-rules.yaml": [
        "schema-error-not-repeated-by-rules.yaml:8:18: campaignGroups[0].totalBudget: money is written '<amount> <CURRENCY>', e.g. '150 USD' or '99.50 USD'; got '5000 usd'",
    ],
    "shared-audiences.yaml": [
        "shared-audiences.yaml:22:20: campaignGroups[0].campaigns[0].targeting: 120 values for facet titles; LinkedIn allows at most 100 once the audiences are combined",
        "shared-audiences.yaml:29:20: campaignGroups[0].campaigns[1].targeting: 120 values for facet titles; LinkedIn allows at most 100 once the audiences are combined",
        "shared-audiences.yaml:37:20: campaignGroups[0].campaigns[2].targeting: targeting names no location; include a locations or profileLocations facet to run",
        "shared-audiences.yaml:52:20: campaignGroups[0].campaigns[4].targeting: targeting names no location; include a locations or profileLocations facet to run",
    ],
    "split-currency-disagrees": [
        "split-currency-disagrees/b.yaml:5:13: account.currency: currency 'EUR' disagrees with 'USD' given for account 500000001 at split-currency-disagrees/a.yaml:3:36",
    ],
    "start-after-end.yaml": [
        "start-after-end.yaml:15:16: campaignGroups[0].campaigns[0].runSchedule.end: end 2027-02-01 is not after start 2027-03-01",
    ],
    "tab-indentation.yaml": [
        "tab-indentation.yaml:4:1: tab character in indentation; YAML indents with spaces only",
    ],
    "text-ad-too-long.yaml": [
        "text-ad-too-long.yaml:19:27: campaignGroups[0].campaigns[0].creatives[0].content.textAd.headline: is 32 characters long; at most 25 are allowed",
        "text-ad-too-long.yaml:20:30: campaignGroups[0].campaigns[0].creatives[0].content.textAd.description: is 86 characters long; at most 75 are allowed",
    ],
    "total-below-daily.yaml": [
        "total-below-daily.yaml:15:22: campaignGroups[0].campaigns[0].totalBudget: totalBudget 40 USD is below dailyBudget 50 USD",
    ],
    "unknown-audience.yaml": [
        "unknown-audience.yaml:18:20: campaignGroups[0].campaigns[0].targeting: unknown audience 'us-tec' — did you mean 'us-tech'?",
        "unknown-audience.yaml:25:41: campaignGroups[0].campaigns[1].targeting.audience[1]: unknown audience 'emea-tech' — did you mean 'us-tech'?",
    ],
    "unknown-facet.yaml": [
        "unknown-facet.yaml:7:9: audiences.us.include[0].location: unknown field 'location' — did you mean 'locations'?",
        "unknown-facet.yaml:8:9: audiences.us.include[1].urn:li:adTargetingFacet:titles: unknown field 'urn:li:adTargetingFacet:titles' — write the facet by its short name 'titles'",
    ],
    "unknown-field-typo.yaml": [
        "unknown-field-typo.yaml:9:9: campaignGroups[0].campaigns[0].dailyBudgett: unknown field 'dailyBudgett' — did you mean 'dailyBudget'?",
    ],
    "unknown-top-level-field.yaml": [
        "unknown-top-level-field.yaml:4:1: campaignGroup: unknown field 'campaignGroup' — did you mean 'campaignGroups'?",
    ],
    "unsupported-tag.yaml": [
        "unsupported-tag.yaml:5:11: campaignGroups[0].name: unsupported YAML tag '!!python/object/apply:os.system'",
    ],
    "unsendable-cr.yaml": [
        "unsendable-cr.yaml:5:11: campaignGroups[0].name: the text holds a control character (U+000D CR) at character 3: names, texts and URLs sent to LinkedIn must be one line of printable text",
        "unsendable-cr.yaml:7:15: campaignGroups[0].campaigns[0].name: the text holds a control character (U+000A LF) at character 4: names, texts and URLs sent to LinkedIn must be one line of printable text",
    ],
    "unsendable-line-separator.yaml": [
        "unsendable-line-separator.yaml:5:11: campaignGroups[0].name: the text holds a line separator (U+2028) at character 3: names, texts and URLs sent to LinkedIn must be one line of printable text",
        "unsendable-line-separator.yaml:7:15: campaignGroups[0].campaigns[0].name: the text holds a paragraph separator (U+2029) at character 3: names, texts and URLs sent to LinkedIn must be one line of printable text",
        "unsendable-line-separator.yaml:12:42: campaignGroups[0].campaigns[0].creatives[0].content.textAd.headline: the text holds a control character (U+0009 TAB) at character 6: names, texts and URLs sent to LinkedIn must be one line of printable text",
        "unsendable-line-separator.yaml:12:91: campaignGroups[0].campaigns[0].creatives[0].content.textAd.landingPage: the text holds a control character (U+007F DEL) at character 21: names, texts and URLs sent to LinkedIn must be one line of printable text",
    ],
    "unsendable-nul.yaml": [
        "unsendable-nul.yaml:5:11: campaignGroups[0].name: the text holds a control character (U+0000 NUL) at character 3: names, texts and URLs sent to LinkedIn must be one line of printable text",
    ],
    "unsendable-surrogate.yaml": [
        "unsendable-surrogate.yaml:5:11: campaignGroups[0].name: the text holds an unpaired surrogate (U+D800) at character 7: names, texts and URLs sent to LinkedIn must be one line of printable text",
        "unsendable-surrogate.yaml:8:15: campaignGroups[0].campaigns[0].name: the text holds an unpaired surrogate (U+DFFF) at character 4: names, texts and URLs sent to LinkedIn must be one line of printable text",
    ],
    "wrong-container-types.yaml": [
        "wrong-container-types.yaml:8:7: campaignGroups[0].campaigns: expected a list; got a mapping",
        "wrong-container-types.yaml:18:31: campaignGroups[1].campaigns[0].targeting.include[0]: expected a mapping; got the string 'urn:li:geo:103644278'",
    ],
    "wrong-version.yaml": [
        "wrong-version.yaml:2:10: version: unsupported manifest version 2; this reconciler reads version 1",
    ],
    "zero-budget.yaml": [
        "zero-budget.yaml:14:22: campaignGroups[0].campaigns[0].dailyBudget: a dailyBudget must be more than 0, got 0 USD",
    ],
}


@pytest.fixture(autouse=True)
def _in_invalid_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are reported as given: run from the scenario directory so they are short and exact.
    monkeypatch.chdir(INVALID)


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_scenario_reports_exactly_the_expected_problems(scenario: str) -> None:
    assert [str(p) for p in validate_paths([scenario])] == EXPECTED[scenario]


def test_every_scenario_has_an_expectation() -> None:
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


def test_load_project_raises_one_error_carrying_every_problem() -> None:
    with pytest.raises(ManifestError) as caught:
        load_project(["many-problems.yaml"])
    assert [str(p) for p in caught.value.problems] == EXPECTED["many-problems.yaml"]
    assert str(caught.value).endswith("(and 5 more)")


def test_problems_from_several_paths_are_sorted_by_file_line_and_column() -> None:
    problems = validate_paths(["zero-budget.yaml", "included-and-excluded.yaml", "nowhere.yaml"])
    assert [str(p) for p in problems] == [
        "nowhere.yaml: no such file or directory",
        *EXPECTED["included-and-excluded.yaml"],
        *EXPECTED["zero-budget.yaml"],
    ]


def test_an_alias_bomb_fails_fast() -> None:
    started = time.perf_counter()
    problems = validate_paths(["alias-bomb.yaml"])
    assert "alias bomb" in problems[0].message
    assert time.perf_counter() - started < 5  # milliseconds; generous so a slow CI machine does not flake
