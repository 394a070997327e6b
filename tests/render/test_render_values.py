"""Compact value text: money, schedules, targeting, strings, cuts; and the renderers' isolation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.render import human, markdown
from reconciler.render.values import amount, cut, delta, instant, label, show
from tests.render.sample_plans import FEB_2_0930, JAN_1, MAR_31, US_TARGETING, WIDER_TARGETING, mixed_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "(unset)"),
        (True, "true"),
        (0, "0"),
        ({"amount": "50", "currencyCode": "USD"}, "50 USD"),
        ({"amount": "1234567.5", "currencyCode": "EUR"}, "1,234,567.5 EUR"),
        ({"start": JAN_1, "end": MAR_31}, "2026-01-01 to 2026-03-31"),
        ({"start": FEB_2_0930}, "from 2026-02-01T09:30:00Z, no end"),
        ({"start": FEB_2_0930 + 5}, "from 2026-02-01T09:30:00.005Z, no end"),
        ({"country": "US", "language": "en"}, "en_US"),
        ("ACTIVE", "ACTIVE"),
        ("urn:li:share:1", "urn:li:share:1"),
        ("(another group)", "(another group)"),
        ("Q1 Brand — US", '"Q1 Brand — US"'),
        ("", '""'),
        ("two\nlines", '"two\\nlines"'),
        (["A", "b"], '[A, "b"]'),
        ({"z": 1, "a": {"y": None, "b": False}}, "{a: {b: false, y: (unset)}, z: 1}"),
    ],
)
def test_show(value: object, text: str) -> None:
    assert show(value) == text


def test_targeting_uses_facet_short_names_and_value_lists() -> None:
    assert show(US_TARGETING, limit=200) == (
        "locations: [urn:li:geo:103644278] AND seniorities: [urn:li:seniority:5, urn:li:seniority:6]"
    )
    wide = show(WIDER_TARGETING, limit=400)
    seniorities = ", ".join(f"urn:li:seniority:{n}" for n in (3, 4, 5, 6))
    assert f"(seniorities: [{seniorities}, " in wide
    assert "+3 more] OR titles: [urn:li:title:1, urn:li:title:25])" in wide
    assert wide.endswith(" AND NOT employers: [urn:li:organization:1337]")
    assert show({"include": {"and": []}}) == "everyone"


def test_long_values_are_cut_with_an_ellipsis() -> None:
    text = show("x" * 500)
    assert len(text) == 80 and text.endswith("…")
    assert cut("abc", 3) == "abc" and cut("abcd", 3) == "ab…"


def test_numbers() -> None:
    assert amount("12500.50") == "12,500.50"
    assert amount("not a number") == "not a number"
    assert delta("100", "80") == "-20"
    assert delta("0", "10050") == "+10,050"
    assert delta("1.50", "1.5") == "no change"
    assert instant(JAN_1) == "2026-01-01"
    assert instant(10**20) == str(10**20)


def test_label_escapes_control_characters() -> None:
    assert label("a\tb\x1bc") == "a\\tb\\u001bc"


def test_output_does_not_depend_on_dict_order() -> None:
    data = mixed_plan().to_dict()
    shuffled = json.loads(json.dumps(data, sort_keys=True))
    reversed_keys = {k: data[k] for k in reversed(list(data))}
    for render in (human.render, markdown.render):
        assert render(data) == render(shuffled) == render(reversed_keys)


def test_renderers_import_neither_the_planner_nor_the_model() -> None:
    code = (
        "import sys, reconciler.render; "
        "bad = sorted(m for m in sys.modules if m.startswith(('reconciler.planner', 'reconciler.model', "
        "'reconciler.diff', 'reconciler.live', 'reconciler.api'))); print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
