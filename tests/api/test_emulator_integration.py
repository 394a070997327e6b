"""The client against the emulator in process: a big account read under faults, creates under
commit-then-fail, and the typed operations end to end. Zero latency and a tiny backoff keep it fast;
one generated account (5,000 campaigns, 15,000 creatives) is shared by the module."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from reconciler.api import BearerAuth, LinkedInClient, Patch, RetryPolicy, Secret
from reconciler.api.resources import CREATIVE_SEARCH_STATUSES
from reconciler.emulator import (
    TEST_ACCOUNT_ID,
    Emulator,
    EmulatorConfig,
    FaultConfig,
    GenerateReport,
    MemoryStore,
    generate_account,
    open_emulator,
)
from reconciler.errors import AuthError, NotFound, UnknownOutcome, VersionSunset
from reconciler.model import CampaignGroup, GroupStatus, Schedule, account_urn, campaign_urn

ACCOUNT = TEST_ACCOUNT_ID
FAST = RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=30)


class Counting(httpx.BaseTransport):
    """Counts what reaches the server: every request, and every create body."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: Counter[str] = Counter()
        self.create_bodies: list[bytes] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        method = request.headers["X-RestLi-Method"]
        self.requests[method] += 1
        if request.headers.get("X-HTTP-Method-Override"):
            self.requests["tunnelled"] += 1
        if method in ("CREATE", "BATCH_CREATE"):
            self.create_bodies.append(request.read())
        return self.inner.handle_request(request)


def client_for(
    emulator: Emulator, token: str = "token", **options: object
) -> tuple[LinkedInClient, Counting]:
    counting = Counting(emulator.transport())
    auth = BearerAuth(Secret(token))
    http = httpx.Client(base_url="https://api.linkedin.com/rest", transport=counting, auth=auth)
    options.setdefault("retry", FAST)
    return LinkedInClient(http, **options), counting  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def big_account() -> Iterator[tuple[MemoryStore, GenerateReport]]:
    """One generated account: 100 groups (+ the default one), 5,000 campaigns, 15,000 creatives."""
    store = MemoryStore()
    emulator = Emulator(store, EmulatorConfig(seed=3))
    report = generate_account(emulator, groups=100, campaigns=5000, creatives=15000)
    yield store, report


def faulty(store: MemoryStore, **faults: float) -> Emulator:
    return Emulator(store, EmulatorConfig(seed=11, faults=FaultConfig(**faults)))  # type: ignore[arg-type]


def minimum_page_calls(groups: int, campaigns: int, creatives: int) -> int:
    return math.ceil(groups / 1000) + math.ceil(campaigns / 1000) + math.ceil(creatives / 100)


def test_big_account_read_under_faults_returns_everything_once(
    big_account: tuple[MemoryStore, GenerateReport],
) -> None:
    store, report = big_account
    client, counting = client_for(faulty(store, throttle_rate=0.1, error_rate=0.1))
    with client:
        groups = client.search_groups(ACCOUNT)
        campaigns = client.search_campaigns(ACCOUNT)
        creatives = client.search_creatives(ACCOUNT)
        stats = client.stats
    group_ids = [g.id for g in groups]
    assert len(group_ids) == len(set(group_ids)) == 101 and set(report.groups) < set(group_ids)
    assert sorted(c.id for c in campaigns) == sorted(report.campaigns)
    assert sorted(c.id for c in creatives) == sorted(report.creatives)
    assert stats.throttles > 0 and stats.retries > 0  # the faults really happened
    minimum = minimum_page_calls(101, 5000, 15000)
    assert stats.count("FINDER") <= 1.1 * minimum
    assert counting.requests["FINDER"] == stats.attempts


def test_creatives_read_by_disjoint_partitions(big_account: tuple[MemoryStore, GenerateReport]) -> None:
    store, report = big_account
    client, _ = client_for(faulty(store, throttle_rate=0.1, error_rate=0.1))
    partitions = [{"intendedStatuses": [status]} for status in CREATIVE_SEARCH_STATUSES]
    with client:
        creatives = client.creatives(ACCOUNT).search_partitions(partitions)
        calls = client.stats.count("FINDER", "creatives")
    assert sorted(c.id for c in creatives) == sorted(report.creatives)
    assert calls <= 1.1 * math.ceil(15000 / 100)


