"""``reconciler validate``: exit codes, output formats, and no traceback for user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconciler.cli import app

ROOT = Path(__file__).parents[2]
INVALID = ROOT / "tests" / "data" / "manifests" / "invalid"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_valid_manifests_exit_0_with_a_one_line_summary() -> None:
    result = runner.invoke(app, ["validate", "examples/quickstart"])
    assert result.exit_code == 0
    assert result.stdout == "2 files, 1 account, 1 group, 2 campaigns, 3 creatives: valid\n"


def test_several_paths() -> None:
    result = runner.invoke(app, ["validate", "examples/b2b-saas", "examples/quickstart/q1-brand.yaml"])
    assert result.exit_code == 1  # the quickstart group's name is new, but its audience is not defined
    assert "unknown audience 'us-tech-leaders'" in result.stdout


def test_problems_exit_1_one_per_line_as_file_line_col_path_message() -> None:
    result = runner.invoke(app, ["validate", "tests/data/manifests/invalid/many-problems.yaml"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 6
    assert lines[2] == (
        "tests/data/manifests/invalid/many-problems.yaml:10:9: campaignGroups[0].campaigns[0].dailyBudgett: "
        "unknown field 'dailyBudgett' — did you mean 'dailyBudget'?"
    )
    assert result.stderr == "6 problems in 1 file: invalid\n"


def test_json_format_when_valid() -> None:
    result = runner.invoke(app, ["validate", "--format", "json", "examples/quickstart"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document == {
        "valid": True,
        "counts": {"files": 2, "accounts": 1, "groups": 1, "campaigns": 2, "creatives": 3},
        "files": ["examples/quickstart/account.yaml", "examples/quickstart/q1-brand.yaml"],
        "problems": [],
    }


def test_json_format_with_problems() -> None:
    result = runner.invoke(app, ["validate", "-f", "json", "tests/data/manifests/invalid/duplicate-key.yaml"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "valid": False,
        "problems": [
            {
                "file": "tests/data/manifests/invalid/duplicate-key.yaml",
                "line": 10,
                "column": 9,
                "path": "campaignGroups[0].campaigns[0].dailyBudget",
                "message": "duplicate key 'dailyBudget' (first at line 8, column 9); "
                "YAML would silently keep only the last one",
            }
        ],
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["does/not/exist"], "does/not/exist: no such file or directory"),
        (["tests/manifest"], "tests/manifest: no .yaml or .yml files in this directory"),
        (["tests/data/manifests/invalid/binary-file.yaml"], "binary file (NUL byte found)"),
        (["tests/data/manifests/invalid/alias-bomb.yaml"], "alias bomb"),
        (["tests/data/manifests/invalid/malformed-yaml.yaml"], "invalid YAML"),
    ],
)
def test_user_errors_never_show_a_traceback(args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["validate", *args])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert expected in result.stdout
    assert "Traceback" not in result.output


def test_every_invalid_scenario_exits_1_without_a_traceback() -> None:
    for scenario in sorted(INVALID.iterdir()):
        result = runner.invoke(app, ["validate", str(scenario.relative_to(ROOT))])
        assert result.exit_code == 1, scenario.name
        assert isinstance(result.exception, SystemExit), scenario.name


def test_help_explains_the_command() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    for words in ("PATH", "--format", "human", "json", "Exit status", "file:line:col"):
        assert words in result.stdout


def test_no_path_is_a_usage_error() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert "Missing argument" in result.output
