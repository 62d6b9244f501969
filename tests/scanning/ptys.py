"""A scanner on a pseudo-terminal: the reader opens a path we control (a symlink to the slave end);
closing the master end unplugs the scanner, a new pty behind the same path plugs it back in."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from posapp.scanning.reader import ReaderEvent


class PtyScanner:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.master = -1
        self.slave = -1
        self.plug()

    def plug(self) -> None:
        self.master, self.slave = os.openpty()
        self.path.unlink(missing_ok=True)
        self.path.symlink_to(os.ttyname(self.slave))

    def unplug(self) -> None:
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = -1
        self.path.unlink(missing_ok=True)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.master >= 0:
            self.unplug()


class EventLog:
    """Collects a reader's events from its thread; tests wait for what they expect."""

    def __init__(self) -> None:
        self.events: list[ReaderEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: ReaderEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def wait_for(self, done: Callable[[list[ReaderEvent]], bool], timeout_s: float = 5.0) -> None:
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not done(self.events):
                left = deadline - time.monotonic()
                assert left > 0, f"timed out; events so far: {self.events}"
                self._changed.wait(left)

    def of_type(self, kind: type) -> list[ReaderEvent]:
        with self._changed:
            return [event for event in self.events if isinstance(event, kind)]

    def count(self, kind: type) -> Callable[[list[ReaderEvent]], bool]:
        return lambda events: sum(isinstance(event, kind) for event in events) > 0
