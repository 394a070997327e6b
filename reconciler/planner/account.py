"""Walking one account: groups, then their campaigns, then their creatives, matched to live ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reconciler.adcontent.plandata import content_changes, explain_content, replace_reason
from reconciler.diff import Difference
from reconciler.guardrails import Verdict, evaluate
from reconciler.live import GONE, LiveAccount
from reconciler.model import (
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    ManagedContent,
    campaign_urn,
    group_urn,
    review_state,
    status_of,
    unknown_values,
    urn_id,
)
from reconciler.plan import (
    NO_HISTORY_LOST,
    ResourceChange,
    Unmanaged,
)
from reconciler.planner.changes import ChangeBuilder
from reconciler.planner.options import PlanOptions
from reconciler.planner.rules import (
    ARCHIVED,
    DRAFT_ONLY_CAMPAIGN_FIELDS,
    _as_applied,
    _frozen_creative,
    _kind,
    _match,
    _thresholds,
    late_format,
    retired,
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
        self.seen: list[tuple[str, ...]] = []  # every resource path met, for checking --only
        self.state = StateBuilder(live)
        # Per kind (``campaignGroup``, ``campaign``, ``creative``): each is judged against its own.
        self.managed: Counter[str] = Counter()
        self.removed: Counter[str] = Counter()
        self.root = (str(account.id),)
        # Built once: per-parent lookups would make planning quadratic in the account's size.
        self.campaigns_by_id = {c.id: c for c in live.campaigns}
        self.creatives_by_id = {c.id: c for c in live.creatives}
        # Ids pinned anywhere in the manifests: such an entity is managed wherever it lives now.
        self.claimed = {g.id for g in account.groups if g.id is not None}
        self.claimed |= {c.id for _, c in account.campaigns() if c.id is not None}
        self.claimed |= {r.id for _, _, r in account.creatives() if r.id is not None}
        # Resolved once the whole account is walked (see _settle): campaigns and creatives the
        # manifests add, and live ones no manifest of their (managed) parent mentions any more. One
        # of each with a name in common is a move, not a create beside a stray.
        self.new_campaigns: list[_New] = []
        self.new_creatives: list[_New] = []
        self.strays: list[_Stray] = []
        self.rejected: list[str] = []
        self.in_review = 0
        # campaign path -> its organization (associatedEntity): the author of its creatives' posts
        self.owners: dict[tuple[str, ...], str | None] = {}

    def run(self) -> None:
        """Plan the groups, and below them the campaigns and creatives."""
        live_by_id = {g.id: g for g in self.live.groups if g.id is not None}
        spares: list[tuple[Any, Any]] = []
        pairs, leftovers = self._match(self.account.groups, self.live.groups, live_by_id, self.root, spares)
        self._spares(spares, self.root, None)
        for desired, current in pairs:
            self._group(desired, current)
        for group in leftovers:
            self._leftover_group(group)
        self._settle()
        self._note_reviews()

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
        self.seen.append(path)
        if current is None:
            key = path_key(path)
            if not self._create(desired, path, parent_id=None):
                self.seen.extend(_below(desired, path))
                return
            self.state.group(key, desired)
            for campaign in desired.campaigns:
                self._campaign(campaign, None, (*path, campaign.name), None, key)
            return
        key = live_key(current)
        if not self._opaque(current, path):
            self.managed["campaignGroup"] += 1
            self._update(desired, current, path, parent_id=None)
            if self.options.only.covers(path):  # else the after-state keeps the group as read
                self.state.group(key, desired)
        assert current.id is not None
        siblings = self.live.campaigns_of(group_urn(current.id))
        spares: list[tuple[Any, Any]] = []
        pairs, leftovers = self._match(desired.campaigns, siblings, self.campaigns_by_id, path, spares)
        self._spares(spares, path, None)
        for campaign, live_campaign in pairs:
            self._campaign(campaign, live_campaign, (*path, campaign.name), current.id, key)
        for stray in leftovers:
            self.strays.append(_Stray(stray, (*path, stray.name), self.account.prune or desired.prune, None))

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
        self.seen.append(path)
        if self._opaque(entity, path):
            self._note_unmanaged(entity, path)  # listed, never pruned: we cannot tell what it is
        elif prune:
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
            if self.options.only.covers((*path, spare.name)):  # a partial plan removes nothing outside
                self._remove_spare(spare, path, parent_id, keep.id)

    # -- campaigns ------------------------------------------------------------------------------

    def _campaign(
        self,
        desired: Campaign,
        current: Campaign | None,
        path: tuple[str, ...],
        group_id: int | None,
        group_key: str,
        moved_from: tuple[str, ...] | None = None,
    ) -> None:
        self.seen.append(path)
        self.owners[path] = desired.associated_entity or (current.associated_entity if current else None)
        if current is None:
            self.new_campaigns.append(_New(desired, path, group_id, group_key))
            return
        if self._opaque(current, path):
            self._creatives(desired, current, path, live_key(current))
            return
        self.managed["campaign"] += 1
        wants_active = status_of(desired) == "ACTIVE"
        moved = group_id is None or (current.meta is not None and current.meta.parent != group_urn(group_id))
        destination = (group_urn(group_id) if group_id else "(a new group)") if moved else None
        diff = self._diff(desired, current, path, moved=destination)
        frozen = {c.field for c in diff.effective} & DRAFT_ONLY_CAMPAIGN_FIELDS
        late = late_format(desired, current)
        # A DRAFT may change group, but only to one that exists already.
        if late or ((frozen or moved) and (status_of(current) != "DRAFT" or group_id is None)):
            why = ", ".join(sorted(frozen | ({"campaignGroup"} if moved else set())))
            why = late or f"{why} can't change once a campaign left DRAFT"
            if self._replace(
                desired, current, path, group_id, diff, self._moving(why, current, moved_from, path)
            ):
                self._new_campaign(desired, path, group_key)
            else:
                self.seen.extend(_below(desired, path))
            return
        key = live_key(current)
        # An unchanged campaign, or one a partial plan leaves out, keeps the after-state as read.
        if diff.changes and self._update(
            desired, current, path, parent_id=group_id, diff=diff, activate=wants_active
        ):
            self.state.campaign(key, group_key, _as_applied(desired, current))
        self._creatives(desired, current, path, key)

    def _creatives(self, desired: Campaign, current: Campaign, path: tuple[str, ...], key: str) -> None:
        """Plan the creatives of a live campaign."""
        assert current.id is not None
        siblings = self.live.creatives_of(campaign_urn(current.id))
        spares: list[tuple[Any, Any]] = []
        pairs, leftovers = self._match(desired.creatives, siblings, self.creatives_by_id, path, spares)
        self._spares(spares, path, current.id)
        for creative, live_creative in pairs:
            self._creative(creative, live_creative, (*path, creative.name), current.id, key)
        for stray in leftovers:
            self.strays.append(_Stray(stray, (*path, stray.name), self.account.prune, current.id))

    def _create_campaign(self, new: _New) -> None:
        wants_active = status_of(new.desired) == "ACTIVE"
        if self._create(new.desired, new.path, parent_id=new.parent_id, activate=wants_active):
            self._new_campaign(new.desired, new.path, new.parent_key)
        else:
            self.seen.extend(_below(new.desired, new.path))

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
        moved_from: tuple[str, ...] | None = None,
    ) -> None:
        self.seen.append(path)
        if current is None:
            self.new_creatives.append(_New(desired, path, campaign_id, campaign_key))
            return
        if self._opaque(current, path):
            return
        self._review(current, path)
        self.managed["creative"] += 1
        moved = current.meta is not None and current.meta.parent != campaign_urn(campaign_id or 0)
        destination = (campaign_urn(campaign_id) if campaign_id else "(a new campaign)") if moved else None
        diff, why = self._creative_diff(desired, current, path, destination)
        if moved:
            why = "a creative can't move to another campaign"
        if why:
            if self._replace(
                desired, current, path, campaign_id, diff, self._moving(why, current, moved_from, path)
            ):
                self.state.creative(path_key(path), campaign_key, desired)
            return
        # An unchanged creative, or one a partial plan leaves out, keeps the after-state as read.
        if diff.changes and self._update(desired, current, path, parent_id=campaign_id, diff=diff):
            self.state.creative(live_key(current), campaign_key, desired)

    def _creative_diff(
        self, desired: Creative, current: Creative, path: tuple[str, ...], moved: str | None
    ) -> tuple[Difference, str]:
        """The creative's differences, and why they make a replace ("" when they do not). Managed
        content is compared with what LinkedIn shows for it (the post behind the creative, its
        dynamic content or InMail), field by field; any difference is a replace."""
        content = desired.content
        if not isinstance(content, ManagedContent):
            diff = self._diff(desired, current, path, moved=moved)
            return diff, _frozen_creative(desired, current, diff)
        owner, address = self.owners.get(path[:-1]), " / ".join(path)
        found = content_changes(
            content, current, self.live.content, owner, self.options.assets, address, self.options.asset_files
        )
        topic = self.options.explain
        said = explain_content(topic, content, found) if topic and self.options.only.covers(path) else None
        if said:
            self.notes.append(f"{address}: {said}")
        ignored = bool(found) and "content" in {f.split(".", 1)[0] for f in desired.ignore_changes}
        if ignored:
            found = tuple(replace(c, ignored=True) for c in found)
        diff = self._diff(desired, current, path, moved=moved, but_content=True)
        if diff.changes or found:
            diff = Difference(tuple(sorted((*diff.changes, *found), key=lambda c: c.field)), diff.cleared)
        if found and not ignored:
            why = replace_reason(found)
            if status_of(current) == "DRAFT":  # never reviewed nor served: the replace loses nothing
                why += f"; {NO_HISTORY_LOST}"
            return diff, why
        return diff, _frozen_creative(desired, current, diff)

    # -- moves ----------------------------------------------------------------------------------

    def _settle(self) -> None:
        """Plan what the walk deferred: campaigns first (a moved one walks its creatives), then
        creatives, then the strays left over. A new resource and a stray of the same kind and name,
        each the only one of its name, under different parents, are one resource that moved."""
        # Every stray may be the old side of a move, in scope or not: a partial plan that covers only
        # the destination must still replace (and so retire) the old entity, not create a second
        # live one beside it. A move whose destination is out of scope plans nothing (_replace and
        # _update check the scope), and its stray is then left alone, not pruned.
        movable = self.strays
        moves = _moves(self.new_campaigns, movable, "campaign")
        for new in self.new_campaigns:
            stray = moves.get(id(new))
            if stray is None:
                self._create_campaign(new)
            else:
                self._campaign(new.desired, stray.entity, new.path, new.parent_id, new.parent_key, stray.path)
        moved = _moves(self.new_creatives, movable, "creative")
        for item in self.new_creatives:
            stray = moved.get(id(item))
            if stray is None:
                if self._create(item.desired, item.path, parent_id=item.parent_id):
                    self.state.creative(path_key(item.path), item.parent_key, item.desired)
            else:
                args = (item.path, item.parent_id, item.parent_key, stray.path)
                self._creative(item.desired, stray.entity, *args)
        taken = {id(s) for s in (*moves.values(), *moved.values())}
        for left in self.strays:
            if id(left) not in taken:
                self._leftover(left.entity, left.path, left.prune, left.parent_id)

    @staticmethod
    def _moving(why: str, current: Any, moved_from: tuple[str, ...] | None, path: tuple[str, ...]) -> str:
        if moved_from is None:
            return why
        return (
            f"looks like a move from {' / '.join(moved_from)} (id {current.id}) to {' / '.join(path)}: {why}"
        )

    # -- identity -------------------------------------------------------------------------------

    def _match(
        self,
        desired: Sequence[Any],
        siblings: Sequence[Any],
        by_id: Mapping[Any, Any],
        path: tuple[str, ...],
        spares: list[tuple[Any, Any]],
    ) -> tuple[list[tuple[Any, Any]], list[Any]]:
        """:func:`_match`, following a pin to an entity a replace retired (see :func:`retired`), and
        adding to ``spares`` the duplicates two applies at once left (see :meth:`_is_spare`)."""
        pinned = [d for d in desired if d.id is not None and self._retired(by_id.get(d.id))]
        if not pinned:
            return _match(desired, siblings, by_id, path, self.claimed, self._is_spare, spares)
        for item in pinned:
            old = by_id[item.id]
            self.notes.append(
                f"{' / '.join((*path, item.name))}: pinned id {item.id} is the entity a replace retired "
                f"({old.name!r}); matched by name instead: update the `id:` pin to the new entity's id"
            )
        ids = {id(d) for d in pinned}
        followed = [replace(d, id=None) if id(d) in ids else d for d in desired]
        pairs, leftovers = _match(followed, siblings, by_id, path, self.claimed, self._is_spare, spares)
        originals = dict(zip(map(id, followed), desired, strict=True))
        return [(originals[id(d)], live) for d, live in pairs], leftovers

    def _retired(self, entity: Any) -> bool:
        """Whether ``entity`` (or the campaign above a creative) was retired by a replace."""
        if entity is None:
            return False
        if retired(entity):
            return True
        if isinstance(entity, Creative) and entity.meta is not None and entity.meta.parent:
            return retired(self.campaigns_by_id.get(urn_id(entity.meta.parent)))
        return False

    def _review(self, current: Creative, path: tuple[str, ...]) -> None:
        state = review_state(current)
        if state == "REJECTED":
            self.rejected.append(f"{' / '.join(path)} (id {current.id})")
        elif state == "UNDER_REVIEW":
            self.in_review += 1

    def _note_reviews(self) -> None:
        """Say which managed creatives LinkedIn's review holds back: not drift, nothing to write."""
        for where in self.rejected:
            self.notes.append(
                f"{where}: REJECTED in LinkedIn's review, so it does not serve; give it new content "
                "(a new creative) or archive it"
            )
        if self.in_review:
            many = "s are" if self.in_review != 1 else " is"
            self.notes.append(
                f"{self.in_review} creative{many} UNDER_REVIEW at LinkedIn: serving once approved"
            )

    def _opaque(self, current: Any, path: tuple[str, ...]) -> bool:
        """Whether ``current`` holds a value this model does not know; if so, say it is left alone.

        Such an entity (a status, type or format of a later API version, a content kind we do not
        read) is never diffed or written: any write could undo what we cannot see.
        """
        unknown = unknown_values(current)
        if unknown:
            self.notes.append(
                f"{' / '.join(path)} (id {current.id}): unknown {unknown}: not managed; "
                "it is left as it is (a newer reconciler may know the value)"
            )
        return bool(unknown)

    # -- building changes -----------------------------------------------------------------------


