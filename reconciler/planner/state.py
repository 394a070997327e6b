"""The planner's before/after snapshots of one account, for the guardrails.

Keys: live entities by id (``g:1``, ``c:2``, ``r:3``), entities still to be created by their
resource path (``p:500000001/Group/Campaign``). Every live entity starts in both snapshots; the
planner then records what each change does to the "after" one.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from reconciler.guardrails import AccountState, CampaignState, CreativeState, GroupState
from reconciler.live import LiveAccount
from reconciler.model import Campaign, CampaignGroup, Creative, Money, status_of, urn_id


def path_key(path: tuple[str, ...]) -> str:
    """The key of an entity that does not exist yet."""
    return "p:" + "/".join(path)


def live_key(entity: CampaignGroup | Campaign | Creative) -> str:
    """The key of a live entity."""
    prefix = {CampaignGroup: "g", Campaign: "c", Creative: "r"}[type(entity)]
    return f"{prefix}:{entity.id}"


def _amount(money: Money | None) -> Decimal | None:
    return money.amount if money is not None else None


class StateBuilder:
    """Collects the after-state of one account while the planner walks it."""

    def __init__(self, live: LiveAccount) -> None:
        # Keys spelt out inline (see live_key and _parent_key): 25,000 entities at the limits. A
        # parent's key is worked out once per parent, not once per child (3 creatives a campaign).
        self.groups = {f"g:{g.id}": _group_state(f"g:{g.id}", g, None) for g in live.groups}
        self.names = {f"g:{g.id}": g.name for g in live.groups}
        self.campaigns = {}
        groups: dict[str | None, str] = {}
        for c in live.campaigns:
            parent = c.meta.parent if c.meta else None
            group = groups.get(parent)
            if group is None:
                group = groups[parent] = _parent_key("g", c)
            key = f"c:{c.id}"
            self.campaigns[key] = _campaign_state(key, group, c, None)
            self.names[key] = f"{self.names.get(group, '?')} / {c.name}"
        self.creatives = {}
        # One (immutable) record per parent and status: what the guardrails know of a creative.
        states: dict[tuple[str | None, str], CreativeState] = {}
        for r in live.creatives:
            status = str(r.intended_status) if r.intended_status is not None else "DRAFT"
            parent = r.meta.parent if r.meta else None
            state = states.get((parent, status))
            if state is None:
                state = states[parent, status] = CreativeState(_parent_key("c", r), status)
            self.creatives[f"r:{r.id}"] = state
        self._before = self.after()

    def before(self) -> AccountState:
        """The account as read."""
        return self._before

    def after(self) -> AccountState:
        """The account as the plan would leave it."""
        return AccountState(
            tuple(self.groups.values()),
            tuple(self.campaigns.values()),
            tuple(self.creatives.values()),
            dict(self.names),
        )

    def group(self, key: str, desired: CampaignGroup) -> None:
        """Record the desired state of a group (new, or live under ``key``)."""
        self.groups[key] = _group_state(key, desired, self.groups.get(key))
        self.names[key] = desired.name

    def campaign(self, key: str, group: str, desired: Campaign) -> None:
        """Record the desired state of a campaign in ``group``."""
        base = self.campaigns.get(key)
        state = _campaign_state(key, group, desired, base)
        if state != base:  # an unchanged one stays the very record read: the states then compare at once
            self.campaigns[key] = state
        self.names[key] = f"{self.names.get(group, '?')} / {desired.name}"

    def creative(self, key: str, campaign: str, desired: Creative) -> None:
        """Record the desired state of a creative in ``campaign``."""
        base = self.creatives.get(key)
        status = (
            str(desired.intended_status) if desired.intended_status else (base.status if base else "DRAFT")
        )
        state = CreativeState(campaign, status)
        if state != base:  # see campaign()
            self.creatives[key] = state

    def archive(self, key: str) -> None:
        """Record an archive (the entity still counts towards totals)."""
        if key in self.groups:
            self.groups[key] = replace(self.groups[key], status="ARCHIVED")
        elif key in self.campaigns:
            self.campaigns[key] = replace(self.campaigns[key], status="ARCHIVED")
        elif key in self.creatives:
            self.creatives[key] = CreativeState(self.creatives[key].campaign, "ARCHIVED")

    def delete(self, key: str) -> None:
        """Record a delete (the entity no longer counts)."""
        self.groups.pop(key, None)
        self.campaigns.pop(key, None)
        self.creatives.pop(key, None)


def _parent_key(prefix: str, entity: Campaign | Creative) -> str:
    parent = entity.meta.parent if entity.meta else None
    return f"{prefix}:{urn_id(parent)}" if parent else f"{prefix}:?"


def _group_state(key: str, group: CampaignGroup, base: GroupState | None) -> GroupState:
    status = status_of(group, base.status if base else "ACTIVE")
    default = base.default if base else group.is_default
    return GroupState(key, status, _amount(group.total_budget), default, _amount(group.daily_budget))


def _campaign_state(key: str, group: str, campaign: Campaign, base: CampaignState | None) -> CampaignState:
    status = status_of(campaign, base.status if base else "DRAFT")
    return CampaignState(key, group, status, _amount(campaign.daily_budget), _amount(campaign.total_budget))
