"""``reconciler doctor [PATH...]``: can these manifests be applied with this token, here?

It reports the target and its pinned ``LinkedIn-Version`` (with the version's sunset date),
whether the token works, the member's role on each account (``adAccountUsers``,
``q=authenticatedUser``) and what that role may write, and — with PATHs — the calls a plan of the
manifests costs and what the plan could not apply. Exit 1 when something the manifests need is
missing: a working token, a role that may write what they manage, a plan that can be made.

Not checked (yet): the token's scopes and expiry (token introspection needs client credentials),
and the member's company-page roles (``organizationAcls``), which matter once manifests post
content as an organization.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

import typer

from reconciler.api.client import LinkedInClient
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
from reconciler.model import Account
from reconciler.plan import Kind
from reconciler.planner.access import GUARD, may_write
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
    accounts: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "api_version": self.version,
            "sunset": self.sunset.isoformat(),
            "token": self.token,
            "scopes": None,
            "accounts": self.accounts,
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
    with the_target.client() as client:
        roles = _roles(client, report)
        if roles is not None:
            wanted = desired.accounts if desired is not None else ()
            report.accounts = _accounts(wanted, roles) if desired is not None else _listed(roles)
            report.problems.extend(p for a in report.accounts for p in a["missing_problems"])
            for entry in report.accounts:
                del entry["missing_problems"]
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
        "Scopes:       not checked (token introspection is not supported yet)",
    ]
    for entry in report.accounts:
        role = entry["role"] or "no role"
        may = ", ".join(entry["may_write"]) or "nothing (read only)"
        lines.append(f"Account {entry['id']}: {role}; may write {may}")
    if report.plan is not None:
        plan = report.plan
        lines.append(f"Plan:         {plan['changes']} change(s); making it cost {plan['calls']} API call(s)")
    lines.extend(f"missing: {p}" for p in report.problems)
    lines.append("Ready to apply." if not report.problems else "Not ready: see 'missing' above.")
    return "\n".join(lines) + "\n"
