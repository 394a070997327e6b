"""The end-to-end operations behind the commands: load, read live state, plan.

Each function takes values and returns values (a Plan, with what it was made from); the CLI
decides what to print. Progress is reported through an optional callback.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reconciler.adcontent.reader import fetch_all, read_content, recover_assets
from reconciler.adcontent.status import reuploads, without
from reconciler.api.client import LinkedInClient
from reconciler.errors import (
    ConfigError,
    ManifestError,
    NotFound,
    PermanentApiError,
    PlanError,
    Position,
    Problem,
    ReconcilerError,
)
from reconciler.gcpause import paused_gc
from reconciler.live import READERS, LiveAccount, read_accounts
from reconciler.manifest import DesiredState
from reconciler.manifest.assets import AssetStore
from reconciler.manifest.lockfile import LockFile
from reconciler.manifest.names import Pins
from reconciler.manifest.project import (
    load_files,
    project_pins,
    sort_problems,
    with_lock_problems,
    with_pins,
)
from reconciler.manifest.sources import ManifestFile, checksum_of
from reconciler.manifest.split import check_selection, group_files
from reconciler.model import Account, group_urn
from reconciler.plan import Kind, Plan, ResourceChange, Violation
from reconciler.planner import AccountPlan, PlanOptions, assemble, plan_account
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
# While this thread loads and plans (pure CPU), a reading thread whose answer has arrived waits for the
# interpreter lock until this one is asked to let go, which CPython does after its switch interval
# (5 ms by default), at every one of the several waits a call makes (sending, the answer, the body,
# the connection pool): tens of ms a call, several times an account's latency. 1 ms during a plan.
SWITCH_SECONDS = 0.001

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanResult:
    """A plan and what it was made from: the accounts planned (in order), how many manifest files
    were read, the calls made, per account the live entities the manifests manage per kind, what
    ``visit`` made of each account (see :func:`build_plan`), the organizations of the campaigns the
    plan makes sponsored content in (see :func:`sponsoring`) and where to read each file creatives
    name, by sha256 (``DesiredState.asset_sources`` of every account planned)."""

    plan: Plan
    accounts: tuple[int, ...]
    files: int
    calls: int
    managed: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    visited: Mapping[int, Any] = field(default_factory=dict)
    organizations: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    asset_sources: Mapping[str, Path] = field(default_factory=dict)


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


@paused_gc()  # across the steps: the collector would otherwise run after each, over all of it
def build_plan(
    paths: Sequence[str | Path],
    client: LinkedInClient,
    *,
    target: str,
    options: PlanOptions | None = None,
    progress: Progress | None = None,
    accounts: Collection[int] | None = None,
    parallel_accounts: int | None = None,
    visit: Visit | None = None,
    step: Step | None = None,
) -> PlanResult:
    """Load and validate the manifests, read the live accounts, and plan (only ``accounts``, when
    given: every file is still validated, see :func:`~reconciler.manifest.load_project`).

    Account by account (see :mod:`~reconciler.manifest.split`): this thread loads an account's
    manifest files, plans it on its live state, keeps only its plan
    (:class:`~reconciler.planner.AccountPlan`) and lets its model and live state go, then takes the
    next; meanwhile the next ``parallel_accounts`` accounts (default
    :func:`default_parallel_accounts`) are read, since reading is mostly waiting on the network.
    So memory is bounded by a few accounts, not the sum. Each account's changes are reviewed
    (:func:`~reconciler.review.review`) while its live state is held (:meth:`_Run._with_live`, the
    place for any other read of one account); the whole plan's access is checked at the end
    (:func:`check_access`). ``visit(account, live, planned)``, when given, is called for each
    account while its live state is at hand; what it returns is kept in ``visited``.

    ``step(account, live, positions, options)``, when given, does each account's work in place of
    planning and reviewing it (``positions``: where the account's resources are written, see
    :attr:`~reconciler.manifest.DesiredState.positions`); it returns the account's plan and what to
    keep in ``visited``. The plan is then neither reviewed nor access-checked: no call beyond the
    reads (``drift`` uses it: see :mod:`reconciler.drift.pipeline`).

    Every file is validated whatever happens; after a problem or an error, no more accounts are
    read. The error raised is, in this order: ManifestError with every problem, ConfigError for an
    ``accounts`` id no manifest names, then the first account's error (PlanError for an account
    missing at the target or in another currency, and the planner's). An account may have been
    read (never written to) before a problem in a later file is found.
    """
    groups, problems = group_files(paths)
    lock_problems: list[Problem] = []
    pins = project_pins(paths, lock_problems)  # one lock for the project: every account's loads share it
    options = with_assets(options or PlanOptions(), pins.lock)
    run = _Run(client, options, accounts, progress, visit, pins, step)
    run.problems.extend(problems)
    run.lock_problems = lock_problems
    run.stop = bool(problems or lock_problems)  # a missing path or an unreadable lock: read nothing
    known = {g.account for g in groups if g.account is not None}
    if accounts is not None and len(known) == len(groups) and not set(accounts) <= known:
        run.stop = True  # nothing is read; the files are still validated (their problems come first)
    ahead = max(1, parallel_accounts or default_parallel_accounts())
    with (
        _prompt_handover(),
        ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="reconciler-read") as readers,
        ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="reconciler-page") as pages,
    ):
        run.readers, run.pages, run.ahead = readers, pages, ahead
        if len(groups) == 1 and groups[0].account is None:
            loaded = run.load(groups[0].files)
            chosen = [a for a in loaded if run.chosen(a.id)]
            if accounts is not None and not set(accounts) <= run.known:
                run.stop = True
            for n, account in enumerate(chosen):
                run.read_ahead([a.id for a in chosen[n:]])
                run.plan(account)
        else:
            ids = [g.account for g in groups if g.account is not None and run.chosen(g.account)]
            waiting: deque[Account] = deque()  # loaded, their reads not yet used
            position = 0  # ids[position:]: the accounts chosen, from this group's on
            for group in groups:
                assert group.account is not None
                upcoming = ids[position:]
                if run.chosen(group.account):
                    position += 1
                    run.read_ahead(upcoming)
                loaded = run.load(group.files)
                if [a.id for a in loaded] not in ([], [group.account]):
                    raise ConfigError("the manifest files changed while they were read; run again")
                if loaded and run.chosen(group.account):
                    waiting.append(loaded[0])
                # Plan what is read; wait only when `ahead` accounts are loaded: until then this
                # thread loads the next account rather than wait for a read.
                while waiting and (len(waiting) >= ahead or run.read(waiting[0].id)):
                    run.plan(waiting.popleft())
                    run.read_ahead(upcoming)  # in the place of the read just used, at once
            while waiting:
                run.plan(waiting.popleft())
        run.stop = True  # reads under way finish; their results are dropped
    return run.finish(accounts, target)


Visit = Callable[[Account, LiveAccount, AccountPlan], Any]
Positions = Mapping[tuple[str, ...], Position]
Step = Callable[[Account, LiveAccount, Positions, PlanOptions], tuple[AccountPlan, Any]]


@contextmanager
def _prompt_handover() -> Iterator[None]:
    """The interpreter's switch interval at most SWITCH_SECONDS for the block (then as it was)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, SWITCH_SECONDS))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def default_parallel_accounts() -> int:
    """How many accounts a plan reads at once by default: one per CPU, at least 3 (an account's read
    is mostly waiting on the network, and takes about as long as this thread takes to load and plan
    two), at most 8. Each account read ahead holds its live state until it is planned: more of them
    buy little once the reads keep up with the CPU."""
    return max(3, min(8, os.cpu_count() or 1))


