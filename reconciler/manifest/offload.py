"""Checking manifest files (YAML, then JSON Schema) in a second process while this one checks others.

Parsing and schema-checking is pure CPU: about 0.8 s of a no-op plan at LinkedIn's limits (5 MB in
101 files; the schema check, by jsonschema-rs, is 0.04 s of it), and a thread cannot share it, as
the GIL runs one at a time. So when the files are big
enough to pay for starting one (:data:`MIN_BYTES`), a child process (:func:`serve`, run isolated by
``python -I -c``) checks them, in order, a couple ahead of where this process is. This process checks
files itself only while the child is starting (its first ~0.2 s) or if it fails; otherwise it
waits for the child's answers, which leaves its own CPU to what else it does meanwhile (a plan
reads the ad account at the same time, and builds the model of each file as it comes).

The child gets only file names and bytes, and answers with plain data (pickled over its own pipes:
it is this program, so the data is trusted). Whatever happens to it (it cannot start, dies, or
answers nonsense), this process checks the remaining files itself, so results never depend on it;
it is killed once every file is taken. ``RECONCILER_MANIFEST_WORKER=0`` turns it off; ``=1`` uses
it for any size and lets it check every file it can (this process waits for it to start: tests).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from reconciler.errors import Problem
from reconciler.manifest.document import JsonPath, Places
from reconciler.manifest.loader import Parsed, document_from, parse_document
from reconciler.manifest.schema import schema_problems
from reconciler.manifest.sendable import unsendable

MIN_BYTES = 1024 * 1024  # below this, starting the child (~0.2 s of its own CPU) costs more than it saves
SWITCH = "RECONCILER_MANIFEST_WORKER"
STALL_SECONDS = 30.0  # the longest this process waits for any word from the child before going on alone
_LENGTH = struct.Struct(">Q")
# A valid file: checking it compiles the schema validator once, before the child says hello.
_WARM_UP = b"version: 1\naccount:\n  id: 1\n  currency: USD\n"
_HELLO = "reconciler-manifest-offload/1"
# Run with ``python -I`` (no current directory, PYTHON* variables or user site on the path) and this
# process's sys.path as its one argument: it imports exactly what this process would, and a yaml.py
# or json.py lying in a manifests repository is never run.
_CHILD = (
    "import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
    "from reconciler.manifest.offload import serve; serve(sys.stdin.buffer, sys.stdout.buffer)"
)
# The only variables the child sees: it needs no credentials (it gets file names and bytes).
_CHILD_ENV = ("PATH", "SYSTEMROOT", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TEMP", "TMP")


@dataclass
class Checked:
    """One file parsed and schema-checked: the loader's outcome, the schema's problems, and the
    paths the schema rejected."""

    parsed: Parsed
    found: list[Problem] = field(default_factory=list)
    rejected: set[JsonPath] = field(default_factory=set)


def check(name: str, raw: bytes) -> Checked:
    """Parse and schema-check the bytes of one file, in this process."""
    parsed = parse_document(name, raw)
    if parsed.document is None:
        return Checked(parsed)
    texts, refused = unsendable(parsed.document, raw)
    found, rejected = schema_problems(parsed.document, parsed.reported | refused)
    return Checked(parsed, texts + found, rejected | refused)


def check_all(files: Sequence[tuple[str, bytes]]) -> Iterator[Checked]:
    """:func:`check` of each ``(name, bytes)``, in order, with the child's help when it pays."""
    helper = _Helper.start(files, patient=_forced()) if _wanted(files) else None
    try:
        for index, (name, raw) in enumerate(files):
            done = helper.result(index) if helper is not None else None
            yield done if done is not None else check(name, raw)
    finally:
        if helper is not None:
            helper.stop()


def _forced() -> bool:
    return os.environ.get(SWITCH) == "1"


def _wanted(files: Sequence[tuple[str, bytes]]) -> bool:
    switch = os.environ.get(SWITCH, "")
    if switch in ("0", "1"):
        return switch == "1" and len(files) > 1
    return len(files) > 1 and sum(len(raw) for _, raw in files) >= MIN_BYTES


@dataclass
class _Answer:
    """What the child sends back for one file: plain data only (no Document, whose places may be
    a closure). ``places`` is None when they were not needed yet: they are then found from the text
    in this process, if ever asked for."""

    has_document: bool
    data: Any
    problems: list[Problem]
    reported: set[JsonPath]
    found: list[Problem]
    rejected: set[JsonPath]
    places: tuple[dict[JsonPath, tuple[int, int]], dict[JsonPath, tuple[int, int]]] | None

    @classmethod
    def of(cls, checked: Checked) -> _Answer:
        parsed, doc = checked.parsed, checked.parsed.document
        if doc is None:
            return cls(False, None, parsed.problems, parsed.reported, [], set(), None)
        values, keys = doc.values, doc.keys
        known = None
        if not isinstance(values, Places):  # the node graph's places (Positions): sent as pairs
            known = (
                {p: (v.line, v.column) for p, v in values.items()},
                {p: (k.line, k.column) for p, k in keys.items()},
            )
        return cls(True, doc.data, parsed.problems, parsed.reported, checked.found, checked.rejected, known)

    def rebuild(self, name: str, raw: bytes) -> Checked:
        if not self.has_document:
            return Checked(Parsed(None, self.problems, self.reported))
        document = document_from(name, raw, self.data, self.places)
        return Checked(Parsed(document, self.problems, self.reported), self.found, self.rejected)