def test_creatives_of_campaign_sets_in_tunnelled_finders(
    big_account: tuple[MemoryStore, GenerateReport],
) -> None:
    store, report = big_account
    client, counting = client_for(faulty(store, error_rate=0.1))
    urns = [campaign_urn(i) for i in report.campaigns[:300]]
    with client:
        creatives = client.creatives(ACCOUNT).search_partitions(
            [{"campaigns": urns[:150]}, {"campaigns": urns[150:]}]
        )
    wanted = {campaign_urn(i) for i in report.campaigns[:300]}
    assert len(creatives) == len({c.id for c in creatives}) == 900
    assert all(c.meta is not None and c.meta.parent in wanted for c in creatives)
    assert counting.requests["tunnelled"] == counting.requests["FINDER"] >= 2


def group_body(name: str) -> dict[str, object]:
    start = int(time.time() * 1000) + 86_400_000
    return CampaignGroup(name=name, status=GroupStatus.DRAFT, run_schedule=Schedule(start)).to_api(
        account_urn(ACCOUNT)
    )


def test_creates_are_never_sent_twice_under_commit_then_fail() -> None:
    emulator = open_emulator(None, seed=5, commit_then_fail_rate=0.2)
    client, counting = client_for(emulator)
    unknown: list[str] = []
    with client:
        groups = client.groups(ACCOUNT)
        for i in range(60):
            try:
                groups.create(group_body(f"single {i}"))
            except UnknownOutcome:
                unknown.append(f"single {i}")
        for batch in range(10):
            results = groups.batch_create([group_body(f"batch {batch}.{j}") for j in range(5)])
            unknown += [f"batch {batch}.{r.key}" for r in results if isinstance(r.error, UnknownOutcome)]
        live = {g.name for g in groups.search()}
    assert len(counting.create_bodies) == len(set(counting.create_bodies)) == 70
    assert unknown and client.stats.unknown_outcomes == len(
        [u for u in unknown if u.startswith("single")]
    ) + len({u.split(".")[0] for u in unknown if u.startswith("batch")})
    # Commit-then-fail: the entities of unknown outcome exist; the applier finds them by name.
    assert set(unknown) <= live
    assert {f"single {i}" for i in range(60)} <= live


def test_typed_operations_round_trip() -> None:
    client, counting = client_for(open_emulator(None, seed=1, error_rate=0.2))
    with client:
        groups = client.groups(ACCOUNT)
        created = groups.batch_create([group_body(f"g{i}") for i in range(3)])
        ids = [r.id for r in created if r.id is not None]
        assert len(ids) == 3
        groups.partial_update(ids[0], {"name": "renamed"})
        patched = groups.batch_partial_update({ids[1]: Patch({"name": "b"}), ids[2]: Patch({"name": "c"})})
        assert all(r.ok for r in patched)
        found = groups.batch_get([*ids, 1])
        assert [found[i].name for i in ids] == ["renamed", "b", "c"] and 1 not in found
        groups.delete(ids[0])
        assert all(r.ok for r in groups.batch_delete(ids[1:]))
        with pytest.raises(NotFound, match=f"campaign group {ids[0]}"):
            groups.get(ids[0])
        account = client.accounts.get(ACCOUNT)
        assert (account.id, account.currency) == (ACCOUNT, "USD")
    assert counting.requests["BATCH_CREATE"] == 1


def test_version_sunset_and_bad_token() -> None:
    emulator = open_emulator(None, active_versions=["202610"], tokens=["good"])
    client, _ = client_for(emulator, token="good", version="202609")
    with client, pytest.raises(VersionSunset, match="LINKEDIN_VERSION"):
        client.accounts.get(ACCOUNT)
    client, _ = client_for(emulator, version="202610")
    with client, pytest.raises(AuthError):
        client.accounts.get(ACCOUNT)
