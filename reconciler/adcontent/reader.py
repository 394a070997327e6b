"""Reading what LinkedIn holds behind managed creatives: posts, InMail contents, conversations.

Only for accounts whose manifests manage content (an account without any makes no call here), and
only for the live creatives the manifests could match (same name as a managed creative): their
references are read in batch gets, the kinds side by side, never one call per creative.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from reconciler.api.client import LinkedInClient
from reconciler.live import LiveAccount
from reconciler.model import Account, ManagedContent, PostReference

POST_PREFIXES = ("urn:li:share:", "urn:li:ugcPost:")
INMAIL_PREFIX = "urn:li:adInMailContent:"
CONVERSATION_PREFIX = "urn:li:sponsoredConversation:"


def managed_names(account: Account) -> set[str]:
    """The names of the account's creatives whose content the manifests manage."""
    return {r.name for _, _, r in account.creatives() if isinstance(r.content, ManagedContent)}


def references(live: LiveAccount, names: set[str]) -> list[str]:
    """The content URNs of the live creatives that carry one of ``names``."""
    return sorted(
        {
            c.content.reference
            for c in live.creatives
            if c.name in names and isinstance(c.content, PostReference)
        }
    )


def read_content(
    client: LinkedInClient, accounts: Sequence[Account], live: Mapping[int, LiveAccount]
) -> dict[int, LiveAccount]:
    """``live`` with each account's ``content`` filled for its managed creatives."""
    out = dict(live)
    wanted = {a.id: references(live[a.id], names) for a in accounts if (names := managed_names(a))}
    wanted = {account: urns for account, urns in wanted.items() if urns}
    if not wanted:
        return out
    every = sorted({urn for urns in wanted.values() for urn in urns})
    found = fetch(client, every)
    for account, urns in wanted.items():
        out[account] = replace(live[account], content={u: found[u] for u in urns if u in found})
    return out


def fetch(client: LinkedInClient, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Posts, InMail contents and conversations by URN (absent ones left out), each kind in batch
    gets sent concurrently. (The kinds one after the other: a read started from the client's pool
    runs its batches inline, so wrapping the kinds in one more parallel map would serialise them.)"""
    keys = list(urns)
    api = client.content
    found: dict[str, dict[str, Any]] = {}
    for read, prefixes in (
        (api.posts, POST_PREFIXES),
        (api.inmails, (INMAIL_PREFIX,)),
        (api.conversations, (CONVERSATION_PREFIX,)),
    ):
        wanted = [u for u in keys if u.startswith(prefixes)]
        if wanted:
            found.update(read(wanted))
    return found
