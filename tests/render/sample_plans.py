"""Representative plans, built directly from the plan dataclasses (not through the planner), so the
renderer golden files change only when the renderers do.

- ``empty_plan``: a no-op plan of one account, with its budget and headroom.
- ``new_account_plan``: everything created in an empty account.
- ``mixed_plan``: two accounts, every action, ignored drift, unmanaged entities, every kind of
  violation, notes, a limit over and one near its maximum.
"""

from __future__ import annotations

from reconciler.plan import (
    Action,
    BudgetImpact,
    FieldChange,
    Headroom,
    Kind,
    Plan,
    ResourceChange,
    Unmanaged,
    Violation,
    sort_changes,
)

ACCOUNT = "500000001"
EU_ACCOUNT = "500000002"
MANIFESTS = "sha256:" + "ab" * 32

JAN_1 = 1_767_225_600_000  # 2026-01-01T00:00:00Z
MAR_31 = 1_774_915_200_000  # 2026-03-31T00:00:00Z
FEB_2_0930 = 1_769_938_200_000  # 2026-02-01T09:30:00Z


def usd(amount: str) -> dict[str, str]:
    return {"amount": amount, "currencyCode": "USD"}


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currencyCode": "EUR"}


def facet(name: str) -> str:
    return f"urn:li:adTargetingFacet:{name}"


US_TARGETING = {
    "include": {
        "and": [
            {"or": {facet("locations"): ["urn:li:geo:103644278"]}},
            {"or": {facet("seniorities"): ["urn:li:seniority:5", "urn:li:seniority:6"]}},
        ]
    }
}
WIDER_TARGETING = {
    "include": {
        "and": [
            {"or": {facet("locations"): ["urn:li:geo:103644278", "urn:li:geo:101174742"]}},
            {
                "or": {
                    facet("seniorities"): [f"urn:li:seniority:{n}" for n in range(3, 10)],
                    facet("titles"): ["urn:li:title:1", "urn:li:title:25"],
                }
            },
        ]
    },
    "exclude": {"or": {facet("employers"): ["urn:li:organization:1337"]}},
}


def headroom(
    account: str,
    campaigns: tuple[int, int],
    creatives: tuple[int, int],
    active: tuple[int, int],
    per_group: tuple[int, int, str],
    per_campaign: tuple[int, int, str],
    active_per_campaign: tuple[int, int, str],
) -> tuple[Headroom, ...]:
    """The six limits the guardrails report for one account."""
    return (
        Headroom(account, "campaigns", "account", *campaigns, 5_000),
        Headroom(account, "creatives", "account", *creatives, 15_000),
        Headroom(account, "active campaigns", "account", *active, 1_000),
        Headroom(account, "campaigns per group", per_group[2], per_group[0], per_group[1], 2_000),
        Headroom(account, "creatives per campaign", per_campaign[2], per_campaign[0], per_campaign[1], 100),
        Headroom(
            account,
            "active creatives per campaign",
            active_per_campaign[2],
            active_per_campaign[0],
            active_per_campaign[1],
            15,
        ),
    )


def empty_plan() -> Plan:
    return Plan(
        target="emulator",
        api_version="202610",
        manifest_checksum=MANIFESTS,
        budgets=(BudgetImpact("USD", "150", "150", "10000", "10000"),),
        headroom=headroom(
            ACCOUNT,
            (3, 3),
            (7, 7),
            (2, 2),
            (3, 3, "Brand"),
            (4, 4, "Brand / Prospecting"),
            (3, 3, "Brand / Prospecting"),
        ),
    )


