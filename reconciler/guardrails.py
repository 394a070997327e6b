"""Guardrails: LinkedIn's account limits, safety thresholds and budget impact, on a whole plan.

The planner describes each account twice, as it is and as it would be after the plan, in the
small records below (every live entity counts, managed or not); this module turns the two into
budget totals, limit headroom and violations. Pure functions: no I/O, no model, no plan building.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reconciler.plan import BudgetImpact, Headroom, Violation

MAX_CAMPAIGNS = 5_000
MAX_CREATIVES = 15_000
MAX_CAMPAIGNS_PER_GROUP = 2_000
MAX_CREATIVES_PER_CAMPAIGN = 100
MAX_ACTIVE_CREATIVES_PER_CAMPAIGN = 15
MAX_ACTIVE_CAMPAIGNS = 1_000

# LinkedIn counts paused campaigns as active until their end (reference §6).
ACTIVE_CAMPAIGN_STATUSES = frozenset({"ACTIVE", "PAUSED"})
# Deleted entities no longer count towards the per-account totals.
UNCOUNTED = frozenset({"REMOVED"})


@dataclass(frozen=True)
class Thresholds:
    """Safety thresholds; crossing one needs ``--force``.

    Like octoDNS, they apply only once there is enough to protect: the removal threshold of a kind
    (groups, campaigns, creatives: each counted against its own kind, so many untouched creatives
    cannot dilute a mass archive of campaigns) when at least ``min_entities`` entities of that kind
    are managed; the budget thresholds (a rise, and a cut: stopping spend abruptly costs an
    advertiser as much as raising it) when some daily budget is already live.
    """

    max_removal_fraction: float = 0.30
    max_daily_budget_increase: float = 0.50
    min_entities: int = 10
    max_daily_budget_decrease: float = 0.50


@dataclass(frozen=True)
class Baseline:
    """Where an interrupted apply began, as its journal recorded it.

    The run that finishes it is judged against this, not against the half-applied live state: its
    own earlier writes are not a new change. ``forced`` says that run was approved with ``--force``
    up to ``daily_after`` (total daily budget) and ``removed`` (per kind, as the removal thresholds
    count: entities archived, deleted or replaced).
    """

    run: str
    daily_before: Decimal
    forced: bool = False
    daily_after: Decimal | None = None
    removed: Mapping[str, int] | None = None


@dataclass(frozen=True)
class GroupState:
    """A campaign group, as far as the guardrails care."""

    key: str
    status: str
    total_budget: Decimal | None = None
    default: bool = False
    daily_budget: Decimal | None = None


@dataclass(frozen=True)
class CampaignState:
    """A campaign, as far as the guardrails care."""

    key: str
    group: str
    status: str
    daily_budget: Decimal | None = None
    total_budget: Decimal | None = None


@dataclass(frozen=True)
class CreativeState:
    """A creative, as far as the guardrails care."""

    campaign: str
    status: str


@dataclass(frozen=True)
class AccountState:
    """One account at one moment."""

    groups: tuple[GroupState, ...] = ()
    campaigns: tuple[CampaignState, ...] = ()
    creatives: tuple[CreativeState, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """What the guardrails found for one account."""

    budget: BudgetImpact
    headroom: tuple[Headroom, ...]
    violations: tuple[Violation, ...] = field(default=())


def evaluate(
    account: str,
    currency: str,
    before: AccountState,
    after: AccountState,
    *,
    managed: Mapping[str, int],
    removed: Mapping[str, int],
    thresholds: Thresholds,
    baseline: Baseline | None = None,
) -> Verdict:
    """Budget impact, headroom and violations of one account's plan.

    ``managed`` counts, per kind (``campaignGroup``, ``campaign``, ``creative``), the live entities
    the manifests manage (or prune); ``removed`` how many of them the plan archives, deletes or
    replaces. ``baseline``: the plan finishes an interrupted apply, and the thresholds judge it from
    where that apply began.
    """
    budget = _budget(currency, before, after)
    headroom = tuple(_headroom(account, before, after))
    violations = [Violation("limit", _limit_message(h)) for h in headroom if h.exceeded]
    violations.extend(_thresholds(account, budget, managed, removed, thresholds, baseline))
    return Verdict(budget, headroom, tuple(violations))


def _budget(currency: str, before: AccountState, after: AccountState) -> BudgetImpact:
    daily_before, life_before = _totals(before)
    same = after.campaigns == before.campaigns and after.groups == before.groups
    daily_after, life_after = (daily_before, life_before) if same else _totals(after)
    return BudgetImpact(currency, _fmt(daily_before), _fmt(daily_after), _fmt(life_before), _fmt(life_after))


def _totals(state: AccountState) -> tuple[Decimal, Decimal]:
    spending = [c for c in state.campaigns if c.status == "ACTIVE"]
    daily = sum((c.daily_budget or Decimal(0) for c in spending), Decimal(0))
    # A group's own daily budget (DYNAMIC budget optimisation) is spent on top of its campaigns'.
    daily += sum((g.daily_budget or Decimal(0) for g in state.groups if g.status == "ACTIVE"), Decimal(0))
    lifetime = sum((c.total_budget or Decimal(0) for c in spending), Decimal(0))
    lifetime += sum((g.total_budget or Decimal(0) for g in state.groups if g.status == "ACTIVE"), Decimal(0))
    return daily, lifetime


def _fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _headroom(account: str, before: AccountState, after: AccountState) -> Iterable[Headroom]:
    defaults = {g.key for g in (*before.groups, *after.groups) if g.default}
    names = {**before.names, **after.names}
    # What the plan leaves as it was is counted once: most plans change few of 20,000 entities.
    camps_b, active_b, groups_b = _campaign_counts(before.campaigns, defaults)
    camps_a, active_a, groups_a = (
        (camps_b, active_b, groups_b)
        if after.campaigns == before.campaigns
        else _campaign_counts(after.campaigns, defaults)
    )
    creas_b, per_campaign_b, serving_b = _creative_counts(before.creatives)
    creas_a, per_campaign_a, serving_a = (
        (creas_b, per_campaign_b, serving_b)
        if after.creatives == before.creatives
        else _creative_counts(after.creatives)
    )
    yield Headroom(account, "campaigns", "account", camps_b, camps_a, MAX_CAMPAIGNS)
    yield Headroom(account, "creatives", "account", creas_b, creas_a, MAX_CREATIVES)
    yield Headroom(account, "active campaigns", "account", active_b, active_a, MAX_ACTIVE_CAMPAIGNS)
    yield _busiest(account, names, "campaigns per group", groups_b, groups_a, MAX_CAMPAIGNS_PER_GROUP)
    yield _busiest(
        account, names, "creatives per campaign", per_campaign_b, per_campaign_a, MAX_CREATIVES_PER_CAMPAIGN
    )
    yield _busiest(
        account,
        names,
        "active creatives per campaign",
        serving_b,
        serving_a,
        MAX_ACTIVE_CREATIVES_PER_CAMPAIGN,
    )


def _campaign_counts(campaigns: Sequence[CampaignState], defaults: set[str]) -> tuple[int, int, Counter[str]]:
    """The campaigns that count towards the limits (all but deleted ones), the active ones among
    them, and how many of them each non-default group holds."""
    counted = [c for c in campaigns if c.status not in UNCOUNTED]
    active = sum(c.status in ACTIVE_CAMPAIGN_STATUSES for c in counted)
    return len(counted), active, _count(c.group for c in counted if c.group not in defaults)


def _creative_counts(creatives: Sequence[CreativeState]) -> tuple[int, Counter[str], Counter[str]]:
    """The creatives that count towards the limits, how many of them each campaign holds, and how
    many ACTIVE ones."""
    counted = [c for c in creatives if c.status not in UNCOUNTED]
    active = _count(c.campaign for c in counted if c.status == "ACTIVE")
    return len(counted), _count(c.campaign for c in counted), active


def _count(keys: Iterable[str]) -> Counter[str]:
    return Counter(keys)


def _busiest(
    account: str,
    names: Mapping[str, str],
    limit: str,
    before: Counter[str],
    after: Counter[str],
    maximum: int,
) -> Headroom:
    """The headroom of the fullest parent after the plan (the one closest to the limit)."""
    if not after:
        return Headroom(account, limit, "", max(before.values(), default=0), 0, maximum)
    scope, count = max(after.items(), key=lambda item: (item[1], item[0]))
    return Headroom(account, limit, names.get(scope, scope), before.get(scope, 0), count, maximum)


def _limit_message(h: Headroom) -> str:
    where = f" in {h.scope}" if h.scope and h.scope != "account" else ""
    return (
        f"account {h.account}: {h.limit}{where} would be {h.after:,}, over LinkedIn's limit of {h.maximum:,}"
    )


KIND_WORDS = {"campaignGroup": "campaign groups", "campaign": "campaigns", "creative": "creatives"}


def _thresholds(
    account: str,
    budget: BudgetImpact,
    managed: Mapping[str, int],
    removed: Mapping[str, int],
    thresholds: Thresholds,
    baseline: Baseline | None = None,
) -> Sequence[Violation]:
    # A forced run approved removing so many of each kind; finishing it removes no more of any.
    approved = baseline.removed if baseline is not None and baseline.forced else None
    out = [
        Violation(
            "threshold",
            f"account {account}: archives, deletes or replaces {removed.get(kind, 0)} of "
            f"{managed[kind]} managed {words} ({removed.get(kind, 0) / managed[kind]:.0%}, more than "
            f"{thresholds.max_removal_fraction:.0%})",
        )
        for kind, words in KIND_WORDS.items()
        if managed.get(kind, 0) >= max(thresholds.min_entities, 1)
        and removed.get(kind, 0) > thresholds.max_removal_fraction * managed[kind]
        and (approved is None or removed.get(kind, 0) > approved.get(kind, 0))
    ]
    budget_violation = _budget_threshold(account, budget, thresholds, baseline)
    return [*out, budget_violation] if budget_violation else out


def _budget_threshold(
    account: str, budget: BudgetImpact, thresholds: Thresholds, baseline: Baseline | None
) -> Violation | None:
    """A rise or a cut of the total daily budget beyond its threshold, judged from where an
    interrupted run began when this plan finishes one (and approved up to what a forced one planned)."""
    before, after = Decimal(budget.daily_before), Decimal(budget.daily_after)
    if baseline is not None:
        before = baseline.daily_before
    if before <= 0:
        return None
    change = (after - before) / before
    since = f", judged from before the interrupted run {baseline.run} began" if baseline else ""
    reached = baseline.daily_after if baseline is not None and baseline.forced else None
    if change > Decimal(str(thresholds.max_daily_budget_increase)):
        if reached is not None and after <= reached:
            return None
        return Violation(
            "threshold",
            f"account {account}: raises total daily budget from {_fmt(before)} "
            f"to {budget.daily_after} {budget.currency} (+{change:.0%}, more than "
            f"{thresholds.max_daily_budget_increase:.0%}){since}",
        )
    if -change > Decimal(str(thresholds.max_daily_budget_decrease)):
        if reached is not None and after >= reached:
            return None
        return Violation(
            "threshold",
            f"account {account}: cuts total daily budget from {_fmt(before)} "
            f"to {budget.daily_after} {budget.currency} ({change:.0%}, more than "
            f"{thresholds.max_daily_budget_decrease:.0%} less){since}",
        )
    return None
