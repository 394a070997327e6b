"""What a file is, by its content: type, pixel size, frames, duration, pages.

:func:`inspect_file` looks at an open file's first bytes to tell its type (never its name's
extension), then asks a library for what the ad specs measure, reading no more than it needs:

- images (PNG, JPEG, GIF): Pillow, which reads the header for the size and never decodes pixels
  (``Image.open`` is lazy); an animated GIF is counted frame by frame. A file cut short is
  ``broken``: a PNG's chunks must reach IEND, a JPEG must hold EOI after its first scan (read from
  its end), a GIF's blocks must reach its trailer.
- MP4 (ISO base media): mutagen for the duration (``mvhd``), and the visual track's ``tkhd`` box for
  the pixel size, read here (a few boxes; mutagen does not expose it).
- PDF: pypdf's page count (it reads the cross-reference table and page tree, not the content).
- PPTX / DOCX (Office Open XML, zip): the slide files of ``ppt/slides``, or the page count Word
  records in ``docProps/app.xml`` (unknown when Word did not record one).
- SRT captions: the first cue must be a number and a ``00:00:01,000 --> 00:00:02,500`` timing line.

A file that claims a type but cannot be read as one is ``broken`` with the library's reason.
"""

from __future__ import annotations

import logging
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass
from typing import IO

IMAGE_TYPES = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}
TYPE_NAMES = {
    "png": "PNG",
    "jpeg": "JPG",
    "gif": "GIF",
    "mp4": "MP4",
    "pdf": "PDF",
    "pptx": "PPTX",
    "docx": "DOCX",
    "srt": "SRT",
    "zip": "a zip archive",
    "unknown": "an unknown type",
}
_SRT_TIMING = re.compile(r"^\d{1,2}:\d{2}:\d{2}[,.]\d{1,3} --> \d{1,2}:\d{2}:\d{2}[,.]\d{1,3}(?:\s.*)?$")


@dataclass(frozen=True)
class MediaInfo:
    """What the ad specs measure of one file. ``kind`` is one of :data:`TYPE_NAMES`; the other
    fields are None where they do not apply or could not be read; ``broken`` says why a file of a
    known type could not be read."""

    kind: str
    width: int | None = None
    height: int | None = None
    frames: int | None = None
    duration: float | None = None
    pages: int | None = None
    broken: str | None = None

    @property
    def type_name(self) -> str:
        """The type as people name it (``JPG``, ``PDF``)."""
        return TYPE_NAMES.get(self.kind, self.kind)


def sniff(head: bytes) -> str:
    """The type the first bytes of a file announce (``unknown`` when none)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if _looks_like_srt(head):
        return "srt"
    return "unknown"


def inspect_file(stream: IO[bytes]) -> MediaInfo:
    """What ``stream`` (a seekable binary file at any position) holds."""
    stream.seek(0)
    kind = sniff(stream.read(4096))
    stream.seek(0)
    try:
        if kind in ("png", "jpeg", "gif"):
            return _image(stream, kind)
        if kind == "mp4":
            return _mp4(stream)
        if kind == "pdf":
            return _pdf(stream)
        if kind == "zip":
            return _office(stream)
    except Exception as err:  # a library's own error for a damaged file: report it, never crash
        return MediaInfo(kind, broken=_reason(err))
    return MediaInfo(kind)


def _reason(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:200]


def _image(stream: IO[bytes], kind: str) -> MediaInfo:
    from PIL import Image  # imported when an image is first seen: most loads have none

    with warnings.catch_warnings():
        # No pixel is decoded, so a huge image is no bomb here; its size is judged by the specs.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(stream) as image:
            width, height = image.size
            frames = int(getattr(image, "n_frames", 1)) if kind == "gif" else 1
    ends, end = _ENDS[kind]
    if not ends(stream):
        # Pillow reads only the header (a GIF's block lengths): a cut-short file would pass here
        # and fail LinkedIn's processing after its upload.
        return MediaInfo(kind, width=width, height=height, broken=f"the file ends before its {end}")
    return MediaInfo(kind, width=width, height=height, frames=frames)


def _png_ends(stream: IO[bytes]) -> bool:
    """Whether the PNG's chunks (each read as length and type only) reach IEND within the file."""
    size = stream.seek(0, 2)
    offset = 8  # the signature
    while offset + 8 <= size:
        stream.seek(offset)
        length, kind = _BOX.unpack(stream.read(8))  # a chunk starts as a box does: >I4s
        if kind == b"IEND":
            return True
        offset += 12 + length  # length, type, data, CRC
    return False


