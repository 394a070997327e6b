"""A transport in front of the emulator that dies mid-apply: it passes every request on, and after
the Nth write of ad content (an upload started or its bytes PUT, a post, InMail or conversation
made) raises :class:`Killed` instead of handing back the answer, as a process killed between a
write and its answer would."""

from __future__ import annotations

import httpx

CONTENT = (
    "/rest/images",
    "/rest/videos",
    "/rest/documents",
    "/rest/posts",
    "/rest/inMailContents",
    "/rest/conversationAds",
)


class Killed(BaseException):
    """The apply process died (raised through the client, past every ``except Exception``)."""


class Killer(httpx.BaseTransport):
    """Counts content writes and PUT uploads; ``die_after`` N raises :class:`Killed` after the Nth."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.writes = 0
        self.puts = 0
        self.die_after: int | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        path = request.url.raw_path.decode().partition("?")[0]
        if request.method == "PUT":
            self.puts += 1
        if request.method == "PUT" or (request.method == "POST" and path.startswith(CONTENT)):
            self.writes += 1
            if self.die_after is not None and self.writes >= self.die_after:
                self.die_after = None
                raise Killed(f"killed after content write {self.writes}")
        return response
