"""Property: ``validate`` and the emulator agree on what LinkedIn refuses.

Hypothesis generates one-group manifests across campaign types, formats, objectives, optimization
targets, cost types, budgets, schedules, statuses and the fields required on create (now and then
leaving one of those out: a group's status, a campaign's type, costType, status, locale, runSchedule
or targeting, a creative's intendedStatus or content). For each:
either ``validate`` refuses it, or planning and applying it against a fresh in-process emulator
meets no 4xx answer. The two directions of the issue are one check: nothing the emulator refuses
at create or activation gets past ``validate``, and whatever ``validate`` accepts applies. (One
refusal depends on what is live, not on the manifest: creating an entity in a status LinkedIn does
not create it in. The planner refuses that before any write, and the test accepts exactly that.)

The two sides are written independently (``reconciler/manifest/combos.py`` + ``rules.py`` and
``reconciler/emulator/rules/``), so a disagreement is a bug in one of them.

CI runs a fixed number of examples (derandomized, a few seconds); for a deeper search locally:
``RECONCILER_PROPERTY_EXAMPLES=3000 python -m pytest -q tests/test_validate_matches_emulator.py``.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret
from reconciler.apply import apply_plan
from reconciler.emulator import TEST_ACCOUNT_ID, open_emulator
from reconciler.errors import BelowMinimum, ManifestError, PlanError
from reconciler.manifest import load_project
from reconciler.plan import MINIMUM_GUARDS
from reconciler.workflow import build_plan

CREATE_STATUS_REFUSAL = "not live yet, and LinkedIn creates a"
EXAMPLES = int(os.environ.get("RECONCILER_PROPERTY_EXAMPLES", "200"))
FAST = RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=3)

TYPES = ["TEXT_AD", "SPONSORED_UPDATES", "SPONSORED_INMAILS", "DYNAMIC"]
FORMATS = [
    "STANDARD_UPDATE",
    "TEXT_AD",
    "SINGLE_VIDEO",
    "CAROUSEL",
    "SPOTLIGHT",
    "FOLLOW_COMPANY",
    "JOBS",
    "SPONSORED_INMAIL",
    "SPONSORED_MESSAGE",
    "SPONSORED_UPDATE_EVENT",
]
OBJECTIVES = [
    "BRAND_AWARENESS",
    "ENGAGEMENT",
    "VIDEO_VIEW",
    "LEAD_GENERATION",
    "WEBSITE_VISIT",
    "WEBSITE_CONVERSION",
    "JOB_APPLICANT",
    "TALENT_LEAD",
    "CREATIVE_ENGAGEMENT",
    "WEBSITE_VISITS",
]
TARGETS = [
    "NONE",
    "MAX_IMPRESSION",
    "MAX_CLICK",
    "MAX_CONVERSION",
    "MAX_LEAD",
    "MAX_QUALIFIED_LEAD",
    "MAX_VIDEO_VIEW",
    "MAX_REACH",
    "ENHANCED_CONVERSION",
    "TARGET_COST_PER_CLICK",
    "TARGET_COST_PER_IMPRESSION",
    "TARGET_COST_PER_VIDEO_VIEW",
    "CAP_COST_AND_MAXIMIZE_CLICKS",
    "CAP_COST_AND_MAXIMIZE_IMPRESSIONS",
    "CAP_COST_AND_MAXIMIZE_VIDEO_VIEWS",
    "CAP_COST_AND_MAXIMIZE_LEADS",
]
CONTENT = {
    "SPONSORED_UPDATES": {"reference": "urn:li:share:7012345678901234567"},
    "SPONSORED_INMAILS": {"reference": "urn:li:adInMailContent:123456"},
    "TEXT_AD": {
        "textAd": {
            "headline": "Ship faster",
            "description": "See how teams cut release time in half.",
            "landingPage": "https://www.example.com/ship",
        }
    },
}


# What LinkedIn requires to create (and, for targeting, to run) that the tool does not fill in.
CAMPAIGN_REQUIRED = ("type", "costType", "status", "locale", "runSchedule", "targeting")
CREATIVE_REQUIRED = ("intendedStatus", "content")


def optional(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values)


def day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


@st.composite
def schedules(draw: st.DrawFn, *, open_ended: bool = True) -> dict[str, str]:
    start = draw(st.integers(min_value=3, max_value=30))
    length = draw(st.integers(min_value=-2, max_value=60) if open_ended else st.integers(1, 60))
    out = {"start": day(start)}
    if length != 0 or not open_ended:
        out["end"] = day(start + length)
    return out


def weighted(*choices: tuple[int, Any]) -> st.SearchStrategy[Any]:
    """One of the values, each ``weight`` times as likely (keeps most examples near valid ones).
    The first is where Hypothesis starts and shrinks to, so it is the common, valid choice."""
    return st.sampled_from([value for weight, value in choices for _ in range(weight)])


# The formats of each type, as the campaign-formats page names them; a third of the draws ignore it.
FORMATS_OF = {
    "TEXT_AD": ["TEXT_AD"],
    "SPONSORED_UPDATES": ["STANDARD_UPDATE", "SINGLE_VIDEO", "CAROUSEL", "SPONSORED_UPDATE_EVENT"],
    "SPONSORED_INMAILS": ["SPONSORED_INMAIL", "SPONSORED_MESSAGE"],
    "DYNAMIC": ["FOLLOW_COMPANY", "JOBS", "SPOTLIGHT"],
}


@st.composite
def campaigns(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(TYPES))
    fmt = draw(weighted((3, None), (4, "own"), (2, "any")))
    if fmt is not None:
        fmt = draw(st.sampled_from(FORMATS_OF[kind] if fmt == "own" else FORMATS))
    out: dict[str, Any] = {
        "name": f"Campaign {index}",
        "status": draw(weighted((3, "ACTIVE"), (3, "PAUSED"), (3, "DRAFT"), (1, "ARCHIVED"))),
        "type": kind,
        "costType": draw(weighted((6, "CPM"), (3, "CPC"), (1, "CPV"))),
        "locale": "en_US",
        "runSchedule": draw(schedules()),
        "format": fmt,
        "objectiveType": draw(weighted((3, "any"), (2, None))),
        "optimizationTargetType": draw(weighted((1, None), (1, "any"))),
        "dailyBudget": draw(weighted((8, "50 USD"), (1, "5 USD"), (1, None))),
        "totalBudget": draw(weighted((6, None), (1, "30 USD"), (2, "2000 USD"))),
        "unitCost": draw(optional(st.just("4 USD"))),
        "associatedEntity": draw(weighted((6, "urn:li:organization:2414183"), (1, None))),
        "targeting": draw(weighted((6, "us"), (1, "engineers"))),
        "offsiteDeliveryEnabled": draw(optional(st.booleans())),
        "politicalIntent": draw(optional(st.sampled_from(["NOT_POLITICAL", "NOT_DECLARED"]))),
    }
    # Now and then one field LinkedIn requires at create (or to run) is left out.
    omitted = draw(weighted((24, None), *((1, name) for name in CAMPAIGN_REQUIRED)))
    out.pop(omitted, None)
    if out["objectiveType"] == "any":
        out["objectiveType"] = draw(st.sampled_from(OBJECTIVES))
    if out["optimizationTargetType"] == "any":
        out["optimizationTargetType"] = draw(st.sampled_from(TARGETS))
    if kind in CONTENT and draw(st.booleans()):
        status = draw(weighted((4, "ACTIVE"), (3, "DRAFT"), (1, "PAUSED"), (1, "ARCHIVED")))
        creative = {"name": "Ad", "intendedStatus": status, "content": CONTENT[kind]}
        creative.pop(draw(weighted((12, None), *((1, name) for name in CREATIVE_REQUIRED))), None)
        out["creatives"] = [creative]
    return {key: value for key, value in out.items() if value is not None}


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    group: dict[str, Any] = {
        "name": "Group",
        "status": draw(weighted((6, "ACTIVE"), (2, "DRAFT"), (1, "PAUSED"), (1, "ARCHIVED"), (1, None))),
    }
    if group["status"] is None:
        del group["status"]
    schedule = draw(weighted((6, "given"), (1, None)))
    if schedule is not None:
        schedule = draw(schedules(open_ended=True))
    if schedule is not None and ("end" not in schedule or schedule["end"] > schedule["start"]):
        group["runSchedule"] = schedule
        if "end" in schedule and draw(st.booleans()):
            group["totalBudget"] = "5000 USD"
    count = draw(weighted((3, 1), (1, 2)))
    group["campaigns"] = [draw(campaigns(i)) for i in range(count)]
    return {
        "version": 1,
        "account": {"id": TEST_ACCOUNT_ID, "currency": "USD"},
        "audiences": {
            "us": {"include": [{"locations": ["urn:li:geo:103644278"]}]},
            "engineers": {"include": [{"jobFunctions": ["urn:li:function:8"]}]},
        },
        "campaignGroups": [group],
    }


class Recording(httpx.BaseTransport):
    """Forwards every request and keeps each answer's status with what was asked."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.refused: list[str] = []
        self.writes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("X-RestLi-Method") not in (None, "GET", "BATCH_GET", "FINDER"):
            self.writes += 1
        response = self.inner.handle_request(request)
        if 400 <= response.status_code < 500:
            response.read()
            body = request.read().decode()
            self.refused.append(f"{request.method} {request.url.path} {body} -> {response.text}")
        return response


