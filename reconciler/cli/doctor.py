"""``reconciler doctor [PATH...]``: can these manifests be applied with this token, here?

It reports the target and its pinned ``LinkedIn-Version`` (with the version's sunset date),
whether the token works, the member's role on each account (``adAccountUsers``,
``q=authenticatedUser``) and what that role may write, the member's roles on each company page the
manifests' creatives sponsor content of (``organizationAcls``, ``q=roleAssignee``), and — with
PATHs — the calls a plan of the manifests costs and what the plan could not apply. Exit 1 when
something the manifests need is missing: a working token, a role that may write what they manage, a
page role that may sponsor their content, a plan that can be made.

The token's scopes and expiry come from token introspection where client credentials allow it
(``LINKEDIN_CLIENT_ID`` and ``LINKEDIN_CLIENT_SECRET``; the emulator always): manifests need
``rw_ads`` to be applied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

import typer

from reconciler.api.client import LinkedInClient
from reconciler.api.introspect import WRITE_SCOPE
from reconciler.api.version import sunset_date
from reconciler.cli.app import app
from reconciler.cli.common import (
    OutputFormat,
    TargetOption,
    TimeoutOption,
    echo_json,
    exit_with,
    report_problems,
)
from reconciler.errors import AuthError, ManifestError, PermissionDenied, ReconcilerError
from reconciler.manifest import load_project
from reconciler.model import Account, ManagedContent
from reconciler.plan import Kind
from reconciler.planner.access import (
    DEVELOPMENT_EDIT_LIMIT,
    GUARD,
    POST_SCOPE,
    POSTING_KINDS,
    SPONSOR_ROLES,
    TIER_ADVICE,
    may_write,
)
from reconciler.target import Target, resolve_target
from reconciler.workflow import build_plan

KINDS = (Kind.GROUP.value, Kind.CAMPAIGN.value, Kind.CREATIVE.value)


@dataclass
class _Report:
    """What doctor found; ``problems`` are what the manifests need and do not have."""

    target: str
    version: str
    sunset: date
    token: str = "works"
    tier: str | None = None
    introspected: bool = False
    scopes: list[str] | None = None
    expires_at: datetime | None = None
    accounts: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "api_version": self.version,
            "sunset": self.sunset.isoformat(),
            "token": self.token,
            "access_tier": self.tier,
            "introspected": self.introspected,
            "scopes": self.scopes,
            "token_expires_at": None if self.expires_at is None else self.expires_at.isoformat(),
            "accounts": self.accounts,
            "pages": self.pages,
            "plan": self.plan,
            "problems": self.problems,
            "ok": not self.problems,
        }


@app.command()
def doctor(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Manifest files or directories: check what applying them needs. Without PATHs: every "
            "account the member holds a role on.",
            show_default=False,
        ),
    ] = None,
    target: TargetOption = None,
    output: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="human: a short report. json: one document (see docs)."),
    ] = OutputFormat.human,
    timeout: TimeoutOption = None,
) -> None:
    """Check that the manifests can be applied: target, API version, token, account roles, plan cost.

    Exit status: 0 when everything the manifests need is there, 1 when something is missing.

    Example: reconciler doctor examples/quickstart
    """
    try:
        desired = load_project(paths) if paths else None
        the_target = resolve_target(target, os.environ, timeout=timeout)
    except ManifestError as err:
        report_problems(err.problems, output)
        raise typer.Exit(1) from None
    except ReconcilerError as err:
        exit_with(err)
    report = _Report(the_target.description, the_target.version, sunset_date(the_target.version))
    report.tier = the_target.access_tier
    if (
        desired is not None
        and report.tier == "development"
        and len(desired.accounts) > DEVELOPMENT_EDIT_LIMIT
    ):
        report.problems.append(f"the manifests manage {len(desired.accounts)} ad accounts, but {TIER_ADVICE}")
    with the_target.client() as client:
        roles = _roles(client, report)
        posts = desired is not None and _posts_content(desired.accounts)
        _introspect(client, report, writes=desired is not None, posts=posts)
        if roles is not None:
            wanted = desired.accounts if desired is not None else ()
            report.accounts = _accounts(wanted, roles) if desired is not None else _listed(roles)
            report.problems.extend(p for a in report.accounts for p in a["missing_problems"])
            for entry in report.accounts:
                del entry["missing_problems"]
            if desired is not None:
                _pages(client, report, desired.accounts)
            if paths and not report.problems:
                _plan(paths, client, the_target, report)
    if output is OutputFormat.json:
        echo_json(report.to_dict())
    else:
        typer.echo(_human(report), nl=False)
    if report.problems:
        raise typer.Exit(1)


def _roles(client: LinkedInClient, report: _Report) -> dict[int, str] | None:
    """The member's roles; None (and a problem) when the token does not work or cannot read them."""
    try:
        return client.member_roles()
    except AuthError as err:
        report.token = "refused"
        report.problems.append(f"the token does not work: {err}")
    except PermissionDenied as err:
        report.token = "cannot read ad accounts"
        report.problems.append(f"the token cannot read ad accounts (it needs r_ads or rw_ads): {err}")
    except ReconcilerError as err:
        report.token = "unknown"
        report.problems.append(f"the member's roles could not be read: {err}")
    return None


