"""The member's roles on ad accounts: ``adAccountUsers?q=authenticatedUser`` (reference §3.1).

One finder, paged by ``start``/``count``, answers every account the token's member holds a role
on. :func:`read_roles` reads at most :data:`MAX_PAGES` pages (a bounded number of calls, whatever
the member administers) and keeps only well-formed ``(account, role)`` pairs: an unknown role is
kept as LinkedIn spelled it, an element it cannot read is skipped (never an abort); an answer
without a list of elements is a BadAnswer, not an empty list of roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from reconciler.api.restli import Method, Request
from reconciler.api.wire import Wire
from reconciler.errors import BadAnswer

PAGE_SIZE = 100
MAX_PAGES = 10
_ACCOUNT = re.compile(r"^urn:li:sponsoredAccount:(\d+)$")


def read_roles(wire: Wire) -> dict[int, str]:
    """Account id -> the member's role on it, for every account the finder lists (bounded pages)."""
    roles: dict[int, str] = {}
    for element in finder_elements(wire, "adAccountUsers", "q=authenticatedUser"):
        match = _ACCOUNT.match(str(element.get("account", "")))
        role = element.get("role")
        if match is not None and isinstance(role, str):
            roles[int(match[1])] = role
    return roles


def finder_elements(wire: Wire, resource: str, query: str) -> Iterator[dict[str, Any]]:
    """The object elements of a top-level finder ``/{resource}?{query}``, paged by ``start``/``count``
    for at most :data:`MAX_PAGES` pages; an element that is not an object is skipped, an answer
    without a list of elements is a BadAnswer."""
    path = f"/{resource}"
    for page in range(MAX_PAGES):
        paged = f"{query}&start={page * PAGE_SIZE}&count={PAGE_SIZE}"
        request = Request(Method.FINDER, resource, path, paged)
        answer = wire.json(request, wire.call(request))
        elements = answer.get("elements")
        if not isinstance(elements, list):
            # Not "no roles": a refusal made of a misread answer would send the user the wrong way.
            raise BadAnswer(
                "the answer has the wrong shape: elements is not a list",
                status=200,
                method="GET",
                path=path,
            )
        yield from (element for element in elements if isinstance(element, dict))
        if len(elements) < PAGE_SIZE:
            return
