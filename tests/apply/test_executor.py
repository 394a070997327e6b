"""The executor against the emulator in process: order and activation, dependents skipped on a
failure, --fail-fast, replaces, prune, batching, and unknown create outcomes resolved by looking."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import yaml

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret
from reconciler.apply import ApplyReport, Event, Notice, Status, apply_plan, retired_name
from reconciler.emulator import Emulator, open_emulator
from reconciler.errors import UnsafePlan
from reconciler.model import CampaignGroup, GroupStatus, Locale, Schedule, account_urn, group_urn
from reconciler.plan import Action, Kind, Plan, ResourceChange
from reconciler.planner import PlanOptions
from reconciler.workflow import build_plan
from tests.apply.helpers import (
    ACCOUNT,
    FAST,
    client_for,
    duplicates,
    statuses,
    tree,
    write_calls,
    write_manifests,
)
from tests.planner import builders

AUTH = BearerAuth(Secret("t"))


class Recording(httpx.BaseTransport):
    """Records (Rest.li method, resource, JSON body) of every request, then forwards it."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.calls: list[tuple[str, str, object]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resource = request.url.path.split("?")[0].rsplit("/", 1)[-1]
        body = request.read()
        self.calls.append((request.headers["X-RestLi-Method"], resource, json.loads(body) if body else None))
        return self.inner.handle_request(request)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emu = open_emulator(None)
    yield emu
    emu.close()


def recorded_client(emulator: Emulator) -> tuple[LinkedInClient, Recording]:
    recording = Recording(emulator.transport())
    http = httpx.Client(base_url="https://api.linkedin.com/rest", transport=recording, auth=AUTH)
    return LinkedInClient(http, retry=FAST), recording


def plan_for(path: Path, client: LinkedInClient, **options: bool) -> Plan:
    return build_plan([path], client, target="test", options=PlanOptions(**options)).plan


def apply_until_done(
    path: Path, client: LinkedInClient, rounds: int = 6, **options: bool
) -> list[ApplyReport]:
    reports = []
    for _ in range(rounds):
        plan = plan_for(path, client, **options)
        if plan.empty:
            return reports
        reports.append(apply_plan(plan, client))
    raise AssertionError(f"not converged after {rounds} applies: {reports[-1].summary()}")


def by_address(report: ApplyReport) -> dict[str, object]:
    return {r.address.rsplit(" / ", 1)[-1]: r for r in report.results}


# -- order and activation ----------------------------------------------------------------------


def test_campaigns_are_created_draft_and_activated_only_after_their_creatives(
    tmp_path: Path, emulator: Emulator
) -> None:
    project = write_manifests(tmp_path, tree(1, 2, 2))
    client, recording = recorded_client(emulator)
    report = apply_plan(plan_for(project, client), client)
    assert report.ok and len(report.results) == 7
    writes = [(m, r, b) for m, r, b in recording.calls if m in ("BATCH_CREATE", "BATCH_PARTIAL_UPDATE")]
    assert [(m, r) for m, r, _ in writes] == [
        ("BATCH_CREATE", "adCampaignGroups"),
        ("BATCH_CREATE", "adCampaigns"),
        ("BATCH_CREATE", "creatives"),
        ("BATCH_PARTIAL_UPDATE", "adCampaigns"),
    ]
    campaign_bodies = writes[1][2]["elements"]  # type: ignore[index]
    assert {b["status"] for b in campaign_bodies} == {"DRAFT"}
    activation = writes[3][2]["entities"]  # type: ignore[index]
    assert [p["patch"]["$set"] for p in activation.values()] == [{"status": "ACTIVE"}] * 2
    assert set(statuses(client).values()) == {"ACTIVE"}
    assert plan_for(project, client).empty