def _introspect(client: LinkedInClient, report: _Report, *, writes: bool, posts: bool) -> None:
    """The token's scopes and expiry, where introspection is possible; a problem when the token is
    not active, lacks ``rw_ads`` while manifests (``writes``) are to be applied, or lacks
    ``w_organization_social`` while their creatives post content (``posts``)."""
    try:
        info = client.token_info()
    except ReconcilerError as err:
        report.problems.append(f"the token could not be introspected: {err}")
        return
    if info is None:
        return
    report.introspected = True
    report.scopes = None if info.scopes is None else sorted(info.scopes)
    report.expires_at = info.expires_at
    if not info.active:
        report.problems.append(f"the access token is {info.status or 'not active'}: authorize the app again")
    elif writes and info.lacks(WRITE_SCOPE):
        report.problems.append(
            f"the token lacks the {WRITE_SCOPE} scope, which applying the manifests needs: "
            f"authorize the app again with {WRITE_SCOPE}"
        )
    if info.active and posts and info.lacks(POST_SCOPE):
        report.problems.append(
            f"the token lacks the {POST_SCOPE} scope, which the manifests' image, video, carousel, "
            f"document, article and event ads need to post their content: authorize the app again "
            f"with {POST_SCOPE}"
        )


def _posts_content(accounts: tuple[Account, ...]) -> bool:
    """Whether a creative of the manifests has content they author that LinkedIn posts (an image,
    video, carousel, document, article or event ad)."""
    return any(
        isinstance(creative.content, ManagedContent) and creative.content.kind in POSTING_KINDS
        for account in accounts
        for _, campaign in account.campaigns()
        for creative in campaign.creatives
    )


def _posting_as(accounts: tuple[Account, ...]) -> list[str]:
    """The organizations the manifests' creatives are sponsored content of (their campaigns'
    associated entity), sorted."""
    found = {
        campaign.associated_entity
        for account in accounts
        for _, campaign in account.campaigns()
        if campaign.creatives and (campaign.associated_entity or "").startswith("urn:li:organization:")
    }
    return sorted(str(o) for o in found)


def _pages(client: LinkedInClient, report: _Report, accounts: tuple[Account, ...]) -> None:
    """The member's page roles on each organization the manifests post as (``organizationAcls``,
    asked only when there is one); a problem for each the member may not sponsor content of."""
    wanted = _posting_as(accounts)
    if not wanted:
        return
    try:
        held = client.page_roles()
    except ReconcilerError as err:
        report.problems.append(f"the member's page roles could not be read: {err}")
        return
    for organization in wanted:
        roles = sorted(held.get(organization, frozenset()))
        may = bool(set(roles) & SPONSOR_ROLES)
        report.pages.append({"organization": organization, "roles": roles, "may_sponsor": may})
        if not may:
            who = f"holds {', '.join(roles)}" if roles else "holds no role"
            report.problems.append(
                f"{organization}: the token's member {who} on this page; the manifests' creatives "
                "sponsor its content, which needs ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER"
            )


