"""A plan's review: what LinkedIn says of the campaigns it changes, added to the plan before anyone
reads it. Audience size (``audienceCounts``), bid and budget limits (``adBudgetPricing``), the last 7
days' spend of campaigns the plan stops or re-budgets (``adAnalytics``), and targeting values by name.

Only campaigns the plan changes are asked about, each question once (the answers are cached per
client), and a bounded number of questions per plan: a plan without such changes makes none of
these calls. A question LinkedIn cannot answer leaves one note and the plan goes on; what cannot be
checked is said, never guessed. Refusals are violations (``audience``, ``pricing``), so ``plan``
exits 1 and ``apply`` writes nothing (see :meth:`reconciler.plan.Plan.check_guardrails`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from reconciler.api.insights import Insights
from reconciler.errors import ApiError, BadRequest, PermissionDenied
from reconciler.facetdiff import FIELD, facet_values
from reconciler.live import LiveAccount
from reconciler.plan import Action, Kind, Plan, ResourceChange, Violation
from reconciler.review_pricing import far_from_suggestion, floors, plain

T = TypeVar("T")

MIN_AUDIENCE = 300  # LinkedIn's minimum to run a campaign; audienceCounts answers 0 below it
MAX_QUESTIONS = 100  # distinct audienceCounts / adBudgetPricing questions per account and plan, each
SPEND_DAYS = 7
PRICED = frozenset(
    {"unitCost", "dailyBudget", "totalBudget", "objectiveType", "costType", "optimizationTargetType", FIELD}
)
BUDGETS = frozenset({"dailyBudget", "totalBudget"})
STOPPED = frozenset({"ARCHIVED", "REMOVED", "CANCELED", "COMPLETED", "PENDING_DELETION"})


@dataclass(frozen=True)
class _Campaign:
    """A campaign change, with the campaign's API fields as the plan leaves them."""

    index: int
    change: ResourceChange
    after: Mapping[str, Any]
    changed: frozenset[str]

    @property
    def account(self) -> int:
        return int(self.change.path[0])

    @property
    def status(self) -> str | None:
        """The status the campaign ends in (a campaign activated after its creatives: ACTIVE)."""
        return "ACTIVE" if self.change.activate else self.after.get("status")


def review(
    plan: Plan,
    insights: Insights,
    live: Mapping[int, LiveAccount],
    *,
    names: Mapping[str, str] | None = None,
    name_urns: Callable[[Sequence[str]], Mapping[str, str]] | None = None,
    today: date | None = None,
    reporting: Callable[[], bool] | None = None,
) -> Plan:
    """``plan`` with audience sizes, pricing, recent spend and targeting names on its campaign
    changes, the violations they call for and notes for what could not be asked. ``names`` (URN ->
    name, the lock file's) spares asking ``name_urns`` (LinkedIn's ``adTargetingEntities?q=urns``)
    for those; ``today`` (UTC) ends the spend window. ``reporting``, asked only when spend is to be
    shown, says False when the token is known to lack ``r_ads_reporting``: spend is then not asked
    for, and one note says why."""
    mine = [(i, c) for i, c in enumerate(plan.changes) if c.kind is Kind.CAMPAIGN]
    if not mine:
        return plan
    # Built once: a lookup per change would be quadratic at the limits (1,000 changes, 5,000 campaigns).
    current = {(a, c.id): c for a, account in live.items() for c in account.campaigns}
    campaigns = [_view(i, c, current) for i, c in mine]
    changes = list(plan.changes)
    violations: list[Violation] = []
    notes: list[str] = []
    # Account by account, so that plans made one account at a time and merged (reconciler show)
    # say what one plan of all of them says.
    shown: dict[str, str] = {}
    for account in sorted({c.account for c in campaigns}):
        its = [c for c in campaigns if c.account == account]
        _audiences(its, insights, changes, violations, notes)
        _pricing(its, insights, changes, violations, notes)
        _spend(its, insights, live, changes, notes, today or datetime.now(UTC).date(), reporting)
        shown.update(_named([changes[c.index] for c in its], name_urns, names or {}, notes))
    return replace(
        plan,
        changes=tuple(changes),
        violations=(*plan.violations, *violations),
        notes=(*plan.notes, *dict.fromkeys(notes)),
        names=dict(sorted(shown.items())),
    )


# -- what each campaign becomes --------------------------------------------------------------------


