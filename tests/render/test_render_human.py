"""The human view: symbols and words per action, values, sections, colour only on request."""

from __future__ import annotations

import re
from dataclasses import replace

from reconciler.plan import Action, FieldChange, Kind, Plan, ResourceChange
from reconciler.render import color_wanted, human
from tests.render.sample_plans import ACCOUNT, MANIFESTS, empty_plan, mixed_plan, new_account_plan

ANSI = re.compile(r"\x1b\[")


def lines_of(plan: Plan, **opts: bool) -> list[str]:
    return human.render(plan.to_dict(), **opts).splitlines()


def test_header_names_target_and_api_version() -> None:
    first = lines_of(mixed_plan())[0]
    assert first == 'Plan for target "production", LinkedIn API 202610'


def test_each_action_has_its_symbol_and_says_archive_or_delete() -> None:
    heads = [line for line in lines_of(mixed_plan()) if re.match(r"  [-+~±] ", line)]
    assert "  + create creative 500000001 / Brand / Retargeting / Carousel" in heads
    assert "  ~ update campaign 500000001 / Brand / Prospecting (id 20)" in heads
    assert "  - archive campaign 500000001 / Brand / Old (id 23)" in heads
    assert "  - delete creative 500000001 / Brand / Old / Draft ad (id 31)" in heads
    assert "  ± replace campaign 500000001 / Brand / Retargeting (id 21)" in heads


def test_replace_gives_the_reason_and_the_loss_of_history() -> None:
    text = human.render(mixed_plan().to_dict())
    assert "# must be replaced: costType can't change once a campaign left DRAFT" in text
    assert "loses reporting history" in text


def test_field_changes_read_old_to_new_in_compact_form() -> None:
    lines = lines_of(mixed_plan())
    assert "      dailyBudget: 50 USD → 1,250.75 USD" in lines
    assert "      runSchedule: from 2026-01-01, no end → 2026-01-01 to 2026-03-31" in lines
    assert "      totalBudget: 20,000 USD → (unset)" in lines
    assert "      intendedStatus: DRAFT → (deleted)" in lines


def test_targeting_reads_facet_by_facet_and_is_never_cut() -> None:
    lines = lines_of(mixed_plan())
    at = lines.index("      targetingCriteria:")
    assert lines[at + 1] == "        + include locations: urn:li:geo:101174742"
    assert not any(line.endswith("…") for line in lines[at : at + 8])
    assert "adTargetingFacet" not in "\n".join(lines)


def test_ignored_changes_are_marked_and_ignored_only_updates_say_nothing_is_written() -> None:
    text = human.render(mixed_plan().to_dict())
    assert '      name: "Prospecting" → "Prospecting 2026"  (ignored)' in text
    assert "      # only ignored drift: nothing is written" in text


def test_a_campaign_to_activate_says_so() -> None:
    text = human.render(new_account_plan().to_dict())
    assert "      # created as DRAFT, activated after its creatives" in text


def test_creates_list_values_without_arrows() -> None:
    lines = lines_of(new_account_plan())
    assert "      dailyBudget: 25.50 USD" in lines
    assert "      runSchedule: from 2026-02-01T09:30:00Z, no end" in lines
    assert "      locale: en_US" in lines


def test_unmanaged_entities_are_listed_as_left_alone() -> None:
    line = "  ? unmanaged campaign group 500000001 / Events (id 11, ACTIVE)"
    assert f"{line}  (left alone; set prune: true to archive)" in lines_of(mixed_plan())


def test_summary_line() -> None:
    summary = (
        "Plan: 1 to create, 2 to update, 1 to archive, 1 to delete, 1 to replace; 1 with only ignored drift; "
        "2 unmanaged."
    )
    assert summary in lines_of(mixed_plan())
    assert "No changes. Live state matches the manifests." in lines_of(empty_plan())


def test_no_changes_still_counts_unmanaged() -> None:
    plan = replace(empty_plan(), unmanaged=mixed_plan().unmanaged)
    assert "No changes. Live state matches the manifests. 2 unmanaged." in lines_of(plan)