class _Helper:
    """The child process, a thread feeding it files (claimed one at a time, a few ahead), and one
    collecting its answers. Every file is claimed once, by the child or by this process."""

    AHEAD = 2  # files sent to the child and not yet answered: enough that it never waits

    def __init__(
        self, process: subprocess.Popen[bytes], files: Sequence[tuple[str, bytes]], *, patient: bool = False
    ) -> None:
        self.process = process
        self.files = files
        self.patient = patient  # wait for the child to be up rather than check files here meanwhile
        self.answers: dict[int, _Answer] = {}
        self.mine: set[int] = set()  # claimed by this process
        self.sent: set[int] = set()  # claimed by the child
        self.pending: set[int] = set()  # sent to the child, not answered yet
        self.cursor = 0  # no file below it is unclaimed
        self.ready = False  # the child has said hello: it is up (imports done, schema compiled)
        self.alive = True
        self.changed = threading.Condition()
        threading.Thread(target=self._feed, name="reconciler-manifest-feed", daemon=True).start()
        threading.Thread(target=self._collect, name="reconciler-manifest-collect", daemon=True).start()

    @classmethod
    def start(cls, files: Sequence[tuple[str, bytes]], *, patient: bool = False) -> _Helper | None:
        """The helper, or None when the child cannot be started."""
        env = {name: os.environ[name] for name in _CHILD_ENV if name in os.environ}
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", _CHILD, json.dumps(sys.path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except (OSError, TypeError, ValueError):  # no interpreter to run (sys.executable unknown)
            return None
        return cls(process, files, patient=patient)

    def result(self, index: int) -> Checked | None:
        """The child's result for file ``index``, waiting for it if the child has it in hand; None
        when this process is to check the file itself (claimed for it here)."""
        with self.changed:
            while True:
                answer = self.answers.pop(index, None)
                if answer is not None:
                    break
                if not self.alive or (index not in self.sent and not self.ready and not self.patient):
                    self.mine.add(index)  # the child is gone, or not up yet: check it here
                    return None
                if not self.changed.wait(STALL_SECONDS):
                    self._give_up()  # no word from the child for that long: it is stuck
        name, raw = self.files[index]
        return answer.rebuild(name, raw)

    def stop(self) -> None:
        """Kill the child (it holds nothing) and reap it."""
        with self.changed:
            self.alive = False
            self.changed.notify_all()
        self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def _claim(self) -> int | None:
        """The next file for the child, once it is up and has fewer than AHEAD in hand; None when
        every file is claimed or the child is gone."""
        with self.changed:
            while self.alive and (not self.ready or len(self.pending) >= self.AHEAD):
                self.changed.wait()
            if not self.alive:
                return None
            # Both sides claim the lowest unclaimed file, so the claimed ones are a prefix.
            while self.cursor < len(self.files) and (self.cursor in self.sent or self.cursor in self.mine):
                self.cursor += 1
            if self.cursor == len(self.files):
                return None
            self.sent.add(self.cursor)
            self.pending.add(self.cursor)
            return self.cursor

    def _feed(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            while (index := self._claim()) is not None:
                name, raw = self.files[index]
                _write(stdin, (index, name, raw))
            stdin.close()
        except (OSError, ValueError):
            self._gone()  # the child is gone: this process checks what is left

    def _collect(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            hello = _read(stdout)
            if hello != _HELLO:
                raise ValueError("not the child we started")
            with self.changed:
                self.ready = True
                self.changed.notify_all()
            while (message := _read(stdout)) is not None:
                index, answer = message
                if not isinstance(index, int) or not isinstance(answer, _Answer):
                    break
                with self.changed:
                    self.answers[index] = answer
                    self.pending.discard(index)
                    self.changed.notify_all()
        except Exception:  # any failure of the child leaves the work to this process
            pass
        self._gone()

    def _gone(self) -> None:
        with self.changed:
            self.alive = False
            self.changed.notify_all()

    def _give_up(self) -> None:
        """Called with ``changed`` held: no more waiting for the child (killed on :meth:`stop`)."""
        self.alive = False
        self.changed.notify_all()


def _write(stream: IO[bytes], message: Any) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    """The next message, or None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)  # from our own child process


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The child: once ready (the first check compiles the schema), say hello; then check each file
    it is sent, and answer each with its index."""
    check("warm-up.yaml", _WARM_UP)
    _write(stdout, _HELLO)
    while (message := _read(stdin)) is not None:
        index, name, raw = message
        _write(stdout, (index, _Answer.of(check(name, raw))))
