"""The fast path types every scalar as the node graph does (the YAML 1.2 core schema), whatever its
first character: a plain scalar whose first character no core tag allows is read as a string without
the resolver, so that shortcut is checked here against the pure-Python reader on generated scalars."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.manifest import loader
from reconciler.manifest.loader import parse_document

# Characters that start or shape typed scalars (bools, nulls, ints, floats, merge keys), plus a few
# that start strings or quote them.
ALPHABET = "tTfFnNuUlLrReEaA~0123456789+-._xXoO<iI sSzZ:'\"/"


def _both(raw: bytes) -> tuple[loader.Parsed, loader.Parsed]:
    fast = parse_document("m.yaml", raw)
    with mock.patch.object(loader, "_libyaml_reads", lambda text: False):  # the pure-Python node graph
        slow = parse_document("m.yaml", raw)
    return fast, slow


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=10))
def test_a_value_is_typed_alike_on_both_paths(text: str) -> None:
    fast, slow = _both(f"k: {text}\nl: [{text}]\n".encode())
    assert (fast.document is None) == (slow.document is None)
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]
    if fast.document is not None and slow.document is not None:
        assert repr(fast.document.data) == repr(slow.document.data)  # repr: 1 and True differ


def test_common_words_and_numbers_keep_their_types() -> None:
    fast, slow = _both(
        b"a: Generated creative 7\nb: urn:li:share:7\nc: 7\nd: true\ne: .5\nf: 'true'\ng: null\n"
    )
    assert fast.document is not None and slow.document is not None
    expected = {"a": "Generated creative 7", "b": "urn:li:share:7", "c": 7, "d": True, "e": 0.5}
    assert fast.document.data == slow.document.data == {**expected, "f": "true", "g": None}