def test_budget_impact_per_currency_with_delta() -> None:
    lines = lines_of(mixed_plan())
    assert "  EUR daily     100 → 80  (-20)" in lines
    assert "  USD daily     150 → 1,350.75  (+1,200.75)" in lines
    assert "  USD lifetime  20,000 → 0  (-20,000)" in lines


def test_accounts_sharing_a_currency_are_added_up() -> None:
    plan = mixed_plan()
    twice = replace(plan, budgets=(*plan.budgets, plan.budgets[1]))
    assert "  USD daily     300 → 2,701.5  (+2,401.5)" in lines_of(twice)


def test_headroom_reads_used_over_maximum_after_apply_with_before() -> None:
    lines = lines_of(mixed_plan())
    over = "  campaigns                      5,001 / 5,000 after apply (4,999 before)  ⚠ over the limit"
    assert over in lines
    assert any("951 / 1,000 after apply (950 before)  ⚠ near the limit" in line for line in lines)


def test_headroom_scopes_name_the_fullest_parent() -> None:
    text = human.render(mixed_plan().to_dict())
    assert "(12 before), in Brand / Retargeting\n" in text
    created = human.render(new_account_plan().to_dict())
    assert "(0 before), in Q1 Brand / Q1 Brand — US\n" in created


def test_live_keys_left_as_scopes_become_paths_or_kind_and_id() -> None:
    lines = lines_of(mixed_plan())
    assert "  campaigns per group            1 / 2,000 after apply (1 before), in Marke | DACH" in lines
    assert any(line.endswith("(2 before), in Marke | DACH / Launch <beta>") for line in lines)
    assert any(line.endswith("(2 before), in campaign 99") for line in lines)


def test_violations_say_what_each_needs() -> None:
    lines = lines_of(mixed_plan())
    at = lines.index("Violations:")
    assert lines[at + 1].startswith("  refused: account 500000001: campaigns would be 5,001")
    assert lines[at + 2].startswith("  needs --force: account 500000001: raises total daily budget")
    assert lines[at + 3].startswith("  needs --allow-replace: ")


def test_notes_are_printed() -> None:
    note = "  - target production uses API version 202610; 202509 sunsets on 2026-09-15"
    assert note in lines_of(mixed_plan())


def test_no_colour_unless_asked() -> None:
    for plan in (empty_plan(), new_account_plan(), mixed_plan()):
        assert not ANSI.search(human.render(plan.to_dict()))
        assert not ANSI.search(human.render(plan.to_dict(), color=False))
    coloured = human.render(mixed_plan().to_dict(), color=True)
    assert "\x1b[32m  + create creative" in coloured
    assert "\x1b[31m  - archive campaign" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == human.render(mixed_plan().to_dict())


def test_colour_wanted_on_a_tty_unless_no_color() -> None:
    assert color_wanted(True, {})
    assert color_wanted(True, {"NO_COLOR": ""})  # https://no-color.org: set to a non-empty value
    assert not color_wanted(True, {"NO_COLOR": "1"})
    assert not color_wanted(False, {})


def test_names_with_control_characters_stay_on_one_line() -> None:
    change = ResourceChange(
        Kind.GROUP,
        Action.CREATE,
        (ACCOUNT, "Evil\nname\x1b[31m"),
        fields=(FieldChange("name", None, "Evil\nname\x1b[31m"),),
    )
    text = human.render(Plan("t", "202610", MANIFESTS, changes=(change,)).to_dict(), color=False)
    assert "\x1b" not in text
    assert "  + create campaign group 500000001 / Evil\\nname\\u001b[31m" in text.splitlines()
    assert '      name: "Evil\\nname\\u001b[31m"' in text.splitlines()


def test_rendering_is_deterministic() -> None:
    for make in (empty_plan, new_account_plan, mixed_plan):
        assert human.render(make().to_dict()) == human.render(make().to_dict())