class _Run:
    """One :func:`build_plan`: the accounts planned so far, the reads under way, what went wrong."""

    def __init__(
        self,
        client: LinkedInClient,
        options: PlanOptions,
        accounts: Collection[int] | None,
        progress: Progress | None,
        visit: Visit | None,
        pins: Pins,
        step: Step | None = None,
    ) -> None:
        self.client, self.progress, self.visit, self.pins = client, progress, visit, pins
        self.step = step
        # With a step: where each loaded account's resources are written, until it is done.
        self.positions: dict[int, Positions] = {}
        # Targeting values read by the names the lock file pins them to (--explain, the views, the review).
        self.options = replace(options, names={**pins.names(), **options.names})
        self.store = AssetStore()  # shared by the loads: each file creatives name is read once
        self.wanted = None if accounts is None else frozenset(accounts)
        self.before = client.stats.calls
        self.stop = False  # set on the first problem or error: no account is read after it
        self.problems: list[Problem] = []
        self.lock_problems: list[Problem] = []  # see with_lock_problems
        self.errors: list[tuple[int, ReconcilerError]] = []
        self.digests: list[tuple[str, str]] = []
        self.files = 0
        self.known: set[int] = set()  # the accounts of the files loaded
        self.planned: list[_Planned] = []
        self.reading: dict[int, Future[dict[int, LiveAccount]]] = {}
        self.done: set[int] = set()  # planned (or failed): never read again
        self.readers: ThreadPoolExecutor | None = None
        self.pages: ThreadPoolExecutor | None = None  # shared by the reads: see read_accounts
        self.ahead = 1
        # What the reads found behind each account's creatives (posts, InMail, conversations).
        self.fetched: dict[int, dict[str, dict[str, Any]]] = {}

    def chosen(self, account: int) -> bool:
        return self.wanted is None or account in self.wanted

    def read_ahead(self, upcoming: Sequence[int]) -> None:
        """Start reading ``upcoming`` accounts in order (the next first), as long as fewer than
        ``ahead`` reads are under way or done and not yet planned."""
        for account in upcoming:
            if len(self.reading) >= self.ahead:
                return
            self._start(account)

    def read(self, account: int) -> bool:
        """Whether ``account`` has been read (or its read failed)."""
        reading = self.reading.get(account)
        return reading is not None and reading.done()

    def _start(self, account: int) -> None:
        assert self.readers is not None
        if account not in self.reading and account not in self.done and not self.stop:
            self.reading[account] = self.readers.submit(self._read, account)

    def _read(self, account: int) -> dict[int, LiveAccount]:
        """Read ``account``; when the lock file records uploads (the project manages ad content),
        read the posts behind its creatives in the same task, while the manifests still load."""
        live = read_accounts(self.client, [account], progress=self.progress, pages=self.pages)
        if self.options.assets and account in live:
            self.fetched[account] = fetch_all(self.client, live[account])
        return live

    def load(self, files: Sequence[ManifestFile]) -> tuple[Account, ...]:
        """The accounts of ``files``; none when they have a problem (recorded; reading stops)."""
        found: list[Problem] = []
        state, digests = load_files(files, found, pins=self.pins, store=self.store)
        self.problems.extend(found)
        self.digests.extend(digests)
        self.files += len(files)
        self.known.update(account.id for account in state.accounts)
        if self.step is not None:
            self.positions.update((account.id, state.positions) for account in state.accounts)
        if found:
            self.stop = True
        if self.progress:
            self.progress(f"read {len(files)} manifest file(s)")
        return state.accounts

    def plan(self, account: Account) -> None:
        """Plan ``account`` on its live state, once read; an error is recorded and stops reading."""
        if self.stop:
            return
        self._start(account.id)  # when it was loaded before its read could start
        self.done.add(account.id)
        try:
            self.planned.append(self._plan(account, self.reading.pop(account.id)))
        except ReconcilerError as exc:
            self.errors.append((account.id, exc))
            self.stop = True

    def _plan(self, account: Account, reading: Future[dict[int, LiveAccount]]) -> _Planned:
        try:
            live = reading.result()[account.id]
        except NotFound as exc:
            raise PlanError(f"an ad account of the manifests does not exist at this target: {exc}") from exc
        if live.currency != account.currency:
            raise PlanError(
                f"ad account {account.id} is in {live.currency}, but the manifests say "
                f"{account.currency}; fix account.currency"
            )
        fetched = self.fetched.pop(account.id, None)
        found = None if fetched is None else {account.id: fetched}  # None: nothing read early
        live = read_content(self.client, [account], {account.id: live}, found)[account.id]
        options = with_recovered(self.client, [account], {account.id: live}, self.options)
        if self.step is not None:
            planned, kept = self.step(account, live, self.positions.pop(account.id, {}), options)
            return _Planned(planned, (), (), {}, {}, kept)
        planned = with_reuploads(self.client, account, live, options, plan_account(account, live, options))
        return self._with_live(account, live, planned)

    def _with_live(self, account: Account, live: LiveAccount, planned: AccountPlan) -> _Planned:
        """What else is asked of ``account`` while its model and live state are held: the place for
        any further read of one account's live state (only what it returns outlives the account).

        The review's limits and questions are per account (see :func:`~reconciler.review.review`),
        so reviewing each account's changes gives what one review of the whole plan gives.
        """
        reviewed = review(
            Plan(target="", api_version="", manifest_checksum="", changes=planned.changes),
            self.client.insights,
            {account.id: live},
            names=self.options.names,
            name_urns=self._name_urns,
            reporting=lambda: reads_reporting(self.client),
        )
        return _Planned(
            replace(planned, changes=reviewed.changes),
            reviewed.violations,
            reviewed.notes,
            reviewed.names,
            sponsoring(account, reviewed.changes),
            self.visit(account, live, planned) if self.visit else None,
        )

    def _name_urns(self, urns: Sequence[str]) -> Mapping[str, str]:
        return {u: e.name for u, e in self.client.targeting.by_urns(urns).items()}

    def finish(self, accounts: Collection[int] | None, target: str) -> PlanResult:
        """The plan of every account planned, or the first error (see :func:`build_plan`)."""
        problems = with_lock_problems(self.problems, self.lock_problems)
        if problems:
            raise ManifestError(sort_problems(problems))
        if accounts is not None:
            check_selection(self.known, accounts)
        if self.errors:
            raise min(self.errors, key=lambda e: e[0])[1]
        self.planned.sort(key=lambda done: done.plan.account)  # as one plan of them all orders them
        plans = [done.plan for done in self.planned]
        plan, managed = assemble(
            plans,
            target=target,
            api_version=self.client.version,
            manifest_checksum=with_pins(checksum_of(self.digests), self.pins),
            options=self.options,
        )
        organizations = {path: org for done in self.planned for path, org in done.organizations.items()}
        if self.step is None:
            plan = check_access(plan, self.client, organizations)
        plan = _reviewed(plan, self.planned)
        return PlanResult(
            plan,
            tuple(p.account for p in plans),
            self.files,
            self.client.stats.calls - self.before,
            managed,
            {done.plan.account: done.visited for done in self.planned},
            organizations,
            MappingProxyType(dict(self.store.sources)),
        )


