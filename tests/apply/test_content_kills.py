"""Killed applies of video, message (Sponsored InMail) and conversation ads, at every content write:
before it is sent, and after LinkedIn committed it but before its answer was read (the window no
journal can close). The rerun leaves no duplicate asset, post, conversation or creative, finishes a
conversation the killed run made, says plainly when an InMail content or conversation may have been
left unreferenced (LinkedIn offers no finder for them), and the next plan is empty. No creative
exists before all its content does."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.adcontent.render import mark_of
from reconciler.api import LinkedInClient
from reconciler.apply import Journal, WaitPolicy, apply_plan, content_maker, unfinished_runs, verify
from reconciler.apply.events import ApplyReport, Event, Notice
from reconciler.apply.messages import unanswered_notes
from reconciler.emulator import Emulator, open_emulator
from reconciler.emulator.inmail import BUCKET
from reconciler.emulator.rules.common import Settings
from reconciler.emulator.store import Kind
from reconciler.model import account_urn
from reconciler.render import render
from tests.adcontent.harness import WAIT, client_on, plan
from tests.adcontent.killer import CONTENT, Killed
from tests.apply.content_project import UNREFERENCED, WRITES, made, stored
from tests.apply.helpers import ACCOUNT, duplicates


class Cutter(httpx.BaseTransport):
    """Passes requests to the emulator and dies (raises :class:`Killed`) at one point: ``before``
    the Nth content write is sent, ``after`` it was committed and before its answer is read, or at
    the first request ``at`` matches. Writes are numbered as they are sent (uploads run in
    parallel); ``writes`` maps each number to (Rest.li method, path), ``cut`` is the one it died at."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.writes: dict[int, tuple[str, str]] = {}
        self.cut: tuple[str, str] = ("", "")
        self.before: int | None = None
        self.after: int | None = None
        self.at: Callable[[httpx.Request], bool] | None = None
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode().partition("?")[0]
        write = request.method == "PUT" or (request.method == "POST" and path.startswith(CONTENT))
        if self.at is not None and self.at(request):
            self.at = None
            raise Killed(f"killed at {request.method} {path}")
        with self._lock:
            number = len(self.writes) + 1 if write else 0
            if write:
                self.writes[number] = (
                    (request.headers.get("x-restli-method") or request.method).upper(),
                    path,
                )
        if number and number == self.before:
            self.before, self.cut = None, self.writes[number]
            raise Killed(f"killed before content write {number}")
        response = self.inner.handle_request(request)
        response.read()
        if number and number == self.after:
            self.after, self.cut = None, self.writes[number]
            raise Killed(f"killed after content write {number}")
        return response


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emulator = open_emulator(None)
    yield emulator
    emulator.close()


class Run:
    """Applies of one project, each with its journal in one directory (as the CLI's), notices kept."""

    def __init__(self, root: Path, journals: Path) -> None:
        self.root, self.journals = root, journals
        self.notices: list[str] = []

    def apply(self, client: LinkedInClient) -> ApplyReport:
        the_plan = plan(client, self.root)
        journal = Journal.start(self.journals, the_plan, target="test")
        self.notices = []

        def listen(event: Event) -> None:
            if isinstance(event, Notice):
                self.notices.append(event.message)

        try:
            return apply_plan(
                the_plan,
                client,
                journal=journal,
                listener=listen,
                content=content_maker(client, [self.root], wait=WAIT),
            )
        finally:
            journal.close()  # what a killed process's exit does too: every record already flushed

    def killed(self, client: LinkedInClient) -> None:
        with pytest.raises(Killed):
            self.apply(client)


def live_creatives(client: LinkedInClient) -> list[Any]:
    return [c for c in client.creatives(ACCOUNT).search() if c.content is not None]


def check_converged(client: LinkedInClient, emulator: Emulator, root: Path, lost: Counter[str]) -> None:
    """One of everything the manifests make, plus only the ``lost`` creates (kind -> how many
    unanswered creates the killed runs left); every reference resolves; the next plan is empty."""
    assert plan(client, root).empty
    assert duplicates(client, ACCOUNT) == []
    live = live_creatives(client)
    references = sorted(c.content.to_api()["reference"] for c in live)
    assert len(live) == len(set(references)) == 3
    # one available video and one banner image; a started upload given no bytes is not an asset
    for media in ("video", "image"):
        ready = [
            e for e in client.content.media_library(media, account_urn(ACCOUNT)) if e["status"] == "AVAILABLE"
        ]
        assert len(ready) == 1, (media, ready)
    marks = Counter(
        mark_of(p["adContext"]["dscName"]) for p in client.content.dsc_posts(account_urn(ACCOUNT))
    )
    assert list(marks.values()) == [1]
    inmails = {e["id"]: e for e in stored(emulator, Kind.INMAIL)}
    conversations = {e["id"]: e for e in stored(emulator, Kind.CONVERSATION)}
    assert len(inmails) == 2 + lost["inmail"]
    assert len(conversations) == 1 + lost["conversation"]
    assert len(stored(emulator, Kind.MESSAGE)) == 3 + lost["messages"]
    # the conversation ad's opening names a conversation whose first message is set
    [opening] = [
        inmails[r]
        for r in references
        if r in inmails and "guidedReplies" in (inmails[r].get("subContent") or {})
    ]
    conversation = conversations[opening["subContent"]["guidedReplies"]["sponsoredConversation"]]
    assert conversation.get("firstMessageContent")


