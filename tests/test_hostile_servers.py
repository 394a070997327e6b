"""plan, apply, drift and import against hostile servers: each run ends within its deadline with
exit 1 and one clear error line, no traceback, and the token nowhere in the output or in any file
written. Deadlines are kept short with --timeout so the suite stays fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reconciler.cli import app
from tests.hostile_server import ACCOUNT, TOKEN, EchoNames, Scenario, hostile, scenarios

ROOT = Path(__file__).parents[1]
QUICKSTART = str(ROOT / "examples" / "quickstart")
TIMEOUT = "1"
DEADLINE = 8.0  # seconds: --timeout 1, plus the connection retries (3 s at most), plus start-up
ENV = {
    "LINKEDIN_ACCESS_TOKEN": TOKEN,
    "LINKEDIN_CLIENT_ID": None,
    "LINKEDIN_CLIENT_SECRET": None,
    "LINKEDIN_REFRESH_TOKEN": None,
    "RECONCILER_TARGET": None,
    "RECONCILER_TIMEOUT": None,
}
SAID = {
    "endless-new-page-tokens": "paging did not end after",
    "slow-body": "did not arrive within 1 s (--timeout)",
    "stalled-connect": "cannot connect to 127.0.0.1:",
    "html-200": "the answer is not JSON (it starts with '<html><body>Welcome",
    "null": "the answer is null, not a JSON object",
    "wrong-shape": "the answer has the wrong shape",
    "wrong-entity": "the answer has the wrong shape",
    "token-echoed-in-names-and-code": "HTTP 400 BAD_***",
    "401-mid-run": "HTTP 401 REVOKED_ACCESS_TOKEN",
    "429-retry-after-3600": "the API asks to wait 1 h 0 min: retry after",
    "redirect-to-another-host": "redirected the request to evil.example",
}
COMMANDS = {
    "plan": lambda url, out: ["plan", QUICKSTART, "--out", str(out / "plan.json")],
    "apply": lambda url, out: ["apply", QUICKSTART, "--auto-approve"],
    "drift": lambda url, out: ["drift", QUICKSTART, "--out", str(out / "revert.json")],
    "import": lambda url, out: ["import", "--account", str(ACCOUNT), "--out", str(out / "imported")],
}
runner = CliRunner()


@pytest.fixture(autouse=True)
def _in_a_fresh_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(scenario: Scenario, command: str, tmp_path: Path) -> tuple[Result, float, str]:
    with hostile(scenario) as url:
        args = [*COMMANDS[command](url, tmp_path), "--target", url, "--timeout", TIMEOUT]
        began = time.monotonic()
        result = runner.invoke(app, args, env=ENV)
        took = time.monotonic() - began
    return result, took, url


def written(root: Path) -> str:
    """Every file under ``root`` (plans, journals, imported manifests), as text."""
    return "\n".join(p.read_text("utf-8", "replace") for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: s.name)
def test_a_hostile_server_gets_one_clear_line(scenario: Scenario, command: str, tmp_path: Path) -> None:
    result, took, _url = run(scenario, command, tmp_path)
    assert took < DEADLINE, (took, result.stderr)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert SAID[scenario.name] in errors[0], errors[0]
    assert "Traceback" not in result.output
    assert TOKEN not in result.output
    assert TOKEN not in written(tmp_path)


@pytest.mark.parametrize("command", ["plan", "drift", "import"])
def test_a_token_echoed_in_names_is_shown_nowhere(command: str, tmp_path: Path) -> None:
    result, _, _ = run(EchoNames(fail=False), command, tmp_path)
    assert result.exit_code in (0, 2), result.stderr
    assert "Q1 2027 Brand ***" in result.output + written(tmp_path)  # the name was read, and scrubbed
    assert TOKEN not in result.output
    assert TOKEN not in written(tmp_path)