@dataclass(frozen=True)
class _Planned:
    """What a plan keeps of one account (see :meth:`_Run._with_live`): its reviewed plan, what its
    review found, its campaigns' organizations and what ``visit`` made of it."""

    plan: AccountPlan
    violations: tuple[Violation, ...]
    notes: tuple[str, ...]
    names: Mapping[str, str]
    organizations: Mapping[tuple[str, ...], str]
    visited: Any


def _reviewed(plan: Plan, planned: Sequence[_Planned]) -> Plan:
    """``plan`` with what the review of each account found, as one review of the whole plan adds it."""
    if not any(c.kind is Kind.CAMPAIGN for c in plan.changes):
        return plan
    names = {urn: name for done in planned for urn, name in done.names.items()}
    return replace(
        plan,
        violations=(*plan.violations, *(v for done in planned for v in done.violations)),
        notes=(*plan.notes, *dict.fromkeys(n for done in planned for n in done.notes)),
        names=dict(sorted(names.items())),
    )


def reads_reporting(client: LinkedInClient) -> bool:
    """False only when token introspection (made once per client: ``check_access`` has made it for
    a plan with changes) lists the token's scopes without ``r_ads_reporting``."""
    try:
        token = client.token_info()
    except ReconcilerError:
        return True  # check_access has noted it; adAnalytics answers for itself
    return token is None or not token.lacks(REPORTING_SCOPE)


