"""Shared helpers for the drift, import and workflow tests: the embedded emulator of a working
directory, clients acting as a given member, applying manifests, and the CLI.

Accounts are set up the way a user would: ``reconciler apply`` on the embedded emulator.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml
from typer.testing import CliRunner, Result

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret
from reconciler.cli import app
from reconciler.emulator import Emulator, EmulatorConfig, SqliteStore, person_urn
from reconciler.target import EMULATOR_DB

ROOT = Path(__file__).parents[2]
FAST = RetryPolicy(base_delay=0.0001, max_delay=0.001, max_attempts=5)
OWNER = "pipeline-token"  # the token tests read with
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


def applied(workdir: Path, paths: Sequence[str | Path]) -> None:
    """Apply the manifests at ``paths`` to ``workdir``'s embedded emulator with ``reconciler apply``."""
    before = Path.cwd()
    os.chdir(workdir)
    try:
        result = cli("apply", *map(str, paths), "--auto-approve")
    finally:
        os.chdir(before)
    assert result.exit_code == 0, result.output


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the reconciler CLI in process (the working directory is the caller's)."""
    return runner.invoke(app, list(args), env=env)


class WorkflowLoader(yaml.SafeLoader):
    """YAML as GitHub reads workflows: only true/false are booleans (``on:`` stays a key), dates
    stay strings."""


WorkflowLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
WorkflowLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(path: Path) -> Any:
    """A workflow or hooks file, read the way GitHub and pre-commit read it."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=WorkflowLoader)
