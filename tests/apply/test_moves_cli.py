"""Moves through the CLI (issue 12 item 4): a pinned campaign moved between groups plans as a
replace; apply without --allow-replace exits 1 with nothing written; with it, the move is applied
once, and the next plan (following the pin by name) is empty, with no two live siblings of a name."""

from __future__ import annotations

import io
from pathlib import Path

import httpx

from reconciler.api import BearerAuth, LinkedInClient, Secret
from tests.apply.helpers import ACCOUNT, duplicates, tree, write_manifests
from tests.apply.test_apply_cli import _in_a_fresh_directory, cli, logged_server, writes_in

__all__ = ["_in_a_fresh_directory", "logged_server"]


def _client(base: str) -> LinkedInClient:
    return LinkedInClient(httpx.Client(base_url=base, auth=BearerAuth(Secret("t"))))


def test_a_pinned_campaign_moved_between_groups_is_a_replace_refused_without_allow_replace(
    tmp_path: Path, logged_server: tuple[str, io.StringIO]
) -> None:
    base, log = logged_server
    spec = tree(2, 2, 1)
    write_manifests(tmp_path / "v1", spec)
    assert cli("apply", "v1", "--auto-approve", target=base).exit_code == 0
    with _client(base) as client:
        cid = next(c.id for c in client.campaigns(ACCOUNT).search() if c.name == "Campaign 00-001")
    spec["Group 01"]["Campaign 00-001"] = spec["Group 00"].pop("Campaign 00-001")
    write_manifests(tmp_path / "v2", spec, overrides={"Campaign 00-001": {"id": cid}})
    shown = cli("plan", "v2", target=base)
    assert shown.exit_code == 0, shown.output
    assert f"± replace campaign 500000001 / Group 01 / Campaign 00-001 (id {cid})" in shown.stdout
    assert "Plan: 1 to create, 0 to update, 0 to archive, 0 to delete, 1 to replace" in shown.stdout
    log.truncate(0)
    log.seek(0)
    refused = cli("apply", "v2", "--auto-approve", target=base)
    assert refused.exit_code == 1
    assert "plan needs --allow-replace" in refused.stderr
    assert writes_in(log) == 0
    applied = cli("apply", "v2", "--auto-approve", "--allow-replace", target=base)
    assert applied.exit_code == 0, applied.output
    assert "✓ replaced campaign 500000001 / Group 01 / Campaign 00-001" in applied.stdout
    again = cli("plan", "v2", "--detailed-exitcode", target=base)
    assert again.exit_code == 0, again.output  # the pin to the retired campaign is followed by name
    assert f"pinned id {cid} is the entity a replace retired" in again.stdout
    with _client(base) as client:
        assert duplicates(client) == []
        old = next(c for c in client.campaigns(ACCOUNT).search() if c.id == cid)
        assert str(old.status) == "ARCHIVED" and "(replaced " in old.name


def test_an_unpinned_move_is_reported_as_looking_like_a_move(tmp_path: Path) -> None:
    spec = tree(2, 1, 0)
    write_manifests(tmp_path / "v1", spec)
    assert cli("apply", "v1", "--auto-approve").exit_code == 0
    spec["Group 01"]["Campaign 00-000"] = spec["Group 00"].pop("Campaign 00-000")
    write_manifests(tmp_path / "v2", spec)
    refused = cli("apply", "v2", "--auto-approve")
    assert refused.exit_code == 1 and "plan needs --allow-replace" in refused.stderr
    assert "looks like a move from 500000001 / Group 00 / Campaign 00-000 (id " in refused.stdout
    assert ") to 500000001 / Group 01 / Campaign 00-000" in refused.stdout
    assert cli("apply", "v2", "--auto-approve", "--allow-replace").exit_code == 0
    assert cli("plan", "v2", "--detailed-exitcode").exit_code == 0
