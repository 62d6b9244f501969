"""The scans of the count on screen, folded in in the order they were made. No widgets here.

Every scan gets a ticket. It is recorded on the database worker (``scan_into_count``) and its
outcome is applied on the GUI thread strictly in ticket order, so scans made while earlier ones are
still being written are neither lost nor reordered. Scans made while a new count is being started
wait for it and then go into it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from posapp.db import Database
from posapp.i18n import tr
from posapp.services.context import Actor
from posapp.services.count_scan import CountScanned, scan_into_count
from posapp.services.errors import PosError
from ui.gui.operations import Operations

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanRefused:
    code: str
    message: str


Outcome = CountScanned | ScanRefused


class CountScans(QObject):
    scanned = Signal(object)  # CountScanned
    refused = Signal(object)  # ScanRefused
    drained = Signal()  # no scan is waiting to be recorded

    def __init__(self, db: Database, ops: Operations, actor: Actor, parent: QObject | None = None):
        super().__init__(parent)
        self._db, self._ops, self.actor = db, ops, actor
        self.count_id: int | None = None
        self.starting = False  # a new count is being opened: scans wait for it
        self._held: list[tuple[str, int]] = []
        self._next_ticket = 0
        self._next_to_apply = 0
        self._arrived: dict[int, Outcome] = {}
        self._discarded: set[int] = set()

    @property
    def pending(self) -> int:
        """Scans made but not yet shown: being written, or waiting for a count to open."""
        return self._next_ticket - self._next_to_apply + len(self._held)

    def submit(self, raw: str, quantity: int = 1) -> None:
        """Count ``raw`` ``quantity`` times in the count on screen, after every earlier scan."""
        if self.starting:
            self._held.append((raw, quantity))
            return
        ticket = self._next_ticket
        self._next_ticket += 1
        if self.count_id is None:
            message = tr("Not counted: start a count or pick an open one, then scan again.")
            self._arrive(ticket, ScanRefused(raw.strip(), message))
            return
        db, actor, count_id = self._db, self.actor, self.count_id
        self._ops.run(
            lambda: scan_into_count(db, actor, count_id, raw, quantity),
            success=lambda outcome: self._arrive(ticket, outcome),
            failure=lambda error: self._arrive(ticket, self._failed(raw, error)),
            owner=self,  # dropped, not delivered, if the screen is gone
        )

    def switch_to(self, count_id: int | None) -> None:
        """Show another count (or none): scans still being written land in the count they were
        made for, but no longer on this screen."""
        self._discarded.update(range(self._next_to_apply, self._next_ticket))
        self.count_id = count_id
        self.starting = False
        self._release()

    def start_failed(self) -> None:
        """The new count did not open: the scans that waited for it are refused, not dropped."""
        self.starting = False
        held, self._held = self._held, []
        for raw, _quantity in held:
            ticket = self._next_ticket
            self._next_ticket += 1
            message = tr("Not counted: the count did not start. Scan it again.")
            self._arrive(ticket, ScanRefused(raw.strip(), message))

    def _release(self) -> None:
        held, self._held = self._held, []
        for raw, quantity in held:
            self.submit(raw, quantity)

    def _failed(self, raw: str, error: Exception) -> ScanRefused:
        if isinstance(error, PosError):
            return ScanRefused(raw.strip(), error.message)
        log.error("count scan failed", exc_info=error)
        return ScanRefused(
            raw.strip(), tr("{code} was not counted; scan it again.", code=raw.strip())
        )

    def _arrive(self, ticket: int, outcome: Outcome) -> None:
        self._arrived[ticket] = outcome
        while self._next_to_apply in self._arrived:
            current = self._next_to_apply
            ready = self._arrived.pop(current)
            self._next_to_apply += 1
            if current in self._discarded:
                self._discarded.discard(current)
            elif isinstance(ready, ScanRefused):
                self.refused.emit(ready)
            else:
                self.scanned.emit(ready)
        if not self.pending:
            self.drained.emit()