def new_account_plan() -> Plan:
    group = (ACCOUNT, "Q1 Brand")
    us = (*group, "Q1 Brand — US")
    de = (*group, "Q1 Brand — DE")
    return Plan(
        target="production",
        api_version="202610",
        manifest_checksum=MANIFESTS,
        changes=(
            _create(
                Kind.GROUP,
                group,
                {
                    "name": "Q1 Brand",
                    "runSchedule": {"start": JAN_1, "end": MAR_31},
                    "status": "ACTIVE",
                    "totalBudget": usd("10000"),
                },
            ),
            _create(
                Kind.CAMPAIGN,
                de,
                {
                    "costType": "CPM",
                    "dailyBudget": usd("25.50"),
                    "locale": {"country": "DE", "language": "de"},
                    "name": "Q1 Brand — DE",
                    "runSchedule": {"start": FEB_2_0930},
                    "status": "PAUSED",
                    "type": "SPONSORED_UPDATES",
                },
            ),
            _create(
                Kind.CAMPAIGN,
                us,
                {
                    "costType": "CPM",
                    "dailyBudget": usd("50"),
                    "locale": {"country": "US", "language": "en"},
                    "name": "Q1 Brand — US",
                    "objectiveType": "BRAND_AWARENESS",
                    "runSchedule": {"start": JAN_1, "end": MAR_31},
                    "status": "ACTIVE",
                    "targetingCriteria": US_TARGETING,
                    "type": "SPONSORED_UPDATES",
                },
                activate=True,
            ),
            _create(
                Kind.CREATIVE,
                (*us, "Hero video"),
                {
                    "content": {"reference": "urn:li:ugcPost:7000000000000000001"},
                    "intendedStatus": "ACTIVE",
                    "name": "Hero video",
                },
            ),
            _create(
                Kind.CREATIVE,
                (*us, "Text ad"),
                {
                    "content": {
                        "textAd": {
                            "description": "Plan, review and apply LinkedIn campaigns from Git.",
                            "headline": "Campaigns as code",
                            "landingPage": "https://example.com/?utm_source=linkedin",
                        }
                    },
                    "intendedStatus": "ACTIVE",
                    "name": "Text ad",
                },
            ),
        ),
        budgets=(BudgetImpact("USD", "0", "50", "0", "10050"),),
        headroom=headroom(
            ACCOUNT,
            (0, 2),
            (0, 2),
            (0, 2),
            (0, 2, "Q1 Brand"),
            (0, 2, "Q1 Brand / Q1 Brand — US"),
            (0, 2, "Q1 Brand / Q1 Brand — US"),
        ),
    )


