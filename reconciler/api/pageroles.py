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

from reconciler.api.roles import finder_elements
from reconciler.api.wire import Wire

_ORGANIZATION = re.compile(r"^urn:li:organization:\d+$")


def read_page_roles(wire: Wire) -> dict[str, frozenset[str]]:
    """Organization URN -> the member's APPROVED roles on it (bounded pages)."""
    roles: dict[str, set[str]] = {}
    for element in finder_elements(wire, "organizationAcls", "q=roleAssignee&state=APPROVED"):
        organization, role = element.get("organization"), element.get("role")
        approved = element.get("state", "APPROVED") == "APPROVED"
        well_formed = isinstance(organization, str) and _ORGANIZATION.match(organization) is not None
        if approved and well_formed and isinstance(role, str):
            roles.setdefault(str(organization), set()).add(role)
    return {organization: frozenset(held) for organization, held in roles.items()}
