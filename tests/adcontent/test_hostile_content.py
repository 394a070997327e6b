"""``apply`` and ``plan`` of every content kind (examples/all-formats) against the emulator behind a
server that spoils one content call: an initializeUpload without upload URL, an upload URL that
answers 500 echoing the token or never answers, a video LinkedIn cannot process, a conversation's
messages answered short, a post id echoing the token, a batch get of posts naming other posts. Each
run ends within its deadline with exit 1, says what failed, shows no traceback, and leaves the
token in no output and no file (journal, lock, plan)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reconciler.cli import app
from tests.adcontent.spoiler import Answer, Spoiler, spoiled
from tests.hostile_server import TOKEN
from tests.test_hostile_servers import ENV

ALL_FORMATS = Path(__file__).parents[2] / "examples" / "all-formats"
DEADLINE = 10.0  # seconds: --timeout 1 and its retries, plus a few seconds of work
runner = CliRunner()


def _json(status: int, value: object, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(value).encode()


class Answering(Spoiler):
    """Answers ``method`` calls to ``path`` (a prefix) with ``reply``; waits instead when None."""

    def __init__(self, name: str, method: str, path: str, reply: Answer | None) -> None:
        super().__init__()
        self.name, self.method, self.path, self.reply = name, method, path, reply

    def before(self, method: str, path: str, body: bytes) -> Answer | None:
        if method != self.method or not path.startswith(self.path):
            return None
        if self.reply is None:
            self.stop.wait(30)
            return _json(500, {})
        return self.reply


class Changing(Spoiler):
    """Changes the JSON answers to ``method`` calls whose path holds ``part``."""

    def __init__(self, name: str, method: str, part: str, change: object) -> None:
        super().__init__()
        self.name, self.method, self.part, self.change = name, method, part, change
        self.armed = True

    def after(self, method: str, path: str, answer: Answer) -> Answer:
        if not self.armed or method != self.method or self.part not in path:
            return answer
        data = json.loads(answer[2])
        self.change(data)  # type: ignore[operator]
        return answer[0], answer[1], json.dumps(data).encode()


def _processing_failed(data: dict[str, object]) -> None:
    for video in data.get("results", {}).values():  # type: ignore[attr-defined]
        video["status"] = "PROCESSING_FAILED"


def _one_message_short(data: dict[str, list[object]]) -> None:
    data["elements"] = data["elements"][:-1]


def _other_posts(data: dict[str, dict[str, object]]) -> None:
    data["results"] = {f"{key}9": post for key, post in data["results"].items()}


APPLY = [
    (
        Answering("initialize-upload-without-url", "ACTION", "/rest/images", _json(200, {"value": {}})),
        "the answer has the wrong shape: missing field 'image'",
    ),
    (
        Answering("upload-500-echoing-the-token", "PUT", "/dms-uploads/", _json(500, {"message": TOKEN})),
        "HTTP 500: *** (PUT /images (upload))",
    ),
    (Answering("upload-never-answers", "PUT", "/dms-uploads/", None), "did not answer in time"),
    (
        Changing("video-processing-failed", "BATCH_GET", "/rest/videos", _processing_failed),
        "LinkedIn could not process assets/demo.mp4",
    ),
    (
        Changing("messages-answered-short", "BATCH_CREATE", "sponsoredMessageContents", _one_message_short),
        "not created",
    ),
    (
        Answering("post-id-echoing-the-token", "CREATE", "/rest/posts", (201, {"x-restli-id": TOKEN}, b"")),
        "Demo video / Launch — video",
    ),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the journal is written under the working directory
    return Path(shutil.copytree(ALL_FORMATS, tmp_path / "project"))


def run(url: str, *args: str) -> tuple[Result, float]:
    began = time.monotonic()
    result = runner.invoke(app, [*args, "--target", url, "--timeout", "1"], env=ENV)
    return result, time.monotonic() - began


def assert_one_clear_failure(result: Result, took: float, said: str, root: Path) -> None:
    assert took < DEADLINE, (took, result.output)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "Traceback" not in result.output
    assert said in result.output, result.output
    assert TOKEN not in result.output
    for file in root.rglob("*"):
        if file.is_file() and file.suffix in (".json", ".jsonl", ".yaml", ".log"):
            assert TOKEN not in file.read_text("utf-8", "replace"), file


@pytest.mark.parametrize(("spoiler", "said"), APPLY, ids=[s.name for s, _ in APPLY])
def test_a_spoiled_content_call_fails_its_creatives_with_one_clear_line(
    spoiler: Spoiler, said: str, project: Path
) -> None:
    with spoiled(spoiler) as url:
        result, took = run(url, "apply", str(project), "--auto-approve")
    assert_one_clear_failure(result, took, said, project.parent)
    assert "Apply finished with failures" in result.output


def test_a_batch_get_of_posts_naming_other_posts_fails_the_plan_not_replaces(project: Path) -> None:
    spoiler = Changing("posts-named-otherwise", "BATCH_GET", "/rest/posts", _other_posts)
    spoiler.armed = False
    with spoiled(spoiler) as url:
        applied, _ = run(url, "apply", str(project), "--auto-approve")
        assert applied.exit_code == 0, applied.output
        spoiler.armed = True
        result, took = run(url, "plan", str(project), "--out", str(project.parent / "plan.json"))
    assert_one_clear_failure(result, took, "which was not asked for (GET /posts)", project.parent)
    assert "to replace" not in result.output


def _one_post_left_out(data: dict[str, dict[str, object]]) -> None:
    first = sorted(data["results"])[0]
    del data["results"][first]
    data.get("statuses", {}).pop(first, None)


def _one_post_gone(data: dict[str, dict[str, object]]) -> None:
    first = sorted(data["results"])[0]
    del data["results"][first]
    data.get("statuses", {}).pop(first, None)
    data.setdefault("errors", {})[first] = {"status": 404, "message": f"Post {first} not found"}


def test_a_batch_get_of_posts_leaving_a_post_out_fails_the_plan_not_replaces(project: Path) -> None:
    """A post in neither the results nor the errors of the answer is a partial answer: the plan
    stops with one line naming the collection and the count, and replaces nothing."""
    spoiler = Changing("post-left-out", "BATCH_GET", "/rest/posts", _one_post_left_out)
    spoiler.armed = False
    with spoiled(spoiler) as url:
        applied, _ = run(url, "apply", str(project), "--auto-approve")
        assert applied.exit_code == 0, applied.output
        spoiler.armed = True
        result, took = run(url, "plan", str(project), "--out", str(project.parent / "plan.json"))
    said = "the batch answer left out 1 of the"
    assert_one_clear_failure(result, took, said, project.parent)
    assert "(in neither its results nor its errors) (GET /posts)" in result.output
    assert "to replace" not in result.output
    assert not (project.parent / "plan.json").exists()


def test_a_post_answered_404_in_the_errors_still_reads_as_gone(project: Path) -> None:
    """The answer LinkedIn gives for a post that no longer exists: the plan makes it again."""
    spoiler = Changing("post-gone", "BATCH_GET", "/rest/posts", _one_post_gone)
    spoiler.armed = False
    with spoiled(spoiler) as url:
        applied, _ = run(url, "apply", str(project), "--auto-approve")
        assert applied.exit_code == 0, applied.output
        spoiler.armed = True
        result, _ = run(url, "plan", str(project), "--out", str(project.parent / "plan.json"))
    assert "left out" not in result.output
    assert "1 to replace" in result.output, result.output
