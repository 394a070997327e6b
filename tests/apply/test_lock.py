"""One apply per account on one machine (issue 12, item 1): the account lock waits for, or refuses
with a message naming, the apply that holds it."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from reconciler.apply.lock import account_locks, lock_dir
from reconciler.errors import AccountBusy


def test_a_held_account_is_refused_naming_the_holder(tmp_path: Path) -> None:
    with account_locks(tmp_path, "t", [7, 8], wait=0) as waited:
        assert not waited
        busy = rf"account 7 is being applied .*pid {os.getpid()} on .* since "
        with pytest.raises(AccountBusy, match=busy), account_locks(tmp_path, "t", [8, 7], wait=0):
            pass
        with account_locks(tmp_path, "other target", [7], wait=0):  # another target: another lock
            pass
    with account_locks(tmp_path, "t", [7], wait=0) as waited:  # released with the block
        assert not waited


def test_a_second_apply_waits_for_the_first_and_says_it_waited(tmp_path: Path) -> None:
    held = threading.Event()
    told: list[str] = []

    def first() -> None:
        with account_locks(tmp_path, "t", [7], wait=0):
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    with account_locks(tmp_path, "t", [7], wait=10, on_wait=told.append) as waited:
        assert waited
    thread.join()
    assert told and "is being applied by another reconciler apply" in told[0]


def test_the_lock_directory_is_per_user_unless_given(tmp_path: Path) -> None:
    assert lock_dir({"RECONCILER_LOCK_DIR": str(tmp_path)}) == tmp_path
    assert "reconciler-locks-" in lock_dir({}).name
