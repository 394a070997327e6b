"""``reconciler fmt``: manifests in canonical form, comments and anchors kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from reconciler.cli import app
from reconciler.manifest.canonical import canonical

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "fmt"
runner = CliRunner()


def comments(text: str) -> list[str]:
    return sorted(m.group(0).strip() for m in re.finditer(r"#[^\n]*", text))


def test_the_examples_are_canonical() -> None:
    result = runner.invoke(app, ["fmt", "--check", str(ROOT / "examples")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_a_shuffled_copy_is_listed_then_restored_with_every_comment(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "quickstart" / "account.yaml", tmp_path / "account.yaml")
    shutil.copy(ROOT / "examples" / "quickstart" / "reconciler.lock.yaml", tmp_path / "reconciler.lock.yaml")
    target = tmp_path / "q1-brand.yaml"
    shutil.copy(DATA / "shuffled.yaml", target)
    before = runner.invoke(app, ["validate", str(tmp_path)])
    assert before.exit_code == 0, before.output

    check = runner.invoke(app, ["fmt", "--check", str(tmp_path)])
    assert check.exit_code == 1
    assert check.stdout == f"would reformat {target}\n"
    assert "1 file would be reformatted, 1 file already canonical." in check.stderr
    assert target.read_text(encoding="utf-8") == (DATA / "shuffled.yaml").read_text(encoding="utf-8")

    done = runner.invoke(app, ["fmt", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert done.stdout == f"reformatted {target}\n"
    text = target.read_text(encoding="utf-8")
    assert text == (DATA / "canonical.yaml").read_text(encoding="utf-8")
    assert comments(text) == comments((DATA / "shuffled.yaml").read_text(encoding="utf-8"))
    assert "&q1" in text and "*q1" in text  # the anchor and its alias
    after = runner.invoke(app, ["validate", str(tmp_path)])
    assert after.stdout == before.stdout  # the same manifests
    assert runner.invoke(app, ["fmt", "--check", str(tmp_path)]).exit_code == 0


def test_money_and_instants_are_written_as_the_docs_write_them() -> None:
    text = (
        "version: 1\naccount: {id: 1, currency: USD}\ncampaignGroups:\n"
        '  - totalBudget: {amount: "99.50", currencyCode: USD}\n'
        '    runSchedule: {start: "2027-01-04", end: "2027-04-01T09:00:00Z"}\n'
        "    name: G\n"
        '    dailyBudget: "10 USD"  # quoted\n'
    )
    assert canonical(text) == (
        "version: 1\naccount: {id: 1, currency: USD}\ncampaignGroups:\n"
        "  - name: G\n"
        "    runSchedule: {start: 2027-01-04, end: 2027-04-01T09:00:00Z}\n"
        "    totalBudget: 99.50 USD\n"
        "    dailyBudget: 10 USD    # quoted\n"  # an end-of-line comment keeps its column
    )
    assert canonical(canonical(text)) == canonical(text)


def test_names_of_your_own_keep_their_order() -> None:
    audiences = "audiences:\n  zeta: {include: [{locations: [a]}]}\n  alpha: {include: [{locations: [b]}]}\n"
    assert canonical(audiences + "version: 1\n") == "version: 1\n" + audiences


def test_a_file_that_is_not_yaml_is_reported_and_left_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\naccount: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 1
    assert f"error: {broken}: not valid YAML, so not formatted:" in result.stderr
    assert "Traceback" not in result.output
    assert broken.read_text(encoding="utf-8") == "version: 1\naccount: [unclosed\n"
