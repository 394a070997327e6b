"""``reconciler show``: a saved plan rendered in full, identical changes drawn once."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.plan import Action, FieldChange, Kind, Plan, ResourceChange
from reconciler.render import markdown
from tests.render.sample_plans import ACCOUNT, MANIFESTS, mixed_plan

runner = CliRunner()


def usd(amount: str) -> dict[str, str]:
    return {"amount": amount, "currencyCode": "USD"}


def budget_plan(count: int) -> Plan:
    """``count`` campaigns over four groups whose daily budget goes 50 -> 60 USD, and one odd one."""
    changes = [
        ResourceChange(
            Kind.CAMPAIGN,
            Action.UPDATE,
            (ACCOUNT, f"Group {n % 4}", f"Campaign {n:04d}"),
            id=1_000 + n,
            parent_id=10 + n % 4,
            fields=(FieldChange("dailyBudget", usd("50"), usd("60")),),
            body={"dailyBudget": usd("60")},
        )
        for n in range(count - 1)
    ]
    changes.append(
        ResourceChange(
            Kind.CAMPAIGN,
            Action.UPDATE,
            (ACCOUNT, "Group 0", "Odd one"),
            id=99,
            parent_id=10,
            fields=(FieldChange("dailyBudget", usd("50"), usd("75")),),
            body={"dailyBudget": usd("75")},
        )
    )
    return Plan("production", "202610", MANIFESTS, changes=tuple(changes))


def saved(tmp_path: Path, plan: Plan) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(plan.to_json(), encoding="utf-8")
    return path


def test_identical_changes_are_drawn_once_with_every_resource() -> None:
    text = markdown.render(budget_plan(9).to_dict(), max_chars=None)
    assert "~ dailyBudget: 50 USD → 60 USD on 2 campaigns\n" in text  # Group 0: n = 0, 4
    assert "~ dailyBudget: 50 USD → 60 USD on 3 campaigns\n" not in text
    assert "      · 500000001 / Group 0 / Campaign 0004 (id 1004)\n" in text
    # The odd one is not like the others: drawn on its own.
    assert "~ update campaign 500000001 / Group 0 / Odd one (id 99)\n+     dailyBudget: 75 USD" not in text
    assert "~ update campaign 500000001 / Group 0 / Odd one (id 99)\n-     dailyBudget: 50 USD\n" in text


def test_a_group_of_several_fields_lists_them_once() -> None:
    change = ResourceChange(
        Kind.CAMPAIGN,
        Action.UPDATE,
        (ACCOUNT, "G", "A"),
        id=1,
        fields=(FieldChange("dailyBudget", usd("5"), usd("6")), FieldChange("status", "ACTIVE", "PAUSED")),
        body={"dailyBudget": usd("6"), "status": "PAUSED"},
    )
    other = ResourceChange(**{**change.__dict__, "path": (ACCOUNT, "G", "B"), "id": 2})
    text = markdown.render(Plan("t", "202610", MANIFESTS, changes=(change, other)).to_dict())
    assert (
        "~ update 2 campaigns, each the same:\n-     dailyBudget: 5 USD\n+     dailyBudget: 6 USD\n"
        "-     status: ACTIVE\n+     status: PAUSED\n      · 500000001 / G / A (id 1)\n"
        "      · 500000001 / G / B (id 2)\n"
    ) in text


def test_show_prints_every_change_of_a_thousand_change_plan(tmp_path: Path) -> None:
    plan = budget_plan(1_000)
    path = saved(tmp_path, plan)
    cut = runner.invoke(app, ["show", str(path), "--format", "markdown"])
    assert cut.exit_code == 0, cut.output
    text = cut.stdout
    assert len(markdown.render(plan.to_dict())) <= markdown.MAX_CHARS  # the PR comment is capped…
    assert "truncated" not in text  # … show is not
    listed = set(re.findall(r"^      · 500000001 / Group \d / (Campaign \d{4}) \(id", text, re.MULTILINE))
    assert len(listed) == 999
    assert "~ dailyBudget: 50 USD → 60 USD on 250 campaigns\n" in text
    assert "~ dailyBudget: 50 USD → 60 USD on 249 campaigns\n" in text
    assert "~ update campaign 500000001 / Group 0 / Odd one (id 99)" in text


def test_a_capped_comment_points_at_show() -> None:
    text = markdown.render(mixed_plan().to_dict(), max_chars=3_900)
    assert "`reconciler show plan.json --format markdown`" in text


def test_show_human_and_json(tmp_path: Path) -> None:
    plan = mixed_plan()
    path = saved(tmp_path, plan)
    human = runner.invoke(app, ["show", str(path)])
    assert human.exit_code == 0, human.output
    assert "Plan: 1 to create, 2 to update, 1 to archive, 1 to delete, 1 to replace; " in human.stdout
    assert "\x1b[" not in human.stdout
    as_json = runner.invoke(app, ["show", str(path), "-f", "json"])
    assert json.loads(as_json.stdout)["checksum"] == plan.checksum


def test_show_refuses_an_edited_or_missing_plan(tmp_path: Path) -> None:
    path = saved(tmp_path, mixed_plan())
    path.write_text(path.read_text().replace("Prospecting", "Prospecting!"), encoding="utf-8")
    edited = runner.invoke(app, ["show", str(path)])
    assert edited.exit_code == 1
    assert "not a plan: plan checksum does not match" in edited.stderr
    missing = runner.invoke(app, ["show", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
    assert "Traceback" not in missing.output
