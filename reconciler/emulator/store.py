"""Entity storage behind one small interface, so the rules never care where entities live.

Owns: the :class:`Store` protocol, the index columns every implementation keeps next to an entity
(parent, status, end of run schedule — what searches and account limits filter on), and the
in-memory implementation used by tests. The SQLite implementation is in ``sqlite_store``.

Contract shared by every store:

* entities are JSON objects in API shape, keyed by (kind, account id, numeric id); accounts are
  stored under their own id as the account;
* ``get``/``scan`` return fresh copies — mutating them never changes the store;
* every read and write of one request runs inside ``with store.transaction(write=...)``, which
  serialises requests (one lock) and, for SQLite, makes the request's writes one transaction.

Must not: validate anything (that is ``rules``) or know about HTTP.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Collection, Hashable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from reconciler.emulator import jsontext

Entity = dict[str, Any]


class Kind(StrEnum):
    """The stored entity kinds: the four ad entities, then the content they show (media, posts,
    InMail contents, conversations and their messages)."""

    ACCOUNT = "account"
    GROUP = "group"
    CAMPAIGN = "campaign"
    CREATIVE = "creative"
    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"
    POST = "post"
    INMAIL = "inmail"
    CONVERSATION = "conversation"
    MESSAGE = "message"


@dataclass(frozen=True)
class Index:
    """Columns derived from an entity that searches and limit checks filter on without parsing JSON."""

    parent: int | None
    status: str | None
    end_ms: int | None


def urn_id(urn: object) -> int | None:
    """The trailing numeric id of ``urn:li:x:123`` (None when absent or not numeric)."""
    if not isinstance(urn, str):
        return None
    tail = urn.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


# Content kinds: the field holding the ad account they belong to (their finders' filter), and the
# field of their status. Their ``parent`` index column is that account's id.
_CONTENT_INDEX = {
    Kind.IMAGE: (("mediaLibraryMetadata", "associatedAccount"), "status"),
    Kind.VIDEO: (("mediaLibraryMetadata", "associatedAccount"), "status"),
    Kind.DOCUMENT: (("mediaLibraryMetadata", "associatedAccount"), "status"),
    Kind.POST: (("adContext", "dscAdAccount"), "lifecycleState"),
    Kind.INMAIL: (("account",), "status"),
    Kind.CONVERSATION: (("parentAccount",), "status"),
    Kind.MESSAGE: ((), "status"),
}


def _nested(entity: Entity, path: tuple[str, ...]) -> Any:
    value: Any = entity
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def index_of(kind: Kind, entity: Entity) -> Index:
    """The index columns of ``entity``: parent id, lifecycle status, and ``runSchedule.end``."""
    parent = None
    if kind in _CONTENT_INDEX:
        path, status_field = _CONTENT_INDEX[kind]
        status = entity.get(status_field)
        parent = urn_id(_nested(entity, path)) if path else None
        return Index(parent, status if isinstance(status, str) else None, None)
    if kind is Kind.CAMPAIGN:
        parent = urn_id(entity.get("campaignGroup"))
    elif kind is Kind.CREATIVE:
        parent = urn_id(entity.get("campaign"))
    status = entity.get("intendedStatus" if kind is Kind.CREATIVE else "status")
    schedule = entity.get("runSchedule")
    end = schedule.get("end") if isinstance(schedule, dict) else None
    return Index(parent, status if isinstance(status, str) else None, end if isinstance(end, int) else None)


def dumps(entity: Entity) -> str:
    """Canonical JSON text of an entity (sorted keys: stable files and diffs); Unrepresentable
    (a ValueError) for a value that would not read back exactly."""
    return jsontext.dumps(entity, sort_keys=True).decode()


class Store(Protocol):
    """What the emulator needs from storage; see the module docstring for the contract."""

    def transaction(self, write: bool) -> AbstractContextManager[None]:
        """Context manager: hold the store's lock; for writes, commit on success, roll back on error."""

    def get(self, kind: Kind, account: int, key: int) -> Entity | None:
        """One entity, or None."""

    def get_many(self, kind: Kind, account: int, keys: Collection[int]) -> dict[int, Entity]:
        """The stored entities among ``keys``, by key, in one read (a batch get's ids)."""

    def generation(self) -> Hashable:
        """A token that changes whenever an entity is written (by this store, or for a shared file by
        any other connection): what read-time caches check before trusting what they computed."""

    def put(self, kind: Kind, account: int, key: int, entity: Entity) -> None:
        """Insert or replace one entity."""

    def put_many(self, kind: Kind, rows: Iterable[tuple[int, int, Entity]]) -> None:
        """Insert or replace many (account, key, entity) rows at once (seeding, generation)."""

    def delete(self, kind: Kind, account: int, key: int) -> bool:
        """Remove one entity; True when it existed."""

    def scan(
        self,
        kind: Kind,
        account: int | None,
        *,
        after: int | None = None,
        descending: bool = False,
        limit: int | None = None,
        parents: Collection[int] | None = None,
        statuses: Collection[str] | None = None,
    ) -> list[tuple[int, Entity]]:
        """(key, entity) pairs ordered by key, strictly after ``after`` in the scan direction."""

    def count(
        self,
        kind: Kind,
        account: int,
        *,
        parent: int | None = None,
        statuses: Collection[str] | None = None,
        ending_after: int | None = None,
    ) -> int:
        """How many entities match; ``ending_after`` keeps those without an end or ending later."""

    def get_meta(self, key: str) -> str | None:
        """A bookkeeping value (id counters, default groups)."""

    def set_meta(self, key: str, value: str) -> None:
        """Set a bookkeeping value."""

    def close(self) -> None:
        """Release resources; the store must not be used afterwards."""


