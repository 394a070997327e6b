"""A replace caused by a changed file shows the old file and the new (path, size, sha256 prefix) in
every form of the plan: human, Markdown, JSON and ``--explain``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from reconciler.emulator import open_emulator
from reconciler.render.human import render as render_human
from reconciler.render.jsonout import render as render_json
from reconciler.render.markdown import render as render_markdown
from tests.adcontent.harness import apply, client_on, plan
from tests.adcontent.killer import Killer
from tests.adcontent.test_apply_content import EXAMPLES, PNG_B, made

NEW = (EXAMPLES / "card-3.png").read_bytes()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def test_a_changed_file_shows_old_and_new_in_every_format(tmp_path: Path) -> None:
    root = made(tmp_path)
    emulator = open_emulator(None)
    with client_on(Killer(emulator.transport())) as client:
        assert apply(client, root, plan(client, root)).ok
        (root / "assets/b.png").write_bytes(NEW)
        changed = plan(client, root, allow_replace=True, explain="content.file")
    emulator.close()
    old = f"(assets/b.png, {len(PNG_B):,} bytes, sha256 {digest(PNG_B)})"
    new = f"assets/b.png (new file, {len(NEW):,} bytes, sha256 {digest(NEW)})"
    data = changed.to_dict()
    for text in (render_human(data), render_markdown(data, max_chars=None)):
        lines = [" ".join(x.split()) for x in text.splitlines()]  # "-     content…" in Markdown
        [minus] = [x for x in lines if x.startswith("- content.file: urn:li:image:")]
        assert minus.endswith(old)
        assert f"+ content.file: {new}" in lines
        [thumb] = [x for x in lines if x.startswith("- content.thumbnail: urn:li:image:")]
        assert thumb.endswith(old)  # the article's thumbnail is the same file
    ad4 = next(c for c in json.loads(render_json(data))["changes"] if c["path"][-1] == "Ad 4")
    [field] = ad4["fields"]
    assert field["field"] == "content.file"
    assert field["old"].startswith("urn:li:image:") and field["old"].endswith(old)
    assert field["new"] == new
    [said] = [n for n in changed.notes if "/ Ad 4: " in n]
    assert said.endswith(
        f"content.file: different: the content can't change once created, so the creative is"
        f" replaced\n  live:     {field['old']}\n  manifest: {new}"
    )
    [same] = [n for n in changed.notes if "/ Ad 1: " in n]
    assert same.endswith(
        "content.file: equal: what LinkedIn shows for the creative is the manifest's (assets/a.png)"
    )


def test_a_carousel_shows_only_the_card_whose_file_changed(tmp_path: Path) -> None:
    root = made(tmp_path)
    emulator = open_emulator(None)
    with client_on(Killer(emulator.transport())) as client:
        assert apply(client, root, plan(client, root)).ok
        (root / "assets/c.png").write_bytes(NEW)
        changed = plan(client, root, allow_replace=True)
    emulator.close()
    text = render_human(changed.to_dict())
    lines = [x.strip() for x in text.splitlines() if "content.cards" in x]
    assert len(lines) == 2, lines  # the unchanged first card (a.png) is no difference
    assert lines[0].startswith("- content.cards[1].file: urn:li:image:") and "(assets/c.png, " in lines[0]
    assert (
        lines[1]
        == f"+ content.cards[1].file: assets/c.png (new file, {len(NEW):,} bytes, sha256 {digest(NEW)})"
    )
