"""The member's roles on company pages: ``organizationAcls?q=roleAssignee`` (LinkedIn's
"Organization Access Control by Role" page).

One finder, paged by ``start``/``count``, answers every organization the token's member holds a
role on; each element names ``organization``, ``role`` and ``state``. :func:`read_page_roles` asks
only for APPROVED assignments, reads at most :data:`MAX_PAGES` pages and keeps well-formed pairs: a
role it does not know is kept as LinkedIn spelled it, an element it cannot read is skipped; an
answer without a list of elements is a BadAnswer, not an empty list of roles.
"""

from __future__ import annotations

import re

from reconciler.api.restli import Method, Request
from reconciler.api.wire import Wire
from reconciler.errors import BadAnswer

PAGE_SIZE = 100
MAX_PAGES = 10
_ORGANIZATION = re.compile(r"^urn:li:organization:\d+$")


def read_page_roles(wire: Wire) -> dict[str, frozenset[str]]:
    """Organization URN -> the member's APPROVED roles on it (bounded pages)."""
    roles: dict[str, set[str]] = {}
    for page in range(MAX_PAGES):
        query = f"q=roleAssignee&state=APPROVED&start={page * PAGE_SIZE}&count={PAGE_SIZE}"
        request = Request(Method.FINDER, "organizationAcls", "/organizationAcls", query)
        answer = wire.json(request, wire.call(request))
        elements = answer.get("elements")
        if not isinstance(elements, list):
            # Not "no roles": a refusal made of a misread answer would send the user the wrong way.
            raise BadAnswer(
                "the answer has the wrong shape: elements is not a list",
                status=200,
                method="GET",
                path="/organizationAcls",
            )
        for element in elements:
            if not isinstance(element, dict):
                continue
            organization, role = element.get("organization"), element.get("role")
            approved = element.get("state", "APPROVED") == "APPROVED"
            well_formed = isinstance(organization, str) and _ORGANIZATION.match(organization) is not None
            if approved and well_formed and isinstance(role, str):
                roles.setdefault(str(organization), set()).add(role)
        if len(elements) < PAGE_SIZE:
            break
    return {organization: frozenset(held) for organization, held in roles.items()}