def _below(desired: CampaignGroup | Campaign, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The paths of the resources below one a partial plan leaves out (for checking --only)."""
    if isinstance(desired, Campaign):
        return [(*path, r.name) for r in desired.creatives]
    found: list[tuple[str, ...]] = []
    for campaign in desired.campaigns:
        found.append((*path, campaign.name))
        found.extend(_below(campaign, (*path, campaign.name)))
    return found


@dataclass(frozen=True)
class _New:
    """A campaign or creative the manifests add under a parent (live id, or None while new)."""

    desired: Any
    path: tuple[str, ...]
    parent_id: int | None
    parent_key: str


@dataclass(frozen=True)
class _Stray:
    """A live campaign or creative under a managed parent that no manifest of that parent mentions."""

    entity: Any
    path: tuple[str, ...]
    prune: bool
    parent_id: int | None

    def could_move(self) -> bool:
        """Whether it may be the live side of a move: it can still serve, and no replace retired it."""
        entity = self.entity
        if unknown_values(entity) or retired(entity):
            return False
        return status_of(entity) not in GONE | {ARCHIVED}


def _moves(news: Sequence[_New], strays: Sequence[_Stray], kind: str) -> dict[int, _Stray]:
    """The moves among ``news`` (by ``id()``): a name that exactly one new resource and exactly one
    stray of ``kind`` have."""
    wanted = Counter(n.desired.name for n in news)
    left: dict[str, list[_Stray]] = {}
    for stray in strays:
        if _kind(stray.entity) == kind and stray.could_move():
            left.setdefault(stray.entity.name, []).append(stray)
    return {
        id(n): left[n.desired.name][0]
        for n in news
        if wanted[n.desired.name] == 1 and len(left.get(n.desired.name, ())) == 1
    }
