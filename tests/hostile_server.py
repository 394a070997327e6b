"""A hostile LinkedIn on 127.0.0.1: each scenario answers in one bad way (endless pages, a slow
body, a connection that never opens, HTML, null, wrong shapes, an echoed token, 401 mid-run, a 429
asking to wait an hour, a redirect to another host). Anything a scenario does not spoil gets a
minimal valid answer, so the command gets as far as the spoiled part."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "AQX-hostile-token-3f9c1e7a5b"
SECRET = "hostile-client-secret-8d2e4a"  # LINKEDIN_CLIENT_SECRET, for scenarios that echo it
ACCOUNT = 500_000_001

Answer = tuple[int, dict[str, str], bytes]


def _json(status: int, value: Any, **headers: str) -> Answer:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(value).encode()


def normal(method: str, path: str) -> Answer:
    """A minimal valid answer: the account, empty finders, empty batch reads, created entities."""
    restli = method
    if restli == "GET" and path.rstrip("/").endswith(f"/adAccounts/{ACCOUNT}"):
        return _json(200, {"id": ACCOUNT, "currency": "USD", "name": "Hostile", "status": "ACTIVE"})
    if restli == "FINDER" and "adAccountUsers" in path:  # the caller administers the account
        user = {"account": f"urn:li:sponsoredAccount:{ACCOUNT}", "role": "ACCOUNT_BILLING_ADMIN"}
        return _json(200, {"elements": [user], "paging": {"start": 0, "count": 1}})
    if restli == "FINDER" and "organizationAcls" in path:  # and administers the page it advertises for
        acl = {"organization": "urn:li:organization:2414183", "role": "ADMINISTRATOR", "state": "APPROVED"}
        return _json(200, {"elements": [acl], "paging": {"start": 0, "count": 1}})
    if restli == "FINDER":
        return _json(200, {"elements": [], "paging": {"start": 0, "count": 0}, "metadata": {}})
    if restli == "BATCH_GET":
        return _json(200, {"results": {}, "errors": {}, "statuses": {}})
    if restli == "CREATE":
        return 201, {"x-restli-id": "123"}, b""
    if restli == "BATCH_CREATE":
        return _json(200, {"elements": []})
    return _json(200, {"results": {}, "errors": {}})


class Scenario:
    """What the server does: ``answer`` may return an Answer, or None for the normal one."""

    name = "normal"
    stall_connect = False

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def answer(self, method: str, path: str, write: Callable[[bytes], None]) -> Answer | None:
        return None


class Endless(Scenario):
    name = "endless-new-page-tokens"

    def answer(self, method: str, path: str, write: Callable[[bytes], None]) -> Answer | None:
        if method != "FINDER":
            return None
        with self.lock:
            self.calls += 1
            page = self.calls
        return _json(200, {"elements": [], "metadata": {"nextPageToken": f"page-{page}-" + "x" * 200}})


class SlowBody(Scenario):
    name = "slow-body"

    def answer(self, method: str, path: str, write: Callable[[bytes], None]) -> Answer | None:
        body = json.dumps({"id": ACCOUNT, "currency": "USD", "name": "x" * 400}).encode()
        return 200, {"Content-Type": "application/json", "x-slow": "1"}, body


class Fixed(Scenario):
    """Every request (or every finder) gets the same answer."""

    def __init__(self, name: str, reply: Answer, *, finders_only: bool = False) -> None:
        super().__init__()
        self.name = name
        self.reply = reply
        self.finders_only = finders_only

    def answer(self, method: str, path: str, write: Callable[[bytes], None]) -> Answer | None:
        if self.finders_only and method != "FINDER":
            return None
        return self.reply


class AfterSome(Scenario):
    """Normal answers for the first ``good`` requests, then ``reply``."""

    def __init__(self, name: str, good: int, reply: Answer) -> None:
        super().__init__()
        self.name = name
        self.good = good
        self.reply = reply

    def answer(self, method: str, path: str, write: Callable[[bytes], None]) -> Answer | None:
        with self.lock:
            self.calls += 1
            calls = self.calls
        return None if calls <= self.good else self.reply


class EchoNames(Scenario):
    """Entities whose names and fields carry the token; then an error whose code carries it."""

    name = "token-echoed-in-names-and-code"

    def __init__(self, fail: bool) -> None:
        super().__init__()
        self.fail = fail
        if not fail:
            self.name = "token-echoed-in-names"

    def answer(self, method: str, path: str, write: Callable[[bytes], None]) -> Answer | None:
        if method == "FINDER" and "adCampaignGroups" in path:
            group = {
                "id": 900,
                "name": f"Q1 2027 Brand {TOKEN}",
                "account": f"urn:li:sponsoredAccount:{ACCOUNT}",
                "status": "ACTIVE",
                "runSchedule": {"start": 1798934400000},
                "changeAuditStamps": {"created": {"time": 1}, "lastModified": {"time": 2}},
            }
            return _json(200, {"elements": [group], "metadata": {}})
        if method == "FINDER" and "adCampaigns" in path and self.fail:
            body = {"status": 400, "code": f"BAD_{TOKEN}", "message": "nope", "serviceErrorCode": 1}
            return _json(400, body)
        return None


class EchoSecrets(Scenario):
    """Token introspection, ``adAccountUsers`` and ``organizationAcls`` answers that carry the token
    and the client secret; with ``fail``, refusals (introspection 400, page roles 403) that do."""

    def __init__(self, fail: bool) -> None:
        super().__init__()
        self.fail = fail
        self.name = "secrets-echoed-in-refusals" if fail else "secrets-echoed-in-access-answers"

    def answer(self, method: str, path: str, write: Callable[[bytes], None]) -> Answer | None:
        both = f"{TOKEN} {SECRET}"
        if path.endswith("/oauth/v2/introspectToken"):
            if self.fail:
                return _json(400, {"error": "invalid_request", "error_description": f"bad token {both}"})
            scope = f"r_ads,rw_ads,{TOKEN},{SECRET}"
            return _json(200, {"active": True, "status": f"active {both}", "scope": scope})
        if method == "FINDER" and "adAccountUsers" in path:
            user = {"account": f"urn:li:sponsoredAccount:{ACCOUNT}", "role": f"VIEWER_{TOKEN}_{SECRET}"}
            return _json(200, {"elements": [user], "paging": {"start": 0, "count": 1}})
        if method == "FINDER" and "organizationAcls" in path:
            if self.fail:
                return _json(403, {"status": 403, "serviceErrorCode": 100, "message": f"no {both}"})
            acl = {"organization": "urn:li:organization:2414183", "role": f"ANALYST_{SECRET}", "state": TOKEN}
            return _json(200, {"elements": [acl], "paging": {"start": 0, "count": 1}})
        return None


def scenarios() -> list[Scenario]:
    """One of each hostile server the suite runs every command against."""
    html = (200, {"Content-Type": "text/html"}, b"<html><body>Welcome to the captive portal</body></html>")
    stalled = Scenario()
    stalled.name = "stalled-connect"
    stalled.stall_connect = True
    return [
        Endless(),
        SlowBody(),
        stalled,
        Fixed("html-200", html),
        Fixed("null", (200, {"Content-Type": "application/json"}, b"null")),
        Fixed("wrong-shape", _json(200, {"elements": {"id": 1}, "metadata": []}), finders_only=True),
        Fixed("wrong-entity", _json(200, {"elements": [{"name": ["x"], "id": "abc"}]}), finders_only=True),
        EchoNames(fail=True),
        AfterSome(
            "401-mid-run",
            2,
            _json(401, {"status": 401, "code": "REVOKED_ACCESS_TOKEN", "message": f"bad {TOKEN}"}),
        ),
        Fixed(
            "429-retry-after-3600",
            _json(429, {"status": 429, "message": "Too many"}, **{"Retry-After": "3600"}),
        ),
        Fixed("redirect-to-another-host", (302, {"Location": f"https://evil.example/rest?t={TOKEN}"}, b"")),
    ]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        method = self.headers.get("X-RestLi-Method", "").upper() or self.command
        if self.headers.get("X-HTTP-Method-Override"):
            method = self.headers.get("X-RestLi-Method", "GET").upper()
        path = self.path.partition("?")[0]
        scenario = self.server.scenario
        reply = scenario.answer(method, path, self.wfile.write) or normal(method, path)
        status, headers, body = reply
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if headers.get("x-slow"):
            self._trickle(body)
        else:
            self.wfile.write(body)

    def _trickle(self, body: bytes) -> None:
        try:
            for index in range(len(body)):
                if self.server.stopping.is_set():
                    return
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            return

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)


@contextmanager
def hostile(scenario: Scenario) -> Iterator[str]:
    """Serve ``scenario``; yields the API root URL (``http://127.0.0.1:port/rest``)."""
    if scenario.stall_connect:
        with _stalled() as url:
            yield url
        return
    server = _Server(scenario)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/rest"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@contextmanager
def _stalled() -> Iterator[str]:
    """A port whose accept queue is full and never drained: a new connection is never completed."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        with suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/rest"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