def _needs(account: Account) -> set[str]:
    """The kinds the manifests manage on ``account``."""
    needs: set[str] = set()
    for group in account.groups:
        needs.add(Kind.GROUP.value)
        for campaign in group.campaigns:
            needs.add(Kind.CAMPAIGN.value)
            if campaign.creatives:
                needs.add(Kind.CREATIVE.value)
    return needs


def _entry(account_id: int, role: str | None, needs: set[str]) -> dict[str, Any]:
    writes = [k for k in KINDS if may_write(role, k)]
    missing = [k for k in KINDS if k in needs and k not in writes]
    problems = []
    if missing:
        held = f"is {role}" if role is not None else "holds no role"
        problems.append(
            f"ad account {account_id}: the token's member {held}, which may not write "
            f"{', '.join(missing)}; the manifests manage them"
        )
    return {
        "id": account_id,
        "role": role,
        "may_write": writes,
        "missing": missing,
        "missing_problems": problems,
    }


def _accounts(accounts: tuple[Account, ...], roles: dict[int, str]) -> list[dict[str, Any]]:
    return [_entry(a.id, roles.get(a.id), _needs(a)) for a in accounts]


def _listed(roles: dict[int, str]) -> list[dict[str, Any]]:
    return [_entry(account_id, role, set()) for account_id, role in sorted(roles.items())]


def _plan(paths: list[str], client: LinkedInClient, target: Target, report: _Report) -> None:
    before = client.stats.calls
    try:
        result = build_plan(paths, client, target=target.description)
    except ReconcilerError as err:
        report.problems.append(f"no plan can be made: {err}")
        return
    plan = result.plan
    refused = [v.message for v in plan.violations if v.guard in ("limit", GUARD)]
    report.plan = {"calls": client.stats.calls - before, "changes": len(plan.changes), "refused": refused}
    report.problems.extend(refused)


def _human(report: _Report) -> str:
    lines = [
        f"Target:       {report.target}",
        f"API version:  {report.version} (sunset {report.sunset.isoformat()})",
        f"Token:        {report.token}",
        f"Scopes:       {_scopes(report)}",
    ]
    if report.tier is not None:
        limit = (
            f": edits at most {DEVELOPMENT_EDIT_LIMIT} ad accounts" if report.tier == "development" else ""
        )
        lines.append(f"Access tier:  {report.tier} (LINKEDIN_ACCESS_TIER){limit}")
    if report.expires_at is not None:
        lines.append(f"Expires:      {report.expires_at.strftime('%Y-%m-%d %H:%M UTC')}")
    for entry in report.accounts:
        role = entry["role"] or "no role"
        may = ", ".join(entry["may_write"]) or "nothing (read only)"
        lines.append(f"Account {entry['id']}: {role}; may write {may}")
    for page in report.pages:
        roles = ", ".join(page["roles"]) or "no role"
        may = "may sponsor its content" if page["may_sponsor"] else "may not sponsor its content"
        lines.append(f"Page {page['organization']}: {roles}; {may}")
    if report.plan is not None:
        plan = report.plan
        lines.append(f"Plan:         {plan['changes']} change(s); making it cost {plan['calls']} API call(s)")
    lines.extend(f"missing: {p}" for p in report.problems)
    lines.append("Ready to apply." if not report.problems else "Not ready: see 'missing' above.")
    return "\n".join(lines) + "\n"


def _scopes(report: _Report) -> str:
    if not report.introspected:
        return "not checked (set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET to introspect the token)"
    if report.scopes is None:
        return "not given by token introspection"
    held = ", ".join(report.scopes) or "none"
    return held if WRITE_SCOPE in report.scopes else f"{held} (no {WRITE_SCOPE}: read only)"