def lost_by(write: tuple[str, str], killed_after: bool) -> Counter[str]:
    """What a kill after ``write`` leaves unreferenced: a create committed whose answer was lost."""
    method, path = write
    if not killed_after:
        return Counter()
    if method == "CREATE" and path == "/rest/inMailContents":
        return Counter(inmail=1)
    if method == "CREATE" and path == "/rest/conversationAds":
        return Counter(conversation=1)
    if method == "BATCH_CREATE" and path.endswith("/sponsoredMessageContents"):
        return Counter(messages=1)
    return Counter()


def test_an_apply_makes_its_content_in_15_writes_and_the_next_plan_is_empty(
    tmp_path: Path, emulator: Emulator
) -> None:
    cutter = Cutter(emulator.transport())
    run = Run(made(tmp_path / "project"), tmp_path / "journal")
    with client_on(cutter) as client:
        assert run.apply(client).ok
        check_converged(client, emulator, run.root, Counter())
    assert len(cutter.writes) == WRITES  # the kill points below cover every one
    assert not [n for n in run.notices if UNREFERENCED in n]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("point", range(1, WRITES + 1))
def test_a_killed_video_message_or_conversation_apply_converges_without_duplicates(
    tmp_path: Path, emulator: Emulator, point: int, when: str
) -> None:
    cutter = Cutter(emulator.transport())
    run = Run(made(tmp_path / "project"), tmp_path / "journal")
    setattr(cutter, when, point)
    with client_on(cutter) as client:
        run.killed(client)
        # nothing half-built goes live: no creative exists before all its content does
        assert live_creatives(client) == []
        lost = lost_by(cutter.cut, when == "after")
        announced = lost_by(cutter.cut, True)  # its intent is journalled: sent or not, nobody can tell
        planned = unanswered_notes(plan(client, run.root), run.journals, "test")
        assert run.apply(client).ok
        check_converged(client, emulator, run.root, lost)
    told = [n for n in run.notices if UNREFERENCED in n]
    # the plan before the rerun says what the rerun says, one note per creative
    assert [n.replace("applying this plan", "this apply") for n in planned] == told
    if announced:
        assert len(told) == 1  # one note, naming the creative
        assert "Conversation" in told[0] or "Message" in told[0]
        assert "never serves nor spends" in told[0] and "no way to look it up" in told[0]
    else:
        assert told == []


def test_a_conversation_a_killed_run_made_is_finished_not_made_again(
    tmp_path: Path, emulator: Emulator
) -> None:
    """Killed once the conversation's 201 was read and recorded, before its messages: the rerun
    finds its URN in the journal, makes its messages, first message and opening there."""
    cutter = Cutter(emulator.transport())
    run = Run(made(tmp_path / "project"), tmp_path / "journal")
    cutter.at = lambda r: r.headers.get("x-restli-method") == "BATCH_CREATE"
    with client_on(cutter) as client:
        run.killed(client)
        [first] = stored(emulator, Kind.CONVERSATION)
        [killed] = unfinished_runs(tmp_path / "journal", "test")
        states = {p.address.rsplit(" / ", 1)[-1]: p.state for p in killed.pending if p.started}
        assert states["Conversation"] == "conversation messages sent; their answer not recorded"
        assert run.apply(client).ok
        [conversation] = stored(emulator, Kind.CONVERSATION)
        assert conversation["id"] == first["id"]
        assert any(
            f"conversation {first['id']}, made by an earlier run, is finished" in n for n in run.notices
        )
        check_converged(client, emulator, run.root, Counter())


def test_an_inmail_create_whose_answer_was_lost_is_reported_once_and_in_the_journal(
    tmp_path: Path, emulator: Emulator
) -> None:
    cutter = Cutter(emulator.transport())
    run = Run(made(tmp_path / "project"), tmp_path / "journal")
    cutter.after = WRITES  # the message ad's InMail content, the last content write
    with client_on(cutter) as client:
        run.killed(client)
        assert cutter.cut == ("CREATE", "/rest/inMailContents")
        [killed] = unfinished_runs(tmp_path / "journal", "test")
        states = {p.address.rsplit(" / ", 1)[-1]: p.state for p in killed.pending if p.started}
        assert states["Message"] == "InMail content sent; its answer not recorded"
        # as the rerun's report of the unfinished run says, before it asks for confirmation
        checks = "\n".join(verify(killed, plan(client, run.root)))
        assert "Message: not created; this apply creates it (InMail content sent; its answer not" in checks
        # plan says it too, from the journal alone (unanswered_notes is given no client)
        the_plan = plan(client, run.root)
        planned = unanswered_notes(the_plan, tmp_path / "journal", "test")
        assert unanswered_notes(the_plan, tmp_path / "journal", "other target") == []
        assert len(planned) == 1 and UNREFERENCED in planned[0]
        assert planned[0].endswith("LinkedIn offers no way to look it up; applying this plan makes another")
        shown = replace(the_plan, notes=(*the_plan.notes, *planned)).to_dict()
        assert planned[0] in shown["notes"]
        for form in ("human", "markdown"):
            assert render(shown, form).count(f"{UNREFERENCED} in account {ACCOUNT}") == 1
        assert run.apply(client).ok
        check_converged(client, emulator, run.root, Counter(inmail=1))
    [note] = [n for n in run.notices if UNREFERENCED in n]
    assert note.startswith("500000001 / Group / Messages / Message: ")
    assert f"account {ACCOUNT}" in note and "InMail content" in note
    assert note == planned[0].replace("applying this plan makes another", "this apply makes another")
    # the conversation made before the kill was reused whole
    assert any("Conversation: its conversation (opening" in n and "reused" in n for n in run.notices)


