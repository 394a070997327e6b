"""Manifests with managed content, planned and applied in process against the emulator behind
:class:`FakeContent`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from reconciler.adcontent.reader import read_content
from reconciler.api import BearerAuth, LinkedInClient, Secret
from reconciler.apply import WaitPolicy, apply_plan, content_maker
from reconciler.apply.events import ApplyReport
from reconciler.live import read_accounts
from reconciler.manifest import load_project
from reconciler.model import Account, AssetFile, Campaign, CampaignGroup, Creative, ManagedContent
from reconciler.model.content import file_fields
from reconciler.plan import Plan
from reconciler.planner import PlanOptions, make_plan
from reconciler.workflow import with_assets
from tests.adcontent.fake_content import FakeContent
from tests.apply.helpers import FAST, Tree, write_manifests

MEDIA_OF = {".png": "image", ".jpg": "image", ".mp4": "video", ".pdf": "document", ".srt": "captions"}
NO_WAIT = WaitPolicy(timeout=5, first=0, most=0, sleep=lambda _s: None)


def client_on(fake: FakeContent, **options: Any) -> LinkedInClient:
    http = httpx.Client(
        base_url="https://api.linkedin.com/rest", transport=fake.transport(), auth=BearerAuth(Secret("t"))
    )
    options.setdefault("retry", FAST)
    return LinkedInClient(http, **options)


def project(
    root: Path,
    spec: Tree,
    contents: Mapping[str, Mapping[str, Any]],
    files: Mapping[str, bytes],
    campaigns: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Manifests of ``spec`` whose creatives named in ``contents`` have that content (and campaigns
    named in ``campaigns`` those fields); ``files`` written beside them."""
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    overrides: dict[str, Mapping[str, Any]] = {name: {"content": dict(c)} for name, c in contents.items()}
    overrides.update(campaigns or {})
    return write_manifests(root, spec, overrides=overrides)


def hashed(account: Account, root: Path) -> Account:
    """The account with each managed content's files read and hashed (what the loader does)."""

    def content(value: Any) -> Any:
        if not isinstance(value, ManagedContent):
            return value
        files: dict[str, AssetFile] = {}
        for path, media in file_fields(value.kind, value.spec):
            node: Any = value.spec
            for part in path:
                node = node[part]
            data = (root / node).read_bytes()
            files.setdefault(node, AssetFile(node, hashlib.sha256(data).hexdigest(), len(data), media))
        return ManagedContent(value.kind, value.spec, tuple(files.values()))

    def creative(c: Creative) -> Creative:
        return replace(c, content=content(c.content))

    def campaign(c: Campaign) -> Campaign:
        return replace(c, creatives=tuple(creative(r) for r in c.creatives))

    def group(g: CampaignGroup) -> CampaignGroup:
        return replace(g, campaigns=tuple(campaign(c) for c in g.campaigns))

    return replace(account, groups=tuple(group(g) for g in account.groups))


def plan(client: LinkedInClient, root: Path, **options: Any) -> Plan:
    """Plan the manifests at ``root`` as ``reconciler plan`` does (files hashed by :func:`hashed`)."""
    desired = load_project([root])
    accounts = [hashed(a, root) for a in desired.accounts]
    live = read_accounts(client, [a.id for a in accounts])
    live = read_content(client, accounts, live)
    opts = with_assets(PlanOptions(**options), [root])
    return make_plan(
        accounts, live, target="test", api_version=client.version, manifest_checksum="x", options=opts
    )


def apply(client: LinkedInClient, root: Path, the_plan: Plan) -> ApplyReport:
    return apply_plan(the_plan, client, content=content_maker(client, [root], wait=NO_WAIT))
