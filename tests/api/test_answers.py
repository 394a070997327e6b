"""Answers are parsed by orjson where it reads them exactly, by json where it does not: the value is
the same either way."""

from __future__ import annotations

import json

import pytest

from reconciler.api.answers import parse_json
from reconciler.errors import BadAnswer


@pytest.mark.parametrize(
    "body",
    [
        b'{"results": {"urn%3Ali%3Ashare%3A1": {"id": 18446744073709551616}}}',  # beyond 64 bits
        b'{"name": "x\\ud800y", "n": -1.5e3}',  # an unpaired surrogate (scrubbed to U+FFFD)
        b'{"v": NaN, "w": Infinity}',
        '{"é": "\u2028"}'.encode("utf-16"),  # json detects the encoding
        b'{"a": 1, "a": 2, "b": [true, null, 0.1]}',
        b"[-9223372036854775809, 9223372036854775808, -0, 1e400]",
    ],
)
def test_every_json_value_reads_as_json_reads_it(body: bytes) -> None:
    got = parse_json(body, [], method="GET", path="/x", status=200)
    expected = json.loads(body)
    if b"\\ud800" in body:
        expected["name"] = "x\ufffdy"
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe{", b"[" * 100_000 + b"]" * 100_000])
def test_what_neither_reads_is_a_bad_answer(body: bytes) -> None:
    with pytest.raises(BadAnswer):
        parse_json(body, [], method="GET", path="/x", status=200)
