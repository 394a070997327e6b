"""Small real media files for tests: images (Pillow), MP4 video, PDF (pypdf), PPTX/DOCX, SRT.

The MP4 is a real H.264 stream (Baseline profile, CAVLC) of a flat grey picture: one IDR frame whose
macroblocks are all Intra 16x16 DC-predicted with no residual (8 bits each), then one P frame per
second whose macroblocks are all skipped. Players decode it; the ad specs measure it. ``pad_to``
adds a ``free`` box so a file can reach a minimum size without a bigger picture.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter

# -- images --------------------------------------------------------------------------------------


def image_bytes(
    width: int, height: int, kind: str = "PNG", *, pad_to: int = 0, color: str = "#2a6ebb"
) -> bytes:
    """A one-colour image; a PNG can be padded (a private ancillary chunk) to ``pad_to`` bytes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, kind)
    data = out.getvalue()
    if kind == "PNG" and pad_to > len(data):
        filler = b"\0" * (pad_to - len(data) - 12)
        chunk = struct.pack(">I", len(filler)) + b"prVt" + filler + b"\0\0\0\0"  # CRC left zero: ignored
        data = data[:-12] + chunk + data[-12:]  # before IEND
    return data


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- PDF, Office, captions -----------------------------------------------------------------------


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pptx_bytes(slides: int = 1) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
        for number in range(1, slides + 1):
            archive.writestr(f"ppt/slides/slide{number}.xml", "<p:sld/>")
    return out.getvalue()


def docx_bytes(pages: int = 1) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("docProps/app.xml", f"<Properties><Pages>{pages}</Pages></Properties>")
    return out.getvalue()


SRT = (
    "1\n00:00:00,000 --> 00:00:02,000\nShip releases twice as fast.\n\n"
    "2\n00:00:02,000 --> 00:00:04,000\nOne pipeline.\n"
)


# -- H.264 in MP4 --------------------------------------------------------------------------------


class _Bits:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def u(self, value: int, count: int) -> None:
        self.bits.extend((value >> (count - 1 - i)) & 1 for i in range(count))

    def ue(self, value: int) -> None:
        code = value + 1
        self.u(0, code.bit_length() - 1)
        self.u(code, code.bit_length())

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def rbsp(self) -> bytes:
        self.bits.append(1)  # rbsp_stop_one_bit, then zero bits to the byte boundary
        while len(self.bits) % 8:
            self.bits.append(0)
        raw = bytes(int("".join(map(str, self.bits[i : i + 8])), 2) for i in range(0, len(self.bits), 8))
        out = bytearray()
        zeros = 0
        for byte in raw:  # emulation prevention
            if zeros >= 2 and byte <= 3:
                out.append(3)
                zeros = 0
            out.append(byte)
            zeros = zeros + 1 if byte == 0 else 0
        return bytes(out)


def _sps(mbs_wide: int, mbs_high: int) -> bytes:
    b = _Bits()
    b.u(66, 8)  # Baseline
    b.u(0xC0, 8)  # constraint_set0 and 1
    b.u(30, 8)  # level 3.0
    b.ue(0)  # seq_parameter_set_id
    b.ue(0)  # log2_max_frame_num_minus4
    b.ue(2)  # pic_order_cnt_type 2: output order is decoding order
    b.ue(1)  # max_num_ref_frames
    b.u(0, 1)  # gaps_in_frame_num_value_allowed_flag
    b.ue(mbs_wide - 1)
    b.ue(mbs_high - 1)
    b.u(1, 1)  # frame_mbs_only_flag
    b.u(1, 1)  # direct_8x8_inference_flag
    b.u(0, 1)  # frame_cropping_flag
    b.u(0, 1)  # vui_parameters_present_flag
    return b"\x67" + b.rbsp()


def _pps() -> bytes:
    b = _Bits()
    b.ue(0)  # pic_parameter_set_id
    b.ue(0)  # seq_parameter_set_id
    b.u(0, 1)  # entropy_coding_mode_flag: CAVLC
    b.u(0, 1)  # bottom_field_pic_order_in_frame_present_flag
    b.ue(0)  # num_slice_groups_minus1
    b.ue(0)  # num_ref_idx_l0_default_active_minus1
    b.ue(0)  # num_ref_idx_l1_default_active_minus1
    b.u(0, 1)  # weighted_pred_flag
    b.u(0, 2)  # weighted_bipred_idc
    b.se(0)  # pic_init_qp_minus26
    b.se(0)  # pic_init_qs_minus26
    b.se(0)  # chroma_qp_index_offset
    b.u(0, 1)  # deblocking_filter_control_present_flag
    b.u(0, 1)  # constrained_intra_pred_flag
    b.u(0, 1)  # redundant_pic_cnt_present_flag
    return b"\x68" + b.rbsp()


