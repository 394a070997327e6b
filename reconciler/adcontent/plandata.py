"""What the planner needs of managed content: the plan's form of it, and how desired and live differ.

A managed creative's create body carries ``content: {"managed": {...}}``: the kind, the manifest's
spec, the owner (the campaign's organization), the fingerprint, and each file with its sha256, size
and the asset URN the lock file knows for that owner (None: apply uploads it). A saved plan is so
applied without the manifests (the files are read again, and must still hash the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from reconciler.adcontent.render import (
    DYNAMIC_KINDS,
    POST_KINDS,
    Urns,
    content_mark,
    desired_view,
    get,
    live_view,
    mark_of,
)
from reconciler.adcontent.uploads import keys_by_path, uploads_of
from reconciler.model import Creative, DynamicContent, ManagedContent, PostReference
from reconciler.plan import FieldChange

JSON = dict[str, Any]
Assets = Mapping[str, Mapping[str, str]]  # sha256 -> owner URN -> asset URN (the lock's assets)
Pins = Mapping[str, tuple[str, int]]  # sha256 -> (file, size): what the lock file recorded of each upload
UPLOADED = frozenset({"image", "video", "document"})  # media uploaded as assets


def files_of(content: ManagedContent) -> list[JSON]:
    """The content's files as a plan lists them."""
    return [{"path": f.path, "sha256": f.sha256, "size": f.size, "media": f.media} for f in content.files]


def urns_for(content: ManagedContent, owner: str | None, assets: Assets) -> Urns:
    """A file path -> its asset URN for ``owner``, per the lock (None: not uploaded for it yet)."""
    if content.kind == "video":  # uploaded with its thumbnail and captions: keyed by the three
        keys = keys_by_path(content.kind, content.spec, files_of(content))
    else:
        keys = {f.path: f.sha256 for f in content.files}

    def urn(path: str) -> str | None:
        key = keys.get(path)
        if key is None or owner is None:
            return None
        return assets.get(key, {}).get(owner)

    return urn


def plan_content(
    content: ManagedContent, owner: str | None, assets: Assets, reuploads: Assets | None = None
) -> JSON:
    """``{"managed": {...}}``: a managed creative's content as its plan carries it: its files, and
    the uploads it needs with the asset URN the lock file knows (None: apply uploads it), and for an
    upload the lock records but LinkedIn cannot serve (``reuploads``), ``again``: why it is made again."""
    files = files_of(content)
    uploads = []
    for u in uploads_of(content.kind, content.spec, files):
        upload = {
            "path": u.path,
            "size": u.size,
            "media": u.media,
            "key": u.key,
            "with": [path for _, path, _ in u.extras],
            "urn": assets.get(u.key, {}).get(owner) if owner else None,
        }
        why = (reuploads or {}).get(u.key, {}).get(owner or "")
        if why and upload["urn"] is None:
            upload["again"] = why
        uploads.append(upload)
    return {
        "managed": {
            "kind": content.kind,
            "spec": content.to_api()[content.kind],
            "owner": owner,
            "fingerprint": content.fingerprint(),
            "files": files,
            "uploads": uploads,
        }
    }


def needs_owner(content: ManagedContent) -> bool:
    """Whether the kind is a post (or uploads files) of the campaign's organization."""
    return content.kind in POST_KINDS or any(f.media in UPLOADED for f in content.files)


def content_changes(
    desired: ManagedContent,
    current: Creative,
    entities: Mapping[str, Mapping[str, Any]],
    owner: str | None,
    assets: Assets,
    address: str = "",
    pins: Pins | None = None,
) -> tuple[FieldChange, ...]:
    """The differences between the manifest's content and what LinkedIn shows for ``current``:
    one ``content.<field>`` change per manifest field that differs, or one ``content`` change when
    what is live is not content of this kind at all. Files are named (see :func:`named_files`): the
    old side's asset by the file the lock file (``pins``: sha256 -> (file, size)) recorded for it,
    the new side's by its path, size and sha256.

    A post apply made for this very content (its ``dscName`` carries the mark of ``address`` and
    the content's fingerprint) and never modified since (``lastModifiedAt`` is its ``createdAt``)
    is equal without comparing field by field: 15,000 comparisons cost a second at the limits."""
    if address and desired.kind in POST_KINDS and _untouched(desired, current, entities, address):
        return ()
    found = _changes(desired, current, entities, owner, assets)
    return named_files(found, desired, owner, assets, pins or {}) if found else found


def _changes(
    desired: ManagedContent,
    current: Creative,
    entities: Mapping[str, Mapping[str, Any]],
    owner: str | None,
    assets: Assets,
) -> tuple[FieldChange, ...]:
    sizes = {f.path: f.size for f in desired.files}
    want = desired_view(desired.kind, desired.spec, urns_for(desired, owner, assets), sizes)
    have = _live(desired, current, entities)
    if have is None:
        shown = current.content.to_api() if current.content is not None else None
        return (FieldChange("content", shown, {desired.kind: want}),)
    if desired.kind == "conversation":
        return _conversation(desired, have)
    keys = sorted(set(want) | set(have))
    return tuple(
        FieldChange(f"content.{key}", have.get(key), want.get(key))
        for key in keys
        if have.get(key) != want.get(key)
    )


