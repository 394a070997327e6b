"""End to end through the real pieces: emulator transport -> client -> live reader -> planner.

The desired side is rebuilt from the live account itself (every managed field as LinkedIn reports
it), so the plan must be empty: proof that normalisation leaves no noise on server-made entities.
Call counts are asserted; time is measured by benchmarks/, not here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.emulator import Emulator, generate_account, open_emulator
from reconciler.live import LiveAccount, read_accounts
from reconciler.model import Account, campaign_urn, group_urn
from reconciler.planner import make_plan

ACCOUNT = 500000001


def desired_from(live: LiveAccount) -> Account:
    """The manifests a user would write for this account: every live entity, by name."""
    groups = []
    for group in live.groups:
        if group.id is None:
            continue
        campaigns = []
        for campaign in live.campaigns_of(group_urn(group.id)):
            assert campaign.id is not None
            creatives = tuple(replace(c, id=None) for c in live.creatives_of(campaign_urn(campaign.id)))
            campaigns.append(replace(campaign, id=None, creatives=creatives))
        groups.append(replace(group, id=None, campaigns=tuple(campaigns)))
    return Account(id=live.id, currency=live.currency, groups=tuple(groups))


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emu = open_emulator(None)
    generate_account(emu, ACCOUNT, groups=100, campaigns=5_000, creatives=15_000)
    yield emu
    emu.close()


def client_for(emu: Emulator) -> LinkedInClient:
    http = httpx.Client(transport=emu.transport(), base_url="https://api.linkedin.com/rest")
    return LinkedInClient(http, auth=BearerAuth(Secret("workflow-test")))


def test_no_op_plan_of_a_full_account_reads_by_pages_only(emulator: Emulator) -> None:
    with client_for(emulator) as client:
        live = read_accounts(client, [ACCOUNT])[ACCOUNT]
        calls = client.stats.calls
    assert (len(live.campaigns), len(live.creatives)) == (5_000, 15_000)
    minimum = 1 + math.ceil(len(live.groups) / 1000) + math.ceil(5_000 / 1000) + math.ceil(15_000 / 100)
    assert calls <= 1.1 * minimum, (calls, minimum)
    plan = make_plan(
        [desired_from(live)], {ACCOUNT: live}, target="t", api_version="202610", manifest_checksum="x"
    )
    assert plan.empty, [c.address for c in plan.changes[:5]]
    assert plan.unmanaged == ()
    campaigns = next(h for h in plan.headroom if h.limit == "campaigns")
    assert (campaigns.before, campaigns.after) == (5_000, 5_000)


def test_a_changed_budget_is_the_only_change(emulator: Emulator) -> None:
    with client_for(emulator) as client:
        live = read_accounts(client, [ACCOUNT])[ACCOUNT]
    desired = desired_from(live)
    group = desired.groups[1]
    first = group.campaigns[0]
    assert first.daily_budget is not None
    bumped = replace(first, daily_budget=replace(first.daily_budget, amount=first.daily_budget.amount + 1))
    desired = replace(
        desired,
        groups=(
            desired.groups[0],
            replace(group, campaigns=(bumped, *group.campaigns[1:])),
            *desired.groups[2:],
        ),
    )
    plan = make_plan([desired], {ACCOUNT: live}, target="t", api_version="202610", manifest_checksum="x")
    assert [(c.action.value, c.name, sorted(c.body)) for c in plan.changes] == [
        ("update", first.name, ["dailyBudget"])
    ]
