"""The emulator on 127.0.0.1 behind a spoiler: every request goes to an in-memory emulator, except
that a scenario may answer a content call (an initializeUpload, an upload PUT, a media status, a
post, a conversation's messages) badly instead, or change the emulator's answer on its way back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from reconciler.emulator import open_emulator

Answer = tuple[int, dict[str, str], bytes]


class Spoiler:
    """What the server does: ``before`` may answer a request itself (None: the emulator answers);
    ``after`` may change the emulator's answer. ``method`` is the Rest.li method (``X-RestLi-Method``)
    or the HTTP one; ``path`` has no query."""

    name = "faithful"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.seen: list[tuple[str, str]] = []

    def before(self, method: str, path: str, body: bytes) -> Answer | None:
        return None

    def after(self, method: str, path: str, answer: Answer) -> Answer:
        return answer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        method = (self.headers.get("X-RestLi-Method") or self.command).upper()
        path = self.path.partition("?")[0]
        spoiler = self.server.spoiler
        with spoiler.lock:
            spoiler.seen.append((method, path))
        answer = spoiler.before(method, path, body)
        if answer is None:
            headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP]
            url = f"http://{self.headers['Host']}{self.path}"
            request = httpx.Request(self.command, url, headers=headers, content=body)
            response = self.server.transport.handle_request(request)
            content = response.read()
            kept = {k: v for k, v in response.headers.items() if k.lower() not in _HOP}
            answer = spoiler.after(method, path, (response.status_code, kept, content))
        status, headers_out, content = answer
        self.send_response(status)
        for name, value in headers_out.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        with suppress(OSError):  # the client gave up (its timeout): nothing to answer
            self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


_HOP = frozenset({"content-length", "transfer-encoding", "connection", "content-encoding"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, spoiler: Spoiler) -> None:
        self.spoiler = spoiler
        self.transport = open_emulator(None).transport()
        super().__init__(("127.0.0.1", 0), _Handler)


@contextmanager
def spoiled(spoiler: Spoiler) -> Iterator[str]:
    """Serve the emulator behind ``spoiler``; yields the API root URL (``http://127.0.0.1:port/rest``)."""
    server = _Server(spoiler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/rest"
    finally:
        spoiler.stop.set()
        server.shutdown()
        server.server_close()
