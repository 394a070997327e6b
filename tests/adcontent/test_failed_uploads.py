"""Uploads LinkedIn failed to process: apply never records one in the lock file, and a plan over a
lock file that records one (written before, or by hand) says the file is uploaded again, and why,
as apply then does; a no-op plan asks LinkedIn nothing about the lock's uploads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from reconciler.adcontent.ledger import AssetLedger
from reconciler.adcontent.render import mark_of
from reconciler.api import LinkedInClient
from reconciler.emulator import open_emulator
from reconciler.emulator.rules.common import Settings
from reconciler.model import account_urn
from reconciler.plan import Action
from reconciler.render.human import render as render_human
from reconciler.render.jsonout import render as render_json
from reconciler.render.markdown import render as render_markdown
from tests.adcontent.harness import apply, client_on, plan, project
from tests.adcontent.killer import Killer
from tests.adcontent.test_apply_content import CAMPAIGNS, FILES, SPEC, contents, image, made
from tests.apply.helpers import ACCOUNT

ORG = "urn:li:organization:2414183"
LOCK = "reconciler.lock.yaml"


def failed_assets(client: LinkedInClient) -> dict[str, tuple[str, str]]:
    """Mark (12 hex of the lock key) -> (media, URN) of the account's assets that failed processing."""
    found = {}
    for media in ("image", "document"):
        for entry in client.content.media_library(media, account_urn(ACCOUNT)):
            if entry.get("status") == "PROCESSING_FAILED":
                found[mark_of(entry["mediaLibraryMetadata"]["assetName"])] = (media, str(entry["id"]))
    return found


def media_reads(client: LinkedInClient) -> int:
    return sum(client.stats.count("BATCH_GET", m) for m in ("images", "videos", "documents"))


def test_a_failed_upload_is_never_recorded_and_a_lock_that_records_one_plans_it_again(tmp_path: Path) -> None:
    root = made(tmp_path / "project")
    db = tmp_path / "emulator.sqlite"
    failing = open_emulator(db, settings=Settings(media_fail_rate=1.0))
    with client_on(Killer(failing.transport())) as client:
        assert not apply(client, root, plan(client, root)).ok
        # LinkedIn failed every file: the lock file records none of them
        lock = yaml.safe_load((root / LOCK).read_text()) if (root / LOCK).exists() else {}
        assert not (lock or {}).get("assets")
        failed = failed_assets(client)
    failing.close()
    # A lock file written before apply waited for processing records the failed assets.
    sizes = {hashlib.sha256(data).hexdigest(): (name, len(data)) for name, data in FILES.items()}
    ledger = AssetLedger(root / LOCK)
    for sha, (name, size) in sizes.items():
        if sha[:12] in failed:
            ledger.record(sha, size, name, ORG, failed[sha[:12]][1])
    assert len(yaml.safe_load((root / LOCK).read_text())["assets"]) == 4

    healthy = open_emulator(db)
    killer = Killer(healthy.transport())
    with client_on(killer) as client:
        before = media_reads(client)
        again = plan(client, root)
        # one batch get per kind of media for the lock's uploads the new creatives would use
        assert media_reads(client) - before == 2
        data = again.to_dict()
        human, markdown = render_human(data), render_markdown(data, max_chars=None)
        assert "Uploads: 4 files," in human
        for name, data_bytes in FILES.items():
            if name == "assets/copy-of-a.png":
                continue  # the same bytes as a.png: one upload
            media = "document" if name.endswith(".pdf") else "image"
            line = f"  {name} ({media}, {len(data_bytes):,} bytes) — upload again: LinkedIn failed to process"
            assert line in human, human
            assert f"`{line.strip()}" in markdown
        ad = next(c for c in again.changes if c.name == "Ad 1")
        [upload] = ad.body["content"]["managed"]["uploads"]
        assert upload["urn"] is None
        assert upload["again"].startswith("LinkedIn failed to process the earlier upload (urn:li:image:")
        assert upload["again"].endswith(": PROCESSING_FAILED)")
        assert '"again": "LinkedIn failed to process the earlier upload' in render_json(data)

        report = apply(client, root, again)
        assert report.ok, report
        assert killer.puts == 4  # each file uploaded again, once
        pins = yaml.safe_load((root / LOCK).read_text())["assets"]
        assert {pin["urns"][ORG] for pin in pins.values()}.isdisjoint(u for _, u in failed.values())
        reads = media_reads(client)
        follow = plan(client, root)
        assert follow.empty, [(c.address, c.fields) for c in follow.changes]
        assert media_reads(client) == reads  # a no-op plan asks nothing about the lock's uploads
    healthy.close()


def test_a_file_live_posts_show_is_taken_from_the_lock_without_asking(tmp_path: Path) -> None:
    root = made(tmp_path)
    emulator = open_emulator(None)
    with client_on(Killer(emulator.transport())) as client:
        assert apply(client, root, plan(client, root)).ok
        # another campaign's new creative uses a file the lock records and live posts show
        project(
            root,
            {**SPEC, "More": {"More campaign": ["Ad 5"]}},
            {**contents(), "Ad 5": image("assets/a.png")},
            FILES,
            CAMPAIGNS,
        )
        before = media_reads(client)
        more = plan(client, root)
        assert media_reads(client) == before  # a post made on it proves it usable
        [ad5] = [c for c in more.changes if c.action is Action.CREATE and c.kind.value == "creative"]
        [upload] = ad5.body["content"]["managed"]["uploads"]
        assert upload["urn"] and "again" not in upload
        assert "Uploads:" not in render_human(more.to_dict())
    emulator.close()


def test_a_forgotten_upload_leaves_the_lock_file_and_other_owners_stay(tmp_path: Path) -> None:
    ledger = AssetLedger(tmp_path / LOCK)
    ledger.record("a" * 64, 10, "a.png", ORG, "urn:li:image:1")
    ledger.record("a" * 64, 10, "a.png", "urn:li:organization:2", "urn:li:image:2")
    ledger.record("b" * 64, 20, "b.png", ORG, "urn:li:image:3")
    AssetLedger(tmp_path / LOCK).forget("a" * 64, ORG)  # another run, reading the file
    AssetLedger(tmp_path / LOCK).forget("b" * 64, ORG)
    pins = yaml.safe_load((tmp_path / LOCK).read_text())["assets"]
    assert {sha[:1]: pin["urns"] for sha, pin in pins.items()} == {
        "a": {"urn:li:organization:2": "urn:li:image:2"}
    }
