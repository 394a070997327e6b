"""The planner: desired accounts + live accounts -> an inert Plan.

It matches identities (``id`` pin first, then name within the parent), classifies each resource
(create, update, archive, delete, replace, no-op), orders work so parents exist before children
and campaigns go live only after their creatives, lists unmanaged live entities (or prunes them
where a manifest opts in), and runs the guardrails on the whole plan. It does no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reconciler.diff import Difference, compare, explain
from reconciler.errors import AmbiguousLiveState, PlanError
from reconciler.gcpause import paused_gc
from reconciler.guardrails import Thresholds, Verdict, evaluate
from reconciler.live import GONE, LiveAccount
from reconciler.model import (
    CAMPAIGN_FIELDS,
    Account,
    Campaign,
    CampaignGroup,
    Creative,
    campaign_urn,
    group_urn,
    status_of,
)
from reconciler.plan import (
    Action,
    BudgetImpact,
    FieldChange,
    Headroom,
    Kind,
    Plan,
    ResourceChange,
    Unmanaged,
    Violation,
    sort_changes,
)
from reconciler.planner_state import StateBuilder, live_key, path_key

# Campaign fields LinkedIn lets change only while the campaign is a DRAFT (reference §3.3; the
# exact list is not published, this is our reading of it). Changing one later means a new campaign.
DRAFT_ONLY_CAMPAIGN_FIELDS = frozenset(
    {"type", "costType", "format", "objectiveType", "pacingStrategy", "associatedEntity"}
)
# Fields whose absence from a manifest means "none": cleared with $delete when set live.
CLEARABLE = {
    "campaign": ("dailyBudget", "totalBudget"),
    "campaignGroup": ("totalBudget", "dailyBudget"),
    "creative": (),
}
ARCHIVED = "ARCHIVED"


@dataclass(frozen=True)
class PlanOptions:
    """Choices that change what the planner may propose."""

    allow_replace: bool = False
    thresholds: Thresholds = field(default_factory=Thresholds)
    explain: str | None = None  # a field name: say, per matched resource, why it is equal or not


@paused_gc()
def make_plan(
    accounts: Sequence[Account],
    live: Mapping[int, LiveAccount],
    *,
    target: str,
    api_version: str,
    manifest_checksum: str,
    options: PlanOptions | None = None,
) -> Plan:
    """Plan every account of the manifests against its live state.

    Raises AmbiguousLiveState when two live siblings share a name the manifests use, and
    PlanError when an ``id`` pin names an entity the account does not have.
    """
    opts = options or PlanOptions()
    changes: list[ResourceChange] = []
    unmanaged: list[Unmanaged] = []
    notes: list[str] = []
    budgets: list[BudgetImpact] = []
    headroom: list[Headroom] = []
    violations: list[Violation] = []
    for account in accounts:
        planner = _AccountPlanner(account, live[account.id], opts)
        planner.run()
        changes.extend(planner.changes)
        unmanaged.extend(planner.unmanaged)
        notes.extend(planner.notes)
        verdict = planner.verdict()
        budgets.append(verdict.budget)
        headroom.extend(verdict.headroom)
        violations.extend(verdict.violations)
    if opts.explain and not notes:
        notes.append(
            f"--explain {opts.explain}: no managed resource sets or has this field; use the API's "
            "field names, e.g. dailyBudget, status, runSchedule, targetingCriteria, intendedStatus"
        )
    replaces = [c for c in changes if c.action is Action.REPLACE]
    if replaces and not opts.allow_replace:
        names = ", ".join(c.address for c in replaces)
        violations.append(
            Violation("replace", f"replacing loses reporting history; needs --allow-replace: {names}")
        )
    return Plan(
        target=target,
        api_version=api_version,
        manifest_checksum=manifest_checksum,
        changes=sort_changes(changes),
        unmanaged=tuple(sorted(unmanaged, key=lambda u: (u.path, u.id))),
        budgets=tuple(budgets),
        headroom=tuple(headroom),
        violations=tuple(violations),
        notes=tuple(notes),
    )


def _kind(entity: Campaign | CampaignGroup | Creative) -> str:
    return {CampaignGroup: "campaignGroup", Campaign: "campaign", Creative: "creative"}[type(entity)]


class _AccountPlanner:
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
        pairs, leftovers = _match(self.account.groups, self.live.groups, live_by_id, self.root, self.claimed)
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
        pairs, leftovers = _match(desired.campaigns, siblings, self.campaigns_by_id, path, self.claimed)
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
        self._update(desired, current, path, parent_id=group_id, diff=diff, activate=wants_active)
        self.state.campaign(key, group_key, _as_applied(desired, current))
        assert current.id is not None
        siblings = self.live.creatives_of(campaign_urn(current.id))
        pairs, leftovers = _match(desired.creatives, siblings, self.creatives_by_id, path, self.claimed)
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
        self._update(desired, current, path, parent_id=campaign_id, diff=diff)
        self.state.creative(live_key(current), campaign_key, desired)

    # -- building changes -----------------------------------------------------------------------

    def _diff(
        self, desired: Any, current: Any, path: tuple[str, ...], *, moved: str | None = None
    ) -> Difference:
        kind = _kind(desired)
        want, have = desired.api_fields(), current.api_fields()
        topic = self.options.explain
        if topic and (topic in want or topic in have):
            self.notes.append(f"{' / '.join(path)}: {explain(topic, want, have)}")
        diff = compare(
            want,
            have,
            clearable=CLEARABLE[kind],
            ignore=desired.ignore_changes,
        )
        if moved:
            move = FieldChange("campaignGroup", current.meta.parent if current.meta else None, moved)
            diff = Difference((*diff.changes, move), diff.cleared)
        return diff

    def _create(
        self, desired: Any, path: tuple[str, ...], *, parent_id: int | None, activate: bool = False
    ) -> None:
        body = desired.api_fields()
        if activate:
            # New campaigns are born DRAFT and switched on once their creatives exist.
            body["status"] = "DRAFT"
        fields = tuple(FieldChange(k, None, v) for k, v in sorted(desired.api_fields().items()))
        self.changes.append(
            ResourceChange(
                _kind_enum(desired), Action.CREATE, path, None, parent_id, fields, body, activate=activate
            )
        )

    def _update(
        self,
        desired: Any,
        current: Any,
        path: tuple[str, ...],
        *,
        parent_id: int | None,
        diff: Difference | None = None,
        activate: bool = False,
    ) -> None:
        diff = diff or self._diff(desired, current, path)
        body = diff.set_body()
        status_key = "intendedStatus" if isinstance(desired, Creative) else "status"
        becomes = body.get(status_key)
        action = Action.ARCHIVE if becomes == ARCHIVED else Action.UPDATE
        late = activate and becomes == "ACTIVE" and status_of(current) == "DRAFT"
        if late:
            # Keep a DRAFT campaign DRAFT until the creatives below it exist.
            body.pop(status_key)
        if not diff.changes:
            return
        if not body and not diff.cleared and not late:
            # Only ignored drift: recorded so the plan can say it was ignored, but writes nothing.
            self.changes.append(self._change(desired, current, Action.UPDATE, path, parent_id, diff, {}))
            return
        if action is Action.ARCHIVE:
            self.removed += 1
        self.changes.append(
            self._change(desired, current, action, path, parent_id, diff, body, activate=late)
        )

    def _change(
        self,
        desired: Any,
        current: Any,
        action: Action,
        path: tuple[str, ...],
        parent_id: int | None,
        diff: Difference,
        body: Mapping[str, Any],
        *,
        activate: bool = False,
    ) -> ResourceChange:
        meta = current.meta
        return ResourceChange(
            _kind_enum(desired),
            action,
            path,
            current.id,
            parent_id,
            diff.changes,
            dict(body),
            diff.cleared,
            activate=activate,
            version_tag=meta.version_tag if meta else None,
            last_modified=meta.last_modified_at if meta else None,
        )

    def _replace(
        self,
        desired: Any,
        current: Any,
        path: tuple[str, ...],
        parent_id: int | None,
        diff: Difference,
        why: str,
    ) -> None:
        pins = _pins(desired)
        if pins:
            # The pin would keep pointing at the retired entity, so every later plan would replace
            # it again and leave one more live copy behind: refuse, and say how to proceed.
            raise PlanError(
                f"{' / '.join(path)}: {why}, so it must be replaced by a new {_kind(desired)}, but it is "
                f"pinned by id ({', '.join(pins)}); remove those `id:` lines to replace it (the old one is "
                "renamed and archived), or undo the change"
            )
        self.removed += 1
        self.state.archive(live_key(current))
        body = desired.api_fields()
        activate = isinstance(desired, Campaign) and status_of(desired) == "ACTIVE"
        if activate:
            body["status"] = "DRAFT"
        change = self._change(
            desired, current, Action.REPLACE, path, parent_id, diff, body, activate=activate
        )
        self.changes.append(replace(change, reason=why))

    def _prune(self, entity: Any, path: tuple[str, ...], *, parent_id: int | None) -> None:
        status = status_of(entity)
        if status in GONE or status == ARCHIVED:
            return
        self.managed += 1
        self.removed += 1
        key = "intendedStatus" if isinstance(entity, Creative) else "status"
        action = Action.DELETE if status == "DRAFT" else Action.ARCHIVE
        body = {} if action is Action.DELETE else {key: ARCHIVED}
        meta = entity.meta
        self.changes.append(
            ResourceChange(
                _kind_enum(entity),
                action,
                path,
                entity.id,
                parent_id,
                (FieldChange(key, status, None if action is Action.DELETE else ARCHIVED),),
                body,
                reason="not in the manifests and pruning is on",
                version_tag=meta.version_tag if meta else None,
                last_modified=meta.last_modified_at if meta else None,
            )
        )
        if action is Action.DELETE:
            self.state.delete(live_key(entity))
        else:
            self.state.archive(live_key(entity))

    def _note_unmanaged(self, entity: Any, path: tuple[str, ...]) -> None:
        status = status_of(entity)
        if status in GONE or status in (ARCHIVED, "COMPLETED"):
            return
        if (
            isinstance(entity, CampaignGroup)
            and entity.is_default
            and not self.live.campaigns_of(group_urn(entity.id or 0))
        ):
            return  # LinkedIn's own empty default group is not worth a line in every plan
        self.unmanaged.append(Unmanaged(_kind_enum(entity), path, entity.id, status))


def _thresholds(base: Thresholds, account: Account) -> Thresholds:
    """The project's thresholds, overridden by what the account's manifests set."""
    own = account.safety
    if own is None:
        return base
    return Thresholds(
        own.max_removal_fraction if own.max_removal_fraction is not None else base.max_removal_fraction,
        own.max_daily_budget_increase
        if own.max_daily_budget_increase is not None
        else base.max_daily_budget_increase,
        own.min_managed_entities if own.min_managed_entities is not None else base.min_entities,
    )


def _as_applied(desired: Campaign, current: Campaign) -> Campaign:
    """The campaign as an apply leaves it: ignored fields keep their live values."""
    keep = {
        CAMPAIGN_FIELDS[f.split(".", 1)[0]]
        for f in desired.ignore_changes
        if f.split(".", 1)[0] in CAMPAIGN_FIELDS
    }
    return replace(desired, **{attr: getattr(current, attr) for attr in keep}) if keep else desired


def _pins(entity: Any) -> list[str]:
    """The ``id`` pins of an entity and of the creatives under it (a replace moves them all)."""
    children = entity.creatives if isinstance(entity, Campaign) else ()
    return [f"{e.name!r}: {e.id}" for e in (entity, *children) if e.id is not None]


def _kind_enum(entity: Any) -> Kind:
    return Kind(_kind(entity))


def _frozen_creative(desired: Creative, current: Creative, diff: Difference) -> str:
    """Why a creative must be replaced rather than updated ("" when it need not)."""
    changed = {c.field for c in diff.effective}
    if "content" in changed:
        return "creative content can't change after creation"
    old, new = current.leadgen_call_to_action, desired.leadgen_call_to_action
    if old and new and old.destination != new.destination and status_of(current) != "DRAFT":
        return "a lead form can't change once the creative left DRAFT"
    return ""


def _match(
    desired: Sequence[Any],
    siblings: Sequence[Any],
    by_id: Mapping[Any, Any],
    path: tuple[str, ...],
    claimed: set[int],
) -> tuple[list[tuple[Any, Any]], list[Any]]:
    """Pair desired resources with live ones: ``id`` pin first, then name among live siblings.

    Returns the pairs (live side None for a create) and the live siblings left unmatched and not
    pinned elsewhere in the manifests (``claimed``).
    """
    # What this call takes, apart from ``claimed``: copying ``claimed`` (every pin of the account) for
    # each of the account's 5,000 campaigns would make planning quadratic.
    taken: set[int | None] = set()
    pairs: list[tuple[Any, Any]] = []
    pending: list[Any] = []
    for item in desired:
        if item.id is None:
            pending.append(item)
            continue
        found = by_id.get(item.id)
        if found is None:
            raise PlanError(
                f"{' / '.join((*path, item.name))}: pinned id {item.id} does not exist in the account; "
                "remove the id to create it anew"
            )
        taken.add(item.id)
        pairs.append((item, found))
    named: dict[str, list[Any]] = {}
    for live in siblings:
        if live.id not in claimed and live.id not in taken and status_of(live) not in GONE:
            named.setdefault(live.name, []).append(live)
    for item in pending:
        candidates = named.get(item.name, [])
        if len(candidates) > 1:
            ids = ", ".join(str(c.id) for c in candidates)
            raise AmbiguousLiveState(
                f"{' / '.join((*path, item.name))}: {len(candidates)} live entities share this name "
                f"(ids {ids}); "
                "pin the right one with `id:` or rename the others"
            )
        match = candidates[0] if candidates else None
        if match is not None:
            taken.add(match.id)
        pairs.append((item, match))
    leftovers = [s for s in siblings if s.id not in claimed and s.id not in taken]
    return pairs, leftovers
