"""Golden files for the three renderers on representative plans (``tests/data/golden``).

Update with ``pytest --update-golden`` (or ``UPDATE_GOLDEN=1``) and review the diff.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reconciler.render import human, jsonout, markdown
from tests.render.sample_plans import ALL, mixed_plan

Golden = Callable[[str, str], None]  # the ``golden`` fixture of tests/render/conftest.py


@pytest.mark.parametrize("name", sorted(ALL))
def test_human(name: str, golden: Golden) -> None:
    golden(f"{name}.human.txt", human.render(ALL[name]().to_dict()))


@pytest.mark.parametrize("name", sorted(ALL))
def test_markdown(name: str, golden: Golden) -> None:
    golden(f"{name}.md", markdown.render(ALL[name]().to_dict()))


@pytest.mark.parametrize("name", sorted(ALL))
def test_json(name: str, golden: Golden) -> None:
    golden(f"{name}.json", jsonout.render(ALL[name]().to_dict()))


def test_human_in_colour(golden: Golden) -> None:
    golden("mixed.human-color.txt", human.render(mixed_plan().to_dict(), color=True))


def test_markdown_truncated(golden: Golden) -> None:
    golden("mixed.truncated.md", markdown.render(mixed_plan().to_dict(), max_chars=3_900))