def apply_in_emulator(project: Path) -> list[str]:
    """Plan and apply ``project`` on a fresh emulator; every request answered 4xx."""
    emulator = open_emulator(None)
    recording = Recording(emulator.transport())
    http = httpx.Client(
        base_url="https://api.linkedin.com/rest", transport=recording, auth=BearerAuth(Secret("t"))
    )
    try:
        client = LinkedInClient(http, retry=FAST)
        try:
            plan = build_plan([project], client, target="emulator").plan
        except PlanError as error:
            # Whether an entity is created depends on what is live, so the planner (not validate)
            # refuses a create in a status LinkedIn can't create; it does so before any write.
            assert CREATE_STATUS_REFUSAL in str(error), str(error)
            assert not recording.writes
            event("plan refused a create status")
            return []
        if any(v.guard in MINIMUM_GUARDS for v in plan.violations):
            # LinkedIn's minimum daily budget (per currency) and audience size are the plan's to
            # ask (adBudgetPricing, audienceCounts): refused before any write, as apply refuses it.
            with pytest.raises(BelowMinimum):
                plan.check_guardrails(force=True, allow_replace=True)
            assert not recording.writes
            event("plan refused under LinkedIn's minimums")
            return []
        report = apply_plan(plan, client)
        problems = list(recording.refused)
        problems += [f"{r.address}: {r.status.value} {r.error or r.note}" for r in report.results if r.error]
        if not report.ok:
            problems.append(f"apply failed: {report.summary()}")
        return problems
    finally:
        http.close()
        emulator.close()


