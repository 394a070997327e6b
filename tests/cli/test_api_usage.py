"""Every command that calls LinkedIn says what it spent: a line on stderr, and ``api`` in the JSON
of plan and drift (never in a saved plan, and ignored when such output is read back as a plan)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reconciler.plan import Plan
from tests.workflows.support import ROOT, applied, cli

# A no-op plan of the applied quickstart: the account, then one page each of groups, campaigns
# and creatives (1 group, 2 campaigns, 3 creatives).
READS = {"calls": 5, "by_method": {"FINDER": 4, "GET": 1}, "retries": 0, "throttles": 0}
LINE = "API calls: 5 (4 FINDER, 1 GET), 0 retries.\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "manifests")
    applied(tmp_path, [tmp_path / "manifests"])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def spent(document: dict[str, object]) -> dict[str, object]:
    api = dict(document["api"])  # type: ignore[call-overload]
    by_resource = api.pop("by_resource")
    assert sum(by_resource.values()) == api["calls"]
    assert set(by_resource) == {"adAccounts", "adCampaignGroups", "adCampaigns", "creatives"}
    return api


def test_plan_reports_its_calls_as_a_line_and_a_json_field(workdir: Path) -> None:
    human = cli("plan", "manifests")
    assert human.exit_code == 0, human.output
    assert human.stderr.endswith(LINE)
    as_json = cli("plan", "manifests", "--format", "json", "--out", "saved.json")
    document = json.loads(as_json.stdout)
    assert spent(document) == READS
    assert "api" not in json.loads((workdir / "saved.json").read_text(encoding="utf-8"))
    # The JSON output is still a plan: what it says of the run is not part of it.
    assert Plan.from_dict(document).checksum == document["checksum"]
    (workdir / "stdout.json").write_text(as_json.stdout, encoding="utf-8")
    assert cli("show", "stdout.json", "--format", "json").stdout == (workdir / "saved.json").read_text(
        encoding="utf-8"
    )


def test_drift_reports_its_calls(workdir: Path) -> None:
    human = cli("drift", "manifests")
    assert human.exit_code == 0, human.output
    assert human.stderr.endswith(LINE)
    assert spent(json.loads(cli("drift", "manifests", "--format", "json").stdout)) == READS
    fixing = json.loads(cli("drift", "manifests", "--format", "json", "--fix").stdout)
    assert set(fixing) == {"drift", "plan", "api"} and spent(fixing) == READS


def test_import_reports_its_calls(workdir: Path) -> None:
    result = cli("import", "--account", "500000001", "--out", "imported")
    assert result.exit_code == 0, result.output
    # the account's groups, campaigns and creatives, and the names of its targeting (q=urns)
    assert "API calls: 6 (5 FINDER, 1 GET), 0 retries.\n" in result.stderr
