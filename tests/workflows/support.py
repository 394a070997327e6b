"""Shared helpers for the drift, import and workflow tests: the embedded emulator of a working
directory, clients acting as a given member, seeding an account from manifests, and the CLI.

Seeding creates entities through the API from a plan's create bodies (parents first, campaigns
activated after their creatives), the way an apply does; it stands in for ``reconciler apply`` so
these tests do not depend on the applier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from typer.testing import CliRunner, Result

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret
from reconciler.cli import app
from reconciler.emulator import Emulator, EmulatorConfig, SqliteStore, person_urn
from reconciler.model import account_urn, campaign_urn, group_urn
from reconciler.plan import Action, Kind, Plan
from reconciler.target import EMULATOR_DB
from reconciler.workflow import build_plan

ROOT = Path(__file__).parents[2]
FAST = RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=5)
OWNER = "pipeline-token"  # the token the seeding (the "apply") uses
MARKETER = "marketer-token"  # another member, editing by hand in "Campaign Manager"

runner = CliRunner()


def db_path(workdir: Path) -> Path:
    """Where the embedded emulator of ``workdir`` keeps its database (``--target emulator``)."""
    return workdir / EMULATOR_DB


@contextmanager
def emulator_at(workdir: Path, clock: Callable[[], int] | None = None) -> Iterator[Emulator]:
    """The embedded emulator of ``workdir`` (created when missing), closed on exit."""
    path = db_path(workdir)
    path.parent.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(SqliteStore(path), EmulatorConfig(clock=clock))
    try:
        yield emulator
    finally:
        emulator.close()


@contextmanager
def client_as(
    workdir: Path, token: str = OWNER, clock: Callable[[], int] | None = None
) -> Iterator[LinkedInClient]:
    """A client on ``workdir``'s embedded emulator acting as the member ``token`` stands for."""
    with emulator_at(workdir, clock) as emulator:
        http = httpx.Client(
            base_url="https://api.linkedin.com/rest",
            transport=emulator.transport(),
            auth=BearerAuth(Secret(token)),
        )
        with LinkedInClient(http, retry=FAST) as client:
            yield client


def member(token: str) -> str:
    """The member URN the emulator records as the actor of ``token``'s writes."""
    return person_urn(token)


def seed(workdir: Path, paths: Sequence[str | Path], token: str = OWNER) -> Plan:
    """Create what the manifests at ``paths`` describe in ``workdir``'s emulator; the plan used."""
    with client_as(workdir, token) as client:
        plan = build_plan(paths, client, target="seed").plan
        apply_creates(client, plan)
    return plan


def apply_creates(client: LinkedInClient, plan: Plan) -> dict[tuple[str, ...], int]:
    """Create every resource the plan creates; activate campaigns after their creatives. Ids by path."""
    ids: dict[tuple[str, ...], int] = {}
    for change in plan.changes:
        if change.action is not Action.CREATE:
            continue
        account = int(change.path[0])
        parent = change.parent_id or ids.get(change.path[:-1])
        body = dict(change.body)
        if change.kind is Kind.GROUP:
            ids[change.path] = client.groups(account).create({"account": account_urn(account), **body})
        elif change.kind is Kind.CAMPAIGN:
            assert parent is not None
            body.update(account=account_urn(account), campaignGroup=group_urn(parent))
            ids[change.path] = client.campaigns(account).create(body)
        else:
            assert parent is not None
            ids[change.path] = client.creatives(account).create({"campaign": campaign_urn(parent), **body})
    for change in plan.changes:
        if change.activate and change.action is Action.CREATE:
            client.campaigns(int(change.path[0])).partial_update(ids[change.path], {"status": "ACTIVE"})
    return ids


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the reconciler CLI in process (the working directory is the caller's)."""
    return runner.invoke(app, list(args), env=env)