def test_a_failed_creative_leaves_its_campaign_draft_and_the_rest_goes_on(
    tmp_path: Path, emulator: Emulator
) -> None:
    client = client_for(emulator)
    plan = plan_for(write_manifests(tmp_path, tree(1, 2, 2)), client)
    broken = [
        replace(c, body={**c.body, "content": {"reference": "urn:li:bogus:1"}})
        if c.name == "Ad 00-000-1"
        else c
        for c in plan.changes
    ]
    report = apply_plan(replace(plan, changes=tuple(broken)), client)
    results = by_address(report)
    failed = results["Ad 00-000-1"]
    assert failed.status is Status.FAILED  # type: ignore[attr-defined]
    assert failed.error.http_status == 400 and failed.error.code  # type: ignore[attr-defined]
    assert "content/reference" in failed.error.message  # type: ignore[attr-defined]
    left = results["Campaign 00-000"]
    assert left.status is Status.SKIPPED and "left DRAFT" in left.note  # type: ignore[attr-defined]
    assert results["Ad 00-000-0"].status is Status.APPLIED  # type: ignore[attr-defined]
    assert results["Campaign 00-001"].status is Status.APPLIED  # type: ignore[attr-defined]
    live = statuses(client)
    assert live["Campaign 00-000"] == "DRAFT"
    assert live["Campaign 00-001"] == "ACTIVE"
    assert not report.ok


def test_a_failed_parent_skips_its_children_but_not_the_independent_rest(
    tmp_path: Path, emulator: Emulator
) -> None:
    client = client_for(emulator)
    plan = plan_for(write_manifests(tmp_path, tree(1, 2, 2)), client)
    broken = [
        replace(c, body={**c.body, "costType": "NOPE"}) if c.name == "Campaign 00-000" else c
        for c in plan.changes
    ]
    report = apply_plan(replace(plan, changes=tuple(broken)), client)
    results = by_address(report)
    assert results["Campaign 00-000"].status is Status.FAILED  # type: ignore[attr-defined]
    for name in ("Ad 00-000-0", "Ad 00-000-1"):
        skipped = results[name]
        assert skipped.status is Status.SKIPPED  # type: ignore[attr-defined]
        assert "parent" in skipped.note and "was not created" in skipped.note  # type: ignore[attr-defined]
    assert results["Campaign 00-001"].status is Status.APPLIED  # type: ignore[attr-defined]
    assert report.count(Status.APPLIED) == 4


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path, emulator: Emulator) -> None:
    client = client_for(emulator)
    plan = plan_for(write_manifests(tmp_path, tree(1, 2, 2)), client)
    broken = [
        replace(c, body={**c.body, "costType": "NOPE"}) if c.name == "Campaign 00-000" else c
        for c in plan.changes
    ]
    report = apply_plan(replace(plan, changes=tuple(broken)), client, fail_fast=True)
    assert report.stopped
    assert report.count(Status.FAILED) == 1
    assert report.count(Status.APPLIED) == 1  # the group
    skipped = {r.address.rsplit(" / ", 1)[-1]: r for r in report.results if r.status is Status.SKIPPED}
    assert len(skipped) == 5 and all("fail-fast" in r.note for r in skipped.values())
    sent_in_the_same_batch = skipped["Campaign 00-001"]
    assert sent_in_the_same_batch.id is not None and "created (id" in sent_in_the_same_batch.note
    assert statuses(client)["Campaign 00-001"] == "DRAFT"
    assert client.stats.count("BATCH_CREATE", "creatives") == 0


# -- batching ----------------------------------------------------------------------------------


def seed_campaigns(client: LinkedInClient, count: int) -> list[int]:
    """``count`` DRAFT campaigns in one new group, created straight through the API."""
    group = CampaignGroup(name="Bulk", status=GroupStatus.DRAFT, run_schedule=Schedule(1799020800000))
    group_id = client.groups(ACCOUNT).create(group.to_api(account_urn(ACCOUNT)))
    extra = {"locale": Locale("US", "en"), "run_schedule": Schedule(1799020800000)}
    bodies = [
        builders.campaign(f"Bulk {i:04d}", status="DRAFT", **extra).to_api(
            account_urn(ACCOUNT), group_urn(group_id)
        )
        for i in range(count)
    ]
    results = client.campaigns(ACCOUNT).batch_create(bodies)
    assert all(r.ok for r in results)
    return [r.id for r in results if r.id is not None]


