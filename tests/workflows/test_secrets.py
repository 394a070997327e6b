"""The access token never appears in what apply, import, drift and plan print or write, over a real
socket to a served emulator, as in CI with ``LINKEDIN_ACCESS_TOKEN`` set."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.emulator import open_emulator, serve_in_thread
from tests.workflows.support import ROOT, cli

TOKEN = "AQX-secret-token-4242-do-not-print"


@pytest.fixture
def served() -> Iterator[str]:
    server, base_url = serve_in_thread(open_emulator(None))
    try:
        yield base_url + "/rest"
    finally:
        server.shutdown()
        server.server_close()


def test_the_token_is_never_printed_or_written(
    served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LINKEDIN_ACCESS_TOKEN", TOKEN)
    shutil.copytree(ROOT / "examples" / "b2b-saas", tmp_path / "manifests")

    runs = [
        cli("apply", "manifests", "--target", served, "--auto-approve"),
        cli("import", "--account", "500000001", "--out", "imported", "--target", served),
        cli("drift", "imported", "--target", served, "--fix", "--out", "revert.json", "-f", "json"),
        cli("plan", "manifests", "--target", served, "--out", "plan.json", "-f", "markdown"),
        cli("import", "--account", "42", "--out", "nothing", "--target", served),  # an error
    ]

    assert [r.exit_code for r in runs] == [0, 0, 0, 0, 1]
    assert "Target: " + served in runs[1].stderr
    for result in runs:
        assert TOKEN not in result.stdout + result.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "manifests" not in p.parts]
    assert any(p.name == "plan.json" for p in written)
    for path in written:
        assert TOKEN.encode() not in path.read_bytes(), path
