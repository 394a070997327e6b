"""Content made from the repository's files: read, confined, hashed once, checked against LinkedIn's
ad specs and against its campaign, every refusal at the file:line:column of the field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.manifest import load_project, validate_paths
from reconciler.manifest.assets import AssetStore
from reconciler.manifest.canonical import canonical
from reconciler.model import AssetFile, ManagedContent
from tests.manifest.mediafiles import SRT, docx_bytes, image_bytes, mp4_bytes, pdf_bytes, pptx_bytes, write

ROOT = Path(__file__).parents[2]

HEAD = """version: 1
account: {id: 1, currency: USD}
campaignGroups:
  - name: G
    status: DRAFT
    campaigns:
      - name: C
        status: DRAFT
        type: %(type)s
        format: %(format)s
        costType: CPM
        locale: en_US
        runSchedule: {start: 2027-01-04}
        associatedEntity: urn:li:organization:1
        creatives:
          - name: ad
            intendedStatus: DRAFT
            content:
"""


def project(
    tmp_path: Path, content: str, *, kind: str = "SPONSORED_UPDATES", form: str = "STANDARD_UPDATE"
) -> Path:
    """A project directory whose one manifest (ads/main.yaml) has one creative of ``content``
    (YAML indented under ``content:``)."""
    text = HEAD % {"type": kind, "format": form} + "".join(
        f"              {line}\n" for line in content.splitlines()
    )
    write(tmp_path / "ads" / "main.yaml", text.encode())
    return tmp_path / "ads"


def problems(path: Path) -> list[str]:
    """Every problem, as ``main.yaml:line:col: path: message`` (file name without its folder)."""
    return [str(p).replace(str(path) + os.sep, "") for p in validate_paths([path])]


FIELD = "campaignGroups[0].campaigns[0].creatives[0].content"


def test_a_6_mb_image_is_refused_at_its_file_field(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "big.png", image_bytes(1200, 628, pad_to=6 * 1024 * 1024))
    found = problems(project(tmp_path, "image: {file: big.png}"))
    assert found == [
        f"main.yaml:19:29: {FIELD}.image.file: a single image ad's image may be at most 5 MB;"
        " this file is 6 MB"
    ]


def test_an_image_smaller_than_the_minimum_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "small.png", image_bytes(200, 200))
    found = problems(project(tmp_path, "image:\n  file: small.png"))
    assert found == [
        f"main.yaml:20:23: {FIELD}.image.file: a single image ad's image must be at least 360 x 360 px;"
        " this one is 200 x 200 px"
    ]


def test_an_image_outside_the_aspect_ratios_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "strip.png", image_bytes(2000, 400))
    (found,) = problems(project(tmp_path, "image:\n  file: strip.png"))
    assert found.endswith(
        "must have an aspect ratio (width / height) from 0.524 to 1.910; 2000 x 400 px is 5.000"
    )


def test_an_mp4_shorter_than_three_seconds_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "clip.mp4", mp4_bytes(384, 384, 1, pad_to=80 * 1024))
    found = problems(project(tmp_path, "video:\n  file: clip.mp4", form="SINGLE_VIDEO"))
    assert found == [
        f"main.yaml:20:23: {FIELD}.video.file: a video ad's video must last 3 seconds to 30 minutes;"
        " this one lasts 1 seconds"
    ]


def test_a_video_is_judged_by_its_content_not_its_name(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "clip.mp4", image_bytes(640, 360))
    write(tmp_path / "ads" / "captions.srt", b"not captions")
    content = "video:\n  file: clip.mp4\n  captions: captions.srt"
    found = problems(project(tmp_path, content, form="SINGLE_VIDEO"))
    assert found == [
        f"main.yaml:20:23: {FIELD}.video.file: a video ad's video must be MP4;"
        " this file is PNG (judged by its content)",
        f"main.yaml:21:27: {FIELD}.video.captions: a video's captions must be SRT;"
        " this file is an unknown type (judged by its content)",
    ]


def test_a_one_card_carousel_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "card.png", image_bytes(1080, 1080))
    content = "carousel:\n  cards:\n    - {file: card.png, landingPage: https://example.com}"
    found = problems(project(tmp_path, content, form="CAROUSEL"))
    assert found == [f"main.yaml:21:19: {FIELD}.carousel.cards: lists 1 item; at least 2 are needed"]


def test_an_image_ad_in_a_carousel_campaign_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "launch.png", image_bytes(1200, 628))
    found = problems(project(tmp_path, "image: {file: launch.png}", form="CAROUSEL"))
    assert found == [
        f"main.yaml:19:15: {FIELD}.image: a single image ad cannot run in a CAROUSEL campaign"
        " (SPONSORED_UPDATES); it needs a campaign of type SPONSORED_UPDATES with format STANDARD_UPDATE"
    ]


def test_a_message_ad_in_a_sponsored_updates_campaign_is_refused(tmp_path: Path) -> None:
    content = (
        "message:\n  sender: urn:li:person:abc\n  subject: Hello\n  body: Hi there\n"
        "  callToAction: {label: Go, landingPage: https://example.com}"
    )
    found = problems(project(tmp_path, content))
    assert found == [
        f"main.yaml:19:15: {FIELD}.message: a message ad (Sponsored InMail) cannot run in a SPONSORED_UPDATES"
        " campaign; it needs a campaign of type SPONSORED_INMAILS with format SPONSORED_INMAIL"
    ]


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    found = problems(project(tmp_path, "image: {file: assets/nowhere.png}"))
    assert len(found) == 1
    assert found[0].startswith(f"main.yaml:19:29: {FIELD}.image.file: file not found: 'assets/nowhere.png'")


@pytest.mark.parametrize("written", ["../../etc/passwd", "../outside.png"])
def test_a_file_outside_the_project_is_refused(tmp_path: Path, written: str) -> None:
    write(tmp_path / "outside.png", image_bytes(1200, 628))  # exists, but beside the project
    found = problems(project(tmp_path, f"image: {{file: {written}}}"))
    assert found == [
        f"main.yaml:19:29: {FIELD}.image.file: '{written}' is outside the project ({tmp_path / 'ads'});"
        " manifests may only name files inside it"
    ]


def test_an_absolute_path_is_refused(tmp_path: Path) -> None:
    found = problems(project(tmp_path, "image: {file: /etc/passwd}"))
    assert found == [
        f"main.yaml:19:29: {FIELD}.image.file: '/etc/passwd' is not a relative path;"
        " name files relative to this manifest file, with '/'"
    ]


def test_a_symlink_leading_out_of_the_project_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "secret.png", image_bytes(1200, 628))
    (tmp_path / "ads").mkdir()
    (tmp_path / "ads" / "launch.png").symlink_to(tmp_path / "secret.png")
    (found,) = problems(project(tmp_path, "image: {file: launch.png}"))
    assert "'launch.png' is outside the project" in found


def test_paths_are_relative_to_the_manifest_and_may_climb_inside_the_project(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "assets" / "launch.png", image_bytes(1200, 628))
    text = (HEAD % {"type": "SPONSORED_UPDATES", "format": "STANDARD_UPDATE"}) + (
        "              image: {file: ../assets/launch.png}\n"
    )
    write(tmp_path / "ads" / "campaigns" / "main.yaml", text.encode())
    state = load_project([tmp_path / "ads"])
    (creative,) = [c for a in state.accounts for _, _, c in a.creatives()]
    content = creative.content
    assert isinstance(content, ManagedContent)
    assert content.spec == {"file": "assets/launch.png"}
    (asset,) = content.files
    assert asset.path == "assets/launch.png" and asset.media == "image"
    assert asset.size == (tmp_path / "ads" / "assets" / "launch.png").stat().st_size
    assert state.asset_sources == {asset.sha256: (tmp_path / "ads" / "assets" / "launch.png").resolve()}


def test_every_problem_of_a_file_is_reported_with_the_schemas(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "a.gif", image_bytes(100, 100, "GIF"))
    content = "image:\n  file: a.gif\n  headline: '" + "x" * 201 + "'\n  callToAction: LEARN"
    found = problems(project(tmp_path, content))
    assert [line.split(": ", 2)[1] for line in found] == [
        f"{FIELD}.image.file",
        f"{FIELD}.image.headline",
        f"{FIELD}.image.callToAction",
    ]


def test_documents_are_counted_by_pages_and_typed_by_content(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "long.pdf", pdf_bytes(301))
    write(tmp_path / "ads" / "deck.pptx", pptx_bytes(3))
    write(tmp_path / "ads" / "memo.docx", docx_bytes(2))
    write(tmp_path / "ads" / "notes.pdf", b"just text")
    for name, expected in [
        ("long.pdf", ["a document ad's document may have at most 300 pages; this one has 301"]),
        ("deck.pptx", []),
        ("memo.docx", []),
        (
            "notes.pdf",
            [
                "a document ad's document must be PDF or PPTX or DOCX; this file is an unknown type"
                " (judged by its content)"
            ],
        ),
    ]:
        found = problems(project(tmp_path, f"document: {{file: {name}, title: Guide}}"))
        assert [line.split(": ", 2)[2] for line in found] == expected, name


def test_a_conversation_tree_must_be_sound(tmp_path: Path) -> None:
    content = """conversation:
  sender: urn:li:person:abc
  start: hello
  messages:
    hello:
      body: Hi
      buttons: [{label: Yes, next: yes}, {label: Later, next: later}]
    yes:
      body: Great
      buttons: [{label: Book, url: https://example.com}]
    orphan:
      body: Nobody gets here
      buttons: [{label: Back, next: hello}]"""
    found = problems(project(tmp_path, content, kind="SPONSORED_INMAILS", form="SPONSORED_MESSAGE"))
    assert found == [
        f"main.yaml:25:77: {FIELD}.conversation.messages.hello.buttons[1].next: button 'Later' leads to"
        " 'later', which is not one of the messages",
        f"main.yaml:29:19: {FIELD}.conversation.messages.orphan: message 'orphan' cannot be reached"
        " from the first message 'hello'",
    ]


def test_a_conversation_must_start_at_one_of_its_messages(tmp_path: Path) -> None:
    content = """conversation:
  sender: urn:li:person:abc
  start: intro
  messages:
    hello: {body: Hi, buttons: [{label: Go, url: https://example.com}]}"""
    (found,) = problems(project(tmp_path, content, kind="SPONSORED_INMAILS", form="SPONSORED_MESSAGE"))
    assert found.endswith("conversation.start: the first message 'intro' is not one of the messages (hello)")


def test_video_and_dynamic_kinds_need_their_format_set(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "logo.png", image_bytes(100, 100))
    text = (HEAD % {"type": "DYNAMIC", "format": "SPOTLIGHT"}).replace("        format: SPOTLIGHT\n", "")
    text += "              follower: {headline: Follow us, description: Weekly news, logo: logo.png}\n"
    write(tmp_path / "ads" / "main.yaml", text.encode())
    found = problems(tmp_path / "ads")
    assert (
        f"main.yaml:18:15: {FIELD}.follower: a follower ad needs its campaign's format set to FOLLOW_COMPANY"
        " when it is created" in found
    )


def test_posted_kinds_need_an_organization(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "launch.png", image_bytes(1200, 628))
    text = (HEAD % {"type": "SPONSORED_UPDATES", "format": "STANDARD_UPDATE"}).replace(
        "        associatedEntity: urn:li:organization:1\n", ""
    )
    write(tmp_path / "ads" / "main.yaml", (text + "              image: {file: launch.png}\n").encode())
    (found,) = problems(tmp_path / "ads")
    assert found.endswith(
        "a single image ad is posted by the campaign's organization: the campaign needs"
        " associatedEntity: urn:li:organization:{id}"
    )


def test_each_distinct_file_is_read_once_however_many_creatives_name_it(tmp_path: Path) -> None:
    write(tmp_path / "a" / "one.png", image_bytes(1200, 628))
    write(tmp_path / "a" / "same-bytes.png", image_bytes(1200, 628))
    store = AssetStore()
    found = [store.get(name, str(tmp_path / "a"), str(tmp_path), "image") for name in ["one.png"] * 20]
    found.append(store.get("../a/one.png", str(tmp_path / "a"), str(tmp_path), "image"))
    found.append(store.get("same-bytes.png", str(tmp_path / "a"), str(tmp_path), "image"))
    assert store.files_read == 2 and store.files_inspected == 1
    assert {getattr(item, "file", None) for item in found[:-1]} == {
        AssetFile("a/one.png", found[0].file.sha256, found[0].file.size, "image")  # type: ignore[union-attr]
    }


def test_the_fingerprint_follows_the_files_bytes_not_their_names() -> None:
    spec = {"file": "a.png", "headline": "Hi"}
    one = ManagedContent("image", spec, (AssetFile("a.png", "1" * 64, 10, "image"),))
    moved = ManagedContent(
        "image", {**spec, "file": "b/a.png"}, (AssetFile("b/a.png", "1" * 64, 10, "image"),)
    )
    edited = ManagedContent("image", spec, (AssetFile("a.png", "2" * 64, 10, "image"),))
    assert one.fingerprint() == moved.fingerprint() != edited.fingerprint()
    assert one != edited and hash(one) != hash(edited)
    assert one.to_api() == {"image": spec}


def test_the_all_formats_example_is_valid(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(ROOT / "examples" / "all-formats")])
    assert result.exit_code == 0, result.output
    assert "11 creatives: valid" in result.output
    state = load_project([ROOT / "examples" / "all-formats"])
    kinds = {
        c.content.kind
        for a in state.accounts
        for _, _, c in a.creatives()
        if isinstance(c.content, ManagedContent)
    }
    assert kinds == {
        "image",
        "video",
        "carousel",
        "document",
        "article",
        "event",
        "message",
        "conversation",
        "follower",
        "spotlight",
        "jobs",
    }


def test_captions_and_thumbnails_are_accepted(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "clip.mp4", mp4_bytes(640, 368, 3, pad_to=76 * 1024))
    write(tmp_path / "ads" / "thumb.jpg", image_bytes(640, 368, "JPEG"))
    write(tmp_path / "ads" / "clip.srt", SRT.encode())
    content = "video: {file: clip.mp4, thumbnail: thumb.jpg, captions: clip.srt}"
    assert problems(project(tmp_path, content, form="SINGLE_VIDEO")) == []


def test_a_video_view_campaign_runs_video_only(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "launch.png", image_bytes(1200, 628))
    path = project(tmp_path, "image: {file: launch.png}")
    main = path / "main.yaml"
    main.write_text(
        main.read_text().replace(
            "        costType: CPM\n", "        costType: CPM\n        objectiveType: VIDEO_VIEW\n"
        )
    )
    (found,) = problems(path)
    assert (
        found
        == f"main.yaml:20:15: {FIELD}.image: a VIDEO_VIEW campaign runs video ads only, not a single image ad"
    )


def test_dynamic_ads_open_no_lead_form(tmp_path: Path) -> None:
    path = project(
        tmp_path,
        "spotlight: {headline: Hi, description: Demo, callToAction: Go, landingPage: https://x.com}",
        kind="DYNAMIC",
        form="SPOTLIGHT",
    )
    main = path / "main.yaml"
    main.write_text(
        main.read_text()
        .replace("        costType: CPM\n", "        costType: CPM\n        objectiveType: LEAD_GENERATION\n")
        .replace(
            "            intendedStatus: DRAFT\n",
            "            intendedStatus: DRAFT\n"
            "            leadgenCallToAction: {destination: urn:li:adForm:1, label: SIGN_UP}\n",
        )
    )
    assert [line.split(": ", 2)[2] for line in problems(path)] == [
        "a LEAD_GENERATION campaign cannot run a spotlight ad: dynamic ads open no lead form"
    ]


@pytest.mark.parametrize(
    ("kind", "form", "expected"),
    [
        ("SPONSORED_INMAILS", "SPONSORED_MESSAGE", []),
        (
            "SPONSORED_UPDATES",
            "STANDARD_UPDATE",
            [
                "a SPONSORED_UPDATES campaign takes post references (urn:li:share:… or urn:li:ugcPost:…),"
                " not a conversation reference"
            ],
        ),
    ],
)
def test_an_existing_conversation_can_be_referenced(
    tmp_path: Path, kind: str, form: str, expected: list[str]
) -> None:
    path = project(tmp_path, "reference: urn:li:sponsoredConversation:123", kind=kind, form=form)
    assert [line.split(": ", 2)[2] for line in problems(path)] == expected


def test_a_symlink_inside_the_project_names_its_target(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "assets" / "launch-v2.png", image_bytes(1200, 628))
    (tmp_path / "ads" / "launch.png").symlink_to(tmp_path / "ads" / "assets" / "launch-v2.png")
    project(tmp_path, "image: {file: launch.png}")
    (_, _, creative), *_ = next(iter(load_project([tmp_path / "ads"]).accounts)).creatives()
    assert isinstance(creative.content, ManagedContent)
    assert creative.content.spec == {"file": "assets/launch-v2.png"}


def test_directories_and_fifos_are_not_files(tmp_path: Path) -> None:
    (tmp_path / "ads" / "folder").mkdir(parents=True)
    os.mkfifo(tmp_path / "ads" / "pipe.png")
    for name, reason in [("folder", "is a directory, not a file"), ("pipe.png", "is not a regular file")]:
        (found,) = problems(project(tmp_path, f"image: {{file: {name}}}"))
        assert found.endswith(f"image.file: '{name}' {reason}"), found


def test_fmt_orders_the_new_kinds_by_the_schema() -> None:
    text = "content:\n  carousel:\n    cards:\n      - {landingPage: https://x.com, file: a.png}\n"
    text += "    introText: Hi\n"
    document = HEAD % {"type": "SPONSORED_UPDATES", "format": "CAROUSEL"}
    written = document.replace("            content:\n", "") + "".join(
        f"            {line}\n" for line in text.splitlines()
    )
    assert canonical(written).endswith(
        "              carousel:\n                introText: Hi\n                cards:\n"
        "                  - {file: a.png, landingPage: https://x.com}\n"
    )


def test_a_button_needs_the_page_it_opens(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "launch.png", image_bytes(1200, 628))
    found = problems(project(tmp_path, "image: {file: launch.png, callToAction: LEARN_MORE}"))
    assert found == [
        f"main.yaml:19:55: {FIELD}.image.callToAction: a callToAction needs a landingPage:"
        " the button opens it"
    ]


def test_unlocking_a_document_is_for_document_ads(tmp_path: Path) -> None:
    write(tmp_path / "ads" / "launch.png", image_bytes(1200, 628))
    path = project(tmp_path, "image: {file: launch.png}")
    main = path / "main.yaml"
    main.write_text(
        main.read_text().replace(
            "            intendedStatus: DRAFT\n",
            "            intendedStatus: DRAFT\n"
            "            leadgenCallToAction: {destination: urn:li:adForm:1, label: UNLOCK_FULL_DOCUMENT}\n",
        )
    )
    assert [line.split(": ", 2)[2] for line in problems(path)] == [
        "the lead form label UNLOCK_FULL_DOCUMENT is for document ads, not a single image ad"
    ]


def test_an_unsendable_text_beside_a_good_file_is_one_problem_not_a_traceback(tmp_path: Path) -> None:
    # The content is read (its file judged) but not kept: no fingerprint of a text UTF-8 cannot hold.
    write(tmp_path / "ads" / "launch.png", image_bytes(1200, 628))
    found = problems(project(tmp_path, 'image: {file: launch.png, headline: "Hi \\ud800"}'))
    assert found == [
        f"main.yaml:19:51: {FIELD}.image.headline: the text holds an unpaired surrogate (U+D800) at"
        " character 4: names, texts and URLs sent to LinkedIn must be one line of printable text"
    ]
