"""When the till syncs: every ``SyncLink.interval_seconds``, a second after each sale (while the
hub answers), and on demand (F12, the status-bar indicator, the Sync page). Never two at once: a
request during a sync runs one more sync after it.

The sync runs on the network runner (it reads and writes the database there too, in short
transactions), so neither the screen nor a scan waiting on the database worker waits for the hub.
``changed`` carries a plain ``SyncState`` snapshot for the status bar and the Sync page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from posapp.db import Database
from sync.client import HubError, HubRejectedToken
from sync.terminal import SyncReport, SyncStatus, client_for, status, sync_now
from ui.gui.operations import Operations

log = logging.getLogger(__name__)

FIRST_SYNC_MS = 1_500  # after start-up, once the checkout is up
AFTER_SALE_MS = 1_000  # a sale's events go out this long after it (a quick run of sales: once)
SYNC_TIMEOUT_S = 5.0
SYNC_ATTEMPTS = 2
BUSY_DELAY_MS = 250


@dataclass(frozen=True)
class SyncState:
    status: SyncStatus
    syncing: bool = False
    token_refused: bool = False
    report: SyncReport | None = None  # the last successful sync's, since the till started

    @property
    def offline(self) -> bool:
        """The last attempt failed (or a sale found the hub out of reach)."""
        return self.token_refused or self.status.offline_since is not None


@dataclass(frozen=True)
class _Outcome:
    status: SyncStatus
    report: SyncReport | None
    error: HubError | None


def _sync_and_read(db: Database) -> _Outcome:
    """On the network runner: one sync, then the status it leaves behind."""
    report: SyncReport | None = None
    error: HubError | None = None
    try:
        with client_for(db, attempts=SYNC_ATTEMPTS, timeout=SYNC_TIMEOUT_S) as hub:
            report = sync_now(db, hub)
    except HubError as problem:  # recorded on the link by sync_now; shown by the status bar
        error = problem
    return _Outcome(status(db), report, error)


class SyncDriver(QObject):
    changed = Signal(object)  # SyncState

    def __init__(self, db: Database, net: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db, self._net = db, net
        self.state: SyncState | None = None
        self.running = False
        self._again = False
        self._stopped = False
        self._periodic = QTimer(self)
        self._periodic.setSingleShot(True)
        self._periodic.timeout.connect(self.sync_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(AFTER_SALE_MS)
        self._soon.timeout.connect(self._after_sale)
        self._busy = QTimer(self)  # a quick sync does not flicker 'Syncing…'
        self._busy.setSingleShot(True)
        self._busy.setInterval(BUSY_DELAY_MS)
        self._busy.timeout.connect(self._show_syncing)

    @property
    def online(self) -> bool:
        """Not known to be out of reach (before the first sync, the hub is given the benefit)."""
        return self.state is None or not self.state.offline

    def start(self, first_ms: int | None = None) -> None:
        """Show the stored status at once, and sync shortly."""
        db = self._db
        self._net.run(lambda: status(db), success=self._first_status, failure=self._unread)
        self._periodic.start(FIRST_SYNC_MS if first_ms is None else first_ms)

    def stop(self) -> None:
        self._stopped = True
        self._periodic.stop()
        self._soon.stop()
        self._busy.stop()

    def sync_soon(self) -> None:
        """After a sale: a moment later, sync if the hub answered last time; else (the periodic
        sync tries it again) count what is waiting now."""
        if not self._stopped:
            self._soon.start()

    def _after_sale(self) -> None:
        if self.online:
            self.sync_now()
        else:
            self.refresh_status()

    def sync_now(self) -> None:
        if self._stopped:
            return
        if self.running:
            self._again = True
            return
        self.running = True
        self._soon.stop()
        self._busy.start()
        db = self._db
        self._net.run(lambda: _sync_and_read(db), success=self._done, failure=self._failed)

    def refresh_status(self) -> None:
        """Read the status again (a sale found the hub out of reach: it says since when)."""
        db = self._db
        self._net.run(lambda: status(db), success=self._status_read, failure=self._unread)

    # -- results -------------------------------------------------------------------------------

    def _show_syncing(self) -> None:
        if self.running and self.state is not None:
            self._show(replace(self.state, syncing=True))

    def _first_status(self, found: SyncStatus) -> None:
        if self.state is None:
            self._show(SyncState(found))

    def _status_read(self, found: SyncStatus) -> None:
        if self.running:  # the sync's own reading follows
            return
        previous = self.state or SyncState(found)
        self._show(replace(previous, status=found))

    def _done(self, outcome: _Outcome) -> None:
        previous = self.state.report if self.state else None
        self._show(
            SyncState(
                outcome.status,
                token_refused=isinstance(outcome.error, HubRejectedToken),
                report=outcome.report or previous,
            )
        )
        self._finished(outcome.status.interval_seconds)

    def _failed(self, error: Exception) -> None:
        """Not the hub (that is an outcome): the database, say. Shown as it was; tried again."""
        log.warning("sync failed: %s", error, exc_info=error)
        if self.state is not None:
            self._show(replace(self.state, syncing=False))
        self._finished(self.state.status.interval_seconds if self.state else 120)

    def _unread(self, error: Exception) -> None:
        log.warning("reading the sync status failed: %s", error)

    def _finished(self, interval_seconds: int) -> None:
        self.running = False
        self._busy.stop()
        if self._stopped:
            return
        self._periodic.start(max(interval_seconds, 5) * 1000)
        if self._again:
            self._again = False
            self.sync_now()

    def _show(self, state: SyncState) -> None:
        self.state = state
        self.changed.emit(state)
