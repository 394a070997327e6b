"""Manifests with managed content, planned and applied in process against the emulator (behind a
:class:`Killer`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.apply import WaitPolicy, apply_plan, content_maker
from reconciler.apply.events import ApplyReport
from reconciler.plan import Plan
from reconciler.planner import PlanOptions
from reconciler.workflow import build_plan
from tests.adcontent.killer import Killer
from tests.apply.helpers import FAST, Tree, write_manifests

WAIT = WaitPolicy(timeout=30, first=0.005, most=0.05)


def client_on(killer: Killer, **options: Any) -> LinkedInClient:
    """A client on the emulator behind ``killer``, with an instant retry policy."""
    http = httpx.Client(
        base_url="https://api.linkedin.com/rest", transport=killer, auth=BearerAuth(Secret("t"))
    )
    options.setdefault("retry", FAST)
    return LinkedInClient(http, **options)


def project(
    root: Path,
    spec: Tree,
    contents: Mapping[str, Mapping[str, Any]],
    files: Mapping[str, bytes],
    campaigns: Mapping[str, Mapping[str, Any]] | None = None,
    status: str = "ACTIVE",
) -> Path:
    """Manifests of ``spec`` whose creatives named in ``contents`` have that content (and campaigns
    named in ``campaigns`` those fields); ``files`` written beside them."""
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    overrides: dict[str, Mapping[str, Any]] = {name: {"content": dict(c)} for name, c in contents.items()}
    overrides.update(campaigns or {})
    return write_manifests(root, spec, overrides=overrides, status=status)


def plan(client: LinkedInClient, root: Path, **options: Any) -> Plan:
    """Plan the manifests at ``root`` as ``reconciler plan`` does."""
    return build_plan([root], client, target="test", options=PlanOptions(**options)).plan


def apply(client: LinkedInClient, root: Path, the_plan: Plan) -> ApplyReport:
    return apply_plan(the_plan, client, content=content_maker(client, [root], wait=WAIT))
