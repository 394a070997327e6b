"""Live entities with fields of the wrong kind: a plan, its renderings and a drift report either
come out or fail with one ReconcilerError, never a Python error from deep inside the planner or a
renderer (the CLI would show it as a traceback)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.drift import check_drift
from reconciler.drift import render as render_drift
from reconciler.errors import BadAnswer, ReconcilerError
from reconciler.model import CampaignGroup, Creative
from reconciler.render import render
from reconciler.workflow import build_plan
from tests.api.fakes import BASE_URL, no_wait_policy

QUICKSTART = str(Path(__file__).parents[1] / "examples" / "quickstart")
ACCOUNT = 500_000_001
GROUP = {
    "id": 900,
    "name": "Q1 2027 Brand",
    "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
    "status": "ACTIVE",
}
CAMPAIGN = {
    "id": 901,
    "name": "Brand awareness — US tech leaders",
    "campaignGroup": "urn:li:sponsoredCampaignGroup:900",
    "status": "ACTIVE",
    "type": "SPONSORED_UPDATES",
}
CREATIVE = {
    "id": "urn:li:sponsoredCreative:902",
    "name": "Launch video",
    "campaign": "urn:li:sponsoredCampaign:901",
    "intendedStatus": "ACTIVE",
}
FIELDS = {
    "group": (
        GROUP,
        ["name", "account", "status", "runSchedule", "totalBudget", "changeAuditStamps", "version"],
    ),
    "campaign": (
        CAMPAIGN,
        [
            "campaignGroup",
            "name",
            "offsiteDeliveryEnabled",
            "format",
            "dailyBudget",
            "unitCost",
            "targetingCriteria",
            "locale",
            "costType",
            "objectiveType",
            "runSchedule",
        ],
    ),
    "creative": (
        CREATIVE,
        ["campaign", "name", "content", "intendedStatus", "servingHoldReasons", "leadgenCallToAction"],
    ),
}
BAD: list[Any] = [{"include": {"and": 5}}, [1], "x\ud800", 1e300]
CASES = [(kind, name, bad) for kind, (_, names) in FIELDS.items() for name in names for bad in BAD]


def client_with(kind: str, field: str, bad: Any) -> LinkedInClient:
    entities = {k: dict(base) for k, (base, _) in FIELDS.items()}
    entities[kind][field] = bad

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        method = request.headers.get("x-restli-method")
        if method == "GET":
            return httpx.Response(200, json={"id": ACCOUNT, "currency": "USD", "name": "A"})
        if method != "FINDER":
            return httpx.Response(200, json={"results": {}, "errors": {}})
        kind_of = (
            "group" if "adCampaignGroups" in path else "campaign" if "adCampaigns" in path else "creative"
        )
        # json.dumps escapes a lone surrogate as JSON may (httpx's json= would refuse to encode it)
        return httpx.Response(200, content=json.dumps({"elements": [entities[kind_of]], "metadata": {}}))

    http = httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(answer))
    return LinkedInClient(http, retry=no_wait_policy(), auth=BearerAuth(Secret("token-123456")))


@pytest.mark.parametrize(("kind", "field", "bad"), CASES, ids=[f"{k}.{f}={b!r:.12}" for k, f, b in CASES])
def test_a_wrong_field_is_a_plan_or_one_error(kind: str, field: str, bad: Any) -> None:
    with client_with(kind, field, bad) as client:
        try:
            plan = build_plan([QUICKSTART], client, target="t").plan
            for fmt in ("human", "markdown", "json"):
                render(plan.to_dict(), fmt)
            drift = check_drift([QUICKSTART], client, target="t")
            for fmt in ("human", "markdown"):
                render_drift(drift.report.to_dict(), fmt)
        except ReconcilerError as error:
            assert "\n" not in str(error)


def test_an_audit_time_that_is_not_epoch_milliseconds_is_not_shown() -> None:
    """Reports show when a drifted entity changed: a stamp they cannot read is left out, never a
    Python error from the renderer."""
    stamp = {"lastModified": {"time": "2026-01-01", "actor": "urn:li:member:1"}}
    with client_with("campaign", "changeAuditStamps", stamp) as client:
        drift = check_drift([QUICKSTART], client, target="t")
        shown = [render_drift(drift.report.to_dict(), fmt) for fmt in ("human", "markdown")]
    assert all("2026-01-01" not in text for text in shown)


def test_audit_times_are_read_as_epoch_milliseconds_only() -> None:
    group = CampaignGroup.from_api({**GROUP, "changeAuditStamps": {"created": {"time": True}}})
    creative = Creative.from_api({**CREATIVE, "createdAt": 1_700_000_000_000, "lastModifiedAt": "yesterday"})
    assert group.meta is not None and group.meta.created_at is None
    assert creative.meta is not None and (creative.meta.created_at, creative.meta.last_modified_at) == (
        1_700_000_000_000,
        None,
    )


def test_a_container_where_a_flag_belongs_is_a_bad_answer() -> None:
    with (
        client_with("campaign", "offsiteDeliveryEnabled", {"a": 1}) as client,
        pytest.raises(BadAnswer) as caught,
    ):
        build_plan([QUICKSTART], client, target="t")
    assert "the answer has the wrong shape: TypeError: offsite_delivery_enabled is an object" in str(
        caught.value
    )


def test_a_parent_that_is_not_a_urn_is_a_bad_answer() -> None:
    with client_with("creative", "campaign", 5) as client, pytest.raises(BadAnswer) as caught:
        build_plan([QUICKSTART], client, target="t")
    assert "its parent reference is" in str(caught.value)
