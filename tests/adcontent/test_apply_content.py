"""Ads as code, client side: uploads once per file, posts then creatives, no-op replans, replaces of
exactly what changed, and killed applies that leave no duplicate asset, post or creative."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from reconciler.adcontent.render import mark_of
from reconciler.api import LinkedInClient
from reconciler.api.restli import Method, Request, encode_key, patch_body
from reconciler.apply import Journal, apply_plan, content_maker, unfinished_runs
from reconciler.apply.saved import inconsistencies
from reconciler.drift.check import check_drift
from reconciler.drift.report import DriftState
from reconciler.emulator import open_emulator
from reconciler.emulator.rules.common import Settings
from reconciler.errors import UnsafePlan
from reconciler.model import account_urn
from reconciler.plan import Action, Plan, checksum_of
from reconciler.render.human import render as render_human
from reconciler.render.markdown import render as render_markdown
from tests.adcontent.harness import WAIT, apply, client_on, plan, project
from tests.adcontent.killer import Killed, Killer
from tests.apply.helpers import ACCOUNT, duplicates

EXAMPLES = Path(__file__).parents[2] / "examples" / "all-formats" / "assets"
PNG_A = (EXAMPLES / "launch.png").read_bytes()
PNG_B = (EXAMPLES / "card-1.png").read_bytes()
PNG_C = (EXAMPLES / "card-2.png").read_bytes()
PDF = (EXAMPLES / "field-guide.pdf").read_bytes()
SPEC = {
    "Group": {"Campaign A": ["Ad 1", "Ad 2", "Ad 3", "Ad 4"], "Campaign B": ["Deck", "Link"]},
    "Cards": {"Carousel campaign": ["Carousel"]},
}


def image(file: str, headline: str = "See the demo") -> dict[str, Any]:
    return {
        "image": {
            "file": file,
            "introText": "Ship releases 2x faster.",
            "headline": headline,
            "landingPage": "https://www.example.com/demo",
            "callToAction": "LEARN_MORE",
        }
    }


def contents(card_headline: str = "Plan") -> dict[str, Any]:
    return {
        "Ad 1": image("assets/a.png"),
        "Ad 2": image("assets/a.png", "Another headline"),
        "Ad 3": image("assets/copy-of-a.png"),  # the same bytes under another name: one upload
        "Ad 4": image("assets/b.png"),
        "Deck": {"document": {"file": "assets/deck.pdf", "title": "The deck", "introText": "Read it"}},
        "Link": {
            "article": {
                "url": "https://www.example.com/post",
                "title": "Our post",
                "thumbnail": "assets/b.png",
            }
        },
        "Carousel": {
            "carousel": {
                "introText": "Three ways",
                "cards": [
                    {
                        "file": "assets/a.png",
                        "headline": card_headline,
                        "landingPage": "https://www.example.com/1",
                    },
                    {"file": "assets/c.png", "headline": "Build", "landingPage": "https://www.example.com/2"},
                ],
            }
        },
    }


CAMPAIGNS = {"Carousel campaign": {"format": "CAROUSEL"}}
FILES = {
    "assets/a.png": PNG_A,
    "assets/copy-of-a.png": PNG_A,
    "assets/b.png": PNG_B,
    "assets/c.png": PNG_C,
    "assets/deck.pdf": PDF,
}


@pytest.fixture
def fake() -> Killer:
    return Killer(open_emulator(None).transport())


def library(client: LinkedInClient) -> Counter[str]:
    """How many available assets of the account's media library carry each file's mark."""
    found: Counter[str] = Counter()
    for media in ("image", "document"):
        for entry in client.content.media_library(media, account_urn(ACCOUNT)):
            if entry.get("status") == "AVAILABLE":
                found[mark_of(entry["mediaLibraryMetadata"]["assetName"])] += 1
    return found


def posts(client: LinkedInClient) -> list[dict[str, Any]]:
    return client.content.dsc_posts(account_urn(ACCOUNT))


def made(root: Path) -> Path:
    return project(root, SPEC, contents(), FILES, CAMPAIGNS)


def writes(the_plan: Plan) -> Counter[str]:
    return Counter(c.action.value for c in the_plan.changes if c.body or c.action is not Action.UPDATE)


def test_apply_uploads_each_file_once_and_the_next_plan_is_empty(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        first = plan(client, root)
        report = apply(client, root, first)
        assert report.ok, report
        # four distinct files, each uploaded once, however many creatives use them
        assert fake.puts == 4
        assert sorted(library(client).values()) == [1, 1, 1, 1]
        made_posts = posts(client)
        assert len(made_posts) == 7
        assert all(p["distribution"]["feedDistribution"] == "NONE" for p in made_posts)
        assert {p["author"] for p in made_posts} == {"urn:li:organization:2414183"}
        posts_read = client.stats.count("BATCH_GET", "posts")
        again = plan(client, root)
        assert again.empty, [(c.address, c.fields) for c in again.changes]
        # the 7 posts read in one batch get, begun with the account's read (the lock records uploads)
        assert client.stats.count("BATCH_GET", "posts") == posts_read + 1
    lock = yaml.safe_load((root / "reconciler.lock.yaml").read_text())
    assert len(lock["assets"]) == 4
    assert all(list(pin["urns"]) == ["urn:li:organization:2414183"] for pin in lock["assets"].values())


def test_the_plan_shows_the_uploads_and_the_content(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        first = plan(client, root)
    ad = next(c for c in first.changes if c.name == "Ad 1")
    managed = ad.body["content"]["managed"]
    assert managed["kind"] == "image" and managed["owner"] == "urn:li:organization:2414183"
    sha = managed["files"][0]["sha256"]
    assert managed["files"] == [{"path": "assets/a.png", "sha256": sha, "size": len(PNG_A), "media": "image"}]
    assert managed["uploads"] == [
        {"path": "assets/a.png", "size": len(PNG_A), "media": "image", "key": sha, "with": [], "urn": None}
    ]
    shown = {f.field: f.new for f in ad.fields}
    assert shown["content"] == {"image": contents()["Ad 1"]["image"]}


def test_an_unchanged_file_is_not_uploaded_again_on_another_machine(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path / "one")
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        before = fake.puts
        # another checkout with the committed lock file, and one more creative using a.png
        other = project(
            tmp_path / "two",
            {**SPEC, "More": {"More campaign": ["Ad 5"]}},
            {**contents(), "Ad 5": image("assets/a.png")},
            FILES,
            CAMPAIGNS,
        )
        (other / "reconciler.lock.yaml").write_text((root / "reconciler.lock.yaml").read_text())
        second = plan(client, other)
        assert [
            c.name for c in second.changes if c.action is Action.CREATE and c.kind.value == "creative"
        ] == ["Ad 5"]
        assert apply(client, other, second).ok
        assert fake.puts == before
        assert plan(client, other).empty


def test_a_changed_image_replaces_exactly_the_creatives_that_use_it(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        (root / "assets/b.png").write_bytes((EXAMPLES / "card-3.png").read_bytes())
        changed = plan(client, root, allow_replace=True)
        replaced = sorted(c.name for c in changed.changes if c.action is Action.REPLACE)
        assert replaced == ["Ad 4", "Link"]
        ad4 = next(c for c in changed.changes if c.name == "Ad 4")
        assert "content changed (file)" in ad4.reason
        change = next(f for f in ad4.fields if f.field == "content.file")
        assert change.new.startswith("assets/b.png (new file")
        report = apply(client, root, changed)
        assert report.ok, report
        assert fake.puts == 5  # only the changed file
        assert plan(client, root).empty
        assert duplicates(client, ACCOUNT) == []


def test_a_changed_card_headline_replaces_that_carousel_only(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        project(root, SPEC, contents(card_headline="Plan it"), FILES, CAMPAIGNS)
        changed = plan(client, root, allow_replace=True)
        assert [c.name for c in changed.changes if c.action is not Action.UPDATE or c.body] == ["Carousel"]
        carousel = changed.changes[0]
        cards = next(f for f in carousel.fields if f.field == "content.cards")
        assert cards.old[0]["headline"] == "Plan" and cards.new[0]["headline"] == "Plan it"
        uploads = fake.puts
        assert apply(client, root, changed).ok
        assert fake.puts == uploads  # its files were uploaded already
        assert plan(client, root).empty


def test_a_file_changed_to_one_uploaded_before_is_named_in_the_plan_not_just_its_urn(
    tmp_path: Path, fake: Killer
) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        (root / "assets/b.png").write_bytes(PNG_C)  # the bytes of c.png, uploaded already
        changed = plan(client, root, allow_replace=True).to_dict()
    shown = f"(assets/b.png, {len(PNG_C):,} bytes, sha256 {hashlib.sha256(PNG_C).hexdigest()[:12]})"
    for text in (render_human(changed), render_markdown(changed, max_chars=None)):
        [line] = [x for x in text.splitlines() if "+" in x and "content.file: urn:li:image:" in x]
        assert line.endswith(shown)
        assert "Uploads:" not in text


def test_a_content_change_needs_allow_replace(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        project(root, SPEC, {**contents(), "Ad 1": image("assets/a.png", "New words")}, FILES, CAMPAIGNS)
        changed = plan(client, root)
    assert any(v.guard == "replace" and "Ad 1" in v.message for v in changed.violations)


@pytest.mark.parametrize("kill_at", range(1, 16))
def test_a_killed_apply_leaves_no_duplicate_asset_post_or_creative(
    tmp_path: Path, fake: Killer, kill_at: int
) -> None:
    """Killed right after its Nth content write (an upload started or PUT, a post made), then run again."""
    root = made(tmp_path)
    fake.die_after = kill_at
    with client_on(fake) as client, pytest.raises(Killed):
        apply(client, root, plan(client, root))
    with client_on(fake) as client:
        report = apply(client, root, plan(client, root))
        assert report.ok, report
        assert plan(client, root).empty
        assert duplicates(client, ACCOUNT) == []
        live = [c for c in client.creatives(ACCOUNT).search() if c.content is not None]
        # every post the creatives reference is distinct, and no two posts carry one mark
        references = [c.content.to_api()["reference"] for c in live]
        assert len(references) == len(set(references)) == 7
        marks = Counter(mark_of(p["adContext"]["dscName"]) for p in posts(client))
        assert sorted(marks.values()) == [1] * 7
        # each file is one available asset (an upload started but given no bytes is not one)
        assert sorted(library(client).values()) == [1, 1, 1, 1]


LONG = "Ship releases twice as fast with one pipeline for every team, every service and every region. " * 3


def test_plans_show_content_changes_whole_and_the_uploads(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        first = plan(client, root)
        human = render_human(first.to_dict())
        assert "Uploads: 4 files," in human
        assert "  assets/deck.pdf (document," in human
        assert "content.image.headline: Another headline" in human
        markdown = render_markdown(first.to_dict())
        assert "#### Uploads: 4 files," in markdown
        assert apply(client, root, first).ok
        changed = {**contents(), "Ad 1": {"image": {**contents()["Ad 1"]["image"], "introText": LONG}}}
        project(root, SPEC, changed, FILES, CAMPAIGNS)
        (root / "assets/b.png").write_bytes((EXAMPLES / "card-3.png").read_bytes())
        second = plan(client, root, allow_replace=True)
    human = render_human(second.to_dict())
    assert f"+ content.introText: {LONG}" in human  # never cut
    assert "- content.introText: Ship releases 2x faster." in human
    assert "+ content.file: assets/b.png (new file, " in human
    assert "Uploads: 1 file," in human
    assert f"+     content.introText: {LONG}" in render_markdown(second.to_dict(), max_chars=None)


def test_drift_reports_a_post_edited_outside_the_manifests(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        assert check_drift([root], client, target="test").report.items == ()
        ad = next(c for c in client.creatives(ACCOUNT).search() if c.name == "Ad 4")
        post = ad.content.to_api()["reference"]
        path = f"/posts/{encode_key(post)}"
        client.wire.call(
            Request(Method.PARTIAL_UPDATE, "posts", path, body=patch_body({"commentary": "Edited by hand"}))
        )
        report = check_drift([root], client, target="test").report
    [item] = report.items
    assert item.state is DriftState.CHANGED and item.path[-1] == "Ad 4"
    [field] = item.fields
    assert (field.field, field.manifest, field.live) == (
        "content.introText",
        "Ship releases 2x faster.",
        "Edited by hand",
    )
    assert "reverting replaces it" in item.note
    assert "--allow-replace" in item.note  # Ad 4 is ACTIVE: reverting loses its reporting history


def test_a_replace_whose_content_cannot_be_made_leaves_the_old_creative_serving(
    tmp_path: Path, fake: Killer
) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        (root / "assets/b.png").write_bytes((EXAMPLES / "card-3.png").read_bytes())
        changed = plan(client, root, allow_replace=True)
        (root / "assets/b.png").write_bytes(PNG_B + b"edited after the plan")
        report = apply(client, root, changed)
        failed = sorted(r.address.rsplit(" / ", 1)[-1] for r in report.results if r.error is not None)
        assert failed == ["Ad 4", "Link"]
        assert all("nothing was changed for it" in r.note for r in report.results if r.error is not None)
        live = {c.name: str(c.intended_status) for c in client.creatives(ACCOUNT).search()}
    assert live["Ad 4"] == live["Link"] == "ACTIVE"  # not retired: still serving under their names


def test_the_journal_says_which_posts_a_killed_apply_had_sent(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path / "project")
    journals = tmp_path / "journal"
    fake.die_after = 8 + 3  # the 4 uploads (started, PUT), then 3 posts
    with client_on(fake) as client:
        first = plan(client, root)
        journal = Journal.start(journals, first, target="test")
        with pytest.raises(Killed):
            apply_plan(first, client, journal=journal, content=content_maker(client, [root], wait=WAIT))
        journal.close()  # what the killed process's exit does
    [run] = unfinished_runs(journals, "test")
    states = {p.address.rsplit(" / ", 1)[-1]: p.state for p in run.pending if p.state != "not started"}
    # every post was announced (durably) before the first was sent; their answers come after the batch
    assert states == dict.fromkeys(
        ["Ad 1", "Ad 2", "Ad 3", "Ad 4", "Deck", "Link", "Carousel"], "post sent; outcome not recorded"
    )


def test_a_saved_plan_of_managed_content_shows_what_it_writes(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        creates = plan(client, root)
        assert apply(client, root, creates).ok
        (root / "assets/b.png").write_bytes((EXAMPLES / "card-3.png").read_bytes())
        replaces = plan(client, root, allow_replace=True)
    for saved in (creates, replaces):
        again = Plan.from_dict(json.loads(saved.to_json()))
        assert inconsistencies(again) == []
    # an edited spec in the body (not what the fields show) is refused
    data = json.loads(creates.to_json())
    ad = next(c for c in data["changes"] if c["path"][-1] == "Ad 1")
    ad["body"]["content"]["managed"]["spec"]["headline"] = "Something else"
    edited = Plan.from_dict(
        {**data, "checksum": checksum_of({k: v for k, v in data.items() if k != "checksum"})}
    )
    assert [line for line in inconsistencies(edited) if "Ad 1" in line]


def test_without_the_lock_file_the_uploads_are_found_at_linkedin_not_replaced(
    tmp_path: Path, fake: Killer
) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        (root / "reconciler.lock.yaml").unlink()  # lost, or never committed
        before = client.stats.count("BATCH_GET", "images")
        assert plan(client, root).empty  # no replace of the 7 ads
        assert client.stats.count("BATCH_GET", "images") == before + 1  # the images the posts show
        # a new ad using a file already uploaded uploads nothing either
        project(
            root,
            {**SPEC, "More": {"More campaign": ["Ad 5"]}},
            {**contents(), "Ad 5": image("assets/c.png")},
            FILES,
            CAMPAIGNS,
        )
        assert apply(client, root, plan(client, root)).ok
        assert plan(client, root).empty
    assert fake.puts == 4


def test_replacing_a_draft_creatives_content_loses_nothing_so_needs_no_allow_replace(
    tmp_path: Path, fake: Killer
) -> None:
    root = project(tmp_path, SPEC, contents(), FILES, CAMPAIGNS, status="DRAFT")
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        project(
            root,
            SPEC,
            {**contents(), "Ad 1": image("assets/a.png", "New words")},
            FILES,
            CAMPAIGNS,
            status="DRAFT",
        )
        changed = plan(client, root)
        [ad] = [c for c in changed.changes if c.action is Action.REPLACE]
        assert ad.name == "Ad 1" and ad.reason.endswith("no reporting history is lost")
        assert not [v for v in changed.violations if v.guard == "replace"]
        changed.check_guardrails()  # no --allow-replace needed
        human = render_human(changed.to_dict())
        markdown = render_markdown(changed.to_dict(), max_chars=None)
        for text in (human, markdown):  # the plan does not contradict its reason
            assert "archives id" in text and "loses reporting history" not in text
        assert apply(client, root, changed).ok
        assert plan(client, root).empty
    with pytest.raises(UnsafePlan):  # an ACTIVE one's history would be lost
        replace(
            changed, changes=tuple(replace(c, reason="content changed") for c in changed.changes)
        ).check_guardrails()


def test_a_file_linkedin_could_not_process_is_uploaded_again_by_the_next_run(tmp_path: Path) -> None:
    """The lock file records an upload the moment it is done, before LinkedIn processes it: an asset
    that then ends PROCESSING_FAILED must not be reused by later runs (it never becomes available)."""
    root = made(tmp_path / "project")
    db = tmp_path / "emulator.sqlite"
    failing = open_emulator(db, settings=Settings(media_fail_rate=1.0))
    with client_on(Killer(failing.transport())) as client:
        report = apply(client, root, plan(client, root))
        assert not report.ok
        assert any("could not process" in str(r.error) for r in report.results if r.error is not None)
    failing.close()
    healthy = open_emulator(db)
    with client_on(Killer(healthy.transport())) as client:
        assert apply(client, root, plan(client, root)).ok
        assert not plan(client, root).changes
        assert set(library(client).values()) == {1}  # one available asset per distinct file
    healthy.close()


def test_a_managed_creatives_other_fields_are_compared_when_its_content_is_unchanged(
    tmp_path: Path, fake: Killer
) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        form = {"destination": "urn:li:adForm:1", "label": "UNLOCK_FULL_DOCUMENT"}
        edits = {
            "Ad 1": {"content": contents()["Ad 1"], "intendedStatus": "PAUSED"},
            "Deck": {"content": contents()["Deck"], "leadgenCallToAction": form},
        }
        project(root, SPEC, contents(), FILES, {**CAMPAIGNS, **edits})
        changed = plan(client, root)
    shown = {(c.name, c.action.value): [(f.field, f.old, f.new) for f in c.fields] for c in changed.changes}
    assert shown == {
        ("Ad 1", "update"): [("intendedStatus", "ACTIVE", "PAUSED")],
        ("Deck", "update"): [("leadgenCallToAction", None, form)],
    }


def test_renaming_a_creative_pinned_by_id_renames_it_and_keeps_its_post(tmp_path: Path, fake: Killer) -> None:
    root = made(tmp_path)
    with client_on(fake) as client:
        assert apply(client, root, plan(client, root)).ok
        live = next(c for c in client.search_creatives(ACCOUNT) if c.name == "Ad 1")
        manifest = next(p for p in root.rglob("*.yaml") if "    - name: Ad 1\n" in p.read_text("utf-8"))
        text = manifest.read_text("utf-8")
        pinned = f"    - name: Ad 1 renamed\n      id: {live.id}\n"
        manifest.write_text(text.replace("    - name: Ad 1\n", pinned), encoding="utf-8")
        renamed = plan(client, root)
    shown = [(c.name, c.action.value, [(f.field, f.old, f.new) for f in c.fields]) for c in renamed.changes]
    assert shown == [("Ad 1 renamed", "update", [("name", "Ad 1", "Ad 1 renamed")])]
