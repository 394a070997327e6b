"""The SQLite :class:`~reconciler.emulator.store.Store`: state that survives restarts.

Owns: the schema (one ``entities`` table keyed by kind, account and id, with the index columns of
``store.Index``; one ``meta`` table), and transactions. Searches page with
``id > cursor ORDER BY id LIMIT n`` on the primary key, so paging through 15,000 creatives never
rescans or parses the rows already returned.

Concurrency: one connection guarded by one re-entrant lock serialises this process's requests;
``BEGIN IMMEDIATE`` plus a busy timeout serialise writers of other processes (e.g. ``seed`` while
``serve`` runs). WAL journaling keeps readers of other processes unblocked.

Must not: validate or interpret entities beyond their index columns.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reconciler.emulator import jsontext
from reconciler.emulator.store import Entity, Kind, dumps, index_of

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
    kind TEXT NOT NULL, account INTEGER NOT NULL, id INTEGER NOT NULL,
    parent INTEGER, status TEXT, end_ms INTEGER, body TEXT NOT NULL,
    PRIMARY KEY (kind, account, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_parent ON entities (kind, account, parent, status);
CREATE INDEX IF NOT EXISTS entities_status ON entities (kind, account, status);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class SqliteStore:
    """A :class:`Store` in one SQLite file (created with its parent directory when missing)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        self._writes = 0
        # One connection shared by all server threads; every use happens under self._lock.
        self._db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self, write: bool) -> Iterator[None]:
        with self._lock:
            if self._depth:  # nested: the outer transaction commits
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def get(self, kind: Kind, account: int, key: int) -> Entity | None:
        if not (_fits(account) and _fits(key)):
            return None  # no such row (as in MemoryStore), where SQLite would raise OverflowError
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM entities WHERE kind=? AND account=? AND id=?", (kind.value, account, key)
            ).fetchone()
            return None if row is None else _loads(row[0])

    def get_many(self, kind: Kind, account: int, keys: Collection[int]) -> dict[int, Entity]:
        wanted = [key for key in dict.fromkeys(keys) if _fits(key)] if _fits(account) else []
        found: dict[int, Entity] = {}
        with self._lock:
            # In slices, within SQLite's limit on bound parameters (999 before 3.32).
            for start in range(0, len(wanted), _SLICE):
                part = wanted[start : start + _SLICE]
                marks = ",".join("?" * len(part))
                sql = f"SELECT id, body FROM entities WHERE kind=? AND account=? AND id IN ({marks})"
                rows = self._db.execute(sql, (kind.value, account, *part))
                found.update((key, _loads(body)) for key, body in rows)
        return found

    def generation(self) -> Hashable:
        # data_version changes when another connection (another process) commits; _writes counts ours.
        with self._lock:
            return (self._db.execute("PRAGMA data_version").fetchone()[0], self._writes)

    def put(self, kind: Kind, account: int, key: int, entity: Entity) -> None:
        self.put_many(kind, [(account, key, entity)])

    def put_many(self, kind: Kind, rows: Iterable[tuple[int, int, Entity]]) -> None:
        with self._lock, self.transaction(write=True):
            self._writes += 1
            self._db.executemany(
                "INSERT OR REPLACE INTO entities (kind, account, id, parent, status, end_ms, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_row(kind, account, key, entity) for account, key, entity in rows),
            )

    def delete(self, kind: Kind, account: int, key: int) -> bool:
        if not (_fits(account) and _fits(key)):
            return False
        with self._lock, self.transaction(write=True):
            self._writes += 1
            cur = self._db.execute(
                "DELETE FROM entities WHERE kind=? AND account=? AND id=?", (kind.value, account, key)
            )
            return cur.rowcount > 0

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
        where, args = _where(kind, account, parents, statuses)
        if after is not None:
            where.append("id < ?" if descending else "id > ?")
            args.append(min(max(after, _LOW), _HIGH))  # past every id either way
        order = "DESC" if descending else "ASC"
        sql = f"SELECT id, body FROM entities WHERE {' AND '.join(where)} ORDER BY id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._lock:
            return [(key, _loads(body)) for key, body in self._db.execute(sql, args)]

    def count(
        self,
        kind: Kind,
        account: int,
        *,
        parent: int | None = None,
        statuses: Collection[str] | None = None,
        ending_after: int | None = None,
    ) -> int:
        where, args = _where(kind, account, None if parent is None else [parent], statuses)
        if ending_after is not None:
            where.append("(end_ms IS NULL OR end_ms > ?)")
            args.append(ending_after)
        with self._lock:
            row = self._db.execute(
                f"SELECT COUNT(*) FROM entities WHERE {' AND '.join(where)}", args
            ).fetchone()
            return int(row[0])

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
            return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._lock, self.transaction(write=True):
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._db.close()


# SQLite integers are 64-bit. An id beyond them (a URN or path a client sent) names no row; binding it
# would raise OverflowError, so it is answered as any id that is not stored.
_LOW, _HIGH = -(2**63), 2**63 - 1
_SLICE = 900


def _fits(value: int) -> bool:
    return _LOW <= value <= _HIGH


def _loads(text: str) -> Entity:
    value = jsontext.loads(text)  # every entity of every page read is decoded here
    assert isinstance(value, dict)
    return value


def _row(kind: Kind, account: int, key: int, entity: Entity) -> tuple[Any, ...]:
    idx = index_of(kind, entity)
    return (kind.value, account, key, idx.parent, idx.status, idx.end_ms, dumps(entity))


def _where(
    kind: Kind, account: int | None, parents: Collection[int] | None, statuses: Collection[str] | None
) -> tuple[list[str], list[Any]]:
    where = ["kind = ?"]
    args: list[Any] = [kind.value]
    if account is not None:
        where.append("account = ?" if _fits(account) else "0")
        args.extend([account] if _fits(account) else [])
    if parents is not None:
        parents = [parent for parent in parents if _fits(parent)]
        where.append(f"parent IN ({','.join('?' * len(parents))})" if parents else "0")
        args.extend(parents)
    if statuses is not None:
        where.append(f"status IN ({','.join('?' * len(statuses))})" if statuses else "0")
        args.extend(statuses)
    return where, args
