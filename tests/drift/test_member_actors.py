"""Audit stamps name the member as ``urn:li:person:…`` or ``urn:li:member:…`` (issue 14 item 12):
the model reads both, for every kind, and drift reports either as who changed the entity."""

from __future__ import annotations

import pytest

from reconciler.drift import DriftState
from reconciler.model import Campaign, CampaignGroup, Creative
from tests.drift.test_detect import report
from tests.planner.builders import (
    account,
    campaign,
    creative,
    group,
    live_account,
    live_campaign,
    live_creative,
    live_group,
)

ACTORS = ["urn:li:person:AbC123", "urn:li:member:987654"]


def _stamps(actor: str) -> dict[str, object]:
    return {"changeAuditStamps": {"created": {"time": 5}, "lastModified": {"time": 9, "actor": actor}}}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_model_reads_either_member_form_for_every_kind(actor: str) -> None:
    group_api = {
        "id": 10,
        "account": "urn:li:sponsoredAccount:1",
        "name": "G",
        "status": "ACTIVE",
        **_stamps(actor),
    }
    campaign_api = {
        "id": 20,
        "account": "urn:li:sponsoredAccount:1",
        "campaignGroup": "urn:li:sponsoredCampaignGroup:10",
        "name": "C",
        "status": "ACTIVE",
        "type": "SPONSORED_UPDATES",
        **_stamps(actor),
    }
    creative_api = {
        "id": "urn:li:sponsoredCreative:30",
        "campaign": "urn:li:sponsoredCampaign:20",
        "intendedStatus": "ACTIVE",
        "createdBy": actor,
        "lastModifiedBy": actor,
        "lastModifiedAt": 9,
    }
    assert CampaignGroup.from_api(group_api).meta.last_modified_by == actor
    assert Campaign.from_api(campaign_api).meta.last_modified_by == actor
    assert Creative.from_api(creative_api).meta.last_modified_by == actor


@pytest.mark.parametrize("actor", ACTORS)
def test_drift_names_either_member_form_as_who_changed_it(actor: str) -> None:
    live = live_account(
        [live_group(10, "G")],
        [live_campaign(20, 10, "C", status="PAUSED", **_stamps(actor))],
        [live_creative(30, 20, "R", intendedStatus="PAUSED", lastModifiedBy=actor, lastModifiedAt=9)],
    )
    desired = account(group("G", campaign("C", creative("R", 30))))
    items = report(desired, live).items
    assert [(i.kind, i.state, i.modified_by) for i in items] == [
        ("campaign", DriftState.CHANGED, actor),
        ("creative", DriftState.CHANGED, actor),
    ]
