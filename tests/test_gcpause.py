"""Pausing the cyclic collector: off inside, back on after, big results frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from reconciler.gcpause import FREEZE_ABOVE, paused_gc


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    gc.collect()
    yield
    gc.unfreeze()


def test_off_inside_on_after_and_nesting_keeps_it_off() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_small_block_freezes_nothing() -> None:
    before = gc.get_freeze_count()
    with paused_gc():
        kept: list[list[int]] = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == before and len(kept) == 1000


def test_a_big_result_is_frozen_but_still_freed_by_reference_counting() -> None:
    before = gc.get_freeze_count()
    with paused_gc():
        kept = [[i] for i in range(FREEZE_ABOVE + 10_000)]  # lists: always tracked by the collector
    assert gc.get_freeze_count() >= before + FREEZE_ABOVE
    probe = kept[0]
    del kept
    assert probe == [0]  # what is still referenced lives on; the rest went by reference counting


def test_the_collector_is_back_on_after_an_exception() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()
