"""The Markdown view: summary first, tables, warning block, collapsible details, the size cap."""

from __future__ import annotations

import re

import pytest

from reconciler.plan import Action, Kind, Plan, ResourceChange
from reconciler.render import markdown
from tests.render.sample_plans import ACCOUNT, MANIFESTS, big_plan, empty_plan, mixed_plan, new_account_plan

NOTE = re.compile(
    r"^… truncated: (?:(\d[\d,]*) more changes?)?(?: and )?(?:(\d[\d,]*) more unmanaged entit(?:y|ies))?; "
    r"see every change with `reconciler show plan\.json --format markdown` "
    r"\(save the plan with `reconciler plan --out plan\.json`\)$",
    re.MULTILINE,
)


def md(plan: Plan, **opts: int) -> str:
    return markdown.render(plan.to_dict(), **opts)


def shown_changes(text: str) -> int:
    return len(re.findall(r"^[-+~±] (?:create|update|archive|delete|replace) ", text, re.MULTILINE))


def shown_unmanaged(text: str) -> int:
    return len(re.findall(r"^\? unmanaged ", text, re.MULTILINE))


def assert_well_formed(text: str) -> None:
    assert text.count("```") % 2 == 0
    assert text.count("<details>") == text.count("</details>")
    assert text.endswith("\n")


def test_summary_table_comes_first() -> None:
    text = md(mixed_plan())
    assert text.startswith("## LinkedIn Ads plan\n\nTarget `production` · LinkedIn API `202610`\n")
    assert text.index("| Action | Count |") < text.index("[!CAUTION]") < text.index("#### Budget impact")
    assert text.index("#### Budget impact") < text.index("#### Limit headroom") < text.index("### Changes")
    assert "| `~` update | 2 |" in text and "| `?` unmanaged | 2 |" in text


def test_violations_are_a_warning_block() -> None:
    text = md(mixed_plan())
    assert "> [!CAUTION]\n> **This plan will be refused: it would break account limits.**" in text
    assert "> - **needs --force**: account 500000001: raises total daily budget" in text
    flags_only = Plan(
        "t", "202610", MANIFESTS, violations=tuple(v for v in mixed_plan().violations if v.guard != "limit")
    )
    assert "> [!WARNING]\n> **Applying this plan needs `--force` and `--allow-replace`.**" in md(flags_only)
    assert "[!" not in md(new_account_plan())


def test_details_per_campaign_group_with_a_diff_block() -> None:
    text = md(mixed_plan())
    assert (
        "<details><summary><b>500000001 / Brand</b>: 1 to create, 2 to update, 1 to archive, 1 to delete, "
        "1 to replace</summary>\n\n```diff\n~ update campaign 500000001 / Brand / Prospecting (id 20)\n"
        "-     dailyBudget: 50 USD\n+     dailyBudget: 1,250.75 USD\n"
    ) in text
    assert "<summary><b>500000002 / Marke | DACH</b>: 1 to update</summary>" in text
    assert '      name: "Prospecting" → "Prospecting 2026"  (ignored)' in text
    assert_well_formed(text)


def test_names_are_escaped_for_html_and_tables() -> None:
    change = ResourceChange(Kind.GROUP, Action.CREATE, (ACCOUNT, "<b>|x</b> & *y*"))
    text = md(Plan("t", "202610", MANIFESTS, changes=(change,)))
    assert "<summary><b>500000001 / &lt;b&gt;|x&lt;/b&gt; &amp; *y*</b>: 1 to create</summary>" in text
    headroom = md(mixed_plan())
    assert "(in Marke \\| DACH / Launch &lt;beta&gt;)" in headroom


def test_empty_plan_says_no_changes_and_has_no_details() -> None:
    text = md(empty_plan())
    assert "**No changes. Live state matches the manifests.**" in text
    assert "<details>" not in text and NOTE.search(text) is None


def test_a_plan_that_fits_is_not_truncated() -> None:
    text = md(mixed_plan())
    assert NOTE.search(text) is None
    assert shown_changes(text) == len(mixed_plan().changes)


@pytest.mark.parametrize("limit", [2_000, 3_000, 5_000, 10_000, 25_000])
def test_truncation_keeps_the_summary_and_counts_what_it_left_out(limit: int) -> None:
    plan = big_plan(300)
    text = md(plan, max_chars=limit)
    assert len(text) <= limit
    assert "| `+` create | 300 |" in text and "| `?` unmanaged | 300 |" in text
    match = NOTE.search(text)
    assert match is not None
    hidden_changes = int((match.group(1) or "0").replace(",", ""))
    hidden_unmanaged = int((match.group(2) or "0").replace(",", ""))
    assert shown_changes(text) + hidden_changes == 300
    assert shown_unmanaged(text) + hidden_unmanaged == 300
    assert text.rstrip().endswith("</sub>")
    assert_well_formed(text)


def test_truncation_drops_whole_changes_only() -> None:
    text = md(mixed_plan(), max_chars=3_900)
    match = NOTE.search(text)
    assert match is not None and match.group(2) == "2"
    assert 0 < int(match.group(1)) == len(mixed_plan().changes) - shown_changes(text)
    assert "~ update campaign 500000001 / Brand / Prospecting (id 20)" in text
    assert "totalBudget: 20,000 USD" in text  # the shown change is complete
    assert_well_formed(text)


def test_never_over_the_default_limit() -> None:
    text = md(big_plan(5_000))
    assert len(text) <= markdown.MAX_CHARS == 60_000
    assert NOTE.search(text) is not None
    assert_well_formed(text)


@pytest.mark.parametrize("limit", range(100, 2_600, 150))
def test_any_limit_is_respected_even_below_the_size_of_the_tables(limit: int) -> None:
    text = md(mixed_plan(), max_chars=limit)
    assert len(text) <= limit
    assert "truncated" in text


def test_rendering_is_deterministic() -> None:
    for plan in (empty_plan(), new_account_plan(), mixed_plan(), big_plan(50)):
        assert md(plan) == md(plan)
        assert md(plan, max_chars=2_000) == md(plan, max_chars=2_000)
