"""Making what managed creatives reference, just before the creatives: uploads, posts, InMail, conversations.

Order, per account and create phase: the files (each (sha256, owner) once, however many creatives
use it; a file the lock file records is not uploaded again), then the wait until LinkedIn has
processed them, then the posts (or InMail contents, conversations, dynamic contents), and only then
the creatives, in the status the manifests give them: nothing half-built goes live, because a
creative exists only once all it shows exists.

Crash safety, with no idempotency keys at LinkedIn:

- each upload is recorded in the lock file the moment LinkedIn has processed it (AVAILABLE: the lock
  file never records an asset that cannot be used; :mod:`reconciler.adcontent.ledger`); an asset of
  the lock file LinkedIn failed to process or no longer has is uploaded again; an upload a killed run
  finished but did not record is found in the account's media library by its
  ``assetName``, which carries the file's sha256 (`` [rc:<12 hex>]``);
- each post carries in ``adContext.dscName`` a mark made from the account, the creative's address
  and its content fingerprint; before posting, the account's Direct Sponsored Content posts are listed
  once and a post with the mark is taken instead of making another;
- the journal records each upload and post before it is sent and once it is answered.

InMail contents and conversations have no finder (:mod:`reconciler.apply.recall`): the journal
records each create before it is sent and its URN the moment it is answered, and the next run reuses
or finishes what the journals say was made. Only a create killed between LinkedIn's commit and the
answer being read can leave an unreferenced copy (it never serves nor spends), which apply reports.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.adcontent.ledger import AssetLedger
from reconciler.adcontent.render import (
    DYNAMIC_KINDS,
    POST_KINDS,
    dynamic_content,
    get,
    mark_of,
    marked,
    post_body,
)
from reconciler.adcontent.status import UNUSABLE, unusable
from reconciler.adcontent.uploads import keys_by_path, uploads_of
from reconciler.api.client import LinkedInClient
from reconciler.api.content import ContentApi, UploadPart
from reconciler.apply.events import Listener, Notice
from reconciler.apply.journal import Journal
from reconciler.apply.messages import Item, MessageMaker, recalled_content, token
from reconciler.apply.recall import Made
from reconciler.errors import ApiError, UnknownOutcome
from reconciler.manifest.lockfile import load_lock, project_root
from reconciler.model import account_urn

JSON = dict[str, Any]
READY = "AVAILABLE"
FAILED = frozenset({"PROCESSING_FAILED", "FAILED"})


@dataclass(frozen=True)
class WaitPolicy:
    """How long to wait for LinkedIn to process uploads, and how often to look."""

    timeout: float = 600.0
    first: float = 0.5
    most: float = 10.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class Asset:
    """One upload to have as an asset of one owner; ``key`` is its lock key (see adcontent/uploads.py)."""

    key: str
    owner: str
    media: str
    path: str
    size: int
    sha256: str
    extras: tuple[tuple[str, str, str], ...] = ()


@dataclass
class _Run:
    account: int
    urns: dict[tuple[str, str], str] = field(default_factory=dict)  # (sha256, owner) -> asset URN
    broken: dict[tuple[str, str], ApiError] = field(default_factory=dict)
    unrecorded: set[tuple[str, str]] = field(default_factory=set)  # to record once AVAILABLE


class ContentMaker:
    """Makes the content of managed creatives for the executor. ``root`` is the project directory
    the plan's file paths are relative to."""

    def __init__(
        self,
        client: LinkedInClient,
        ledger: AssetLedger,
        root: Path,
        *,
        wait: WaitPolicy | None = None,
    ) -> None:
        self.client = client
        self.api: ContentApi = client.content
        self.ledger = ledger
        self.root = root
        self.wait = wait or WaitPolicy()
        self.journal = Journal(None, "in-memory")  # the apply's, for each make()
        self.listener: Listener | None = None

    def make(
        self,
        account: int,
        items: Sequence[Item],
        *,
        journal: Journal | None = None,
        listener: Listener | None = None,
    ) -> dict[int, JSON | ApiError]:
        """Each item's final create body (its content a reference, or a dynamic content), or why it
        could not be made. Writes are announced in ``journal`` (the apply's); notices go to
        ``listener``."""
        self.journal = journal or Journal(None, "in-memory")
        self.listener = listener
        run = _Run(account)
        out: dict[int, JSON | ApiError] = {}
        # One asset per (file, owner), whatever path or creative names it.
        assets: dict[tuple[str, str], Asset] = {}
        for item in items:
            for asset in _assets(item):
                assets.setdefault((asset.key, asset.owner), asset)
        self._have_assets(run, [assets[k] for k in sorted(assets)])
        ready: list[Item] = []
        for item in items:
            broken = [run.broken[(a.key, a.owner)] for a in _assets(item) if (a.key, a.owner) in run.broken]
            if broken:
                out[item.index] = broken[0]
            else:
                ready.append(item)
        posts = [i for i in ready if i.managed["kind"] in POST_KINDS]
        out.update(self._posts(run, posts))
        inbox = [i for i in ready if i.managed["kind"] in ("message", "conversation")]
        recalled = recalled_content(self.api, self.journal, run.account, inbox, self._note)
        messages = MessageMaker(self.api, self.journal, run.account, self._note)
        for item in ready:
            kind = item.managed["kind"]
            if kind in DYNAMIC_KINDS:
                content = dynamic_content(kind, item.managed["spec"], _lookup(run, item))
                out[item.index] = {**item.body, "content": content}
            elif kind == "message":
                out[item.index] = messages.inmail(item, _lookup(run, item), recalled.get(item.index, Made()))
            elif kind == "conversation":
                out[item.index] = messages.conversation(item, recalled.get(item.index, Made()))
        return out

    # -- assets --------------------------------------------------------------------------------

    def _have_assets(self, run: _Run, assets: Sequence[Asset]) -> None:
        """Every asset known (lock file), found (media library) or uploaded, then processed."""
        known = {a: urn for a in assets if (urn := self.ledger.urn(a.key, a.owner))}
        missing = self._still_there(known)
        todo = [a for a in assets if a not in known or a in missing]
        for asset in missing:
            self.ledger.forget(asset.key, asset.owner)
        for asset, urn in known.items():
            if asset not in missing:
                run.urns[(asset.key, asset.owner)] = urn
        if todo:
            found = self._library(run.account, todo)
            for asset, urn in found.items():
                self._note(f"{asset.path}: found in the media library (uploaded by an earlier run), reused")
                self._have(run, asset, urn)
            todo = [a for a in todo if a not in found]
            # Announced together, durable before the first is sent; answered together once all are.
            self.journal.write(
                *({"type": "upload", "key": a.key, "owner": a.owner, "media": a.media} for a in todo)
            )
            results = self.client.parallel(lambda a: self._upload(run, a), todo)
            done = [(a, r) for a, r in zip(todo, results, strict=True) if not isinstance(r, ApiError)]
            self.journal.write(
                *({"type": "uploaded", "key": a.key, "urn": r} for a, r in done), durable=False
            )
            for asset, result in zip(todo, results, strict=True):
                if isinstance(result, ApiError):
                    run.broken[(asset.key, asset.owner)] = result
                else:
                    self._note(f"uploaded {_shown(asset)} as {result}")
        self._processed(run, assets)

    def _still_there(self, known: Mapping[Asset, str]) -> set[Asset]:
        """The assets of the lock file LinkedIn no longer has or could not process (to upload
        again: a failed asset never becomes available, so reusing it would fail every run)."""
        gone: set[Asset] = set()
        for media in sorted({a.media for a in known}):
            mine = {a: u for a, u in known.items() if a.media == media}
            status = self.api.media_status(media, mine.values())
            for asset, urn in mine.items():
                why = unusable(urn, status)
                if why is not None:
                    self._note(f"{asset.path}: {why}; uploading it again")
                    gone.add(asset)
        return gone

    def _library(self, account: int, todo: Sequence[Asset]) -> dict[Asset, str]:
        """Assets a killed run uploaded but did not record, found by their assetName's mark."""
        found: dict[Asset, str] = {}
        for media in sorted({a.media for a in todo}):
            try:
                entries = self.api.media_library(media, account_urn(account))
            except ApiError as error:
                self._note(f"the media library could not be read ({error}); uploading anew")
                continue
            by_mark = {
                (mark_of(get(e, "mediaLibraryMetadata.assetName")), str(e.get("owner") or "")): str(e["id"])
                for e in entries
                if e.get("id") and str(e.get("status") or "") not in UNUSABLE
            }
            for asset in todo:
                urn = by_mark.get((asset.key[:12], asset.owner)) or by_mark.get((asset.key[:12], ""))
                if asset.media == media and urn:
                    found[asset] = urn
        return found

    def _read(self, path: str, sha256: str) -> bytes | ApiError:
        try:
            data = (self.root / path).read_bytes()
        except OSError as error:
            return ApiError(f"{path}: cannot read it: {error.strerror or error}")
        if hashlib.sha256(data).hexdigest() != sha256:
            return ApiError(f"{path}: the file changed since the plan was made; plan again")
        return data

    def _upload(self, run: _Run, asset: Asset) -> str | ApiError:
        data = self._read(asset.path, asset.sha256)
        extras = {slot: self._read(path, sha) for slot, path, sha in asset.extras}
        for read in (data, *extras.values()):
            if isinstance(read, ApiError):
                return read
        assert isinstance(data, bytes)
        name = marked(Path(asset.path).name, asset.key[:12])
        try:
            ticket = self.api.initialize_upload(
                asset.media,
                asset.owner,
                len(data),
                account=account_urn(run.account),
                name=name,
                extras=list(extras),
            )
            etags = [self.api.put_part(asset.media, p, data[p.first : p.last + 1]) for p in ticket.parts]
            for slot, extra in extras.items():
                assert isinstance(extra, bytes)
                self.api.put_part(asset.media, UploadPart(ticket.extras[slot], 0, len(extra) - 1), extra)
            if asset.media == "video":
                self.api.finalize_video(ticket, etags)
        except ApiError as error:
            return error
        self._have(run, asset, ticket.urn)
        return ticket.urn

    def _have(self, run: _Run, asset: Asset, urn: str) -> None:
        """An asset this run uploaded or found: used, and recorded in the lock file once LinkedIn
        has processed it (a lock file records only assets that can be used)."""
        run.urns[(asset.key, asset.owner)] = urn
        run.unrecorded.add((asset.key, asset.owner))

    def _processed(self, run: _Run, assets: Sequence[Asset]) -> None:
        """Wait until LinkedIn has processed every asset (AVAILABLE); a failed or late one breaks."""
        waiting = {a: run.urns[(a.key, a.owner)] for a in assets if (a.key, a.owner) in run.urns}
        began, pause = self.wait.clock(), self.wait.first
        while waiting:
            for media in sorted({a.media for a in waiting}):
                mine = {a: u for a, u in waiting.items() if a.media == media}
                try:
                    status = self.api.media_status(media, mine.values())
                except ApiError as error:
                    for asset in mine:
                        run.broken[(asset.key, asset.owner)] = error
                        waiting.pop(asset)
                    continue
                for asset, urn in mine.items():
                    state = status.get(urn, "")
                    if state == READY:
                        waiting.pop(asset)
                        if (asset.key, asset.owner) in run.unrecorded:
                            self.ledger.record(asset.key, asset.size, asset.path, asset.owner, urn)
                    elif state in FAILED or not state:
                        why = f"LinkedIn could not process {asset.path} ({urn}: {state or 'gone'})"
                        run.broken[(asset.key, asset.owner)] = ApiError(why)
                        waiting.pop(asset)
            if not waiting:
                return
            left = self.wait.timeout - (self.wait.clock() - began)
            if left <= 0:
                for asset in waiting:
                    late = f"after {self.wait.timeout:g} s (the most apply waits: --processing-timeout)"
                    again = "run apply again (it reuses the upload)"
                    why = f"{asset.path} still processing at LinkedIn {late}; {again}"
                    run.broken[(asset.key, asset.owner)] = ApiError(why)
                return
            self.wait.sleep(min(pause, left))  # the last look is at the timeout, not before it
            pause = min(pause * 2, self.wait.most)

    # -- posts ---------------------------------------------------------------------------------

    def _posts(self, run: _Run, items: Sequence[Item]) -> dict[int, JSON | ApiError]:
        if not items:
            return {}
        marks = {item.index: token(run.account, item) for item in items}
        existing = self._dsc_posts(run.account)
        out: dict[int, JSON | ApiError] = {}
        todo: list[Item] = []
        for item in items:
            urn = existing.get((marks[item.index], item.managed["owner"]))
            if urn:
                self._note(f"{item.address}: its post {urn} was made by an earlier run; reused")
                out[item.index] = {**item.body, "content": {"reference": urn}}
            else:
                todo.append(item)
        self.journal.write(*({"type": "post", "address": i.address, "mark": marks[i.index]} for i in todo))
        results = self.client.parallel(lambda item: self._post(run, item, marks[item.index]), todo)
        self.journal.write(
            *(
                {"type": "posted", "address": item.address, "urn": result}
                for item, result in zip(todo, results, strict=True)
                if isinstance(result, str)
            ),
            durable=False,
        )
        unknown = [
            item for item, result in zip(todo, results, strict=True) if isinstance(result, UnknownOutcome)
        ]
        found = self._dsc_posts(run.account) if unknown else {}
        for item, result in zip(todo, results, strict=True):
            urn = (
                found.get((marks[item.index], item.managed["owner"]))
                if isinstance(result, UnknownOutcome)
                else None
            )
            if isinstance(result, ApiError) and urn is None:
                out[item.index] = result
            else:
                out[item.index] = {**item.body, "content": {"reference": urn or result}}
        return out

    def _post(self, run: _Run, item: Item, mark: str) -> str | ApiError:
        managed = item.managed
        try:
            body = post_body(
                managed["kind"],
                managed["spec"],
                _lookup(run, item),
                owner=managed["owner"],
                account=account_urn(run.account),
                dsc_name=marked(item.name, mark),
            )
        except KeyError as error:
            return ApiError(f"a file of it was not uploaded: {error}")
        try:
            return self.api.create_post(body)
        except ApiError as error:
            return error

    def _dsc_posts(self, account: int) -> dict[tuple[str, str], str]:
        """(mark, author) -> post URN of the account's Direct Sponsored Content posts with a mark."""
        try:
            posts = self.api.dsc_posts(account_urn(account))
        except ApiError as error:
            self._note(f"the account's sponsored posts could not be listed ({error}); posting anew")
            return {}
        out = {}
        for post in posts:
            token = mark_of(get(post, "adContext.dscName"))
            if token and post.get("id") and get(post, "lifecycleState") != "DELETED":
                out[(token, str(post.get("author") or ""))] = str(post["id"])
        return out

    def _note(self, message: str) -> None:
        if self.listener is not None:
            self.listener(Notice(message))


