"""LinkedIn's published ad specs for the files of each content kind, and the conversation tree.

Text lengths, card counts and button counts are in the JSON Schema (``maxLength``, ``minItems``...);
what needs the file itself is here: its type (by content), size, pixel size and aspect ratio, video
length, document pages. Each :class:`FileSpec` names the help page it comes from; a number the pages
do not settle is marked "unsure" in its note and in docs/formats.md.

Sources (LinkedIn Help, "advertising specifications" answers, read 2026-12):
- single image ads, a426534: JPG, PNG or GIF (animated up to 250 frames), 5 MB, up to 7680 x 4320;
  horizontal 1.91:1 from 640 x 360, square from 360 x 360, vertical from 360 x 640;
- video ads, a424737: MP4, 75 KB to 500 MB (older pages: 200 MB), 3 s to 30 min, 360 to 1920 px a
  side, aspect ratio 9:16 (0.563) to 16:9 (1.778), captions in SRT;
- carousel ads, 88137: 2 to 10 cards, each JPG, PNG or non-animated GIF, 10 MB, up to 4320 x 4320
  (1080 x 1080, 1:1, recommended);
- document ads: PDF, PPTX or DOCX (also DOC and PPT, not read here), 100 MB, 300 pages;
- message ads, a425533: banner 300 x 250, JPG, PNG or non-animated GIF, 40 KB;
- Spotlight ads, a425222: logo JPG or PNG from 100 x 100; background image 300 x 250.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.manifest.media import MediaInfo
from reconciler.manifest.messagelimits import conversation_limits, message_limits

JsonPath = tuple[str | int, ...]
KB = 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class FileSpec:
    """What one file field accepts."""

    what: str  # how the file is named in messages ("a single image ad's image")
    types: tuple[str, ...]  # MediaInfo kinds
    max_bytes: int | None = None
    min_bytes: int | None = None
    min_size: tuple[int, int] | None = None  # (width, height) at least
    max_size: tuple[int, int] | None = None  # (width, height) at most
    ratio: tuple[float, float] | None = None  # width / height, inclusive
    max_frames: int | None = None  # 1: no animation
    seconds: tuple[float, float] | None = None
    max_pages: int | None = None


IMAGE_TYPES = ("jpeg", "png", "gif")
STILL_TYPES = ("jpeg", "png")
_RATIO_SLACK = 0.01  # pixel sizes round: 1200 x 628 is LinkedIn's own 1.91:1 example

SINGLE_IMAGE = FileSpec(
    "a single image ad's image",
    IMAGE_TYPES,
    max_bytes=5 * MB,
    min_size=(360, 360),
    max_size=(7680, 4320),
    ratio=(1 / 1.91, 1.91),
    max_frames=250,
)
CARD_IMAGE = FileSpec(
    "a carousel card's image", IMAGE_TYPES, max_bytes=10 * MB, max_size=(4320, 4320), max_frames=1
)
VIDEO = FileSpec(
    "a video ad's video",
    ("mp4",),
    min_bytes=75 * KB,
    max_bytes=500 * MB,
    min_size=(360, 360),
    max_size=(1920, 1920),
    ratio=(9 / 16, 16 / 9),
    seconds=(3, 30 * 60),
)
# Unsure: the video pages do not give the thumbnail's limits; those of single images are used.
THUMBNAIL = FileSpec("a video's thumbnail", STILL_TYPES, max_bytes=5 * MB, max_size=(7680, 4320))
CAPTIONS = FileSpec("a video's captions", ("srt",))
DOCUMENT = FileSpec("a document ad's document", ("pdf", "pptx", "docx"), max_bytes=100 * MB, max_pages=300)
ARTICLE_THUMBNAIL = FileSpec("an article's thumbnail", IMAGE_TYPES, max_bytes=5 * MB, max_size=(7680, 4320))
BANNER = FileSpec("a message ad's banner", IMAGE_TYPES, max_bytes=40 * KB, max_size=(300, 250), max_frames=1)
# Unsure: 2 MB for logos and backgrounds is the Text ad image limit; the dynamic ad pages give none.
LOGO = FileSpec("a logo", STILL_TYPES, max_bytes=2 * MB, min_size=(100, 100))
BACKGROUND = FileSpec(
    "a background image", STILL_TYPES, max_bytes=2 * MB, min_size=(300, 250), max_size=(300, 250)
)

FILE_SPECS: dict[tuple[str, str], FileSpec] = {
    ("image", "file"): SINGLE_IMAGE,
    ("video", "file"): VIDEO,
    ("video", "thumbnail"): THUMBNAIL,
    ("video", "captions"): CAPTIONS,
    ("carousel", "file"): CARD_IMAGE,
    ("document", "file"): DOCUMENT,
    ("article", "thumbnail"): ARTICLE_THUMBNAIL,
    ("message", "banner"): BANNER,
    ("follower", "logo"): LOGO,
    ("spotlight", "logo"): LOGO,
    ("spotlight", "backgroundImage"): BACKGROUND,
    ("jobs", "logo"): LOGO,
    ("jobs", "backgroundImage"): BACKGROUND,
}


def file_problems(spec: FileSpec, size: int, info: MediaInfo) -> list[str]:
    """Every way a file of ``size`` bytes, inspected as ``info``, breaks ``spec``."""
    wanted = " or ".join(MediaInfo(kind).type_name for kind in spec.types)
    if info.kind not in spec.types:
        return [f"{spec.what} must be {wanted}; this file is {info.type_name} (judged by its content)"]
    if info.broken:
        return [f"this {info.type_name} file cannot be read: {info.broken}"]
    out = []
    if spec.max_bytes is not None and size > spec.max_bytes:
        out.append(f"{spec.what} may be at most {_bytes(spec.max_bytes)}; this file is {_bytes(size)}")
    if spec.min_bytes is not None and size < spec.min_bytes:
        out.append(f"{spec.what} must be at least {_bytes(spec.min_bytes)}; this file is {_bytes(size)}")
    out.extend(_pixels(spec, info))
    if spec.max_frames is not None and (info.frames or 1) > spec.max_frames:
        limit = "must not be animated" if spec.max_frames == 1 else f"may have {spec.max_frames} frames"
        out.append(f"{spec.what} {limit}; this GIF has {info.frames} frames")
    if spec.seconds is not None and info.duration is not None:
        low, high = spec.seconds
        if not low <= info.duration <= high:
            lasts = f"must last {_duration(low)} to {_duration(high)}"
            out.append(f"{spec.what} {lasts}; this one lasts {_duration(info.duration)}")
    if spec.max_pages is not None and info.pages is not None and info.pages > spec.max_pages:
        out.append(f"{spec.what} may have at most {spec.max_pages} pages; this one has {info.pages}")
    return out


def _pixels(spec: FileSpec, info: MediaInfo) -> Iterator[str]:
    if info.width is None or info.height is None:
        return
    width, height = info.width, info.height
    size = f"{width} x {height} px"
    if spec.min_size and (width < spec.min_size[0] or height < spec.min_size[1]):
        yield f"{spec.what} must be at least {spec.min_size[0]} x {spec.min_size[1]} px; this one is {size}"
    if spec.max_size and (width > spec.max_size[0] or height > spec.max_size[1]):
        yield f"{spec.what} may be at most {spec.max_size[0]} x {spec.max_size[1]} px; this one is {size}"
    if spec.ratio and height:
        low, high = spec.ratio
        ratio = width / height
        if not low * (1 - _RATIO_SLACK) <= ratio <= high * (1 + _RATIO_SLACK):
            yield (
                f"{spec.what} must have an aspect ratio (width / height) from {low:.3f} to {high:.3f};"
                f" {size} is {ratio:.3f}"
            )


def _bytes(count: int) -> str:
    if count >= MB:
        return f"{count / MB:.1f} MB".replace(".0 MB", " MB")
    if count >= KB:
        return f"{count / KB:.1f} KB".replace(".0 KB", " KB")
    return f"{count} bytes"


def _duration(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes"
    return f"{seconds:g} seconds"


def body_problems(kind: str, spec: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """What a body's fields say together that the schema cannot: a post's button opens its landing
    page (the Posts API takes ``contentCallToActionLabel`` only with ``contentLandingPage``), and a
    conversation's tree must be sound (:func:`conversation_problems`), and messages keep to the
    limits of :mod:`reconciler.manifest.messagelimits`."""
    if (
        kind in ("image", "video")
        and spec.get("callToAction") is not None
        and spec.get("landingPage") is None
    ):
        yield ("callToAction",), "a callToAction needs a landingPage: the button opens it"
    if kind == "conversation":
        yield from conversation_problems(spec)
        yield from conversation_limits(spec)
    if kind == "message":
        yield from message_limits(spec)


def conversation_problems(spec: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """The conversation tree's soundness: the first message exists, every button's ``next`` names a
    message, and every message can be reached from the first one."""
    messages = spec.get("messages")
    start = spec.get("start")
    if not isinstance(messages, Mapping) or not isinstance(start, str):
        return
    if start not in messages:
        yield ("start",), f"the first message '{start}' is not one of the messages ({', '.join(messages)})"
        return
    for key, message in messages.items():
        for index, button in enumerate(_buttons(message)):
            target = button.get("next")
            if isinstance(target, str) and target not in messages:
                where: JsonPath = ("messages", key, "buttons", index, "next")
                label = button.get("label")
                yield where, f"button '{label}' leads to '{target}', which is not one of the messages"
    reached = _reachable(messages, start)
    for key in messages:
        if key not in reached:
            yield ("messages", key), f"message '{key}' cannot be reached from the first message '{start}'"


def _buttons(message: Any) -> list[Mapping[str, Any]]:
    buttons = message.get("buttons") if isinstance(message, Mapping) else None
    return [b for b in buttons if isinstance(b, Mapping)] if isinstance(buttons, list) else []


def _reachable(messages: Mapping[str, Any], start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for button in _buttons(messages.get(todo.pop())):
            target = button.get("next")
            if isinstance(target, str) and target in messages and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen
