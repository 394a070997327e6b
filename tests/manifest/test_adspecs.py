"""LinkedIn's ad specs per use of a file, and what a file is by its content."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reconciler.manifest.adspecs import (
    BACKGROUND,
    BANNER,
    CARD_IMAGE,
    DOCUMENT,
    LOGO,
    SINGLE_IMAGE,
    VIDEO,
    FileSpec,
    file_problems,
)
from reconciler.manifest.media import MediaInfo, inspect_file, sniff
from tests.manifest.mediafiles import image_bytes, mp4_bytes

KB = 1024


@pytest.mark.parametrize(
    ("spec", "size", "info", "expected"),
    [
        (SINGLE_IMAGE, 100 * KB, MediaInfo("png", 1200, 628, 1), []),
        (SINGLE_IMAGE, 100 * KB, MediaInfo("jpeg", 1080, 1350, 1), []),  # 4:5 vertical
        (
            SINGLE_IMAGE,
            100 * KB,
            MediaInfo("gif", 1200, 628, 251),
            ["may have 250 frames; this GIF has 251 frames"],
        ),
        (BANNER, 50 * KB, MediaInfo("png", 300, 250, 1), ["may be at most 40 KB; this file is 50 KB"]),
        (
            BANNER,
            10 * KB,
            MediaInfo("png", 600, 500, 1),
            ["may be at most 300 x 250 px; this one is 600 x 500 px"],
        ),
        (
            LOGO,
            10 * KB,
            MediaInfo("png", 50, 50, 1),
            ["must be at least 100 x 100 px; this one is 50 x 50 px"],
        ),
        (
            LOGO,
            10 * KB,
            MediaInfo("gif", 100, 100, 1),
            ["must be JPG or PNG; this file is GIF (judged by its content)"],
        ),
        (
            BACKGROUND,
            10 * KB,
            MediaInfo("png", 300, 300, 1),
            ["may be at most 300 x 250 px; this one is 300 x 300 px"],
        ),
        (
            CARD_IMAGE,
            10 * KB,
            MediaInfo("gif", 1080, 1080, 3),
            ["must not be animated; this GIF has 3 frames"],
        ),
        (
            CARD_IMAGE,
            11 * KB * KB,
            MediaInfo("png", 1080, 1080, 1),
            ["may be at most 10 MB; this file is 11 MB"],
        ),
        (
            VIDEO,
            60 * KB,
            MediaInfo("mp4", 640, 360, duration=5.0),
            ["must be at least 75 KB; this file is 60 KB"],
        ),
        (
            VIDEO,
            100 * KB,
            MediaInfo("mp4", 2560, 1440, duration=5.0),
            ["may be at most 1920 x 1920 px; this one is 2560 x 1440 px"],
        ),
        (
            VIDEO,
            100 * KB,
            MediaInfo("mp4", 1920, 360, duration=5.0),
            ["must have an aspect ratio (width / height) from 0.562 to 1.778; 1920 x 360 px is 5.333"],
        ),
        (
            VIDEO,
            100 * KB,
            MediaInfo("mp4", 640, 360, duration=1801.0),
            ["must last 3 seconds to 30 minutes; this one lasts 1801 seconds"],
        ),
        (DOCUMENT, 1 * KB, MediaInfo("pptx", pages=301), ["may have at most 300 pages; this one has 301"]),
        (DOCUMENT, 1 * KB, MediaInfo("docx"), []),  # no page count recorded: not judged
        (
            DOCUMENT,
            1 * KB,
            MediaInfo("pdf", broken="EOF marker not found"),
            ["this PDF file cannot be read: EOF marker not found"],
        ),
    ],
)
def test_file_specs(spec: FileSpec, size: int, info: MediaInfo, expected: list[str]) -> None:
    found = file_problems(spec, size, info)
    assert [p.removeprefix(spec.what + " ") for p in found] == expected


def test_types_are_sniffed_from_content() -> None:
    assert sniff(image_bytes(10, 10, "JPEG")[:16]) == "jpeg"
    assert sniff(mp4_bytes(16, 16, 1)[:16]) == "mp4"
    assert sniff(b"1\n00:00:01,000 --> 00:00:02,000\nHi\n") == "srt"
    assert sniff(b"<html>") == "unknown"


def test_a_damaged_file_is_broken_not_a_crash() -> None:
    png = image_bytes(400, 300)
    info = inspect_file(io.BytesIO(png[:20]))
    assert info.kind == "png" and info.broken
    mp4 = mp4_bytes(384, 384, 4)
    info = inspect_file(io.BytesIO(mp4[:40]))
    assert info.kind == "mp4" and info.broken


def _noisy_jpeg(side: int = 512) -> bytes:
    """A JPEG of noise: at 512 px a few hundred KB, its scan spanning several of the chunks read
    from the end."""
    out = io.BytesIO()
    Image.effect_noise((side, side), 80).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def _jpeg_with_app_segment(payload: bytes) -> bytes:
    """A JPEG from Pillow with an APP15 segment holding ``payload`` right after SOI."""
    jpeg = _noisy_jpeg(64)
    segment = b"\xff\xef" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


def _animated_gif() -> bytes:
    """Three frames, each with its own colour table, then the trailer."""
    frames = [Image.effect_noise((60, 40), 80 + 20 * i).convert("P") for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


TRAILING = b"SEFH" + bytes(range(256)).replace(b"\xff\xd9", b"") * 400  # data a camera appends, no FFD9


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (image_bytes(400, 300, "JPEG"), "jpeg"),
        (_jpeg_with_app_segment(b"thumbnail \xff\xd9"), "jpeg"),
        (_noisy_jpeg(), "jpeg"),
        (image_bytes(400, 300, "GIF"), "gif"),
        (_animated_gif(), "gif"),
    ],
    ids=["jpeg", "jpeg-app-segment", "jpeg-large", "gif", "gif-animated"],
)
def test_a_jpeg_or_gif_cut_short_is_broken_but_a_whole_one_is_not(data: bytes, kind: str) -> None:
    whole = inspect_file(io.BytesIO(data))
    assert whole.kind == kind and whole.broken is None, whole
    end = "EOI marker (FFD9)" if kind == "jpeg" else "trailer (3B)"
    # A GIF cut by 1 or 2 bytes lacks only its trailer (and its last terminator): see below.
    cuts = (7, len(data) // 3, len(data) // 2) + ((1, 2) if kind == "jpeg" else ())
    for cut in cuts:
        info = inspect_file(io.BytesIO(data[:-cut]))
        assert info.kind == kind and info.broken == f"the file ends before its {end}", (cut, info)


@pytest.mark.parametrize("data", [image_bytes(400, 300, "GIF"), _animated_gif()], ids=["gif", "animated"])
def test_a_gif_without_only_its_trailer_is_whole(data: bytes) -> None:
    """Some encoders leave out the last terminator and the trailer (Python's IDLE icons do);
    decoders show every pixel, so only a file that ends inside a block is refused."""
    assert data.endswith(b"\0;")
    for cut in (1, 2):
        assert inspect_file(io.BytesIO(data[:-cut])).broken is None, cut


def test_an_eoi_before_the_scan_does_not_make_a_cut_jpeg_whole() -> None:
    """An Exif thumbnail holds its own FFD9 before the picture's scan: it is not the file's end."""
    data = _jpeg_with_app_segment(b"thumbnail \xff\xd9")
    assert inspect_file(io.BytesIO(data[:-40])).broken == "the file ends before its EOI marker (FFD9)"


@pytest.mark.parametrize("data", [image_bytes(400, 300, "JPEG"), _noisy_jpeg()], ids=["small", "large"])
def test_bytes_after_a_jpegs_eoi_are_allowed(data: bytes) -> None:
    """Cameras append data after EOI (a trailer, a motion photo's video); decoders stop at EOI."""
    info = inspect_file(io.BytesIO(data + TRAILING))
    assert info.broken is None and (info.width, info.height) == Image.open(io.BytesIO(data)).size
    cut = data[: len(data) // 2] + TRAILING  # cut short, then data appended: still no EOI
    assert inspect_file(io.BytesIO(cut)).broken == "the file ends before its EOI marker (FFD9)"


def test_a_gif_cut_anywhere_before_its_last_data_block_ends_is_broken() -> None:
    """Right after the descriptor, its code size or an extension's label, the file is cut short too."""
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    data = out.getvalue()
    whole_from = len(data) - 2  # the last sub-block's end: only its terminator and the trailer left
    refused = {end: inspect_file(io.BytesIO(data[:end])).broken for end in range(13, whole_from)}
    assert all(refused.values()), [end for end, broken in refused.items() if not broken]
    assert refused[30] == "the file ends before its trailer (3B)"  # 10 bytes of descriptor read


def test_bytes_after_a_gifs_trailer_are_allowed() -> None:
    data = _animated_gif()
    info = inspect_file(io.BytesIO(data + b"\0" * 64 + b"junk"))
    assert info.broken is None and info.frames == 3