def check(manifest: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        project = Path(directory)
        (project / "account.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
        try:
            load_project([project])
        except ManifestError:
            event("validate refused")
            return  # validate refused: nothing may be sent
        event("validate accepted")
        refused = apply_in_emulator(project)
    shown = yaml.safe_dump(manifest) + "\n".join(refused)
    assert not refused, "validate accepted, the emulator refused:\n" + shown


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="RECONCILER_PROPERTY_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(manifests())
def test_what_validate_accepts_the_emulator_applies(manifest: dict[str, Any]) -> None:
    check(manifest)


def valid_manifest() -> dict[str, Any]:
    """One ACTIVE group, campaign and creative with everything LinkedIn needs to create and run them."""
    campaign = {
        "name": "Campaign 0",
        "status": "ACTIVE",
        "type": "SPONSORED_UPDATES",
        "costType": "CPM",
        "locale": "en_US",
        "runSchedule": {"start": day(5)},
        "objectiveType": "ENGAGEMENT",
        "optimizationTargetType": "MAX_CLICK",
        "dailyBudget": "50 USD",
        "associatedEntity": "urn:li:organization:2414183",
        "targeting": "us",
        "creatives": [{"name": "Ad", "intendedStatus": "ACTIVE", "content": CONTENT["SPONSORED_UPDATES"]}],
    }
    return {
        "version": 1,
        "account": {"id": TEST_ACCOUNT_ID, "currency": "USD"},
        "audiences": {"us": {"include": [{"locations": ["urn:li:geo:103644278"]}]}},
        "campaignGroups": [
            {"name": "Group", "status": "ACTIVE", "runSchedule": {"start": day(5)}, "campaigns": [campaign]}
        ],
    }


def test_the_generator_reaches_valid_manifests() -> None:
    """A property over manifests validate always refuses would prove nothing: this one is valid."""
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "account.yaml").write_text(yaml.safe_dump(valid_manifest(), sort_keys=False))
        load_project([Path(directory)])
        assert apply_in_emulator(Path(directory)) == []


REQUIRED_AT_CREATE = [
    ("group", "status"),
    *(("campaign", name) for name in CAMPAIGN_REQUIRED),
    *(("creative", name) for name in CREATIVE_REQUIRED),
]


@pytest.mark.parametrize(("kind", "field"), REQUIRED_AT_CREATE)
def test_validate_refuses_a_new_resource_without_a_field_linkedin_requires(kind: str, field: str) -> None:
    manifest = valid_manifest()
    group = manifest["campaignGroups"][0]
    resource = {"group": group, "campaign": group["campaigns"][0]}.get(kind)
    resource = resource if resource is not None else group["campaigns"][0]["creatives"][0]
    del resource[field]
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "account.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
        with pytest.raises(ManifestError) as caught:
            load_project([Path(directory)])
        (problem,) = caught.value.problems
        assert field in problem.message and str(problem.path).endswith(
            ".name" if field != "targeting" else ".status"
        )
        # Pinned by id, the resource is live already: it stays valid without the field.
        if field != "targeting":
            resource["id"] = 123
            (Path(directory) / "account.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
            load_project([Path(directory)])
