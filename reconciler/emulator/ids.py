"""Deterministic, LinkedIn-looking ids.

Owns: allocating new numeric ids per entity kind. Ids are large longs in the ranges LinkedIn's
look like (accounts 5xxxxxxxx, groups 6xxxxxxxx, campaigns 3xxxxxxxx, creatives 1xxxxxxxx),
increasing with a pseudo-random step so they are not consecutive, and a pure function of the
seed and the sequence of allocations: the same seed and the same requests give the same ids.

The last id of each kind is kept in the store's meta table (inside the request's transaction),
so a restarted SQLite emulator continues the sequence; seeded entities raise the counter so a
new id never collides with a kept one.
"""

from __future__ import annotations

import hashlib

from reconciler.emulator.store import Kind, Store

_BASES = {
    Kind.ACCOUNT: 510_000_000,
    Kind.GROUP: 610_000_000,
    Kind.CAMPAIGN: 310_000_000,
    Kind.CREATIVE: 110_000_000,
    # Content: media keys become opaque URN codes; posts look like LinkedIn's 19-digit activity ids.
    Kind.IMAGE: 2_100_000_000,
    Kind.VIDEO: 2_200_000_000,
    Kind.DOCUMENT: 2_300_000_000,
    Kind.POST: 7_100_000_000_000_000_000,
    Kind.INMAIL: 210_000_000,
    Kind.CONVERSATION: 410_000_000,
    Kind.MESSAGE: 420_000_000,
}


def _hash(*parts: object) -> int:
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _meta_key(kind: Kind) -> str:
    return f"last_id:{kind.value}"


def last_id(store: Store, kind: Kind, seed: int) -> int:
    """The last allocated (or seeded) id of ``kind``; a seed-dependent base before the first."""
    stored = store.get_meta(_meta_key(kind))
    if stored is not None:
        return int(stored)
    return _BASES[kind] + _hash(seed, kind.value, "base") % 10_000_000


def allocate(store: Store, kind: Kind, seed: int, n: int = 1) -> list[int]:
    """``n`` fresh ids of ``kind``, increasing; the counter is advanced in the store."""
    current = last_id(store, kind, seed)
    out = []
    for _ in range(n):
        current += 1 + _hash(seed, kind.value, current) % 997
        out.append(current)
    store.set_meta(_meta_key(kind), str(current))
    return out


def observe(store: Store, kind: Kind, seed: int, used: int) -> None:
    """Note an id kept from a seed file, so later allocations stay above it."""
    if used > last_id(store, kind, seed):
        store.set_meta(_meta_key(kind), str(used))