def with_assets(options: PlanOptions, lock: LockFile) -> PlanOptions:
    """``options`` with the uploaded files ``lock`` records (sha256 -> owner -> asset URN), unless
    the caller gave them. A plan passes the lock its pins were read from: the lock file is read once
    per plan, so its pins and its uploads are of one version of it."""
    if options.assets:
        return options
    return replace(
        options,
        assets={sha: dict(pin.urns) for sha, pin in lock.assets.items()},
        asset_files={sha: (pin.file, pin.size) for sha, pin in lock.assets.items()},
    )


def with_recovered(
    client: LinkedInClient, accounts: Sequence[Account], live: Mapping[int, LiveAccount], options: PlanOptions
) -> PlanOptions:
    """``options`` with the uploads the lock file misses but LinkedIn holds (see
    :func:`~reconciler.adcontent.reader.recover_assets`); no call when the lock has them all."""
    found = recover_assets(client, accounts, live, options.assets)
    if not found:
        return options
    merged = {key: dict(owners) for key, owners in options.assets.items()}
    for key, owners in found.items():
        merged.setdefault(key, {}).update(owners)
    return replace(options, assets=merged)


def with_reuploads(
    client: LinkedInClient, account: Account, live: LiveAccount, options: PlanOptions, planned: AccountPlan
) -> AccountPlan:
    """``planned``, planned again when a new creative of it would use an upload the lock file records
    but LinkedIn cannot serve (see :mod:`reconciler.adcontent.status`): the plan then shows that
    file as uploaded again, and why. No call when no new creative takes a file from the lock."""
    if not options.assets:
        return planned
    again = reuploads(client, planned.changes, live.content)
    if not again:
        return planned
    return plan_account(
        account, live, replace(options, assets=without(options.assets, again), reuploads=again)
    )


def sponsoring(account: Account, changes: Sequence[ResourceChange]) -> dict[tuple[str, ...], str]:
    """The organizations (see :func:`campaign_organizations`) of the campaigns of ``account`` that
    ``changes`` create or replace creatives in: all :func:`check_access` asks of them. A plan keeps
    only these, so what it keeps per account does not grow with the account's campaigns."""
    wanted = sponsored(changes, campaign_organizations([account]))
    return {change.path[:3]: org for org, made in wanted.items() for change in made}


def campaign_organizations(accounts: Iterable[Account]) -> dict[tuple[str, ...], str]:
    """Campaign path (account, group, campaign) -> its associated organization, for every campaign of
    the manifests that names one."""
    out: dict[tuple[str, ...], str] = {}
    for account in accounts:
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
