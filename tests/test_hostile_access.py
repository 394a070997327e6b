"""doctor, plan and apply against a server that echoes the access token and the client secret in
its token introspection, account role and page role answers (and refusals): neither appears in any
output, in doctor's JSON (which still fits its schema), or in any file written."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from reconciler.cli import app
from tests.hostile_server import SECRET, TOKEN, EchoSecrets, hostile

ROOT = Path(__file__).parents[1]
QUICKSTART = str(ROOT / "examples" / "quickstart")
SCHEMA = json.loads((ROOT / "reconciler" / "schemas" / "doctor.schema.json").read_text(encoding="utf-8"))
ENV = {
    "LINKEDIN_ACCESS_TOKEN": TOKEN,
    "LINKEDIN_CLIENT_ID": "hostile-app",
    "LINKEDIN_CLIENT_SECRET": SECRET,
    "LINKEDIN_REFRESH_TOKEN": None,
    "RECONCILER_TARGET": None,
    "RECONCILER_TIMEOUT": None,
}
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_a_fresh_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def written(root: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("fail", [False, True], ids=["answers", "refusals"])
def test_secrets_echoed_by_access_answers_are_shown_nowhere(fail: bool, tmp_path: Path) -> None:
    with hostile(EchoSecrets(fail)) as url:
        common = ["--target", url, "--timeout", "2"]
        results = {
            "doctor": runner.invoke(app, ["doctor", QUICKSTART, *common], env=ENV),
            "doctor-json": runner.invoke(app, ["doctor", QUICKSTART, "--format", "json", *common], env=ENV),
            "plan": runner.invoke(app, ["plan", QUICKSTART, "--out", str(tmp_path / "p"), *common], env=ENV),
            "apply": runner.invoke(app, ["apply", QUICKSTART, "--auto-approve", *common], env=ENV),
        }
    for name, result in results.items():
        assert result.exception is None or isinstance(result.exception, SystemExit), name  # no traceback
        assert result.exit_code in (0, 1), (name, result.output)
        assert TOKEN not in result.output and SECRET not in result.output, (name, result.output)
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) <= 1, (name, result.stderr)
    assert TOKEN not in written(tmp_path) and SECRET not in written(tmp_path)
    report = json.loads(results["doctor-json"].stdout)
    jsonschema.validate(report, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert not report["ok"] and results["doctor"].exit_code == 1
