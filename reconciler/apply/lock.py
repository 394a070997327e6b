"""One apply per ad account at a time on one machine: a lock file per (target, account).

``apply`` takes an exclusive ``flock`` on one file per account it writes, in a directory shared by
the user's processes (``$RECONCILER_LOCK_DIR``, default ``<tmp>/reconciler-locks-<uid>``), so two
working directories on one machine cannot apply to one account at once. The lock dies with its
process (a killed apply holds nothing), and its file names the holder for the message a second
apply gives. Across machines there is no lock: see :mod:`reconciler.apply.siblings` for how a race
is settled there. Where ``fcntl`` is missing (Windows) there is no local lock either.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from typing import IO, Any

from reconciler.errors import AccountBusy

if sys.platform != "win32":
    import fcntl

LOCK_DIR_ENV = "RECONCILER_LOCK_DIR"
POLL = 0.2


def lock_dir(env: Mapping[str, str]) -> Path:
    """Where the lock files live: ``$RECONCILER_LOCK_DIR``, else a per-user directory under tmp."""
    given = env.get(LOCK_DIR_ENV)
    if given:
        return Path(given)
    user = getattr(os, "getuid", lambda: "user")()
    return Path(tempfile.gettempdir()) / f"reconciler-locks-{user}"


@contextmanager
def account_locks(
    directory: Path,
    target: str,
    accounts: Iterable[int],
    *,
    wait: float,
    on_wait: Callable[[str], None] = lambda _holder: None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[bool]:
    """Hold the lock of every account (in id order, so two applies never deadlock) for the block.

    Yields whether it had to wait (another apply held one: the live state has moved since it was
    read). Raises AccountBusy naming the holder when a lock is still held after ``wait`` seconds.
    """
    if sys.platform == "win32":
        yield False
        return
    directory.mkdir(parents=True, exist_ok=True)
    waited = False
    with ExitStack() as stack:
        for account in sorted(set(accounts)):
            handle = stack.enter_context(_open(directory / _file_name(target, account)))
            waited = _take(handle, account, wait, on_wait, clock, sleep) or waited
            _write_holder(handle)
        yield waited


def _file_name(target: str, account: int) -> str:
    return f"{account}-{sha256(target.encode()).hexdigest()[:12]}.lock"


@contextmanager
def _open(path: Path) -> Iterator[IO[str]]:
    handle = path.open("a+", encoding="utf-8")
    try:
        yield handle
    finally:
        handle.close()  # closing the file releases its lock


def _take(
    handle: IO[str],
    account: int,
    wait: float,
    on_wait: Callable[[str], None],
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> bool:
    """Lock ``handle``; True if it had to wait for another holder."""
    deadline = clock() + wait
    waited = False
    while True:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return waited
        except BlockingIOError:
            holder = _holder(handle)
            if clock() >= deadline:
                raise AccountBusy(
                    f"account {account} is being applied by another reconciler apply ({holder}); "
                    f"waited {wait:g} s: run apply again once it has finished, or give --lock-wait SECONDS"
                ) from None
            if not waited:
                on_wait(f"account {account} is being applied by another reconciler apply ({holder})")
            waited = True
            sleep(POLL)


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        info: dict[str, Any] = json.loads(handle.read() or "{}")
    except ValueError:
        info = {}
    if not info:
        return "holder unknown"
    return f"pid {info.get('pid')} on {info.get('host')}, in {info.get('cwd')}, since {info.get('since')}"


def _write_holder(handle: IO[str]) -> None:
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    info = {"pid": os.getpid(), "host": socket.gethostname(), "cwd": os.getcwd(), "since": since}
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(info))
    handle.flush()
