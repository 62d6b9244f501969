"""Database and network work off the GUI thread, in the shape of Anki's ``aqt.operations``.

``ops.run(fn, success=..., failure=...)`` runs ``fn()`` on the database worker (one thread, so
operations run in the order they were asked for) and calls ``success(result)`` or
``failure(error)`` back on the GUI thread. ``fn`` must not touch widgets; it gets and returns plain
values (ids, dataclasses), never a Session or an ORM object.

A result whose owner is gone (the widget was deleted while the worker ran: a page closed, another
user signed in) is dropped instead of delivered. The owner is the ``owner`` argument, or else the
QObject a bound-method callback belongs to.

``NetworkOperations`` is the same machinery on a pool of a few threads of its own, for talking to
the hub: a slow or dead hub never delays a scan waiting on the database worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

NETWORK_THREADS = 3


class _Relay(QObject):
    """Lives on the GUI thread; its signals carry a worker's result back there."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as error:  # handed to the GUI thread, which decides what to show
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


def _owner_of(*callbacks: Callable[..., None] | None) -> QObject | None:
    for callback in callbacks:
        target = getattr(callback, "__self__", None)
        if isinstance(target, QObject):
            return target
    return None


def _alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


class Operations(QObject):
    """Runs database operations in order on one worker thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, threads: int = 1) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._pending = 0
        self._relays: set[_Relay] = set()

    def run(
        self,
        fn: Callable[[], Any],
        success: Callable[[Any], None] | None = None,
        failure: Callable[[Exception], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        owner = owner or _owner_of(success, failure)
        relay = _Relay()  # created here, so it belongs to the GUI thread
        self._relays.add(relay)

        def done() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            self._pending -= 1
            if not self._pending:
                self.busy_changed.emit(False)

        @Slot(object)
        def on_success(result: Any) -> None:
            try:
                if success is not None and _alive(owner):
                    success(result)
            finally:
                done()

        @Slot(object)
        def on_failure(error: Exception) -> None:
            try:
                if failure is not None:
                    if _alive(owner):
                        failure(error)
                else:
                    log.error("operation failed", exc_info=error)
            finally:
                done()

        relay.succeeded.connect(on_success)
        relay.failed.connect(on_failure)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, relay))

    @property
    def pending(self) -> int:
        return self._pending

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until the worker is idle (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)


class NetworkOperations(Operations):
    """Runs network calls (the hub) on a few threads of their own; results arrive in the order
    the calls finish, not the order they were asked for."""

    def __init__(self, parent: QObject | None = None, threads: int = NETWORK_THREADS) -> None:
        super().__init__(parent, threads)
