"""Issue 16's "Done when", end to end through the CLI from a copy of ``examples/all-formats``:

- ``reconciler validate`` passes; ``apply --auto-approve`` on a fresh emulator creates every kind;
  the next ``plan --detailed-exitcode`` exits 0; the request log shows one upload per distinct file;
- changing one image file replaces exactly the creatives that use it; changing one card's headline
  replaces that carousel creative only;
- the offline checks refuse, each at file:line:col and all in one run, a 6 MB image, a 200 x 200
  image, a too-short MP4, a 1-card carousel, an image ad in a CAROUSEL campaign, a message ad in a
  SPONSORED_UPDATES campaign, a missing file and a file outside the manifests' directory.

(The chaos item is tests/adcontent/test_apply_content.py's killed applies; the benchmark figures are
the README's.)
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.emulator import open_emulator
from tests.apply.helpers import served
from tests.manifest.mediafiles import image_bytes, mp4_bytes, write

EXAMPLE = Path(__file__).parents[2] / "examples" / "all-formats"
CLEAN = {"LINKEDIN_ACCESS_TOKEN": None, "LINKEDIN_CLIENT_ID": None, "LINKEDIN_REFRESH_TOKEN": None}
KINDS = (
    11  # image, video, carousel, document, article, event, message, conversation, follower, spotlight, jobs
)


def replaced(runner: CliRunner, project: Path, env: dict[str, Any]) -> list[str]:
    """The names of the creatives ``plan --format json`` replaces (and that nothing else changes)."""
    result = runner.invoke(app, ["plan", str(project), "--format", "json", "--detailed-exitcode"], env=env)
    assert result.exit_code == 2, result.output
    changes = json.loads(result.stdout)["changes"]
    assert {c["action"] for c in changes} == {"replace"}, [(c["action"], c["path"]) for c in changes]
    return sorted(c["path"][-1] for c in changes)


def test_every_kind_is_applied_once_and_each_change_replaces_only_what_it_touches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "all-formats"
    shutil.copytree(EXAMPLE, project)
    (project / "reconciler.lock.yaml").unlink(missing_ok=True)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    validated = runner.invoke(app, ["validate", str(project)])
    assert validated.exit_code == 0, validated.output
    assert f"{KINDS} creatives: valid" in validated.output
    log = io.StringIO()
    emulator = open_emulator(None, request_log=log)
    with served(emulator) as url:
        env = {**CLEAN, "RECONCILER_TARGET": url}
        planned = runner.invoke(app, ["plan", str(project)], env=env)
        every = sum(p.stat().st_size for p in (project / "assets").iterdir())
        assert f"Uploads: 10 files, {every:,} bytes" in planned.stdout  # thumbnail and captions counted
        assert "assets/demo.mp4 (video, 81,920 bytes, with assets/demo-thumbnail.jpg (" in planned.stdout
        applied = runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env)
        assert applied.exit_code == 0, applied.output
        assert applied.stdout.count("✓ created creative") == KINDS  # one of every kind
        again = runner.invoke(app, ["plan", str(project), "--detailed-exitcode"], env=env)
        assert again.exit_code == 0, again.output
        uploads_before = len(_uploads(log))

        # One image file, the logo of the follower, spotlight and jobs ads: exactly those three.
        (project / "assets" / "logo.png").write_bytes(image_bytes(100, 100, color="#bb2a6e"))
        assert replaced(runner, project, env) == [
            "Demo — spotlight",
            "Follow us — follower",
            "Open roles — jobs",
        ]
        assert runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env).exit_code == 0
        assert len(_uploads(log)) == uploads_before + 1  # the new logo, once for the three

        # One card's headline: that carousel only.
        manifest = project / "ads.yaml"
        manifest.write_text(manifest.read_text().replace("headline: Build,", "headline: Build it,"))
        assert replaced(runner, project, env) == ["Launch — carousel"]
        assert runner.invoke(app, ["apply", str(project), "--auto-approve"], env=env).exit_code == 0
        final = runner.invoke(app, ["plan", str(project), "--detailed-exitcode"], env=env)
        assert final.exit_code == 0, final.output
    emulator.close()
    uploads = _uploads(log)
    assert len(uploads) == len(set(uploads))  # no file uploaded twice
    files = {p.name for p in (project / "assets").iterdir()}
    assert (
        len(uploads) == len(files) + 1
    )  # every file once (thumbnail and captions with their video), two logos
    lock = yaml.safe_load((project / "reconciler.lock.yaml").read_text())
    assert {pin["file"] for pin in lock["assets"].values()} == {
        f"assets/{name}" for name in files if name not in ("demo-thumbnail.jpg", "demo.srt")
    }


def _uploads(log: io.StringIO) -> list[str]:
    """The sha256 of every upload the emulator's request log shows."""
    entries = [json.loads(line) for line in log.getvalue().splitlines()]
    return [e["upload"]["sha256"] for e in entries if "upload" in e]