@dataclass
class _Rec:
    index: Index
    text: str


class MemoryStore:
    """A :class:`Store` in process memory: fast, isolated, gone when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: dict[tuple[Kind, int], dict[int, _Rec]] = {}
        self._keys: dict[tuple[Kind, int], list[int]] = {}
        self._meta: dict[str, str] = {}
        self._generation = 0

    @contextmanager
    def transaction(self, write: bool) -> Iterator[None]:
        # Rules validate before they write, so a failed request has written nothing: no rollback needed.
        with self._lock:
            yield

    def get(self, kind: Kind, account: int, key: int) -> Entity | None:
        with self._lock:
            rec = self._rows.get((kind, account), {}).get(key)
            return None if rec is None else jsontext.loads(rec.text)

    def get_many(self, kind: Kind, account: int, keys: Collection[int]) -> dict[int, Entity]:
        with self._lock:
            bucket = self._rows.get((kind, account), {})
            return {key: jsontext.loads(bucket[key].text) for key in keys if key in bucket}

    def generation(self) -> Hashable:
        return self._generation

    def put(self, kind: Kind, account: int, key: int, entity: Entity) -> None:
        with self._lock:
            bucket = self._rows.setdefault((kind, account), {})
            if key not in bucket:
                bisect.insort(self._keys.setdefault((kind, account), []), key)
            bucket[key] = _Rec(index_of(kind, entity), dumps(entity))
            self._generation += 1

    def put_many(self, kind: Kind, rows: Iterable[tuple[int, int, Entity]]) -> None:
        with self._lock:
            for account, key, entity in rows:
                self.put(kind, account, key, entity)

    def delete(self, kind: Kind, account: int, key: int) -> bool:
        with self._lock:
            bucket = self._rows.get((kind, account), {})
            if bucket.pop(key, None) is None:
                return False
            self._generation += 1
            keys = self._keys[(kind, account)]
            del keys[bisect.bisect_left(keys, key)]
            return True

    def scan(
        self,
        kind: Kind,
        account: int | None,
        *,
        after: int | None = None,
        descending: bool = False,
        limit: int | None = None,
        parents: Collection[int] | None = None,
        statuses: Collection[str] | None = None,
    ) -> list[tuple[int, Entity]]:
        with self._lock:
            out: list[tuple[int, Entity]] = []
            for key, rec in self._ordered(kind, account, after, descending):
                if parents is not None and rec.index.parent not in parents:
                    continue
                if statuses is not None and rec.index.status not in statuses:
                    continue
                out.append((key, jsontext.loads(rec.text)))
                if limit is not None and len(out) >= limit:
                    break
            return out

    def _ordered(
        self, kind: Kind, account: int | None, after: int | None, descending: bool
    ) -> Iterator[tuple[int, _Rec]]:
        if account is None:
            merged = sorted(
                (key, rec)
                for (k, _), bucket in self._rows.items()
                if k is kind
                for key, rec in bucket.items()
            )
            pairs = merged[::-1] if descending else merged
            yield from ((k, r) for k, r in pairs if after is None or (k < after if descending else k > after))
            return
        keys = self._keys.get((kind, account), [])
        bucket = self._rows.get((kind, account), {})
        if descending:
            stop = len(keys) if after is None else bisect.bisect_left(keys, after)
            yield from ((k, bucket[k]) for k in reversed(keys[:stop]))
        else:
            start = 0 if after is None else bisect.bisect_right(keys, after)
            yield from ((k, bucket[k]) for k in keys[start:])

    def count(
        self,
        kind: Kind,
        account: int,
        *,
        parent: int | None = None,
        statuses: Collection[str] | None = None,
        ending_after: int | None = None,
    ) -> int:
        with self._lock:
            total = 0
            for rec in self._rows.get((kind, account), {}).values():
                idx = rec.index
                if parent is not None and idx.parent != parent:
                    continue
                if statuses is not None and idx.status not in statuses:
                    continue
                if ending_after is not None and idx.end_ms is not None and idx.end_ms <= ending_after:
                    continue
                total += 1
            return total

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            return self._meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._meta[key] = value

    def close(self) -> None:
        """Nothing to release."""
