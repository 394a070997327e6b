"""Ctrl-C and SIGTERM during ``apply``: stop cleanly once, abort at once the second time.

Before any write starts, a signal stops the command where it is (nothing was written). Once writes
may start, the first SIGINT or SIGTERM halts the client: no new write starts, writes in flight
finish, the applier ends every other change as "not started", the journal gets its end record and
the summary is printed; the command then exits 128 + the signal number (130 for SIGINT, 143 for
SIGTERM). A second signal exits at once with the same status: the journal's records are already on
disk (each is flushed when written), so the next run still reports what this one left.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from reconciler.api.wire import Wire

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A signal arrived before any write could start."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Interrupts:
    """The signal handlers of one apply; ``writing`` says whether writes may have started."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.received: int | None = None
        self.writing = False

    @property
    def exit_code(self) -> int | None:
        """128 + the signal received, or None when none was."""
        return None if self.received is None else 128 + self.received

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        """The handler: the first signal stops writes starting (or the command, before writing);
        the second exits at once."""
        name = signal.Signals(signum).name
        if self.received is not None:
            os.write(2, f"\n{name} again: aborting at once; run apply again to finish\n".encode())
            os._exit(128 + self.received)
        self.received = signum
        if not self.writing:
            raise Interrupted(signum)
        self.wire.halt(f"interrupted by {name}")
        os.write(
            2,
            f"\n{name}: stopping: no new write starts, the writes in flight finish "
            "(press Ctrl-C again to abort at once)\n".encode(),
        )


@contextmanager
def handled(wire: Wire) -> Iterator[Interrupts]:
    """SIGINT and SIGTERM handled by an :class:`Interrupts` while the block runs (main thread only:
    elsewhere, the process keeps its handlers)."""
    interrupts = Interrupts(wire)
    if threading.current_thread() is not threading.main_thread():
        yield interrupts
        return
    previous = {sig: signal.signal(sig, interrupts.handle) for sig in SIGNALS}
    try:
        yield interrupts
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