@pytest.mark.parametrize("batch_size", [200, 150, 1000])
def test_a_thousand_campaign_updates_take_few_batch_calls(batch_size: int) -> None:
    client = client_for(open_emulator(None), batch_size=batch_size)
    ids = seed_campaigns(client, 1000)
    budget = {"dailyBudget": {"amount": "60", "currencyCode": "USD"}}
    changes = tuple(
        ResourceChange(
            Kind.CAMPAIGN, Action.UPDATE, (str(ACCOUNT), "Bulk", f"Bulk {i:04d}"), cid, body=budget
        )
        for i, cid in enumerate(ids)
    )
    client.stats.reset()
    report = apply_plan(Plan("test", client.version, "sha256:x", changes), client)
    assert report.ok and len(report.results) == 1000
    assert write_calls(client) <= 1.2 * math.ceil(1000 / batch_size)
    assert client.stats.count("BATCH_PARTIAL_UPDATE") == math.ceil(1000 / batch_size)
    live = client.campaigns(ACCOUNT).batch_get(ids)
    assert {str(c.daily_budget.amount) for c in live.values() if c.daily_budget} == {"60"}


def test_a_temporary_item_failure_of_an_update_is_sent_once_more(tmp_path: Path, emulator: Emulator) -> None:
    class FailFirstUpdate(httpx.BaseTransport):
        def __init__(self, inner: httpx.BaseTransport) -> None:
            self.inner = inner
            self.failed = False

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.headers["X-RestLi-Method"] == "BATCH_PARTIAL_UPDATE" and not self.failed:
                self.failed = True
                return httpx.Response(503, json={"message": "down", "status": 503}, request=request)
            return self.inner.handle_request(request)

    seed_client = client_for(emulator)
    spec = tree(1, 3, 0)
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec), seed_client), seed_client)
    plan = plan_for(write_manifests(tmp_path / "v2", spec, budget=lambda _c: 70), seed_client)
    http = httpx.Client(base_url="https://x/rest", transport=FailFirstUpdate(emulator.transport()), auth=AUTH)
    client = LinkedInClient(http, retry=RetryPolicy(max_attempts=1))
    report = apply_plan(plan, client)
    assert report.ok
    assert client.stats.count("BATCH_PARTIAL_UPDATE") == 2
    assert plan_for(tmp_path / "v2", seed_client).empty


# -- replace, prune ----------------------------------------------------------------------------


def test_a_replace_renames_and_archives_the_old_one_before_creating_the_new(
    tmp_path: Path, emulator: Emulator
) -> None:
    client, recording = recorded_client(emulator)
    spec = tree(1, 2, 1)
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec), client), client)
    old = {c.name: c.id for c in client.campaigns(ACCOUNT).search()}
    v2 = write_manifests(tmp_path / "v2", spec, overrides={"Campaign 00-000": {"costType": "CPC"}})
    plan = plan_for(v2, client, allow_replace=True)
    assert [c.action for c in plan.changes if c.kind is Kind.CAMPAIGN] == [Action.REPLACE]
    recording.calls.clear()
    report = apply_plan(plan, client)
    assert report.ok, report.results
    methods = [(m, r) for m, r, _ in recording.calls if m.startswith("BATCH_") and m != "BATCH_GET"]
    assert methods[:2] == [("BATCH_PARTIAL_UPDATE", "adCampaigns"), ("BATCH_CREATE", "adCampaigns")]
    retire = recording.calls[[m for m, _, _ in recording.calls].index("BATCH_PARTIAL_UPDATE")][2]
    patch = next(iter(retire["entities"].values()))["patch"]["$set"]  # type: ignore[index]
    assert patch["status"] == "ARCHIVED" and patch["name"].startswith("Campaign 00-000 (replaced ")
    live = {c.name: c for c in client.campaigns(ACCOUNT).search()}
    retired = live[patch["name"]]
    assert retired.id == old["Campaign 00-000"] and str(retired.status) == "ARCHIVED"
    fresh = live["Campaign 00-000"]
    assert fresh.id != old["Campaign 00-000"] and str(fresh.status) == "ACTIVE"
    assert not duplicates(client)
    assert plan_for(v2, client, allow_replace=True).empty


