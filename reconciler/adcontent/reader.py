"""Reading what LinkedIn holds behind managed creatives: posts, InMail contents, conversations.

Only for accounts whose manifests manage content (an account without any makes no call here), and
only for the live creatives the manifests could match (same name as a managed creative): their
references are read in batch gets, the kinds side by side, never one call per creative.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import replace
from typing import Any

from reconciler.adcontent.plandata import files_of
from reconciler.adcontent.render import mark_of
from reconciler.adcontent.uploads import uploads_of
from reconciler.api.client import LinkedInClient
from reconciler.live import LiveAccount
from reconciler.model import Account, AssetFile, Creative, ManagedContent, PostReference

POST_PREFIXES = ("urn:li:share:", "urn:li:ugcPost:")
MEDIA = ("image", "video", "document")
INMAIL_PREFIX = "urn:li:adInMailContent:"
CONVERSATION_PREFIX = "urn:li:sponsoredConversation:"
# The ContentApi batch get of each kind of reference, and the URN prefixes it reads.
_READERS: dict[str, tuple[str, ...]] = {
    "posts": POST_PREFIXES,
    "inmails": (INMAIL_PREFIX,),
    "conversations": (CONVERSATION_PREFIX,),
}


def _kind(urn: str) -> str | None:
    return next((kind for kind, prefixes in _READERS.items() if urn.startswith(prefixes)), None)


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
    client: LinkedInClient,
    accounts: Sequence[Account],
    live: Mapping[int, LiveAccount],
    fetched: Mapping[int, Mapping[str, dict[str, Any]]] | None = None,
) -> dict[int, LiveAccount]:
    """``live`` with each account's ``content`` filled for its managed creatives; ``fetched`` holds
    what was read already, per account (see :class:`ContentReads`)."""
    out = dict(live)
    wanted = {a.id: references(live[a.id], names) for a in accounts if (names := managed_names(a))}
    wanted = {account: urns for account, urns in wanted.items() if urns}
    if not wanted:
        return out
    found: dict[str, dict[str, Any]] = {}
    for account in wanted:
        found.update((fetched or {}).get(account, {}))
    missing = sorted({urn for urns in wanted.values() for urn in urns} - set(found))
    if missing:
        found.update(fetch(client, [u for u in missing if not _read_for(u, wanted, fetched)]))
    for account, urns in wanted.items():
        out[account] = replace(live[account], content={u: found[u] for u in urns if u in found})
    return out


def _read_for(urn: str, wanted: Mapping[int, list[str]], fetched: Mapping[int, Any] | None) -> bool:
    """Whether an account's early read already looked for ``urn`` (and found it gone)."""
    return any(urn in urns and account in (fetched or {}) for account, urns in wanted.items())


class ContentReads:
    """What an account's live creatives reference (posts, InMail contents, conversations), read
    while the account is: :meth:`add` is given each search's creatives as it ends (see
    :func:`~reconciler.live.read_accounts`), and sends a batch get to ``pool`` as soon as a kind has a
    full batch of URNs not asked for yet; :meth:`result` sends what remains and waits. As many calls
    as reading the URNs all at the end, without waiting for the last creatives: at the limits, most
    of 15,000 posts are read while the creatives still page. Used when the project manages content
    (before its manifests are loaded, so for every creative, managed or not)."""

    def __init__(self, client: LinkedInClient, pool: Executor) -> None:
        self.client, self.pool = client, pool
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        self._waiting: dict[str, list[str]] = {kind: [] for kind in _READERS}
        self._reads: list[Future[dict[str, dict[str, Any]]]] = []

    def add(self, account: int, creatives: Sequence[Creative]) -> None:
        """Note the references of ``creatives`` (of ``account``: one account per instance)."""
        size = max(1, self.client.batch_size)
        with self._lock:
            for creative in creatives:
                content = creative.content
                if not isinstance(content, PostReference) or content.reference in self._seen:
                    continue
                self._seen.add(content.reference)
                kind = _kind(content.reference)
                if kind is not None:
                    self._waiting[kind].append(content.reference)
                    if len(self._waiting[kind]) >= size:
                        self._send(kind)

    def result(self) -> dict[str, dict[str, Any]]:
        """Every referenced entity found, by URN (absent ones left out); the first error raised."""
        with self._lock:
            for kind in _READERS:
                if self._waiting[kind]:
                    self._send(kind)
            reads = list(self._reads)
        found: dict[str, dict[str, Any]] = {}
        for read in reads:
            found.update(read.result())
        return found

    def _send(self, kind: str) -> None:
        urns, self._waiting[kind] = self._waiting[kind], []
        read = getattr(self.client.content, kind)
        self._reads.append(self.pool.submit(read, urns))


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
    shown = sorted({u for a in accounts for post in live[a.id].content.values() for u in _media_urns(post)})
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


def _media_urns(value: Any) -> Iterator[str]:
    """Every media URN anywhere in a post (or InMail content)."""
    if isinstance(value, str):
        if value.startswith(tuple(f"urn:li:{m}:" for m in MEDIA)):
            yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from _media_urns(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _media_urns(inner)


def fetch(client: LinkedInClient, urns: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Posts, InMail contents and conversations by URN (absent ones left out), each kind in batch
    gets sent concurrently (see also :class:`ContentReads`). (The kinds one after the other: a read
    started from the client's pool runs its batches inline, so wrapping the kinds in one more
    parallel map would serialise them.)"""
    keys = list(urns)
    found: dict[str, dict[str, Any]] = {}
    for kind, prefixes in _READERS.items():
        wanted = [u for u in keys if u.startswith(prefixes)]
        if wanted:
            found.update(getattr(client.content, kind)(wanted))
    return found
