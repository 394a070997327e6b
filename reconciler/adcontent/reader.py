"""Reading what LinkedIn holds behind managed creatives: posts, InMail contents, conversations.

Only for accounts whose manifests manage content (an account without any makes no call here), and
only for the live creatives the manifests could match (same name as a managed creative): their
references are read in batch gets, the kinds side by side, never one call per creative.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from reconciler.adcontent.plandata import files_of
from reconciler.adcontent.render import mark_of
from reconciler.adcontent.status import media_urns
from reconciler.adcontent.uploads import uploads_of
from reconciler.api.client import LinkedInClient
from reconciler.live import LiveAccount
from reconciler.model import Account, AssetFile, ManagedContent, PostReference

POST_PREFIXES = ("urn:li:share:", "urn:li:ugcPost:")
MEDIA = ("image", "video", "document")
INMAIL_PREFIX = "urn:li:adInMailContent:"
CONVERSATION_PREFIX = "urn:li:sponsoredConversation:"


def managed_keys(account: Account) -> tuple[set[str], set[int]]:
    """The names of the account's creatives whose content the manifests manage, and the ids of
    those pinned by ``id`` (a pinned creative may be renamed: live, it still has its old name)."""
    managed = [r for _, _, r in account.creatives() if isinstance(r.content, ManagedContent)]
    return {r.name for r in managed}, {r.id for r in managed if r.id is not None}


def references(live: LiveAccount, names: set[str], ids: set[int]) -> list[str]:
    """The content URNs of the live creatives that carry one of ``names`` or ``ids``."""
    return sorted(
        {
            c.content.reference
            for c in live.creatives
            if (c.name in names or c.id in ids) and isinstance(c.content, PostReference)
        }
    )


def read_content(
    client: LinkedInClient,
    accounts: Sequence[Account],
    live: Mapping[int, LiveAccount],
    fetched: Mapping[int, Mapping[str, dict[str, Any]]] | None = None,
) -> dict[int, LiveAccount]:
    """``live`` with each account's ``content`` filled for its managed creatives; ``fetched`` holds
    what was read already, per account (see :func:`fetch_all`)."""
    out = dict(live)
    wanted = {a.id: urns for a in accounts if (urns := references(live[a.id], *managed_keys(a)))}
    if not wanted:
        return out
    found: dict[str, dict[str, Any]] = {}
    for account in wanted:
        found.update((fetched or {}).get(account, {}))
    missing = sorted(set().union(*wanted.values()).difference(found))
    if missing:
        found.update(fetch(client, [u for u in missing if not _read_for(u, wanted, fetched)]))
    for account, urns in wanted.items():
        out[account] = replace(live[account], content={u: found[u] for u in urns if u in found})
    return out


def _read_for(urn: str, wanted: Mapping[int, list[str]], fetched: Mapping[int, Any] | None) -> bool:
    """Whether an account's early read already looked for ``urn`` (and found it gone)."""
    return any(urn in urns and account in (fetched or {}) for account, urns in wanted.items())


def fetch_all(client: LinkedInClient, live: LiveAccount) -> dict[str, dict[str, Any]]:
    """What every live creative of the account references (posts, InMail contents, conversations):
    read before the manifests are loaded, when the project is known to manage content."""
    return fetch(
        client, sorted({c.content.reference for c in live.creatives if isinstance(c.content, PostReference)})
    )


def recover_assets(
    client: LinkedInClient,
    accounts: Sequence[Account],
    live: Mapping[int, LiveAccount],
    assets: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """The uploads the lock file does not record (a lost or uncommitted lock) but LinkedIn holds:
    the assets the live posts show whose ``assetName`` carries the upload's mark and whose owner is
    the campaign's organization. Read only when some upload is missing from the lock, one batch get
    per kind of media; without it a lost lock file would replace every ad."""
    wanted = {
        (key, owner)
        for account in accounts
        for key, owner in _uploads(account)
        if not assets.get(key, {}).get(owner)
    }
    if not wanted:
        return {}
    shown = sorted({u for a in accounts for post in live[a.id].content.values() for u in media_urns(post)})
    by_mark = {(key[:12], owner): key for key, owner in wanted}
    found: dict[str, dict[str, str]] = {}
    for media in MEDIA:
        urns = [u for u in shown if u.startswith(f"urn:li:{media}:")]
        for urn, entity in (client.content.media(media, urns) if urns else {}).items():
            name = (entity.get("mediaLibraryMetadata") or {}).get("assetName")
            key = by_mark.get((mark_of(name), str(entity.get("owner") or "")))
            if key is not None:
                found.setdefault(key, {})[str(entity.get("owner"))] = urn
    return found


def _uploads(account: Account) -> Iterator[tuple[str, str]]:
    """Each (lock key, owner) the account's managed contents upload. Contents of one kind and owner
    with the same files upload the same (the files give each file field's path and media, in spec
    order), so each such set is worked out once: at the limits, 500 times for 15,000 image ads over
    500 files. Not videos: a video's key covers the thumbnail and captions slots as its spec sets them."""
    done: set[tuple[str, tuple[AssetFile, ...], str]] = set()
    for _, campaign, creative in account.creatives():
        content, owner = creative.content, campaign.associated_entity
        if not isinstance(content, ManagedContent) or not owner:
            continue
        if content.kind != "video":
            shared = (content.kind, content.files, owner)
            if shared in done:
                continue
            done.add(shared)
        for upload in uploads_of(content.kind, content.spec, files_of(content)):
            yield upload.key, owner


def fetch(client: LinkedInClient, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Posts, InMail contents and conversations by URN (404 ones left out), each kind in batch
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
