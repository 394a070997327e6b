"""The end-to-end operations behind the commands: load, read live state, plan.

Each function takes values and returns values (a Plan, with what it was made from); the CLI
decides what to print. Progress is reported through an optional callback.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from reconciler.api.client import LinkedInClient
from reconciler.errors import NotFound, PermanentApiError, PlanError, ReconcilerError
from reconciler.gcpause import paused_gc
from reconciler.live import LiveAccount, read_accounts
from reconciler.manifest import DesiredState, load_project
from reconciler.model import group_urn
from reconciler.plan import Kind, Plan, Violation
from reconciler.planner import PlanOptions, make_plan_counted
from reconciler.planner.access import (
    access_violations,
    page_violations,
    post_scope_violations,
    posting,
    sponsored,
    tier_violations,
    token_violations,
)
from reconciler.review import review

REPORTING_SCOPE = "r_ads_reporting"  # adAnalytics (ads-reporting page "Permissions")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanResult:
    """A plan and what it was made from."""

    plan: Plan
    desired: DesiredState
    live: Mapping[int, LiveAccount]
    calls: int
    managed: Mapping[int, Mapping[str, int]] = field(default_factory=dict)  # per account and kind


def read_live(
    client: LinkedInClient,
    desired: DesiredState,
    progress: Progress | None = None,
    started: Mapping[int, Future[dict[int, LiveAccount]]] | None = None,
) -> dict[int, LiveAccount]:
    """Read every account the manifests name (taking those in ``started``, reads already under way,
    from there); refuse an account whose currency differs."""
    ids = [account.id for account in desired.accounts]
    started = started or {}
    try:
        live = read_accounts(client, [i for i in ids if i not in started], progress=progress)
        for account_id in ids:
            if account_id in started:
                live.update(started[account_id].result())
    except NotFound as exc:
        raise PlanError(f"an ad account of the manifests does not exist at this target: {exc}") from exc
    for account in desired.accounts:
        currency = live[account.id].currency
        if currency != account.currency:
            raise PlanError(
                f"ad account {account.id} is in {currency}, but the manifests say {account.currency}; "
                "fix account.currency"
            )
    return live


@paused_gc()  # across the three steps: the collector would otherwise run after each, over all of it
def build_plan(
    paths: Sequence[str | Path],
    client: LinkedInClient,
    *,
    target: str,
    options: PlanOptions | None = None,
    progress: Progress | None = None,
    accounts: Collection[int] | None = None,
) -> PlanResult:
    """Load and validate the manifests, read the live accounts, and plan (only ``accounts``, when
    given: see :func:`~reconciler.manifest.load_project`).

    An account is read from the moment a manifest file naming it has been read without a problem,
    while the other files load: reading is mostly waiting on the network, loading mostly CPU (a
    no-op plan at LinkedIn's limits: 5.1-5.5 s one after the other, 4.3-4.9 s side by side). So a
    plan that fails on a problem found later may have read an account first (never written to one),
    and reports it once that read ends.
    """
    before = client.stats.calls
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="reconciler-read") as pool:
        started: dict[int, Future[dict[int, LiveAccount]]] = {}

        def read_early(account_id: int) -> None:
            if account_id not in started:
                started[account_id] = pool.submit(read_accounts, client, [account_id], progress=progress)

        desired = load_project(paths, on_account=read_early, accounts=accounts)
        if progress:
            progress(f"read {len(desired.files)} manifest file(s)")
        live = read_live(client, desired, progress, started)
    # Targeting values read by the names the lock file pins them to (--explain and the views).
    names = {**desired.names, **(options or PlanOptions()).names}
    plan, managed = make_plan_counted(
        desired.accounts,
        live,
        target=target,
        api_version=client.version,
        manifest_checksum=desired.checksum,
        options=replace(options or PlanOptions(), names=names),
    )
    plan = check_access(plan, client, campaign_organizations(desired))
    plan = review(
        plan,
        client.insights,
        live,
        names=names,
        name_urns=lambda urns: {u: e.name for u, e in client.targeting.by_urns(urns).items()},
        reporting=lambda: reads_reporting(client),
    )
    return PlanResult(plan, desired, live, client.stats.calls - before, managed)


def reads_reporting(client: LinkedInClient) -> bool:
    """False only when token introspection (made once per client: ``check_access`` has made it for
    a plan with changes) lists the token's scopes without ``r_ads_reporting``."""
    try:
        token = client.token_info()
    except ReconcilerError:
        return True  # check_access has noted it; adAnalytics answers for itself
    return token is None or not token.lacks(REPORTING_SCOPE)


def campaign_organizations(desired: DesiredState) -> dict[tuple[str, ...], str]:
    """Campaign path (account, group, campaign) -> its associated organization, for every campaign of
    the manifests that names one."""
    out: dict[tuple[str, ...], str] = {}
    for account in desired.accounts:
        for group, campaign in account.campaigns():
            entity = campaign.associated_entity
            if entity is not None and entity.startswith("urn:li:organization:"):
                out[(str(account.id), group.name, campaign.name)] = entity
    return out


def plan_organizations(plan: Plan, live: Mapping[int, LiveAccount]) -> dict[tuple[str, ...], str]:
    """Campaign path (account, group, campaign) -> its associated organization, from a plan alone
    (a saved plan applied without its manifests): the campaigns it creates or changes say theirs,
    the live campaigns it adds creatives to theirs (found by group and campaign name)."""
    out: dict[tuple[str, ...], str] = {}
    for account_id, account in live.items():
        for group in account.groups:
            for campaign in account.campaigns_of(group_urn(group.id or 0)):
                if campaign.associated_entity is not None:
                    out[(str(account_id), group.name, campaign.name)] = str(campaign.associated_entity)
    for change in plan.changes:
        if change.kind is not Kind.CAMPAIGN:
            continue
        said = [f.new for f in change.fields if f.field == "associatedEntity"]
        entity = said[0] if said else change.body.get("associatedEntity")
        if isinstance(entity, str):
            out[change.path[:3]] = entity
    return {path: org for path, org in out.items() if org.startswith("urn:li:organization:")}


def check_access(
    plan: Plan, client: LinkedInClient, campaign_orgs: Mapping[tuple[str, ...], str] | None = None
) -> Plan:
    """``plan`` with a violation for a token that cannot write (expired, or without ``rw_ads``; without
    ``w_organization_social`` when the plan posts an ad's content), for each account whose changes
    the member's role forbids, and for each organization whose content the plan sponsors (creative
    creates in campaigns ``campaign_orgs`` maps to it) without a page role that may; and, when the
    app is configured as in the Development tier (``client.access_tier``), for a plan that edits
    more than five ad accounts.

    No call when the plan has no changes; otherwise one token introspection (where client
    credentials allow it), one ``adAccountUsers`` finder and, when the plan sponsors an
    organization's content, one ``organizationAcls`` finder (a few pages at most each), each once
    per client. A server that cannot answer leaves a note, not a failure: the apply then learns the
    scope or role from LinkedIn's first refusal.
    """
    if not plan.changes:
        return plan
    notes: list[str] = []
    found: list[Violation] = tier_violations(plan.changes, client.access_tier)
    try:
        token = client.token_info()
        if token is not None:
            found += token_violations(plan.changes, token.active, token.status, token.scopes)
            if token.active:
                found += post_scope_violations(posting(plan.changes), token.scopes)
    except ReconcilerError as exc:
        notes.append(f"the token could not be introspected ({exc}); a write may be refused")
    try:
        found += access_violations(plan.changes, client.member_roles())
    except PermanentApiError as exc:
        notes.append(f"the member's account roles could not be read ({exc}); a write may be refused")
    wanted = sponsored(plan.changes, campaign_orgs or {})
    if wanted:
        try:
            found += page_violations(wanted, client.page_roles())
        except PermanentApiError as exc:
            notes.append(f"the member's page roles could not be read ({exc}); a creative may be refused")
    found = [v for v in found if v not in plan.violations]  # a saved plan may state them already
    if not found and not notes:
        return plan
    return replace(plan, violations=(*plan.violations, *found), notes=(*plan.notes, *notes))