def _view(index: int, change: ResourceChange, current: Mapping[tuple[int, int | None], Any]) -> _Campaign:
    changed = frozenset(f.field for f in change.fields if not f.ignored)
    if change.action in (Action.CREATE, Action.REPLACE):
        return _Campaign(index, change, dict(change.body), changed)
    live = current.get((int(change.path[0]), change.id))
    base: dict[str, Any] = live.api_fields() if live is not None else {}
    for field in change.fields:
        if not field.ignored:
            base[field.field] = field.new
    for name in change.delete_fields:
        base.pop(name, None)
    if change.action is Action.DELETE:
        base["status"] = "REMOVED"
    return _Campaign(index, change, {k: v for k, v in base.items() if v is not None}, changed)


def _serves(campaign: _Campaign) -> bool:
    return campaign.status not in STOPPED


# -- audience size ---------------------------------------------------------------------------------


def _audiences(
    campaigns: list[_Campaign],
    insights: Insights,
    changes: list[ResourceChange],
    violations: list[Violation],
    notes: list[str],
) -> None:
    wanted = [
        c
        for c in campaigns
        if _serves(c) and isinstance(c.after.get(FIELD), Mapping) and (_new_audience(c) or _activated(c))
    ]
    sizes = _ask(
        wanted,
        lambda c: _key(c.after[FIELD]),
        lambda c: insights.audience_count(c.after[FIELD]),
        "audience size",
        notes,
    )
    for campaign in wanted:
        size = sizes.get(_key(campaign.after[FIELD]))
        if size is None:
            continue
        changes[campaign.index] = replace(changes[campaign.index], audienceSize=size)
        if size > 0:
            continue
        where = campaign.change.address
        if campaign.status == "ACTIVE":
            violations.append(
                Violation(
                    "audience",
                    f"{where}: its targeting reaches fewer than {MIN_AUDIENCE} members (audienceCounts "
                    f"answers 0), under LinkedIn's {MIN_AUDIENCE}-member minimum to run a campaign; widen "
                    "the targeting, or keep the campaign DRAFT",
                )
            )
        else:
            notes.append(
                f"{where}: its targeting reaches fewer than {MIN_AUDIENCE} members (LinkedIn's minimum to "
                f"run a campaign); it is {campaign.status}, so it can be saved, but not activated so"
            )


def _new_audience(campaign: _Campaign) -> bool:
    return campaign.change.action in (Action.CREATE, Action.REPLACE) or FIELD in campaign.changed


def _activated(campaign: _Campaign) -> bool:
    """Whether the plan switches a live campaign to ACTIVE (its audience is then judged too)."""
    return campaign.status == "ACTIVE" and ("status" in campaign.changed or campaign.change.activate)


# -- bids and budgets ------------------------------------------------------------------------------


def _pricing(
    campaigns: list[_Campaign],
    insights: Insights,
    changes: list[ResourceChange],
    violations: list[Violation],
    notes: list[str],
) -> None:
    wanted = [
        c
        for c in campaigns
        if _serves(c)
        and isinstance(c.after.get(FIELD), Mapping)
        and isinstance(c.after.get("type"), str)
        and isinstance(c.after.get("costType"), str)
        and (c.change.action in (Action.CREATE, Action.REPLACE) or c.changed & PRICED)
    ]

    def ask(c: _Campaign) -> dict[str, Any]:
        return insights.budget_pricing(
            c.account,
            campaign_type=c.after["type"],
            bid_type=c.after["costType"],
            objective=c.after.get("objectiveType"),
            optimization=c.after.get("optimizationTargetType"),
            criteria=c.after[FIELD],
        )

    answers = _ask(wanted, _pricing_key, ask, "bid and budget limits", notes)
    for campaign in wanted:
        pricing = answers.get(_pricing_key(campaign))
        if not pricing:
            continue
        changes[campaign.index] = replace(changes[campaign.index], pricing=pricing)
        under = floors(campaign.change.address, campaign.after, pricing)
        violations.extend(under)
        far = far_from_suggestion(campaign.change.address, campaign.after, pricing)
        if far and not any("unitCost" in v.message for v in under):
            notes.append(far)


def _pricing_key(c: _Campaign) -> str:
    settings = [c.account, c.after["type"], c.after["costType"], c.after.get("objectiveType")]
    return _key([*settings, c.after.get("optimizationTargetType"), c.after[FIELD]])


