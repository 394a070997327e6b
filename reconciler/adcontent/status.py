"""Whether the uploads the lock file records can still be used: asked of LinkedIn only when a plan
would use one for a new creative.

Apply records an upload in the lock file once LinkedIn has processed it (``AVAILABLE``), but a lock
file written before, or an asset LinkedIn dropped since, may record one that cannot be used: its
status is ``PROCESSING_FAILED`` (or it never got its bytes), or LinkedIn no longer has it. Apply
uploads such a file again (:mod:`reconciler.apply.content`); a plan says so, for the files its new
creatives (creates, replaces) would take from the lock file: their status is read in one batch get
per kind of media. A plan that makes no new creative (a no-op plan) makes no call here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from reconciler.api.client import LinkedInClient
from reconciler.plan import Action, ResourceChange

# Statuses of an asset that never becomes AVAILABLE (Images, Videos and Documents APIs; WAITING_UPLOAD
# once the upload was recorded: its bytes never arrived).
UNUSABLE = frozenset({"PROCESSING_FAILED", "FAILED", "WAITING_UPLOAD"})
MEDIA_PREFIXES = ("urn:li:image:", "urn:li:video:", "urn:li:document:")
FAILED_WHY = "LinkedIn failed to process the earlier upload"
GONE_WHY = "LinkedIn no longer has the earlier upload"
Reuploads = dict[str, dict[str, str]]  # lock key (sha256) -> owner URN -> why it is uploaded again


def unusable(urn: str, status: Mapping[str, str]) -> str | None:
    """Why the asset ``urn`` cannot be used, given a batch get's ``status`` by URN (None: it can)."""
    state = status.get(urn)
    if state is None:
        return f"{GONE_WHY} ({urn})"
    if state in UNUSABLE:
        return f"{FAILED_WHY} ({urn}: {state})"
    return None


def reuploads(
    client: LinkedInClient, changes: Iterable[ResourceChange], posts: Mapping[str, Any] | None = None
) -> Reuploads:
    """The lock's uploads that the new creatives of ``changes`` would use but LinkedIn cannot serve
    (see :func:`unusable`). Assets the live ``posts`` (URN -> post, as read for the plan) show are
    left alone: a post made on an asset proves it usable, and its creative is compared, not made."""
    wanted: dict[tuple[str, str], tuple[str, str]] = {}  # (key, owner) -> (media, urn)
    for key, owner, media, urn in _locked(changes):
        wanted.setdefault((key, owner), (media, urn))
    if not wanted:
        return {}
    used = {u for post in (posts or {}).values() for u in media_urns(post)}
    wanted = {k: v for k, v in wanted.items() if v[1] not in used}
    out: Reuploads = {}
    for media in sorted({media for media, _ in wanted.values()}):
        mine = {k: urn for k, (m, urn) in wanted.items() if m == media}
        status = client.content.media_status(media, sorted(set(mine.values())))
        for (key, owner), urn in sorted(mine.items()):
            why = unusable(urn, status)
            if why is not None:
                out.setdefault(key, {})[owner] = why
    return out


def without(assets: Mapping[str, Mapping[str, str]], again: Reuploads) -> dict[str, dict[str, str]]:
    """The lock's ``assets`` (key -> owner -> URN) less the uploads to make ``again``."""
    return {
        key: {owner: urn for owner, urn in owners.items() if owner not in again.get(key, {})}
        for key, owners in assets.items()
    }


def media_urns(value: Any) -> Iterator[str]:
    """Every image, video and document URN anywhere in a post (or InMail content)."""
    if isinstance(value, str):
        if value.startswith(MEDIA_PREFIXES):
            yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from media_urns(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from media_urns(inner)


def _locked(changes: Iterable[ResourceChange]) -> Iterator[tuple[str, str, str, str]]:
    """(key, owner, media, asset URN) of each upload a create or replace takes from the lock."""
    for change in changes:
        if change.action not in (Action.CREATE, Action.REPLACE):
            continue
        content = change.body.get("content")
        managed: Any = content.get("managed") if isinstance(content, Mapping) else None
        if not isinstance(managed, Mapping) or not managed.get("owner"):
            continue
        for upload in managed.get("uploads") or ():
            if upload.get("urn"):
                yield str(upload["key"]), str(managed["owner"]), str(upload["media"]), str(upload["urn"])