BAD = """version: 1
account: {id: 1, currency: USD}
campaignGroups:
  - name: G
    status: DRAFT
    campaigns:
      - name: Feed
        status: DRAFT
        type: SPONSORED_UPDATES
        format: STANDARD_UPDATE
        costType: CPM
        locale: en_US
        runSchedule: {start: 2027-01-04}
        associatedEntity: urn:li:organization:1
        creatives:
          - {name: big, intendedStatus: DRAFT, content: {image: {file: big.png}}}
          - {name: small, intendedStatus: DRAFT, content: {image: {file: small.png}}}
          - {name: missing, intendedStatus: DRAFT, content: {image: {file: nowhere.png}}}
          - {name: outside, intendedStatus: DRAFT, content: {image: {file: ../../etc/passwd}}}
          - name: message
            intendedStatus: DRAFT
            content:
              message:
                sender: urn:li:person:abc
                subject: Hello
                body: Hi there
                callToAction: {label: Go, landingPage: https://example.com}
      - name: Cards
        status: DRAFT
        type: SPONSORED_UPDATES
        format: CAROUSEL
        costType: CPM
        locale: en_US
        runSchedule: {start: 2027-01-04}
        associatedEntity: urn:li:organization:1
        creatives:
          - name: one card
            intendedStatus: DRAFT
            content:
              carousel:
                cards:
                  - {file: card.png, landingPage: https://example.com}
          - {name: image, intendedStatus: DRAFT, content: {image: {file: launch.png}}}
      - name: Video
        status: DRAFT
        type: SPONSORED_UPDATES
        format: SINGLE_VIDEO
        costType: CPM
        locale: en_US
        runSchedule: {start: 2027-01-04}
        associatedEntity: urn:li:organization:1
        creatives:
          - {name: short, intendedStatus: DRAFT, content: {video: {file: clip.mp4}}}
"""


def test_validate_refuses_each_bad_content_at_its_place_all_in_one_run(tmp_path: Path) -> None:
    ads = tmp_path / "project" / "ads"
    write(ads / "main.yaml", BAD.encode())
    write(ads / "big.png", image_bytes(1200, 628, pad_to=6 * 1024 * 1024))
    write(ads / "small.png", image_bytes(200, 200))
    write(ads / "card.png", image_bytes(1080, 1080))
    write(ads / "launch.png", image_bytes(1200, 628))
    write(ads / "clip.mp4", mp4_bytes(384, 384, 1, pad_to=80 * 1024))
    result = CliRunner().invoke(app, ["validate", str(ads)])
    assert result.exit_code == 1, result.output
    text = " ".join(result.output.split())  # the CLI wraps long lines
    main = str(ads / "main.yaml")
    feed = "campaignGroups[0].campaigns[0].creatives"
    cards = "campaignGroups[0].campaigns[1].creatives"
    expected = [
        f"{main}:16:72: {feed}[0].content.image.file: a single image ad's image may be at most 5 MB;"
        " this file is 6 MB",
        f"{main}:17:74: {feed}[1].content.image.file: a single image ad's image must be at least"
        " 360 x 360 px; this one is 200 x 200 px",
        f"{main}:18:76: {feed}[2].content.image.file: file not found: 'nowhere.png'",
        f"{main}:19:76: {feed}[3].content.image.file: '../../etc/passwd' is outside the project",
        f"{main}:23:15: {feed}[4].content.message: a message ad (Sponsored InMail) cannot run in a"
        " SPONSORED_UPDATES campaign",
        f"{main}:42:19: {cards}[0].content.carousel.cards: lists 1 item; at least 2 are needed",
        f"{main}:43:60: {cards}[1].content.image: a single image ad cannot run in a CAROUSEL campaign",
        f"{main}:53:74: campaignGroups[0].campaigns[2].creatives[0].content.video.file: a video ad's video"
        " must last 3 seconds to 30 minutes; this one lasts 1 seconds",
    ]
    missing = [line for line in expected if line not in text]
    assert not missing, (missing, result.output)
