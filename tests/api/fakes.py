"""A scriptable fake LinkedIn for ``httpx.MockTransport``: records every request, answers plausibly.

Tests queue explicit responses with :meth:`FakeLinkedIn.queue`; anything not queued gets a minimal
valid answer for its Rest.li method, so a test only scripts what it is about.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx

from reconciler.api import BearerAuth, LinkedInClient, RetryPolicy, Secret

BASE_URL = "https://api.linkedin.com/rest"
TOKEN = "TEST_TOKEN"

Responder = Callable[[httpx.Request], httpx.Response]


def entity_for(resource: str, key: str) -> dict[str, Any]:
    """A minimal entity of ``resource`` that the model's ``from_api`` accepts."""
    if resource == "creatives":
        urn = key if key.startswith("urn:") else f"urn:li:sponsoredCreative:{key}"
        return {"id": urn, "campaign": "urn:li:sponsoredCampaign:1", "name": f"creative {key}"}
    if resource == "adCampaigns":
        return {"id": int(key), "name": f"campaign {key}", "campaignGroup": "urn:li:sponsoredCampaignGroup:1"}
    if resource == "adCampaignGroups":
        return {"id": int(key), "name": f"group {key}", "account": "urn:li:sponsoredAccount:1"}
    return {"id": int(key), "name": f"account {key}", "currency": "EUR"}


def query_of(request: httpx.Request) -> str:
    """The Rest.li query of a request, tunnelled or not (form body or multipart's first part)."""
    if request.headers.get("x-http-method-override"):
        body = request.content.decode()
        if body.startswith("--"):
            return body.split("\r\n\r\n", 1)[1].split("\r\n", 1)[0]
        return body
    return request.url.raw_path.decode().partition("?")[2]


def ids_of(request: httpx.Request) -> list[str]:
    """The (decoded) keys of ``ids=List(...)``."""
    match = re.search(r"ids=List\(([^)]*)\)", query_of(request))
    return [unquote(k) for k in match.group(1).split(",")] if match and match.group(1) else []


def resource_of(request: httpx.Request) -> tuple[str, str | None]:
    """(collection name, decoded key or None) from the raw path."""
    parts = request.url.raw_path.decode().partition("?")[0].split("/")
    names = {"adAccounts", "adCampaignGroups", "adCampaigns", "creatives"}
    if parts[-1] in names:
        return parts[-1], None
    return parts[-2], unquote(parts[-1])


def default_answer(request: httpx.Request) -> httpx.Response:
    """A minimal successful answer for the request's Rest.li method."""
    method = request.headers.get("x-restli-method", "")
    resource, key = resource_of(request)
    if method == "GET":
        return httpx.Response(200, json=entity_for(resource, key or "1"))
    if method == "FINDER":
        return httpx.Response(200, json={"elements": [], "paging": {"start": 0, "count": 0}, "metadata": {}})
    if method == "BATCH_GET":
        results = {k: entity_for(resource, k) for k in ids_of(request)}
        return httpx.Response(200, json={"results": results, "statuses": {}, "errors": {}})
    if method == "CREATE":
        new = "urn%3Ali%3AsponsoredCreative%3A123456789" if resource == "creatives" else "123456789"
        return httpx.Response(201, headers={"x-restli-id": new})
    if method == "BATCH_CREATE":
        count = len(json.loads(_json_part(request))["elements"])
        return httpx.Response(
            200, json={"elements": [{"status": 201, "id": str(900 + i)} for i in range(count)]}
        )
    if method in ("BATCH_PARTIAL_UPDATE", "BATCH_DELETE"):
        results = {k.replace(":", "%3A"): {"status": 204} for k in ids_of(request)}
        return httpx.Response(200, json={"results": results, "errors": {}})
    return httpx.Response(204)


def _json_part(request: httpx.Request) -> str:
    body = request.content.decode()
    if body.startswith("--"):
        return body.split("\r\n\r\n")[2].rsplit("\r\n--", 1)[0]
    return body


class FakeLinkedIn:
    """The MockTransport handler: records requests; answers from the queue, else by default."""

    def __init__(self, responder: Responder = default_answer) -> None:
        self.requests: list[httpx.Request] = []
        self._queue: list[httpx.Response | Exception] = []
        self._responder = responder

    def queue(self, *answers: httpx.Response | Exception) -> FakeLinkedIn:
        """Answer the next requests with these, in order (an exception is raised instead)."""
        self._queue.extend(answers)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self._queue:
            answer = self._queue.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return self._responder(request)

    def raw_paths(self) -> list[str]:
        """Every request's raw path+query, as sent."""
        return [r.url.raw_path.decode() for r in self.requests]


def no_wait_policy(**overrides: Any) -> RetryPolicy:
    """A retry policy that never sleeps (tests stay instant)."""
    settings: dict[str, Any] = {"base_delay": 0.001, "max_delay": 0.001, "sleep": lambda _s: None}
    settings.update(overrides)
    return RetryPolicy(**settings)


def make_client(fake: FakeLinkedIn, *, auth: httpx.Auth | None = None, **options: Any) -> LinkedInClient:
    """A client over ``fake`` with a static token and a no-wait retry policy."""
    http = httpx.Client(
        base_url=BASE_URL,
        transport=httpx.MockTransport(fake),
        auth=auth or BearerAuth(Secret(TOKEN)),
    )
    options.setdefault("retry", no_wait_policy())
    return LinkedInClient(http, **options)
