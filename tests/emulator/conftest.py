"""Fixtures of the emulator tests: a fresh in-memory emulator on a fixed clock, and a populated one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, MemoryStore
from tests.emulator.helpers import NOW, call, campaign_body, coll, created_id, creative_body, group_body


@pytest.fixture
def emu() -> Iterator[Emulator]:
    """An in-memory emulator whose clock stands still at ``NOW``."""
    emulator = Emulator(MemoryStore(), EmulatorConfig(clock=lambda: NOW))
    yield emulator
    emulator.close()


@dataclass
class Tree:
    """Ids of a small populated account: one group, one campaign, one creative (all ACTIVE)."""

    group: int
    campaign: int
    creative: int


@pytest.fixture
def tree(emu: Emulator) -> Tree:
    """Populate the test account through the API itself."""
    group = created_id(call(emu, "POST", coll("adCampaignGroups"), group_body(), method="CREATE"))
    campaign = created_id(call(emu, "POST", coll("adCampaigns"), campaign_body(group), method="CREATE"))
    creative = created_id(call(emu, "POST", coll("creatives"), creative_body(campaign), method="CREATE"))
    return Tree(group, campaign, creative)
