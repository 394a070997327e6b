"""Creative review end to end over a served emulator: a creative under review or rejected is neither
a failed apply nor drift; plan notes both, drift lists the rejected ones apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reconciler.emulator import Emulator, EmulatorConfig, Settings, SqliteStore, serve_in_thread
from tests.apply.helpers import tree, write_manifests
from tests.workflows.support import cli

HOUR = 3_600_000


def _target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings) -> Iterator[Path]:
    emulator = Emulator(SqliteStore(tmp_path / "served.sqlite"), EmulatorConfig(settings=settings))
    server, base = serve_in_thread(emulator)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RECONCILER_TARGET", f"{base}/rest")
    monkeypatch.setenv("LINKEDIN_ACCESS_TOKEN", "review-test-token")
    try:
        yield write_manifests(tmp_path / "m", tree(1, 1, 2))
    finally:
        server.shutdown()
        server.server_close()
        emulator.close()


@pytest.fixture
def slow_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from _target(tmp_path, monkeypatch, Settings(review_ms=24 * HOUR))


@pytest.fixture
def rejecting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from _target(tmp_path, monkeypatch, Settings(reject_rate=1.0))


def test_creatives_under_review_are_applied_and_no_drift(slow_review: Path) -> None:
    applied = cli("apply", str(slow_review), "--auto-approve")
    plan = cli("plan", str(slow_review), "--detailed-exitcode")
    drift = cli("drift", str(slow_review))

    assert applied.exit_code == 0, applied.output
    assert plan.exit_code == 0, plan.output
    assert "2 creatives are UNDER_REVIEW at LinkedIn: serving once approved" in plan.output
    assert drift.exit_code == 0, drift.output


def test_rejected_creatives_are_listed_by_plan_and_drift_but_are_not_drift(rejecting: Path) -> None:
    applied = cli("apply", str(rejecting), "--auto-approve")
    plan = cli("plan", str(rejecting), "--detailed-exitcode")
    drift = cli("drift", str(rejecting))
    markdown = cli("drift", str(rejecting), "--format", "markdown")

    assert applied.exit_code == 0, applied.output
    assert plan.exit_code == 0, plan.output
    assert plan.output.count("REJECTED in LinkedIn's review") == 2
    assert "Ad 00-000-0 (id " in plan.output
    assert drift.exit_code == 0, drift.output
    assert "Rejected in LinkedIn's review" in drift.output
    assert "! creative 500000001 / Group 00 / Campaign 00-000 / Ad 00-000-1" in drift.output
    assert drift.stdout.rstrip().endswith("No drift (2 rejected in review).")
    assert "Rejected in review (2) — not drift" in markdown.output