def named_files(
    changes: tuple[FieldChange, ...],
    desired: ManagedContent,
    owner: str | None,
    assets: Assets,
    pins: Pins,
) -> tuple[FieldChange, ...]:
    """``changes`` with each file shown by what it is, so a replace caused by a changed file shows
    the old file and the new: an asset URN as ``urn (path, N bytes, sha256 <12 hex>)`` (the path
    the manifest gives the file, else the one the lock file recorded; no sha256 for a video of the
    lock, whose key covers its thumbnail and captions; as it is when neither knows it), a file not
    uploaded yet as ``path (new file, N bytes, sha256 <12 hex>)``. One asset has one label on both
    sides, so an unchanged one is no difference."""
    labels: dict[str, str] = {}
    for key, owners in assets.items():
        pin = pins.get(key)
        urn = owners.get(owner or "")
        if pin is not None and urn is not None:
            digest = "" if urn.startswith("urn:li:video:") else f", sha256 {key[:12]}"
            labels[urn] = f"{urn} ({pin[0]}, {pin[1]:,} bytes{digest})"
    urns = urns_for(desired, owner, assets)
    for f in desired.files:
        facts = f"{f.size:,} bytes, sha256 {f.sha256[:12]}"
        labels[f"{f.path} (new file, {f.size:,} bytes)"] = f"{f.path} (new file, {facts})"
        urn = urns(f.path)
        if urn is not None:
            labels[urn] = f"{urn} ({f.path}, {facts})"
    return tuple(replace(c, old=_relabelled(c.old, labels), new=_relabelled(c.new, labels)) for c in changes)


def explain_content(topic: str, desired: ManagedContent, found: tuple[FieldChange, ...] | None) -> str | None:
    """``--explain content.<field>`` for a managed creative: why the field is equal or different
    (``found``: its content changes; None for a creative to create). None when ``topic`` is not a
    field of its content."""
    field = topic.removeprefix("content.")
    if not topic.startswith("content.") or field not in desired.spec:
        return None
    if found is None:
        return f"{topic}: not live yet: created with {desired.spec[field]}"
    for change in found:
        if change.field == topic:
            return (
                f"{topic}: different: the content can't change once created, so the creative is replaced\n"
                f"  live:     {change.old}\n  manifest: {change.new}"
            )
    return f"{topic}: equal: what LinkedIn shows for the creative is the manifest's ({desired.spec[field]})"


def _relabelled(value: Any, labels: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, Mapping):
        return {k: _relabelled(v, labels) for k, v in value.items()}
    if isinstance(value, list):
        return [_relabelled(v, labels) for v in value]
    return value


def _untouched(
    desired: ManagedContent, current: Creative, entities: Mapping[str, Mapping[str, Any]], address: str
) -> bool:
    content = current.content
    post = entities.get(content.reference) if isinstance(content, PostReference) else None
    if post is None:
        return False
    made, modified = post.get("createdAt"), post.get("lastModifiedAt")
    if not isinstance(made, int) or made != modified:
        return False
    return mark_of(get(post, "adContext.dscName")) == content_mark(address, desired.fingerprint())


def _live(
    desired: ManagedContent, current: Creative, entities: Mapping[str, Mapping[str, Any]]
) -> JSON | None:
    content = current.content
    if desired.kind in DYNAMIC_KINDS:
        if isinstance(content, DynamicContent) and content.key == DYNAMIC_KINDS[desired.kind]:
            return live_view(desired.kind, content.to_api())
        return None
    if not isinstance(content, PostReference):
        return None
    entity = entities.get(content.reference)
    if desired.kind == "conversation":
        return dict(entity) if entity is not None else None
    return live_view(desired.kind, entity)


def _conversation(desired: ManagedContent, have: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """A conversation is compared by the fingerprint its name carries (its messages are a tree of
    entities of their own; reading them back is left for later)."""
    ours = desired.fingerprint()[:12]
    theirs = mark_of(have.get("name"))
    if theirs == ours:
        return ()
    return (
        FieldChange(
            "content.messages", f"(conversation {theirs or 'made elsewhere'})", f"(conversation {ours})"
        ),
    )


def replace_reason(changes: tuple[FieldChange, ...]) -> str:
    """Why a content change is a replace, naming the fields."""
    names = ", ".join(c.field.removeprefix("content.") for c in changes)
    return (
        f"content changed ({names}): a sponsored post or ad content can't change once created, so a new one "
        "and a new creative replace it; the old creative is archived"
    )