NO_REPORTING = (
    f"the last {SPEND_DAYS} days' spend is not shown: the token lacks the r_ads_reporting scope "
    "(token introspection); authorize the app again with r_ads_reporting to see it"
)

# -- money in context ------------------------------------------------------------------------------


def _stops_or_rebudgets(campaign: _Campaign) -> bool:
    action = campaign.change.action
    if action in (Action.ARCHIVE, Action.DELETE, Action.REPLACE):
        return True
    paused = campaign.after.get("status") == "PAUSED" and "status" in campaign.changed
    return action is Action.UPDATE and (paused or bool(campaign.changed & BUDGETS))


def _spend(
    campaigns: list[_Campaign],
    insights: Insights,
    live: Mapping[int, LiveAccount],
    changes: list[ResourceChange],
    notes: list[str],
    today: date,
    reporting: Callable[[], bool] | None = None,
) -> None:
    wanted = [c for c in campaigns if c.change.id is not None and _stops_or_rebudgets(c)]
    if wanted and reporting is not None and not reporting():
        notes.append(NO_REPORTING)
        return
    start, end = today - timedelta(days=SPEND_DAYS), today - timedelta(days=1)
    for account in sorted({c.account for c in wanted}):
        try:
            spent = insights.campaign_spend(account, start, end)
        except PermissionDenied:
            notes.append(
                f"ad account {account}: the last {SPEND_DAYS} days' spend is not shown: the token may not "
                "read reporting (adAnalytics needs r_ads_reporting)"
            )
            continue
        except ApiError as exc:
            notes.append(f"ad account {account}: the last {SPEND_DAYS} days' spend could not be read: {exc}")
            continue
        currency = live[account].currency if account in live else ""
        for campaign in (c for c in wanted if c.account == account):
            cost, impressions = spent.get(int(campaign.change.id or 0), (Decimal(0), 0))
            recent = {
                "amount": plain(cost),
                "currencyCode": currency,
                "impressions": impressions,
                "days": SPEND_DAYS,
            }
            changes[campaign.index] = replace(changes[campaign.index], recentSpend=recent)


# -- targeting names -------------------------------------------------------------------------------


def _named(
    changes: list[ResourceChange],
    name_urns: Callable[[Sequence[str]], Mapping[str, str]] | None,
    known: Mapping[str, str],
    notes: list[str],
) -> dict[str, str]:
    """URN -> name for every targeting value the changes show: the lock file's, else LinkedIn's."""
    shown: set[str] = set()
    for change in changes:
        for field in change.fields:
            if field.field == FIELD and change.kind is Kind.CAMPAIGN and not field.ignored:
                for side in (field.old, field.new):
                    shown.update(v for values in facet_values(side).values() for v in values)
    names = {urn: known[urn] for urn in shown if urn in known}
    unknown = sorted(shown - set(names))
    if unknown and name_urns is not None:
        try:
            names.update(name_urns(unknown[: MAX_QUESTIONS * 10]))
        except ApiError as exc:
            notes.append(f"targeting values are shown by URN: LinkedIn could not name them ({exc})")
    return dict(sorted(names.items()))


# -- helpers ---------------------------------------------------------------------------------------


def _ask(
    items: Iterable[_Campaign],
    key: Callable[[_Campaign], str],
    ask: Callable[[_Campaign], T],
    what: str,
    notes: list[str],
) -> dict[str, T]:
    """One question per distinct key, at most :data:`MAX_QUESTIONS`. A question LinkedIn refuses as
    such (400: these settings) is noted and the others are asked; any other failure (not served,
    forbidden, unreachable, out of quota) stops the asking with a note: the rest would fail alike."""
    answers: dict[str, T] = {}
    refused: set[str] = set()  # asked once and refused: campaigns of the same settings are not asked again
    skipped = 0
    for item in items:
        k = key(item)
        if k in answers or k in refused:
            continue
        if len(answers) + len(refused) >= MAX_QUESTIONS:
            skipped += 1
            continue
        try:
            answers[k] = ask(item)
        except BadRequest as exc:
            refused.add(k)
            notes.append(f"the {what} of {item.change.address} could not be read: {exc}")
        except ApiError as exc:
            notes.append(
                f"the {what} of {item.change.address} and any later campaign could not be read: {exc}"
            )
            return answers
    if skipped:
        notes.append(
            f"the {what} of {skipped} more campaign(s) was not read (at most {MAX_QUESTIONS} questions per "
            "account and plan), so LinkedIn's minimums were not checked for them"
        )
    return answers


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