def _jpeg_ends(stream: IO[bytes]) -> bool:
    """Whether an EOI marker (FFD9) follows the JPEG's first scan.

    Bytes after EOI are allowed: cameras append data there (Samsung's trailer, a motion photo's
    video, an MPO's second picture), and decoders stop at EOI. So the file is read backwards from
    its end, a chunk at a time, down to the first SOS: a complete file without such data is judged
    by its last chunk alone. Entropy-coded data never holds FFD9 (an FF there is followed by 00 or a
    restart marker), so a file cut inside its scans has none after SOS; one before SOS (an Exif
    thumbnail's own EOI) does not count."""
    scan = _jpeg_scan_start(stream)
    end = stream.seek(0, 2)
    while end - scan >= 2:
        start = max(scan, end - _TAIL_CHUNK)
        stream.seek(start)
        if stream.read(end - start).rfind(b"\xff\xd9") >= 0:
            return True
        end = start + 1  # one byte of overlap: a marker may straddle two reads
    return False


_TAIL_CHUNK = 64 * 1024


def _jpeg_scan_start(stream: IO[bytes]) -> int:
    """The offset of the first SOS marker, walking the segments after SOI by their lengths; 2
    (just after SOI: the whole file is searched) when the walk meets something else."""
    size = stream.seek(0, 2)
    offset = 2
    while offset + 4 <= size:
        stream.seek(offset)
        ff, marker, length = struct.unpack(">BBH", stream.read(4))
        if ff != 0xFF:
            break
        if marker == 0xDA:
            return offset
        if marker == 0xFF:  # a fill byte before a marker
            offset += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            offset += 2
        else:
            offset += 2 + length
    return 2


def _gif_ends(stream: IO[bytes]) -> bool:
    """Whether the GIF's blocks, walked by their lengths, are whole within the file.

    A GIF cannot be judged by its last byte: 3B is also an ordinary data byte, and bytes after the
    trailer are ignored by decoders. The walk reads one length byte per sub-block (at most 255
    bytes each), as Pillow does to count the frames. A byte that starts no known block ends the
    walk unjudged. A file that ends right after a whole sub-block is whole too: some encoders leave
    out the last terminator and the trailer (Python's own IDLE icons do), and decoders show it. Only
    a file that runs out inside a block is cut short (a cut lands on a block's end once in ~256)."""
    size = stream.seek(0, 2)
    stream.seek(10)
    screen = stream.read(3)  # packed fields, background colour, aspect ratio
    if len(screen) < 3:
        return False
    _skip_colour_table(stream, screen[0])
    while block := stream.read(1):
        if block == b";":
            return True
        if block == b",":  # image descriptor: position, size, packed fields, then the LZW code size
            descriptor = stream.read(9)
            if len(descriptor) < 9:
                return False
            _skip_colour_table(stream, descriptor[8])
        elif block != b"!":  # not an extension (its label, then sub-blocks) either
            return True
        if not stream.read(1):  # the LZW code size, or the extension's label
            return False
        ended = _skip_sub_blocks(stream, size)
        if ended is not True:
            return ended is None  # None: the file ended right after a whole sub-block
    return stream.tell() == size  # after a block's terminator: only the trailer is left out


def _skip_colour_table(stream: IO[bytes], packed: int) -> None:
    if packed & 0x80:
        stream.seek(3 * 2 ** ((packed & 0x07) + 1), 1)


def _skip_sub_blocks(stream: IO[bytes], size: int) -> bool | None:
    """Skip sub-blocks up to their terminator: True there; None when the file of ``size`` bytes
    ends right after a whole sub-block (the terminator left out); False when it ends before one."""
    whole = False
    while length := stream.read(1):
        if length == b"\0":
            return True
        if stream.seek(length[0], 1) > size:
            return False
        whole = True
    return None if whole else False


