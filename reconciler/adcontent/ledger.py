"""The lock file's ``assets`` section as apply fills it: each upload recorded the moment it is done.

A record reads the lock file again, adds what this run uploaded and writes it back atomically
(temporary file, rename): another writer's entries (an apply of another account, a ``reconciler
lock`` of targeting names) are kept, and a killed apply loses no upload it finished. Records made
while a save is under way are written by the next save, which covers them all (500 uploads at 10 in
flight would otherwise wait on 500 saves one after the other).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from reconciler.manifest.lockfile import AssetPin, LockFile, load_lock, save_lock

_WRITING = threading.Lock()  # the pins
_SAVING = threading.Lock()  # the file


class AssetLedger:
    """Uploaded files by sha256 and owner. ``path`` None keeps them in memory only (tests, a dry run)."""

    def __init__(self, path: Path | None, assets: Mapping[str, AssetPin] | None = None) -> None:
        self.path = path
        self._recorded = 0  # records made so far
        self._saved = 0  # records the file holds
        self._dropped: dict[tuple[str, str], str] = {}  # (sha256, owner) -> the URN forgotten
        self.pins: dict[str, AssetPin] = {
            sha: AssetPin(pin.sha256, pin.size, pin.file, dict(pin.urns))
            for sha, pin in (assets or {}).items()
        }
        if path is not None and path.exists():
            self._merge(self._read())

    @classmethod
    def of(cls, lock: LockFile) -> AssetLedger:
        """The ledger writing to ``lock``'s file, starting from its assets."""
        return cls(lock.path, lock.assets)

    def urn(self, sha256: str, owner: str) -> str | None:
        """The asset URN of this file for ``owner``, if it was uploaded for it."""
        pin = self.pins.get(sha256)
        return pin.urns.get(owner) if pin is not None else None

    def forget(self, sha256: str, owner: str) -> None:
        """Drop an asset LinkedIn no longer has or could not process (it is uploaded again, and
        recorded anew); when this returns, the lock file no longer holds it."""
        with _WRITING:
            pin = self.pins.get(sha256)
            urn = pin.urns.pop(owner, None) if pin is not None else None
            if urn is None:
                return
            self._dropped[(sha256, owner)] = urn
            self._recorded += 1
            mine = self._recorded
        self._save(mine)

    def record(self, sha256: str, size: int, file: str, owner: str, urn: str) -> None:
        """Record one upload; when this returns, the lock file holds it."""
        with _WRITING:
            pin = self.pins.setdefault(sha256, AssetPin(sha256, size, file, {}))
            pin.urns[owner] = urn
            self._dropped.pop((sha256, owner), None)
            self._recorded += 1
            mine = self._recorded
        self._save(mine)

    def _save(self, mine: int) -> None:
        """Write the records up to ``mine`` (and any made since) into the lock file as it is now."""
        if self.path is None:
            return
        with _SAVING:
            if self._saved >= mine:
                return  # a save that began after this record covered it
            with _WRITING:
                upto = self._recorded
                pins = {sha: AssetPin(p.sha256, p.size, p.file, dict(p.urns)) for sha, p in self.pins.items()}
                dropped = dict(self._dropped)
            lock = self._read()
            for sha, ours in pins.items():
                theirs = lock.assets.setdefault(sha, AssetPin(sha, ours.size, ours.file, {}))
                theirs.urns.update(ours.urns)
            for (sha, owner), urn in dropped.items():
                held = lock.assets.get(sha)
                if held is not None and held.urns.get(owner) == urn:  # not recorded anew elsewhere
                    del held.urns[owner]
                    if not held.urns:
                        del lock.assets[sha]
            save_lock(lock)
            self._saved = upto

    def _read(self) -> LockFile:
        assert self.path is not None
        lock = load_lock([self.path.parent])
        lock.path = self.path
        return lock

    def _merge(self, lock: LockFile) -> None:
        for sha, pin in lock.assets.items():
            mine = self.pins.setdefault(sha, AssetPin(sha, pin.size, pin.file, {}))
            for owner, urn in pin.urns.items():
                mine.urns.setdefault(owner, urn)
