"""Semantic rules: what the JSON Schema cannot say, checked on one merged account.

Each rule reads converted values (never the raw YAML) and cites the place a value was written: a
campaign value inherited from ``defaults`` is judged once, at ``defaults``. Values the schema rejected
are absent from the records, so no rule repeats the schema's complaint. Every rule returns all the
problems it finds; none stops at the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reconciler.errors import Problem
from reconciler.manifest.build import CampaignRec, CreativeRec, Fields, GroupRec
from reconciler.manifest.combos import campaign_findings
from reconciler.manifest.contentrules import ContentFit
from reconciler.manifest.document import Loc
from reconciler.manifest.fields import CAMPAIGN_FIELDS, check_ignore_changes
from reconciler.manifest.merge import AccountRec
from reconciler.manifest.targeting import RUNNING
from reconciler.model import (
    CampaignStatus,
    CampaignType,
    CreativeStatus,
    GroupStatus,
    Money,
    PostReference,
    Schedule,
    TextAd,
)
from reconciler.model.values import format_instant

MAX_CAMPAIGNS_PER_ACCOUNT = 5_000
MAX_CREATIVES_PER_ACCOUNT = 15_000
MAX_ACTIVE_CAMPAIGNS_PER_ACCOUNT = 1_000
MAX_CAMPAIGNS_PER_GROUP = 2_000
MAX_CREATIVES_PER_CAMPAIGN = 100
MAX_ACTIVE_CREATIVES_PER_CAMPAIGN = 15

MONEY_FIELDS = ("totalBudget", "dailyBudget", "unitCost")
BUDGET_FIELDS = ("totalBudget", "dailyBudget")


def account_rules(account: AccountRec) -> list[Problem]:
    """Every semantic problem of one merged account whose targeting was resolved."""
    problems: list[Problem] = []
    for rule in (_unique_names, _unique_ids, _limits, check_ignore_changes):
        problems.extend(rule(account))
    if account.defaults_loc is not None:
        problems.extend(_values(account.defaults, account.currency))
    for group in account.groups:
        problems.extend(_group(group, account.currency))
        for campaign in group.campaigns:
            problems.extend(_campaign(group, campaign, account.currency))
    return problems


# -- identity ----------------------------------------------------------------------------------


def _unique_names(account: AccountRec) -> Iterable[Problem]:
    yield from _unique("campaign group", account.groups)
    for group in account.groups:
        yield from _unique("campaign", group.campaigns)
        for campaign in group.campaigns:
            yield from _unique("creative", campaign.creatives)


def _unique(kind: str, records: Sequence[GroupRec | CampaignRec | CreativeRec]) -> Iterable[Problem]:
    """Sibling names must differ: the planner matches entities by name within their parent."""
    first: dict[str, Loc] = {}
    for record in records:
        name, loc = record.name, record.loc
        if name is None:
            continue
        if name in first:
            where = first[name].child("name").position
            yield loc.child("name").problem(f"duplicate {kind} name '{name}'; also defined at {where}")
        else:
            first[name] = loc


def _unique_ids(account: AccountRec) -> Iterable[Problem]:
    campaigns = [c for g in account.groups for c in g.campaigns]
    records: Sequence[GroupRec | CampaignRec | CreativeRec]
    for kind, records in (
        ("campaign group", account.groups),
        ("campaign", campaigns),
        ("creative", [r for c in campaigns for r in c.creatives]),
    ):
        first: dict[int, Any] = {}
        for record in records:
            pinned = record.fields.get("id")
            if pinned is None:
                continue
            if pinned in first:
                where = first[pinned].fields.locs["id"].position
                yield record.fields.locs["id"].problem(f"{kind} id {pinned} is also pinned at {where}")
            else:
                first[pinned] = record


# -- limits ------------------------------------------------------------------------------------


def _limits(account: AccountRec) -> Iterable[Problem]:
    # Each count is made first, its records and text only past a limit (20,000 entities at the limits).
    campaigns = [c for g in account.groups for c in g.campaigns]
    scope = f"ad account {account.id} has"
    yield from _cap(campaigns, MAX_CAMPAIGNS_PER_ACCOUNT, f"{scope} {{}} campaigns", _name_loc)
    if sum(len(c.creatives) for c in campaigns) > MAX_CREATIVES_PER_ACCOUNT:
        creatives = [r for c in campaigns for r in c.creatives]
        yield from _cap(creatives, MAX_CREATIVES_PER_ACCOUNT, f"{scope} {{}} creatives", _name_loc)
    running = [c for c in campaigns if c.fields.get("status") in RUNNING]
    running_text = f"{scope} {{}} ACTIVE or PAUSED campaigns (paused ones count as active)"
    yield from _cap(running, MAX_ACTIVE_CAMPAIGNS_PER_ACCOUNT, running_text, _status_loc)
    for group in account.groups:
        if len(group.campaigns) > MAX_CAMPAIGNS_PER_GROUP:
            text = f"campaign group '{group.name}' has {{}} campaigns"
            yield from _cap(group.campaigns, MAX_CAMPAIGNS_PER_GROUP, text, _name_loc)
        for campaign in group.campaigns:
            if len(campaign.creatives) > MAX_CREATIVES_PER_CAMPAIGN:
                text = f"campaign '{campaign.name}' has {{}} creatives"
                yield from _cap(campaign.creatives, MAX_CREATIVES_PER_CAMPAIGN, text, _name_loc)
            if len(campaign.creatives) > MAX_ACTIVE_CREATIVES_PER_CAMPAIGN:
                active = [
                    r for r in campaign.creatives if r.fields.get("intendedStatus") == CreativeStatus.ACTIVE
                ]
                text = f"campaign '{campaign.name}' has {{}} ACTIVE creatives"
                yield from _cap(active, MAX_ACTIVE_CREATIVES_PER_CAMPAIGN, text, _status_loc)


def _cap(records: Sequence[Any], limit: int, text: str, cite: Callable[[Any], Loc]) -> Iterable[Problem]:
    """One problem at the first record past the limit (in file order), giving the count."""
    if len(records) > limit:
        count = text.format(f"{len(records):,}")
        message = f"{count}; LinkedIn allows at most {limit:,} (this is number {limit + 1:,})"
        yield cite(records[limit]).problem(message)


def _name_loc(record: Any) -> Loc:
    loc: Loc = record.loc
    return loc.child("name")


def _status_loc(record: Any) -> Loc:
    locs = record.fields.locs
    loc: Loc = locs.get("status") or locs.get("intendedStatus") or record.loc
    return loc


# -- values ------------------------------------------------------------------------------------


def _values(fields: Fields, currency: str | None, own: Loc | None = None) -> Iterable[Problem]:
    """Currency, positive budgets and schedule order of the fields written at ``own`` (or all)."""
    # Each value is judged first and its place looked up only for a problem (places cost, at scale).
    for name in MONEY_FIELDS:
        money = fields.get(name)
        if not isinstance(money, Money):
            continue
        wrong = []
        if currency is not None and money.currency != currency:
            wrong.append(f"{money} is in {money.currency}, but the ad account's currency is {currency}")
        if name in BUDGET_FIELDS and money.amount <= 0:
            wrong.append(f"a {name} must be more than 0, got {money}")
        loc = fields.locs.get(name) if wrong else None
        if loc is not None and _under(loc, own):
            yield from (loc.problem(message) for message in wrong)
    schedule = fields.get("runSchedule")
    if isinstance(schedule, Schedule) and schedule.end is not None and schedule.end <= schedule.start:
        loc = fields.locs.get("runSchedule")
        if loc is not None and _under(loc, own):
            start, end = format_instant(schedule.start), format_instant(schedule.end)
            yield loc.child("end").problem(f"end {end} is not after start {start}")


def _under(loc: Loc, own: Loc | None) -> bool:
    return own is None or (loc.doc is own.doc and loc.path[: len(own.path)] == own.path)


def _group(group: GroupRec, currency: str | None) -> Iterable[Problem]:
    yield from _values(group.fields, currency)
    fields, locs = group.fields, group.fields.locs
    if "totalBudget" in fields.values:
        schedule = fields.get("runSchedule")
        open_ended = isinstance(schedule, Schedule) and schedule.end is None
        if open_ended or _written(group.loc, "runSchedule") is None:
            yield locs["totalBudget"].problem("a campaign group with a totalBudget needs a runSchedule.end")
    if "dailyBudget" in fields.values:
        optimization = fields.get("budgetOptimization")
        not_dynamic = optimization is not None and optimization.budget_optimization_strategy != "DYNAMIC"
        if not_dynamic or _written(group.loc, "budgetOptimization") is None:
            message = "a group dailyBudget needs budgetOptimization.budgetOptimizationStrategy: DYNAMIC"
            yield locs["dailyBudget"].problem(message)
    yield from _group_status(group)
    yield from _missing_at_create(group.loc, group.fields, GROUP_CREATE_REQUIRED, "campaign group")


def _group_status(group: GroupRec) -> Iterable[Problem]:
    """A group outside DRAFT needs a runSchedule (LinkedIn refuses it at create, activation and
    every later change). A group pinned by id exists live already, and LinkedIn's own default group
    may have none. (That a new group is created only ACTIVE or DRAFT depends on what is live: the
    planner refuses that.)"""
    status = group.fields.get("status")
    if status in (None, GroupStatus.DRAFT) or "id" in group.fields.values:
        return
    if _written(group.loc, "runSchedule") is None:
        message = f"a campaign group that is {status} needs a runSchedule"
        message += "; only a DRAFT group may leave it out"
        yield group.fields.locs["status"].problem(message)


# What LinkedIn refuses a create without, beyond what the tool fills in itself (account, parent,
# and a campaign's offsiteDeliveryEnabled/politicalIntent defaults) and the schema's `name`.
GROUP_CREATE_REQUIRED = ("status",)
CAMPAIGN_CREATE_REQUIRED = ("type", "costType", "status", "locale", "runSchedule")
CREATIVE_CREATE_REQUIRED = ("intendedStatus", "content")


def _missing_at_create(loc: Loc, fields: Fields, required: Sequence[str], kind: str) -> list[Problem]:
    """A resource not pinned by ``id`` may be created, so it needs what LinkedIn requires on create.

    A pinned one exists live already (an import of an old account may lack such a field); a value
    the schema rejected is not reported twice. Cited at the resource's name (a missing field has
    no place of its own)."""
    if "id" in fields.values:
        return []
    missing = [name for name in required if fields.get(name) is None and _written(loc, name) is None]
    if not missing:
        return []
    where = " (here or in defaults.campaign)" if kind == "campaign" else ""
    message = (
        f"a new {kind} needs {' and '.join(missing)}{where}: LinkedIn refuses to create one without; "
        "a live one may instead be pinned with `id:`"
    )
    return [loc.child("name").problem(message)]


def _written(loc: Loc, name: str) -> Any:
    """The raw value of a field as written (even when rejected), None when absent."""
    raw = loc.doc.get(loc.path)
    return raw.get(name) if isinstance(raw, dict) else None


def _campaign(group: GroupRec, campaign: CampaignRec, currency: str | None) -> Iterable[Problem]:
    fields = campaign.fields
    yield from _values(fields, currency, own=campaign.loc)
    total, daily = fields.get("totalBudget"), fields.get("dailyBudget")
    comparable = isinstance(total, Money) and isinstance(daily, Money) and total.currency == daily.currency
    if comparable and total.amount < daily.amount:
        message = f"totalBudget {total} is below dailyBudget {daily}"
        yield _blame(campaign, message, "totalBudget", "dailyBudget")
    # The minimum daily budget depends on the account's currency and the campaign: the plan asks
    # LinkedIn (adBudgetPricing dailyBudgetLimits.min, see reconciler.review), nothing is assumed here.
    status = fields.get("status")
    if group.fields.get("status") == GroupStatus.DRAFT and status not in (None, CampaignStatus.DRAFT):
        message = f"campaign is {status}, but its group is DRAFT; a DRAFT group holds only DRAFT campaigns"
        yield _blame(campaign, message, "status")
    if fields.get("connectedTelevisionOnly") is True and fields.get("offsiteDeliveryEnabled") is False:
        message = "connectedTelevisionOnly needs offsiteDeliveryEnabled: true"
        yield _blame(campaign, message, "connectedTelevisionOnly", "offsiteDeliveryEnabled")
    if (
        fields.get("creativeSelection") == "OPTIMIZED"
        and fields.get("type") == CampaignType.SPONSORED_INMAILS
    ):
        message = "OPTIMIZED creative rotation is not available for SPONSORED_INMAILS"
        yield _blame(campaign, message, "creativeSelection", "type")
    if campaign.written.keys() <= KNOWN_CAMPAIGN_KEYS:
        # Beside an unknown field (reported by the schema) a missing one may be that one misspelt.
        yield from _missing_at_create(campaign.loc, fields, CAMPAIGN_CREATE_REQUIRED, "campaign")
    if status in RUNNING and "id" not in fields.values:
        # A pinned campaign exists live already (an old one may predate a requirement).
        yield from _activation(campaign, status)
    for message, names in campaign_findings(fields.get):
        yield _blame(campaign, message, *names)
    yield from _creatives(campaign)


def _activation(campaign: CampaignRec, status: CampaignStatus) -> Iterable[Problem]:
    """What LinkedIn checks when a campaign leaves DRAFT (a DRAFT may still lack it). Not judged
    beside an unknown field: the schema reported it, and it may be the missing one misspelt."""
    fields = campaign.fields
    if not campaign.written.keys() <= KNOWN_CAMPAIGN_KEYS:
        return
    if fields.get("dailyBudget") is None and _unwritten(campaign, "dailyBudget", "totalBudget"):
        yield _blame(campaign, f"a campaign that is {status} needs a dailyBudget or totalBudget", "status")
    if campaign.targeting is None and campaign.written.get("targeting") is None:
        message = f"a campaign that is {status} needs targeting with a locations or profileLocations facet"
        yield _blame(campaign, message, "status")
    kind = fields.get("type")
    if kind in ASSOCIATED_TYPES and _unwritten(campaign, "associatedEntity"):
        message = f"a {kind} campaign that is {status} needs an associatedEntity (urn:li:organization:…)"
        yield _blame(campaign, message, "status")


def _unwritten(campaign: CampaignRec, *names: str) -> bool:
    """None of ``names`` has a value, not even one the schema rejected (that one is reported)."""
    return all(campaign.fields.get(name) is None and campaign.written.get(name) is None for name in names)


KNOWN_CAMPAIGN_KEYS = frozenset({*CAMPAIGN_FIELDS, "id", "creatives", "ignoreChanges"})
# Campaign types whose ads speak for an organization (LinkedIn refuses them outside DRAFT without one).
ASSOCIATED_TYPES = (CampaignType.SPONSORED_UPDATES, CampaignType.DYNAMIC)


def _blame(campaign: CampaignRec, message: str, *names: str) -> Problem:
    """Cite the first of ``names`` the campaign writes itself (else its name); name inherited ones."""
    locs = campaign.fields.locs
    own = [name for name in names if _under(locs[name], campaign.loc)]
    inherited = [name for name in names if name not in own]
    if inherited:
        message += f" ({' and '.join(inherited)} from defaults)"
    return (locs[own[0]] if own else campaign.loc.child("name")).problem(message)


def _creatives(campaign: CampaignRec) -> list[Problem]:
    """The problems of a campaign's creatives; what the campaign says is read once for them all."""
    kind = campaign.fields.get("type")
    expected = CONTENT_BY_TYPE.get(kind)
    lead_gen = campaign.fields.get("objectiveType") == "LEAD_GENERATION"
    fit = ContentFit(campaign)
    problems: list[Problem] = []
    for creative in campaign.creatives:
        fields = creative.fields
        problems.extend(_missing_at_create(creative.loc, fields, CREATIVE_CREATE_REQUIRED, "creative"))
        content = fields.get("content")
        if isinstance(content, PostReference | TextAd) and expected is not None:
            shape = "textAd" if isinstance(content, TextAd) else content.reference.split(":")[2]
            loc = fields.locs.get("content") if shape not in expected[0] else None
            if loc is not None:
                shown = CONTENT_NAMES.get(shape, shape)
                problems.append(loc.problem(f"a {kind} campaign takes {expected[1]}, not {shown}"))
        problems.extend(fit.problems(creative))
        if lead_gen and _written(creative.loc, "leadgenCallToAction") is None:
            problems.append(creative.loc.child("name").problem(NEEDS_LEADGEN))
        if fields.get("localName") is True and fields.get("id") is None:
            problems.append(fields.locs["localName"].problem(LOCAL_NAME_UNPINNED))
    return problems


NEEDS_LEADGEN = "a creative of a LEAD_GENERATION campaign needs a leadgenCallToAction (lead form and label)"
# A name never sent cannot find the creative again: every plan would create another one.
LOCAL_NAME_UNPINNED = (
    "localName: true needs an id pin (a name that is never sent cannot identify the creative)"
)

# Campaign type -> (content kinds it takes, in words). DYNAMIC content is not modelled.
CONTENT_BY_TYPE = {
    CampaignType.TEXT_AD: (("textAd",), "text ads (content.textAd)"),
    CampaignType.SPONSORED_UPDATES: (
        ("share", "ugcPost"),
        "post references (urn:li:share:… or urn:li:ugcPost:…)",
    ),
    CampaignType.SPONSORED_INMAILS: (
        ("adInMailContent", "sponsoredConversation"),
        "InMail or conversation references (urn:li:adInMailContent:…, urn:li:sponsoredConversation:…)",
    ),
}
CONTENT_NAMES = {
    "textAd": "a text ad",
    "share": "a post reference",
    "ugcPost": "a post reference",
    "adInMailContent": "an InMail content reference",
    "sponsoredConversation": "a conversation reference",
}
