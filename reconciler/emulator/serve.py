"""Socket front end: a threaded HTTP/1.1 server answering from an :class:`Emulator`.

``ThreadingHTTPServer`` gives each connection its own thread, so many clients are served at once;
the emulator serialises store access itself. The server binds 127.0.0.1 unless told otherwise.
It passes the request target exactly as received (``self.path`` is the raw target), answers 411
to a POST without ``Content-Length`` (reference §1.2), and for a "commit then fail" drop closes the
socket without writing a byte.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reconciler.emulator.core import MAX_BODY, Emulator, EmuResponse
from reconciler.emulator.uploads import MAX_UPLOAD, is_upload

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
_LENGTH_REQUIRED = b'{"message":"Length Required","serviceErrorCode":411,"status":411}'
_TOO_BIG = b'{"message":"The request body is too large","serviceErrorCode":400,"status":400}'
_BAD_LENGTH = b'{"message":"Invalid Content-Length","serviceErrorCode":400,"status":400}'


class EmulatorServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer bound to one emulator."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, emulator: Emulator, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
        self.emulator = emulator
        super().__init__((host, port), _Handler)

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the bound socket (useful with port 0)."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: the headers and the body go out in two writes, and Nagle's algorithm held the
    # body back until the client's delayed ACK of the headers, ~40 ms on every response.
    disable_nagle_algorithm = True
    server: EmulatorServer

    def _serve(self) -> None:
        body = self._body()
        if body is None:
            return
        headers = {name: value for name, value in self.headers.items()}
        response = self.server.emulator.handle(self.command, self.path, headers, body, scheme="http")
        if response.drop:
            self._drop()
            return
        self._write(response)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _body(self) -> bytes | None:
        """The request body; None when it was refused (the answer is written, and a body not read
        closes the connection, so the next request starts clean)."""
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._chunked()
        if length is None:
            if self.command in ("POST", "PUT"):
                self._write(EmuResponse(411, {"Content-Type": "application/json"}, _LENGTH_REQUIRED))
                return None
            return b""
        if not length.strip().isdigit():
            self._refuse(_BAD_LENGTH)
            return None
        if int(length) > (MAX_UPLOAD if is_upload(self.path) else MAX_BODY):
            self._refuse(_TOO_BIG)
            return None
        return self.rfile.read(int(length))

    def _chunked(self) -> bytes | None:
        out = bytearray()
        while True:
            try:
                size = int(self.rfile.readline(64).split(b";")[0].strip() or b"0", 16)
            except ValueError:
                self._refuse(_BAD_LENGTH)
                return None
            if size == 0:
                self.rfile.readline(64)
                return bytes(out)
            if len(out) + size > (MAX_UPLOAD if is_upload(self.path) else MAX_BODY):
                self._refuse(_TOO_BIG)
                return None
            out += self.rfile.read(size)
            self.rfile.readline(64)

    def _refuse(self, body: bytes) -> None:
        """Answer 400 and close the connection (the body is left unread)."""
        self.close_connection = True
        self._write(EmuResponse(400, {"Content-Type": "application/json", "Connection": "close"}, body))

    def _write(self, response: EmuResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log (the emulator has its own request log)."""


def serve_in_thread(
    emulator: Emulator, host: str = DEFAULT_HOST, port: int = 0
) -> tuple[EmulatorServer, str]:
    """Start a server in a daemon thread; returns it and its base URL. Stop with ``server.shutdown()``
    then ``server.server_close()``. Port 0 picks a free port."""
    server = EmulatorServer(emulator, host, port)
    thread = threading.Thread(target=server.serve_forever, name="emulator-server", daemon=True)
    thread.start()
    return server, server.base_url
