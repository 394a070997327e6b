"""What a user meets around names and the lock: a lock edited by hand into something broken is
reported at its own file:line:col (not as every name unpinned, never a traceback)."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from reconciler.manifest.lockfile import LOCK_NAME
from tests.workflows.support import ROOT, cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The quickstart with its lock, in a fresh working directory."""
    monkeypatch.delenv("LINKEDIN_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("RECONCILER_TARGET", raising=False)
    shutil.copytree(ROOT / "examples" / "quickstart", tmp_path / "manifests")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "manifests"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("    CXO: urn", "\tCXO: urn", ":18:1: tab character in indentation"),
        (
            "    CXO: urn:li:seniority:8\n",
            "    CXO: urn:li:seniority:8\n    CXO: urn:li:seniority:7\n",
            ":19:5: targeting.seniorities.CXO: duplicate key 'CXO'",
        ),
        (
            "    CXO: urn:li:seniority:8\n",
            "<<<<<<< HEAD\n    CXO: urn:li:seniority:8\n=======\n",
            ":19:8: invalid YAML",
        ),
        ("CXO: urn:li:seniority:8", "CXO: 8", ":18:10: targeting.seniorities.CXO: must be a URN"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "plan", "lock"])
def test_a_broken_lock_is_reported_at_its_place_alone(
    project: Path, command: str, old: str, new: str, problem: str
) -> None:
    lock = project / LOCK_NAME
    lock.write_text(lock.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    before = lock.read_bytes()
    result = cli(command, "manifests")
    assert result.exit_code == 1, result.output
    lines = [
        line
        for line in result.stdout.splitlines() + result.stderr.splitlines()
        if line.startswith("manifests/")
    ]
    assert len(lines) == 1 and lines[0].startswith(f"manifests/{LOCK_NAME}{problem}"), result.output
    assert "not pinned" not in result.output and "Traceback" not in result.output
    assert lock.read_bytes() == before


def test_a_name_with_a_space_at_its_end_says_so(project: Path) -> None:
    account = project / "account.yaml"
    account.write_text(
        account.read_text(encoding="utf-8").replace("VP, CXO]", "VP, 'CXO ']"), encoding="utf-8"
    )
    result = cli("validate", "manifests")
    assert result.exit_code == 1
    assert "seniorities[3]: " in result.stdout
    assert "a name neither starts nor ends with a space; got 'CXO '" in result.stdout


def test_a_name_typed_in_decomposed_unicode_is_pinned_to_the_same_name(project: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "São Paulo, Brazil")
    account = project / "account.yaml"
    text = account.read_text(encoding="utf-8")
    account.write_text(text.replace("[United States]", f'[United States, "{decomposed}"]'), encoding="utf-8")
    result = cli("lock", "manifests")
    assert result.exit_code == 0, result.output
    assert f"  + locations: {decomposed} = urn:li:geo:" in result.stdout
    assert cli("validate", "manifests").exit_code == 0


@pytest.mark.parametrize(
    "command",
    [("lock", "manifests", "--refresh"), ("targeting", "search", "VP", "--facet", "seniorities")],
)
def test_an_unreachable_api_is_one_clear_line_and_the_lock_is_untouched(
    project: Path, command: tuple[str, ...]
) -> None:
    lock = project / LOCK_NAME
    before = lock.read_bytes()
    result = cli(*command, "--target", "http://127.0.0.1:9/rest", "--timeout", "5")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: cannot connect to 127.0.0.1:9: connection refused; check the network, any proxy "
        "(HTTPS_PROXY) and --target (GET /adTargetingFacets)"
    ], result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    assert lock.read_bytes() == before
