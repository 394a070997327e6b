"""The JSON view: exactly ``Plan.to_json()``, stable, and loadable back into the same plan."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest

from reconciler.plan import Plan
from reconciler.render import FORMATS, jsonout, render
from tests.render.sample_plans import ALL, mixed_plan


@pytest.mark.parametrize("name", sorted(ALL))
def test_equals_plan_to_json(name: str) -> None:
    plan = ALL[name]()
    assert jsonout.render(plan.to_dict()) == plan.to_json()


def test_sorted_keys_two_space_indent_unicode_kept() -> None:
    text = jsonout.render(mixed_plan().to_dict())
    assert text.startswith('{\n  "api_version": "202610",\n  "budgets": [')
    assert "Marke | DACH" in text and "\\u" not in text
    assert text.endswith("}\n")


def test_loads_back_into_the_same_plan() -> None:
    plan = mixed_plan()
    assert Plan.from_dict(json.loads(jsonout.render(plan.to_dict()))) == plan


def test_accepts_any_mapping() -> None:
    data = mixed_plan().to_dict()
    assert jsonout.render(MappingProxyType(data)) == jsonout.render(data)


def test_refuses_values_json_cannot_hold() -> None:
    with pytest.raises(TypeError, match="JSON values only"):
        jsonout.render({"x": object()})


def test_render_dispatches_by_format() -> None:
    data = mixed_plan().to_dict()
    assert FORMATS == ("human", "markdown", "json")
    assert render(data, "json") == jsonout.render(data)
    assert render(data) == render(data, "human")
    assert render(data, "markdown", max_chars=1_000) != render(data, "markdown")
    with pytest.raises(ValueError, match="unknown plan format 'yaml'"):
        render(data, "yaml")
