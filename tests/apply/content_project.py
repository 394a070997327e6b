"""A project of one video, one message (Sponsored InMail) and one conversation ad, made from
examples/all-formats, for the tests that kill its applies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from reconciler.emulator import Emulator
from reconciler.emulator.store import Kind
from tests.adcontent.harness import project

EXAMPLE = Path(__file__).parents[2] / "examples" / "all-formats"
SPEC = {"Group": {"Videos": ["Video"], "Messages": ["Message"], "Conversations": ["Conversation"]}}
INMAIL = {"type": "SPONSORED_INMAILS", "objectiveType": "WEBSITE_VISIT"}
CAMPAIGNS = {
    "Videos": {"format": "SINGLE_VIDEO"},
    "Messages": {**INMAIL, "format": "SPONSORED_INMAIL"},
    "Conversations": {**INMAIL, "format": "SPONSORED_MESSAGE"},
}
FILES = ("demo.mp4", "demo-thumbnail.jpg", "demo.srt", "banner.png")
# Video: initializeUpload, PUT the part, thumbnail and captions, finalizeUpload; the banner:
# initializeUpload, PUT; the video post; the conversation, its 3 levels of messages, its
# firstMessageContent, its opening InMail content; the message ad's InMail content.
WRITES = 15
UNREFERENCED = "an unreferenced copy may exist"


def example(name: str) -> dict[str, Any]:
    """The content of the creative ``name`` of examples/all-formats."""
    groups = yaml.safe_load((EXAMPLE / "ads.yaml").read_text())["campaignGroups"]
    for creative in (cr for g in groups for c in g["campaigns"] for cr in c.get("creatives") or ()):
        if creative["name"] == name:
            return dict(creative["content"])
    raise KeyError(name)


CONTENTS = {
    "Video": example("Launch — video"),
    "Message": example("Demo invitation — message"),
    "Conversation": example("Demo — conversation"),
}


def made(root: Path) -> Path:
    files = {f"assets/{name}": (EXAMPLE / "assets" / name).read_bytes() for name in FILES}
    return project(root, SPEC, CONTENTS, files, CAMPAIGNS)


def stored(emulator: Emulator, kind: Kind) -> list[dict[str, Any]]:
    return [entity for _, entity in emulator.store.scan(kind, None)]