def mixed_plan() -> Plan:
    brand = (ACCOUNT, "Brand")
    retarget = (*brand, "Retargeting")
    return Plan(
        target="production",
        api_version="202610",
        manifest_checksum=MANIFESTS,
        changes=sort_changes(
            (
                _create(
                    Kind.CREATIVE,
                    (*retarget, "Carousel"),
                    {
                        "content": {"reference": "urn:li:share:42"},
                        "intendedStatus": "ACTIVE",
                        "name": "Carousel",
                    },
                    parent_id=21,
                ),
                ResourceChange(
                    Kind.CAMPAIGN,
                    Action.UPDATE,
                    (*brand, "Prospecting"),
                    id=20,
                    parent_id=10,
                    fields=(
                        FieldChange("dailyBudget", usd("50"), usd("1250.75")),
                        FieldChange("name", "Prospecting", "Prospecting 2026", ignored=True),
                        FieldChange("runSchedule", {"start": JAN_1}, {"start": JAN_1, "end": MAR_31}),
                        FieldChange("targetingCriteria", US_TARGETING, WIDER_TARGETING),
                        FieldChange("totalBudget", usd("20000"), None),
                    ),
                    body={"dailyBudget": usd("1250.75"), "runSchedule": {"start": JAN_1, "end": MAR_31}},
                    delete_fields=("totalBudget",),
                    version_tag="4",
                    last_modified=1_767_300_000_000,
                ),
                ResourceChange(
                    Kind.CAMPAIGN,
                    Action.UPDATE,
                    (*brand, "Quiet"),
                    id=22,
                    parent_id=10,
                    fields=(FieldChange("status", "ACTIVE", "PAUSED", ignored=True),),
                    version_tag="2",
                    last_modified=1_767_300_000_000,
                ),
                ResourceChange(
                    Kind.CAMPAIGN,
                    Action.REPLACE,
                    retarget,
                    id=21,
                    parent_id=10,
                    fields=(FieldChange("costType", "CPM", "CPC"),),
                    body={
                        "costType": "CPC",
                        "name": "Retargeting",
                        "status": "DRAFT",
                        "type": "SPONSORED_UPDATES",
                    },
                    activate=True,
                    reason="costType can't change once a campaign left DRAFT",
                    version_tag="9",
                    last_modified=1_767_200_000_000,
                ),
                ResourceChange(
                    Kind.CAMPAIGN,
                    Action.UPDATE,
                    (EU_ACCOUNT, "Marke | DACH", "Launch <beta>"),
                    id=40,
                    parent_id=30,
                    fields=(FieldChange("dailyBudget", eur("100"), eur("80")),),
                    body={"dailyBudget": eur("80")},
                    version_tag="1",
                    last_modified=1_767_300_000_000,
                ),
                ResourceChange(
                    Kind.CREATIVE,
                    Action.DELETE,
                    (*brand, "Old", "Draft ad"),
                    id=31,
                    parent_id=23,
                    fields=(FieldChange("intendedStatus", "DRAFT", None),),
                    reason="not in the manifests and pruning is on",
                    version_tag="1",
                    last_modified=1_767_100_000_000,
                ),
                ResourceChange(
                    Kind.CAMPAIGN,
                    Action.ARCHIVE,
                    (*brand, "Old"),
                    id=23,
                    parent_id=10,
                    fields=(FieldChange("status", "ACTIVE", "ARCHIVED"),),
                    body={"status": "ARCHIVED"},
                    reason="not in the manifests and pruning is on",
                    version_tag="7",
                    last_modified=1_767_100_000_000,
                ),
            )
        ),
        unmanaged=(
            Unmanaged(Kind.CAMPAIGN, (*brand, "Agency test"), 24, "PAUSED"),
            Unmanaged(Kind.GROUP, (ACCOUNT, "Events"), 11, "ACTIVE"),
        ),
        budgets=(
            BudgetImpact("EUR", "100", "80", "0", "0"),
            BudgetImpact("USD", "150", "1350.75", "20000", "0"),
        ),
        headroom=(
            *headroom(
                ACCOUNT,
                (4_999, 5_001),
                (60, 61),
                (950, 951),
                (3, 4, "Brand"),
                (12, 13, "Brand / Retargeting"),
                (14, 14, "Brand / Prospecting"),
            ),
            # Keys of live parents the planner knew no name for: resolved through the changes' ids.
            *headroom(EU_ACCOUNT, (1, 1), (2, 2), (1, 1), (1, 1, "g:30"), (2, 2, "c:40"), (2, 2, "c:99")),
        ),
        violations=(
            Violation(
                "limit", f"account {ACCOUNT}: campaigns would be 5,001, over LinkedIn's limit of 5,000"
            ),
            Violation(
                "threshold",
                f"account {ACCOUNT}: raises total daily budget from 150 to 1350.75 USD "
                "(+801%, more than 50%)",
            ),
            Violation(
                "replace",
                f"replacing loses reporting history; needs --allow-replace: {ACCOUNT} / Brand / Retargeting",
            ),
        ),
        notes=("target production uses API version 202610; 202509 sunsets on 2026-09-15",),
    )


def big_plan(count: int) -> Plan:
    """``count`` creates spread over ten groups, and as many unmanaged entities."""
    changes = tuple(
        _create(
            Kind.CAMPAIGN,
            (ACCOUNT, f"Group {n % 10}", f"Campaign {n:05d}"),
            {"dailyBudget": usd("10"), "name": f"Campaign {n:05d}", "status": "PAUSED"},
        )
        for n in range(count)
    )
    unmanaged = tuple(
        Unmanaged(Kind.CAMPAIGN, (ACCOUNT, "Legacy", f"Old {n:05d}"), 100_000 + n, "PAUSED")
        for n in range(count)
    )
    return Plan("production", "202610", MANIFESTS, changes=changes, unmanaged=unmanaged)


def _create(
    kind: Kind,
    path: tuple[str, ...],
    fields: dict[str, object],
    *,
    activate: bool = False,
    parent_id: int | None = None,
) -> ResourceChange:
    body = {**fields, "status": "DRAFT"} if activate else dict(fields)
    return ResourceChange(
        kind,
        Action.CREATE,
        path,
        parent_id=parent_id,
        fields=tuple(FieldChange(k, None, v) for k, v in sorted(fields.items())),
        body=body,
        activate=activate,
    )


ALL = {"empty": empty_plan, "new-account": new_account_plan, "mixed": mixed_plan}
