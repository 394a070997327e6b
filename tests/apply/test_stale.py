"""Refusing a saved plan once the world moved on: target, API version, manifests, touched entities,
and creates that already exist. Every refusal comes before any write."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.api import LinkedInClient
from reconciler.apply import apply_plan, check_live, check_manifests, check_origin, target_label
from reconciler.emulator import open_emulator
from reconciler.errors import StalePlan
from reconciler.manifest import load_project
from reconciler.plan import Plan
from reconciler.workflow import build_plan
from tests.apply.helpers import ACCOUNT, client_for, tree, write_calls, write_manifests

DESCRIPTION = "embedded emulator (.reconciler/emulator.sqlite)"


def plan_for(project: Path, client: LinkedInClient) -> Plan:
    return build_plan([project], client, target=DESCRIPTION).plan


def test_the_target_and_version_must_match() -> None:
    plan = Plan(DESCRIPTION, "202610", "sha256:m")
    check_origin(plan, target=f"{DESCRIPTION} — no LinkedIn credentials set", api_version="202610")
    with pytest.raises(StalePlan, match="made for target"):
        check_origin(plan, target="http://127.0.0.1:1/rest", api_version="202610")
    with pytest.raises(StalePlan, match="LinkedIn-Version 202610"):
        check_origin(plan, target=DESCRIPTION, api_version="202611")
    assert (
        target_label("LinkedIn (https://api.linkedin.com/rest)") == "LinkedIn (https://api.linkedin.com/rest)"
    )


def test_changed_manifests_make_the_plan_stale(tmp_path: Path) -> None:
    spec = tree(1, 1, 1)
    client = client_for(open_emulator(None))
    plan = plan_for(write_manifests(tmp_path / "m", spec), client)
    check_manifests(plan, load_project([tmp_path / "m"]).checksum)
    write_manifests(tmp_path / "m", spec, budget=lambda _c: 99)
    with pytest.raises(StalePlan, match="the manifests changed"):
        check_manifests(plan, load_project([tmp_path / "m"]).checksum)


def test_an_entity_changed_after_planning_makes_the_plan_stale(tmp_path: Path) -> None:
    client = client_for(open_emulator(None))
    spec = tree(1, 2, 1)
    apply_plan(plan_for(write_manifests(tmp_path / "v1", spec), client), client)
    plan = plan_for(write_manifests(tmp_path / "v2", spec, budget=lambda _c: 80), client)
    check_live(plan, client)  # nothing moved yet
    moved = next(c for c in plan.changes if c.name == "Campaign 00-001")
    client.campaigns(ACCOUNT).partial_update(
        moved.id or 0, {"name": "Campaign 00-001"}
    )  # same value, new tag
    before = write_calls(client)
    with pytest.raises(StalePlan) as refused:
        check_live(plan, client)
    message = str(refused.value)
    assert message.startswith("plan is stale: 1 entity changed since it was made")
    assert f"campaign {moved.address} (id {moved.id}): versionTag {moved.version_tag} → " in message
    assert "Campaign 00-000" not in message
    assert write_calls(client) == before


def test_a_saved_plan_applied_twice_is_refused_the_second_time(tmp_path: Path) -> None:
    client = client_for(open_emulator(None))
    plan = plan_for(write_manifests(tmp_path, tree(1, 1, 1)), client)
    check_live(plan, client)
    assert apply_plan(plan, client).ok
    with pytest.raises(StalePlan, match="already exists") as refused:
        check_live(plan, client)
    assert "campaignGroup 500000001 / Group 00: already exists (id " in str(refused.value)


def test_creates_under_a_live_parent_are_checked_too(tmp_path: Path) -> None:
    client = client_for(open_emulator(None))
    apply_plan(plan_for(write_manifests(tmp_path / "v1", tree(1, 1, 1)), client), client)
    bigger = {"Group 00": {"Campaign 00-000": ["Ad 00-000-0", "Ad new"], "Campaign new": []}}
    plan = plan_for(write_manifests(tmp_path / "v2", bigger), client)
    assert apply_plan(plan, client).ok
    with pytest.raises(StalePlan) as refused:
        check_live(plan, client)
    message = str(refused.value)
    assert "creative 500000001 / Group 00 / Campaign 00-000 / Ad new: already exists" in message
    assert "campaign 500000001 / Group 00 / Campaign new: already exists" in message
