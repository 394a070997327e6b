"""In-process front end: an ``httpx.BaseTransport`` answering from an :class:`Emulator`.

It hands the emulator the raw bytes of the URL (``request.url.raw_path``: path and query, still
percent-encoded) — never the decoded path — so the emulator sees exactly what a server would.
A "commit then fail" drop surfaces as ``httpx.RemoteProtocolError``, like a real dropped connection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from reconciler.emulator.core import Emulator


class EmulatorTransport(httpx.BaseTransport):
    """Send httpx requests to ``emulator.handle`` without a socket."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode("ascii")
        headers = {name: value for name, value in request.headers.multi_items()}
        response = self.emulator.handle(
            request.method, target, headers, request.read(), scheme=request.url.scheme
        )
        if response.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return httpx.Response(
            response.status, headers=response.headers, content=response.body, request=request
        )
