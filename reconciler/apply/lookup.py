"""Finding entities by name under their parent: how an unknown create outcome is resolved, and how
a saved plan's creates are checked against what exists now.

One paged search per kind and account covers every (parent, name) pair asked for: groups by
``name``, campaigns by ``campaignGroup`` and ``name``, creatives by ``campaigns`` (the creatives
finder has no name criterion) and then filtered by name here. Entities that are gone for every
practical purpose (REMOVED, CANCELED, PENDING_DELETION) are passed over, as the planner does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reconciler.api.client import LinkedInClient
from reconciler.live import GONE
from reconciler.model import Campaign, CampaignGroup, Creative, campaign_urn, group_urn, status_of, urn_id
from reconciler.plan import Kind

Sibling = tuple[int, str]
"""(parent id, name): the parent is the account for a group, the group for a campaign, the
campaign for a creative."""

Entity = CampaignGroup | Campaign | Creative


def find_by_name(
    client: LinkedInClient, account: int, kind: Kind, wanted: Iterable[Sibling]
) -> dict[Sibling, list[int]]:
    """The live ids (ascending) of each wanted (parent id, name) that exists; absent pairs are left out."""
    pairs = set(wanted)
    if not pairs:
        return {}
    found: dict[Sibling, list[int]] = {}
    for entity in _search(client, account, kind, pairs):
        key = (_parent_id(entity, account), entity.name)
        if key in pairs and entity.id is not None and status_of(entity) not in GONE:
            found.setdefault(key, []).append(entity.id)
    return {key: sorted(ids) for key, ids in found.items()}


def _search(client: LinkedInClient, account: int, kind: Kind, pairs: set[Sibling]) -> list[Any]:
    names = sorted({name for _, name in pairs})
    parents = sorted({parent for parent, _ in pairs})
    if kind is Kind.GROUP:
        return list(client.groups(account).search({"name": names}))
    if kind is Kind.CAMPAIGN:
        criteria = {"campaignGroup": [group_urn(p) for p in parents], "name": names}
        return list(client.campaigns(account).search(criteria))
    return list(client.creatives(account).search({"campaigns": [campaign_urn(p) for p in parents]}))


def _parent_id(entity: Entity, account: int) -> int:
    if isinstance(entity, CampaignGroup):
        return account
    parent = entity.meta.parent if entity.meta else None
    return urn_id(parent) if parent else -1