def content_maker(
    client: LinkedInClient,
    paths: Sequence[str | Path],
    *,
    wait: WaitPolicy | None = None,
) -> ContentMaker:
    """The maker for the manifests at ``paths``: files are read from the first path's project root
    (the working directory without paths) and recorded in its lock file."""
    roots = [Path(p) for p in paths] or [Path.cwd()]
    lock = load_lock(roots)
    ledger = AssetLedger(lock.path, lock.assets)
    return ContentMaker(client, ledger, project_root(roots[0]), wait=wait)


def _assets(item: Item) -> list[Asset]:
    """The uploads of a creative, as assets of its owner."""
    managed = item.managed
    owner = managed.get("owner") or ""
    return [
        Asset(u.key, owner, u.media, u.path, u.size, u.sha256, u.extras)
        for u in uploads_of(managed["kind"], managed["spec"], managed.get("files") or ())
    ]


def _shown(asset: Asset) -> str:
    extras = "".join(f" + {path}" for _, path, _ in asset.extras)
    return f"{asset.path}{extras} ({asset.size:,} bytes)"


def _lookup(run: _Run, item: Item) -> Callable[[str], str | None]:
    managed = item.managed
    owner = managed.get("owner") or ""
    keys = keys_by_path(managed["kind"], managed["spec"], managed.get("files") or ())
    return lambda path: run.urns.get((keys.get(path, ""), owner))