_ENDS = {
    "png": (_png_ends, "IEND chunk"),
    "jpeg": (_jpeg_ends, "EOI marker (FFD9)"),
    "gif": (_gif_ends, "trailer (3B)"),
}


def _pdf(stream: IO[bytes]) -> MediaInfo:
    from pypdf import PdfReader

    # pypdf logs what it finds wrong (``EOF marker not found``) besides raising; the raise is
    # reported as the file's problem, so the log line would only be noise on stderr.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    reader = PdfReader(stream, strict=False)
    return MediaInfo("pdf", pages=len(reader.pages))


def _office(stream: IO[bytes]) -> MediaInfo:
    with zipfile.ZipFile(stream) as archive:
        names = set(archive.namelist())
        if "ppt/presentation.xml" in names:
            slides = [n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
            return MediaInfo("pptx", pages=len(slides))
        if "word/document.xml" in names:
            pages = None
            if "docProps/app.xml" in names:
                found = re.search(rb"<(?:\w+:)?Pages>(\d+)<", archive.read("docProps/app.xml"))
                pages = int(found.group(1)) if found else None
            return MediaInfo("docx", pages=pages)
    return MediaInfo("zip")


def _mp4(stream: IO[bytes]) -> MediaInfo:
    from mutagen.mp4 import MP4

    parsed = MP4(stream)  # type: ignore[no-untyped-call]  # mutagen's constructor is unannotated
    duration = float(getattr(parsed.info, "length", 0.0))
    stream.seek(0)
    size = _visual_size(stream)
    width, height = size if size else (None, None)
    return MediaInfo("mp4", width=width, height=height, duration=duration)


# ISO/IEC 14496-12: moov > trak > (tkhd, mdia > hdlr). The visual track is the one whose handler is
# 'vide'; its tkhd ends with width and height as 16.16 fixed-point numbers.
_BOX = struct.Struct(">I4s")


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of each box in ``data[start:end]``."""
    end = len(data) if end is None else end
    out = []
    while start + 8 <= end:
        size, kind = _BOX.unpack_from(data, start)
        header = 8
        if size == 1 and start + 16 <= end:
            size, header = struct.unpack_from(">Q", data, start + 8)[0], 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            break
        out.append((kind, start + header, start + size))
        start += size
    return out


def _visual_size(stream: IO[bytes]) -> tuple[int, int] | None:
    moov = _top_level_box(stream, b"moov")
    if moov is None:
        return None
    for kind, start, end in _boxes(moov):
        if kind != b"trak":
            continue
        children = {k: (s, e) for k, s, e in _boxes(moov, start, end)}
        if b"tkhd" not in children or b"mdia" not in children or not _is_video(moov, *children[b"mdia"]):
            continue
        s, e = children[b"tkhd"]
        if e - s >= 84:
            width, height = struct.unpack_from(">II", moov, e - 8)
            return width >> 16, height >> 16
    return None


def _is_video(data: bytes, start: int, end: int) -> bool:
    for kind, s, _e in _boxes(data, start, end):
        if kind == b"hdlr":
            return data[s + 8 : s + 12] == b"vide"
    return False


def _top_level_box(stream: IO[bytes], wanted: bytes) -> bytes | None:
    """The payload of the first top-level box of type ``wanted``, skipping the others unread."""
    offset = 0
    while True:
        stream.seek(offset)
        header = stream.read(16)
        if len(header) < 8:
            return None
        size, kind = _BOX.unpack_from(header)
        length = 8
        if size == 1 and len(header) == 16:
            size, length = struct.unpack_from(">Q", header, 8)[0], 16
        if kind == wanted:
            stream.seek(offset + length)
            return stream.read() if size == 0 else stream.read(size - length)
        if size < length:
            return None
        offset += size


def _looks_like_srt(head: bytes) -> bool:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head[: head.rfind(b"\n") + 1].decode("utf-8-sig", "replace")
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    return len(lines) >= 2 and lines[0].isdigit() and bool(_SRT_TIMING.match(lines[1]))
