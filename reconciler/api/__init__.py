"""The LinkedIn Marketing API client: Rest.li 2.0 encoding, typed operations, retries, auth.

Public surface: :class:`LinkedInClient` (and the :class:`Collection` it hands out), :class:`ItemResult`,
:class:`Patch`, :class:`RetryPolicy`, :class:`ClientStats`, the auth flows and :class:`Secret`.
Only this package touches the network; it never prints.
"""

from reconciler.api.auth import BearerAuth, RefreshTokenAuth, Secret, auth_from_env, redact_text
from reconciler.api.client import LinkedInClient
from reconciler.api.collection import Collection, ItemResult, Patch
from reconciler.api.retry import RetryPolicy
from reconciler.api.stats import ClientStats
from reconciler.api.version import DEFAULT_VERSION, parse_version, version_notice

__all__ = [
    "DEFAULT_VERSION",
    "BearerAuth",
    "ClientStats",
    "Collection",
    "ItemResult",
    "LinkedInClient",
    "Patch",
    "RefreshTokenAuth",
    "RetryPolicy",
    "Secret",
    "auth_from_env",
    "parse_version",
    "redact_text",
    "version_notice",
]
