"""A content's fingerprint never changes for the same content: posts carry it (their dscName mark), so
a different value would make every existing post look edited. It is the sha256 of
``json.dumps({kind: spec}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` in UTF-8 with
each file path replaced by the file's sha256; these tests hold the faster writer to exactly that."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.model import AssetFile, ManagedContent, file_fields
from reconciler.model.content import canonical_json


def reference(kind: str, spec: Mapping[str, Any], files: tuple[AssetFile, ...]) -> str:
    """The fingerprint as first defined: a plain copy, file paths replaced, ``json.dumps``."""

    def plain(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    body = plain(spec)
    digests = {item.path: item.sha256 for item in files}
    for path, _media in file_fields(kind, spec):
        node: Any = body
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = digests.get(node[path[-1]], node[path[-1]])
    text = json.dumps({kind: body}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reference_bytes(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# Fingerprints worked out by the first implementation (json.dumps): they must never change.
PINNED = [
    (
        "image",
        {
            "file": "a.png",
            "introText": 'Héllo "quoted" \\ back\tslash — ünïcödé 🎉',
            "headline": "See",
            "landingPage": "https://x.example/?a=1&b=2",
            "callToAction": "LEARN_MORE",
        },
        (AssetFile("a.png", "1" * 64, 10, "image"),),
        "bfb2a5b9ee0bd7f216338381a6debe425f8fc9fcdd01b26c3d17f37553fea0ca",
    ),
    (
        "carousel",
        {
            "cards": [{"file": "c/1.png", "headline": "One"}, {"file": "c/2.png", "headline": "Two"}],
            "introText": "Zebra\u2028line",
            "z": [1, -2, 2**70, True, None],
        },
        (AssetFile("c/1.png", "2" * 64, 10, "image"), AssetFile("c/2.png", "3" * 64, 10, "image")),
        "e9b52806ed21df4dc35ee0e8513f6397d6072851a2e7739b9c7260edc9b8b0d2",
    ),
    (
        "video",
        {"file": "v.mp4", "duration": 1.5, "big": 1e16, "tiny": 5e-324, "ratio": 0.1},
        (AssetFile("v.mp4", "4" * 64, 10, "video"),),
        "c126da002510e03449c19aa4407abc680c11f9882f661b88b621a8836dceda27",
    ),
    (
        "conversation",
        {
            "start": "a",
            "messages": {
                "b": {"body": "B"},
                "a": {"body": "A\x7f", "buttons": [{"label": "go", "next": "b"}]},
                "\U0001f600": {},
                "\uffff": {},
            },
        },
        (),
        "6a87e201aa66fc4048ff61b72cfb3ab576614b90221fe821999931f0c391299f",
    ),
]


@pytest.mark.parametrize(("kind", "spec", "files", "expected"), PINNED, ids=[row[0] for row in PINNED])
def test_pinned_fingerprints_do_not_change(
    kind: str, spec: dict[str, Any], files: tuple[AssetFile, ...], expected: str
) -> None:
    assert ManagedContent(kind, spec, files).fingerprint() == expected
    assert reference(kind, spec, files) == expected


def test_every_character_is_written_as_json_writes_it() -> None:
    # Both writers escape character by character, so one string of every code point (surrogates
    # aside: they cannot be written in UTF-8) shows every escape; as a key too, and keys of every
    # plane sort alike (code point order).
    text = "".join(chr(point) for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF)
    value = {"v": text, text: 1, "\U0001f600": 2, "\uffff": 3, "\ud7ff": 4, "\ue000": 5, "\x00": 6}
    assert canonical_json({"event": value}, "event", {}) == reference_bytes({"event": value})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(), max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(st.characters(), max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


def outcome(make: Any) -> tuple[str, Any]:
    try:
        return "value", make()
    except Exception as err:  # the same failure, or none, on both sides
        return "raised", type(err)


FIELDS = st.sampled_from(["file", "headline", "cards", "introText", "x"])


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(FIELDS, json_values, max_size=4), st.sampled_from(["image", "carousel", "event"]))
def test_a_fingerprint_is_the_json_one_for_any_value(spec: dict[str, Any], kind: str) -> None:
    if kind == "carousel":
        spec = {**spec, "cards": [{"file": "a.png"}, {"file": "b.png", "headline": spec.get("headline")}]}
    files = (AssetFile("a.png", "1" * 64, 10, "image"), AssetFile("b.png", "2" * 64, 10, "image"))
    assert outcome(lambda: ManagedContent(kind, spec, files).fingerprint()) == outcome(
        lambda: reference(kind, spec, files)
    )


floatless_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(), max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(st.characters(), max_size=4), inner),
    max_leaves=16,
)


@settings(max_examples=400, deadline=None)
@given(floatless_values)
def test_the_canonical_json_of_values_without_floats_is_json_dumps(value: Any) -> None:
    # orjson writes these (floats are json's to write); surrogates and big ints must end as json's do.
    assert outcome(lambda: canonical_json({"event": value}, "event", {})) == outcome(
        lambda: reference_bytes({"event": value})
    )
