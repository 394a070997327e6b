"""Pausing Python's cyclic garbage collector while large, acyclic structures are built.

Loading the manifests of an account at LinkedIn's limits, reading it and planning it allocate
millions of small objects (nodes, dicts, tuples, frozen dataclasses) that reference one another
without cycles; the collector would traverse them again and again as they pile up — a quarter of the
time of a no-op plan at that size. Reference counting still frees everything as usual while the
collector is paused; cyclic garbage made meanwhile is collected once it runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# A block that leaves more new container objects than this behind has built a large, long-lived
# result (at LinkedIn's limits a no-op plan leaves ~300,000: manifests, live state, plan).
FREEZE_ABOVE = 100_000


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off for the block (or the decorated function); nesting is fine.

    When the outermost block ends having left many new objects, they are frozen (``gc.freeze``)
    before the collector runs again: it would otherwise walk every one of them at its very next
    run (0.15-0.25 s at the limits), and again at each full collection, to find nothing. Frozen
    objects are still freed by reference counting; only a reference cycle among them that becomes
    garbage stays until the process ends, which for a command's results is when they go anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > FREEZE_ABOVE:
                gc.freeze()
            gc.enable()