def test_killed_while_waiting_for_the_video_to_be_processed(tmp_path: Path) -> None:
    """Uploaded, finalized and recorded, killed during the processing wait: the rerun uploads nothing."""
    emulator = open_emulator(None, settings=Settings(media_processing_ms=50))
    cutter = Cutter(emulator.transport())
    run = Run(made(tmp_path / "project"), tmp_path / "journal")
    cutter.at = lambda r: r.method == "GET" and r.url.path == "/rest/videos" and "ids=" in str(r.url)
    with client_on(cutter) as client:
        run.killed(client)
        sent = len(cutter.writes)
        assert run.apply(client).ok
        rerun = [w for n, w in cutter.writes.items() if n > sent]
        assert not [w for w in rerun if w[0] == "PUT" or "/rest/videos" in w[1] or "/rest/images" in w[1]]
        check_converged(client, emulator, run.root, Counter())
    emulator.close()


@pytest.mark.parametrize("seed", range(4))
def test_killed_twice_in_a_row_still_converges(tmp_path: Path, emulator: Emulator, seed: int) -> None:
    """Two kills at seeded points (the second run killed too): what the first made is carried on."""
    rng = random.Random(20270104 + seed)
    cutter = Cutter(emulator.transport())
    run = Run(made(tmp_path / "project"), tmp_path / "journal")
    lost: Counter[str] = Counter()
    with client_on(cutter) as client:
        for _ in range(2):
            sent = len(cutter.writes)
            when, point = rng.choice(["before", "after"]), rng.randint(1, WRITES)
            setattr(cutter, when, sent + point)
            try:
                run.apply(client)
            except Killed:
                if when == "after":
                    lost += lost_by(cutter.cut, True)
            setattr(cutter, when, None)
        assert run.apply(client).ok
        check_converged(client, emulator, run.root, lost)


def test_content_the_journal_names_but_linkedin_no_longer_has_is_made_again(
    tmp_path: Path, emulator: Emulator
) -> None:
    """Killed once all content was made, before the creatives; the message ad's InMail content is
    then gone at LinkedIn: the rerun checks what the journal names (one batch get) and makes it anew."""
    cutter = Cutter(emulator.transport())
    run = Run(made(tmp_path / "project"), tmp_path / "journal")
    cutter.at = lambda r: r.url.path.endswith("/creatives") and r.method == "POST"
    with client_on(cutter) as client:
        run.killed(client)
        plain = [
            (k, e)
            for k, e in emulator.store.scan(Kind.INMAIL, None)
            if "guidedReplies" not in e.get("subContent", {})
        ]
        [(key, entity)] = plain
        with emulator.store.transaction(write=True):
            assert emulator.store.delete(Kind.INMAIL, BUCKET, key)
        assert run.apply(client).ok
        check_converged(client, emulator, run.root, Counter())
        assert entity["id"] not in {c.content.to_api()["reference"] for c in live_creatives(client)}
    assert any("Message: its InMail content made by an earlier run is gone" in n for n in run.notices)
    assert any("Conversation: its conversation (opening" in n and "reused" in n for n in run.notices)


def test_a_video_never_processed_fails_its_creative_at_the_processing_timeout(tmp_path: Path) -> None:
    """The wait looks again with growing pauses until exactly its timeout, then fails the creatives of
    what is still processing (saying how long it waited), and only them."""
    emulator = open_emulator(None, settings=Settings(media_processing_ms=3_600_000))
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    wait = WaitPolicy(timeout=5, first=0.5, most=2, sleep=sleep, clock=lambda: now[0])
    root = made(tmp_path / "project")
    with client_on(emulator.transport()) as client:
        report = apply_plan(plan(client, root), client, content=content_maker(client, [root], wait=wait))
    emulator.close()
    assert slept == [0.5, 1, 2, 1.5] and now[0] == 5
    failed = {r.address.rsplit(" / ", 1)[-1]: r.error.message for r in report.results if r.error is not None}
    assert sorted(failed) == ["Message", "Video"]  # the banner and the video; the conversation is made
    assert failed["Video"].startswith("assets/demo.mp4 still processing at LinkedIn after 5 s")
