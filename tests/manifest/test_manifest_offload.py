"""The second process that checks manifest files: same results as this process, whatever it does."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.manifest import offload, validate_paths
from reconciler.manifest.offload import Checked, check, check_all

DATA = Path(__file__).parents[1] / "data" / "manifests" / "invalid"
EXAMPLES = Path(__file__).parents[2] / "examples"
FILES = sorted(p for p in [*DATA.rglob("*.yaml"), *EXAMPLES.rglob("*.yaml")] if p.is_file())


def contents() -> list[tuple[str, bytes]]:
    return [(str(p), p.read_bytes()) for p in FILES]


def summary(checked: Checked) -> tuple[object, ...]:
    doc = checked.parsed.document
    return (
        None if doc is None else repr(doc.data),
        [str(p) for p in checked.parsed.problems],
        sorted(map(repr, checked.parsed.reported)),
        [str(p) for p in checked.found],
        sorted(map(repr, checked.rejected)),
        None if doc is None else sorted(doc.values.items()),
        None if doc is None else sorted(doc.keys.items()),
    )


@pytest.fixture
def child_used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Force the child on for any size; the indices it answered, once the run is over."""
    monkeypatch.setenv(offload.SWITCH, "1")
    answered: list[int] = []
    real = offload._Answer.rebuild

    def rebuild(self: offload._Answer, name: str, raw: bytes) -> Checked:
        answered.append(len(answered))
        return real(self, name, raw)

    monkeypatch.setattr(offload._Answer, "rebuild", rebuild)
    return answered


def test_the_child_gives_what_this_process_gives(child_used: list[int]) -> None:
    files = contents()
    expected = [summary(check(name, raw)) for name, raw in files]
    assert [summary(c) for c in check_all(files)] == expected
    assert child_used, "the child answered nothing"


def test_problems_of_a_project_do_not_depend_on_the_child(
    child_used: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with_child = [str(p) for p in validate_paths([DATA])]
    assert child_used
    monkeypatch.setenv(offload.SWITCH, "0")
    assert [str(p) for p in validate_paths([DATA])] == with_child
    assert len(with_child) > 50


@pytest.mark.parametrize(
    "child",
    [
        "import sys; sys.exit(3)",  # dies at once
        "import sys; sys.stdout.buffer.write(b'\\x00' * 64); sys.stdout.flush()",  # answers nonsense
        "import sys, time; sys.stdin.read(); time.sleep(60)",  # never answers (killed at the end)
        "raise SystemExit(__import__('reconciler.manifest.offload').manifest.offload.serve(None, None))",
    ],
    ids=["dies", "nonsense", "silent", "crashes"],
)
def test_whatever_the_child_does_every_file_is_checked_here(
    child: str, child_used: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(offload, "_CHILD", child)
    monkeypatch.setattr(offload, "STALL_SECONDS", 1.0)
    files = contents()
    assert [summary(c) for c in check_all(files)] == [summary(check(n, r)) for n, r in files]
    assert child_used == []


def test_no_child_when_it_cannot_start(child_used: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offload.sys, "executable", "/nonexistent/python")  # type: ignore[attr-defined]
    files = contents()[:3]
    assert [summary(c) for c in check_all(files)] == [summary(check(n, r)) for n, r in files]
    assert child_used == []


def test_small_projects_are_checked_here_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(offload.SWITCH, raising=False)
    started: list[object] = []
    monkeypatch.setattr(
        offload._Helper, "start", classmethod(lambda cls, files, patient=False: started.append(1))
    )
    list(check_all(contents()))
    assert started == []
    big = [
        ("a.yaml", b"version: 1\n" + b"# padding\n" * (offload.MIN_BYTES // 10)),
        ("b.yaml", b"version: 1\n"),
    ]
    list(check_all(big))
    assert started == [1]


def test_the_childs_warm_up_file_is_valid() -> None:
    # An invalid one would make every child report problems with it before it says hello.
    warm = check("warm-up.yaml", offload._WARM_UP)
    assert warm.parsed.problems == [] and warm.found == [] and warm.parsed.document is not None


def test_the_child_runs_nothing_from_the_working_directory_and_sees_no_credentials(
    child_used: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    for name in ("yaml", "json", "pickle", "struct"):
        (tmp_path / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write({name!r})\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LINKEDIN_ACCESS_TOKEN", "secret-token-value")
    files = contents()
    assert [summary(c) for c in check_all(files)] == [summary(check(n, r)) for n, r in files]
    assert child_used, "the child answered nothing"
    assert not marker.exists()


def test_the_child_environment_holds_no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(offload.SWITCH, "1")
    monkeypatch.setenv("LINKEDIN_ACCESS_TOKEN", "secret-token-value")
    seen = tmp_path / "env"
    monkeypatch.setattr(
        offload, "_CHILD", f"import os; open({str(seen)!r}, 'w').write(repr(sorted(os.environ)))"
    )
    list(check_all(contents()[:2]))
    names = seen.read_text()
    assert "LINKEDIN_ACCESS_TOKEN" not in names and "secret-token-value" not in names
