"""Walking one account: groups, then their campaigns, then their creatives, matched to live ones."""

from __future__ import annotations

from typing import Any

from reconciler.guardrails import Verdict, evaluate
from reconciler.live import GONE, LiveAccount
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    campaign_urn,
    group_urn,
    status_of,
)
from reconciler.plan import (
    ResourceChange,
    Unmanaged,
)
from reconciler.planner.changes import ChangeBuilder
from reconciler.planner.options import PlanOptions
from reconciler.planner.rules import (
    DRAFT_ONLY_CAMPAIGN_FIELDS,
    _as_applied,
    _frozen_creative,
    _match,
    _thresholds,
)
from reconciler.planner.state import StateBuilder, live_key, path_key

SPARE_WINDOW_MS = 3_600_000  # two applies at once create their duplicates seconds apart


class AccountPlanner(ChangeBuilder):
    """Plans one account; collects changes, unmanaged entities and the after-state."""

    def __init__(self, account: Account, live: LiveAccount, options: PlanOptions) -> None:
        self.account = account
        self.live = live
        self.options = options
        self.changes: list[ResourceChange] = []
        self.unmanaged: list[Unmanaged] = []
        self.notes: list[str] = []
        self.state = StateBuilder(live)
        self.managed = 0
        self.removed = 0
        self.root = (str(account.id),)
        # Built once: per-parent lookups would make planning quadratic in the account's size.
        self.campaigns_by_id = {c.id: c for c in live.campaigns}
        self.creatives_by_id = {c.id: c for c in live.creatives}
        # Ids pinned anywhere in the manifests: such an entity is managed wherever it lives now.
        self.claimed = {g.id for g in account.groups if g.id is not None}
        self.claimed |= {c.id for _, c in account.campaigns() if c.id is not None}
        self.claimed |= {r.id for _, _, r in account.creatives() if r.id is not None}

    def run(self) -> None:
        """Plan the groups, and below them the campaigns and creatives."""
        live_by_id = {g.id: g for g in self.live.groups if g.id is not None}
        spares: list[tuple[Any, Any]] = []
        pairs, leftovers = _match(
            self.account.groups, self.live.groups, live_by_id, self.root, self.claimed, self._is_spare, spares
        )
        self._spares(spares, self.root, None)
        for desired, current in pairs:
            self._group(desired, current)
        for group in leftovers:
            self._leftover_group(group)

    def verdict(self) -> Verdict:
        """The guardrails' verdict on this account's plan."""
        return evaluate(
            str(self.account.id),
            self.live.currency,
            self.state.before(),
            self.state.after(),
            managed=self.managed,
            removed=self.removed,
            thresholds=_thresholds(self.options.thresholds, self.account),
            baseline=self.options.baselines.get(self.account.id),
        )

    # -- groups ---------------------------------------------------------------------------------

    def _group(self, desired: CampaignGroup, current: CampaignGroup | None) -> None:
        path = (*self.root, desired.name)
        if current is None:
            key = path_key(path)
            self._create(desired, path, parent_id=None)
            self.state.group(key, desired)
            for campaign in desired.campaigns:
                self._campaign(campaign, None, (*path, campaign.name), None, key)
            return
        self.managed += 1
        key = live_key(current)
        self._update(desired, current, path, parent_id=None)
        self.state.group(key, desired)
        assert current.id is not None
        siblings = self.live.campaigns_of(group_urn(current.id))
        spares: list[tuple[Any, Any]] = []
        pairs, leftovers = _match(
            desired.campaigns, siblings, self.campaigns_by_id, path, self.claimed, self._is_spare, spares
        )
        self._spares(spares, path, None)
        for campaign, live_campaign in pairs:
            self._campaign(campaign, live_campaign, (*path, campaign.name), current.id, key)
        for stray in leftovers:
            self._leftover(stray, (*path, stray.name), self.account.prune or desired.prune, None)

    def _leftover_group(self, group: CampaignGroup) -> None:
        path = (*self.root, group.name)
        if not self.account.prune or group.is_default:
            self._leftover(group, path, False, None)
            return
        assert group.id is not None
        for campaign in self.live.campaigns_of(group_urn(group.id)):
            if campaign.id not in self.claimed:
                self._leftover(campaign, (*path, campaign.name), True, None)
        self._leftover(group, path, True, None)

    def _leftover(self, entity: Any, path: tuple[str, ...], prune: bool, parent_id: int | None) -> None:
        if prune:
            self._prune(entity, path, parent_id=parent_id)
        else:
            self._note_unmanaged(entity, path)

    def _is_spare(self, keep: Any, other: Any) -> bool:
        """Whether ``other`` is a duplicate of ``keep`` left by two applies at once: made later, within
        an hour of it, with nothing live below it (see reconciler/apply/siblings.py)."""
        made, later = (
            (keep.meta.created_at if keep.meta else None),
            (other.meta.created_at if other.meta else None),
        )
        if (
            made is None
            or later is None
            or (other.id or 0) < (keep.id or 0)
            or later - made > SPARE_WINDOW_MS
        ):
            return False
        if isinstance(other, CampaignGroup):
            below: list[Any] = list(self.live.campaigns_of(group_urn(other.id or 0)))
        elif isinstance(other, Campaign):
            below = list(self.live.creatives_of(campaign_urn(other.id or 0)))
        else:
            below = []
        return all(status_of(child) in GONE for child in below)

    def _spares(self, spares: list[tuple[Any, Any]], path: tuple[str, ...], parent_id: int | None) -> None:
        for spare, keep in spares:
            self._remove_spare(spare, path, parent_id, keep.id)

    # -- campaigns ------------------------------------------------------------------------------

    def _campaign(
        self,
        desired: Campaign,
        current: Campaign | None,
        path: tuple[str, ...],
        group_id: int | None,
        group_key: str,
    ) -> None:
        wants_active = status_of(desired) == "ACTIVE"
        if current is None:
            self._create(desired, path, parent_id=group_id, activate=wants_active)
            self._new_campaign(desired, path, group_key)
            return
        self.managed += 1
        moved = group_id is None or (current.meta is not None and current.meta.parent != group_urn(group_id))
        destination = (group_urn(group_id) if group_id else "(a new group)") if moved else None
        diff = self._diff(desired, current, path, moved=destination)
        frozen = {c.field for c in diff.effective} & DRAFT_ONLY_CAMPAIGN_FIELDS
        # A DRAFT may change group, but only to one that exists already.
        if (frozen or moved) and (status_of(current) != "DRAFT" or group_id is None):
            why = ", ".join(sorted(frozen | ({"campaignGroup"} if moved else set())))
            self._replace(
                desired, current, path, group_id, diff, f"{why} can't change once a campaign left DRAFT"
            )
            self._new_campaign(desired, path, group_key)
            return
        key = live_key(current)
        if diff.changes:  # an unchanged campaign leaves the after-state as it was read
            self._update(desired, current, path, parent_id=group_id, diff=diff, activate=wants_active)
            self.state.campaign(key, group_key, _as_applied(desired, current))
        assert current.id is not None
        siblings = self.live.creatives_of(campaign_urn(current.id))
        spares: list[tuple[Any, Any]] = []
        pairs, leftovers = _match(
            desired.creatives, siblings, self.creatives_by_id, path, self.claimed, self._is_spare, spares
        )
        self._spares(spares, path, current.id)
        for creative, live_creative in pairs:
            self._creative(creative, live_creative, (*path, creative.name), current.id, key)
        for stray in leftovers:
            self._leftover(stray, (*path, stray.name), self.account.prune, current.id)

    def _new_campaign(self, desired: Campaign, path: tuple[str, ...], group_key: str) -> None:
        key = path_key(path)
        self.state.campaign(key, group_key, desired)
        for creative in desired.creatives:
            self._creative(creative, None, (*path, creative.name), None, key)

    # -- creatives ------------------------------------------------------------------------------

    def _creative(
        self,
        desired: Creative,
        current: Creative | None,
        path: tuple[str, ...],
        campaign_id: int | None,
        campaign_key: str,
    ) -> None:
        if current is None:
            self._create(desired, path, parent_id=campaign_id)
            self.state.creative(path_key(path), campaign_key, desired)
            return
        self.managed += 1
        moved = current.meta is not None and current.meta.parent != campaign_urn(campaign_id or 0)
        diff = self._diff(desired, current, path)
        why = _frozen_creative(desired, current, diff)
        if moved:
            why = "a creative can't move to another campaign"
        if why:
            self._replace(desired, current, path, campaign_id, diff, why)
            self.state.creative(path_key(path), campaign_key, desired)
            return
        if diff.changes:  # an unchanged creative leaves the after-state as it was read
            self._update(desired, current, path, parent_id=campaign_id, diff=diff)
            self.state.creative(live_key(current), campaign_key, desired)

    # -- building changes -----------------------------------------------------------------------