def test_a_replace_whose_new_entity_fails_says_the_old_one_is_retired(
    tmp_path: Path, emulator: Emulator
) -> None:
    client, _ = recorded_client(emulator)
    spec = tree(1, 1, 1)
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec), client), client)
    v2 = write_manifests(tmp_path / "v2", spec, overrides={"Campaign 00-000": {"costType": "CPC"}})
    plan = plan_for(v2, client, allow_replace=True)
    broken = [
        replace(c, body={**c.body, "type": "NOPE"}) if c.action is Action.REPLACE else c for c in plan.changes
    ]
    report = apply_plan(replace(plan, changes=tuple(broken)), client)
    (failed,) = [r for r in report.results if r.status is Status.FAILED]
    assert "was already renamed and archived" in failed.note and "run apply again" in failed.note


class LeavingOut(httpx.BaseTransport):
    """Forwards every request; answers a BATCH_GET of ``resource`` with its ``results`` emptied
    (and no ``errors``): an answer that leaves every key out."""

    def __init__(self, inner: httpx.BaseTransport, resource: str) -> None:
        self.inner, self.resource = inner, resource

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.headers["X-RestLi-Method"] != "BATCH_GET" or not request.url.path.endswith(self.resource):
            return response
        data = json.loads(response.read())
        data["results"], data["statuses"] = {}, {}
        return httpx.Response(200, json=data, request=request)


def test_a_retire_whose_batch_get_leaves_the_old_one_out_fails_and_makes_no_duplicate(
    tmp_path: Path, emulator: Emulator
) -> None:
    """Read as gone, the old campaign would count as retired while it still runs, and its
    replacement would run beside it."""
    seed = client_for(emulator)
    spec = tree(1, 1, 1)
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec), seed), seed)
    v2 = write_manifests(tmp_path / "v2", spec, overrides={"Campaign 00-000": {"costType": "CPC"}})
    plan = plan_for(v2, seed, allow_replace=True)
    transport = LeavingOut(emulator.transport(), "/adCampaigns")
    http = httpx.Client(base_url="https://api.linkedin.com/rest", transport=transport, auth=AUTH)
    report = apply_plan(plan, LinkedInClient(http, retry=FAST))
    (failed,) = [r for r in report.results if r.status is Status.FAILED]
    assert failed.error is not None
    assert "the batch answer left out 1 of the 1 keys asked for" in failed.error.message
    live = [c for c in seed.campaigns(ACCOUNT).search() if c.name.startswith("Campaign 00-000")]
    assert [(c.name, str(c.status)) for c in live] == [("Campaign 00-000", "ACTIVE")]
    assert not duplicates(seed)


def _without_format_default(directory: Path) -> Path:
    account = directory / "account.yaml"
    head = yaml.safe_load(account.read_text())
    del head["defaults"]["campaign"]["format"]
    account.write_text(yaml.safe_dump(head, sort_keys=False))
    return directory


def test_a_video_format_for_a_draft_live_without_one_is_a_replace_not_a_refused_update(
    tmp_path: Path, emulator: Emulator
) -> None:
    # LinkedIn sets video, carousel and dynamic formats only at creation, even on a DRAFT.
    client, recording = recorded_client(emulator)
    spec = tree(1, 1, 0)
    v1 = _without_format_default(write_manifests(tmp_path / "v1", spec, status="DRAFT"))
    assert apply_plan(plan_for(v1, client), client).ok
    (old,) = client.campaigns(ACCOUNT).search()
    assert old.format is None
    video = {"Campaign 00-000": {"format": "SINGLE_VIDEO"}}
    v2 = _without_format_default(write_manifests(tmp_path / "v2", spec, status="DRAFT", overrides=video))
    refused = plan_for(v2, client)
    (change,) = refused.changes
    assert change.action is Action.REPLACE
    assert "format SINGLE_VIDEO can only be set when a campaign is created" in change.reason
    with pytest.raises(UnsafePlan, match="--allow-replace"):
        refused.check_guardrails(force=True)
    recording.calls.clear()
    report = apply_plan(plan_for(v2, client, allow_replace=True), client)
    assert report.ok, report.results
    (fresh,) = [c for c in client.campaigns(ACCOUNT).search() if str(c.status) != "ARCHIVED"]
    assert fresh.id != old.id and fresh.format == "SINGLE_VIDEO" and fresh.name == "Campaign 00-000"
    assert plan_for(v2, client, allow_replace=True).empty