def _idr(macroblocks: int) -> bytes:
    b = _Bits()
    b.ue(0)  # first_mb_in_slice
    b.ue(7)  # slice_type: I (all slices)
    b.ue(0)  # pic_parameter_set_id
    b.u(0, 4)  # frame_num
    b.ue(0)  # idr_pic_id
    b.u(0, 1)  # no_output_of_prior_pics_flag
    b.u(0, 1)  # long_term_reference_flag
    b.se(0)  # slice_qp_delta
    for _ in range(macroblocks):
        b.ue(3)  # mb_type I_16x16_2_0_0: DC prediction, no coded block pattern
        b.ue(0)  # intra_chroma_pred_mode: DC
        b.se(0)  # mb_qp_delta
        b.u(1, 1)  # Intra16x16DCLevel coeff_token: no coefficients (0 <= nC < 2)
    return b"\x65" + b.rbsp()


def _skipped(frame_num: int, macroblocks: int) -> bytes:
    b = _Bits()
    b.ue(0)  # first_mb_in_slice
    b.ue(5)  # slice_type: P (all slices)
    b.ue(0)  # pic_parameter_set_id
    b.u(frame_num % 16, 4)
    b.u(0, 1)  # num_ref_idx_active_override_flag
    b.u(0, 1)  # ref_pic_list_modification_flag_l0
    b.u(0, 1)  # adaptive_ref_pic_marking_mode_flag
    b.se(0)  # slice_qp_delta
    b.ue(macroblocks)  # mb_skip_run: every macroblock
    return b"\x41" + b.rbsp()


def _box(kind: bytes, *payload: bytes) -> bytes:
    body = b"".join(payload)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full(kind: bytes, version: int, flags: int, *payload: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *payload)


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def mp4_bytes(width: int = 384, height: int = 384, seconds: int = 4, *, pad_to: int = 0) -> bytes:
    """An MP4 of ``seconds`` one-second frames of ``width`` x ``height`` (multiples of 16)."""
    assert width % 16 == 0 and height % 16 == 0 and seconds >= 1
    mbs = (width // 16) * (height // 16)
    sps, pps = _sps(width // 16, height // 16), _pps()
    samples = [_idr(mbs)] + [_skipped(i, mbs) for i in range(1, seconds)]
    samples = [struct.pack(">I", len(nal)) + nal for nal in samples]
    ms = seconds * 1000
    avcc = _box(
        b"avcC",
        bytes([1, 66, 0xC0, 30, 0xFF, 0xE1]),
        struct.pack(">H", len(sps)),
        sps,
        b"\x01",
        struct.pack(">H", len(pps)),
        pps,
    )
    avc1 = _box(
        b"avc1",
        b"\0" * 6,
        struct.pack(">H", 1),
        b"\0" * 16,
        struct.pack(">HHIIIH", width, height, 0x480000, 0x480000, 0, 1),
        b"\0" * 32,
        struct.pack(">Hh", 0x18, -1),
        avcc,
    )

    def moov(offset: int) -> bytes:
        stbl = _box(
            b"stbl",
            _full(b"stsd", 0, 0, struct.pack(">I", 1), avc1),
            _full(b"stts", 0, 0, struct.pack(">III", 1, len(samples), 1000)),
            _full(b"stss", 0, 0, struct.pack(">II", 1, 1)),
            _full(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, len(samples), 1)),
            _full(
                b"stsz",
                0,
                0,
                struct.pack(">II", 0, len(samples)),
                *(struct.pack(">I", len(s)) for s in samples),
            ),
            _full(b"stco", 0, 0, struct.pack(">II", 1, offset)),
        )
        minf = _box(
            b"minf",
            _full(b"vmhd", 0, 1, b"\0" * 8),
            _box(b"dinf", _full(b"dref", 0, 0, struct.pack(">I", 1), _full(b"url ", 0, 1))),
            stbl,
        )
        mdia = _box(
            b"mdia",
            _full(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, 1000, ms, 0x55C4, 0)),
            _full(b"hdlr", 0, 0, b"\0" * 4, b"vide", b"\0" * 12, b"VideoHandler\0"),
            minf,
        )
        tkhd = _full(
            b"tkhd",
            0,
            3,
            struct.pack(">IIIII", 0, 0, 1, 0, ms),
            b"\0" * 8,
            struct.pack(">hhhH", 0, 0, 0, 0),
            _MATRIX,
            struct.pack(">II", width << 16, height << 16),
        )
        mvhd = _full(
            b"mvhd",
            0,
            0,
            struct.pack(">IIII", 0, 0, 1000, ms),
            struct.pack(">IH", 0x10000, 0x100),
            b"\0" * 10,
            _MATRIX,
            b"\0" * 24,
            struct.pack(">I", 2),
        )
        return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))

    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    head = len(ftyp) + len(moov(0)) + 8
    out = ftyp + moov(head) + _box(b"mdat", *samples)
    if pad_to > len(out) + 8:
        out += _box(b"free", b"\0" * (pad_to - len(out) - 8))
    return out
