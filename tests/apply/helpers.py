"""Shared helpers of the apply tests: manifests written from a tiny tree spec, an in-process
client on an emulator, and looks at the live account (duplicates, statuses)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret
from reconciler.emulator import TEST_ACCOUNT_ID, Emulator, serve_in_thread
from reconciler.live import GONE
from reconciler.model import Creative

ACCOUNT = TEST_ACCOUNT_ID
FAST = RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=30)
WRITES = frozenset(
    {"CREATE", "BATCH_CREATE", "PARTIAL_UPDATE", "BATCH_PARTIAL_UPDATE", "DELETE", "BATCH_DELETE"}
)

Tree = dict[str, dict[str, list[str]]]
"""group name -> campaign name -> creative names."""


def tree(groups: int, campaigns: int, creatives: int, *, prefix: str = "") -> Tree:
    """``groups`` groups of ``campaigns`` campaigns of ``creatives`` creatives, with stable names."""
    return {
        f"{prefix}Group {g:02d}": {
            f"{prefix}Campaign {g:02d}-{c:03d}": [f"{prefix}Ad {g:02d}-{c:03d}-{r}" for r in range(creatives)]
            for c in range(campaigns)
        }
        for g in range(groups)
    }


def write_manifests(
    directory: Path,
    spec: Tree,
    *,
    budget: Callable[[str], int] = lambda _campaign: 50,
    prune: bool = False,
    status: str = "ACTIVE",
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Write an account file and a groups file for ``spec`` into ``directory``; return it.

    ``overrides`` maps a campaign or creative name to manifest fields that replace the generated ones.
    """
    directory.mkdir(parents=True, exist_ok=True)
    account: dict[str, Any] = {"id": ACCOUNT, "currency": "USD", "name": "Apply tests"}
    if prune:
        account["prune"] = True
    head = {
        "version": 1,
        "account": account,
        "defaults": {
            "campaign": {
                "locale": "en_US",
                "costType": "CPM",
                "politicalIntent": "NOT_POLITICAL",
                "offsiteDeliveryEnabled": False,
                "type": "SPONSORED_UPDATES",
                "format": "STANDARD_UPDATE",
                "objectiveType": "BRAND_AWARENESS",
                "unitCost": "5 USD",
                "runSchedule": {"start": "2027-01-04", "end": "2027-04-01"},
                "associatedEntity": "urn:li:organization:2414183",
            }
        },
        "audiences": {"everyone-us": {"include": [{"locations": ["urn:li:geo:103644278"]}]}},
    }
    groups = [_group(name, campaigns, budget, status, overrides or {}) for name, campaigns in spec.items()]
    body = {"version": 1, "account": {"id": ACCOUNT, "currency": "USD"}, "campaignGroups": groups}
    (directory / "account.yaml").write_text(yaml.safe_dump(head, allow_unicode=True, sort_keys=False))
    (directory / "groups.yaml").write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False))
    return directory


def _group(
    name: str,
    campaigns: dict[str, list[str]],
    budget: Callable[[str], int],
    status: str,
    overrides: Mapping[str, Mapping[str, Any]],
) -> Any:
    def creative(creative: str) -> dict[str, Any]:
        content = {"reference": f"urn:li:share:{7000000000000000000 + _number(creative)}"}
        out = {"name": creative, "intendedStatus": status, "content": content}
        return {**out, **overrides.get(creative, {})}

    def campaign(campaign: str, creatives: list[str]) -> dict[str, Any]:
        out = {
            "name": campaign,
            "status": status,
            "dailyBudget": f"{budget(campaign)} USD",
            "targeting": "everyone-us",
            **overrides.get(campaign, {}),
        }
        return {**out, "creatives": [creative(c) for c in creatives]}

    return {
        "name": name,
        "status": status,
        "runSchedule": {"start": "2027-01-04", "end": "2027-04-01"},
        "campaigns": [campaign(c, creatives) for c, creatives in campaigns.items()],
    }


def _number(name: str) -> int:
    return sum((i + 1) * ord(ch) for i, ch in enumerate(name))


def client_for(emulator: Emulator, **options: Any) -> LinkedInClient:
    """A client on the emulator in process, with an instant retry policy."""
    http = httpx.Client(
        base_url="https://api.linkedin.com/rest", transport=emulator.transport(), auth=BearerAuth(Secret("t"))
    )
    options.setdefault("retry", FAST)
    return LinkedInClient(http, **options)


def write_calls(client: LinkedInClient) -> int:
    """Logical write calls the client made."""
    return sum(client.stats.count(method) for method in WRITES)


@contextmanager
def served(emulator: Emulator, port: int = 0) -> Iterator[str]:
    """The emulator on a real socket (``port`` 0: a free one); yields the ``…/rest`` base URL."""
    server, base_url = serve_in_thread(emulator, port=port)
    try:
        yield base_url + "/rest"
    finally:
        server.shutdown()
        server.server_close()


def duplicates(client: LinkedInClient, account: int = ACCOUNT) -> list[tuple[str, str, int]]:
    """(kind, parent/name, count) for every name that two live siblings share."""
    found: Counter[tuple[str, str]] = Counter()
    for group in client.groups(account).search():
        if str(group.status) not in GONE:
            found[("group", group.name)] += 1
    for campaign in client.campaigns(account).search():
        if str(campaign.status) not in GONE:
            found[("campaign", f"{campaign.meta.parent if campaign.meta else ''}/{campaign.name}")] += 1
    for creative in client.creatives(account).search():
        if str(creative.intended_status) not in GONE:
            found[("creative", f"{creative.meta.parent if creative.meta else ''}/{creative.name}")] += 1
    return [(kind, key, n) for (kind, key), n in sorted(found.items()) if n > 1]


def statuses(client: LinkedInClient, account: int = ACCOUNT) -> dict[str, str]:
    """Status by name of every campaign and creative (names are unique in these tests)."""
    out = {c.name: str(c.status) for c in client.campaigns(account).search()}
    out.update(
        {
            r.name: str(r.intended_status)
            for r in client.creatives(account).search()
            if isinstance(r, Creative)
        }
    )
    return out