def test_replacing_a_draft_creative_deletes_the_old_one(tmp_path: Path, emulator: Emulator) -> None:
    client = client_for(emulator)
    spec = tree(1, 1, 1)
    draft = {"Ad 00-000-0": {"intendedStatus": "DRAFT"}}
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec, overrides=draft), client), client)
    old = client.creatives(ACCOUNT).search()[0]
    changed = {
        "Ad 00-000-0": {
            "intendedStatus": "DRAFT",
            "content": {"reference": "urn:li:share:7099999999999999999"},
        }
    }
    v2 = write_manifests(tmp_path / "v2", spec, overrides=changed)
    plan = plan_for(v2, client, allow_replace=True)
    assert [c.action for c in plan.changes] == [Action.REPLACE]
    report = apply_plan(plan, client)
    assert report.ok
    live = client.creatives(ACCOUNT).search()
    assert old.id not in {c.id for c in live} or all(c.id != old.id for c in live if c.name == old.name)
    assert [c.name for c in live if str(c.intended_status) == "DRAFT"] == ["Ad 00-000-0"]
    assert plan_for(v2, client, allow_replace=True).empty


def test_retired_names_fit_linkedins_limit() -> None:
    from datetime import date

    assert retired_name("Brand", date(2027, 1, 4)) == "Brand (replaced 2027-01-04)"
    long = retired_name("x" * 100, date(2027, 1, 4))
    assert len(long) == 100 and long.endswith("… (replaced 2027-01-04)")


def test_prune_archives_children_before_parents_and_deletes_drafts(
    tmp_path: Path, emulator: Emulator
) -> None:
    client, recording = recorded_client(emulator)
    spec = tree(2, 2, 1)
    draft = {"Campaign 01-001": {"status": "DRAFT"}, "Ad 01-001-0": {"intendedStatus": "DRAFT"}}
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec, overrides=draft), client), client)
    smaller = {"Group 00": {"Campaign 00-000": ["Ad 00-000-0"]}}
    v2 = write_manifests(tmp_path / "v2", smaller, prune=True)
    plan = plan_for(v2, client)
    assert plan.summary()["archive"] + plan.summary()["delete"] >= 4
    recording.calls.clear()
    report = apply_plan(plan, client)
    assert report.ok, [r for r in report.results if r.status is not Status.APPLIED]
    order = [(m, r) for m, r, _ in recording.calls if m in ("BATCH_PARTIAL_UPDATE", "BATCH_DELETE")]
    resources = [r for _, r in order]
    assert resources == sorted(resources, key=["creatives", "adCampaigns", "adCampaignGroups"].index)
    assert ("BATCH_DELETE", "adCampaigns") in order
    live = statuses(client)
    assert live["Campaign 00-001"] == "ARCHIVED" and live["Campaign 00-000"] == "ACTIVE"
    assert "Campaign 01-001" not in live or live["Campaign 01-001"] == "REMOVED"
    assert plan_for(v2, client).empty


# -- unknown outcomes --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [5, 6, 10])  # seeds whose faults hit both a committed and a lost create
def test_unknown_create_outcomes_are_resolved_by_looking_never_duplicated(tmp_path: Path, seed: int) -> None:
    emulator = open_emulator(None, seed=seed, commit_then_fail_rate=0.3, error_rate=0.1, throttle_rate=0.05)
    # One request at a time: the seeded faults then fall on the same requests in every run.
    client = client_for(emulator, batch_size=4, concurrency=1)
    notices: list[str] = []

    def listen(event: Event) -> None:
        if isinstance(event, Notice):
            notices.append(event.message)

    project = write_manifests(tmp_path, tree(2, 4, 3))
    for _ in range(6):
        plan = plan_for(project, client)
        if plan.empty:
            break
        apply_plan(plan, client, listener=listen)
    assert plan_for(project, client).empty
    assert client.stats.unknown_outcomes > 0
    assert any("adopted" in n for n in notices)  # committed, answer lost: found by name
    assert any("creating it again" in n for n in notices)  # failed before committing: not found
    assert not duplicates(client)
    assert set(statuses(client).values()) == {"ACTIVE"}
