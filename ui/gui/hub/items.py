"""One-of-a-kind items held at the hub while they are in this till's cart, so the online store
cannot sell them meanwhile.

A consigned item's line appears at once; its reservation is asked for on the network runner
afterwards. If the hub refuses (sold online, in another cart), the line goes again with the hub's
reason as a notice; if the hub does not answer (or has not heard of the item yet), the line stays
(the till sells offline). While the line stays, its reservation is renewed every few minutes, so a
cart left standing keeps its items; a renewal the hub refuses (the hold ran out and the item went
elsewhere meanwhile) takes the line out with the reason. Lines scanned while the hub was out of
reach are reserved at the next renewal, and when the hub answers again. A line taken out, or a
sale left for a new one, releases its reservation; a paid sale's push ends them at the hub by
itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from posapp.db import Database
from posapp.models import ItemKind, new_uuid
from posapp.services.cart import CartLine, ItemScanned, ScanOutcome
from sync.client import HubError, HubRefused
from sync.protocol import ItemReserve
from sync.terminal import client_for
from ui.gui.checkout.sale import SaleController
from ui.gui.operations import Operations

log = logging.getLogger(__name__)

RESERVE_TIMEOUT_S = 2.0
HOLD_S = 900  # how long the hub holds an item for a cart, from each reservation or renewal
RENEW_EVERY_MS = HOLD_S * 1000 // 3  # two renewals may go unanswered before a hold runs out
NOT_YET_AT_HUB = "unknown_item"  # added here since the last sync: the line stays


@dataclass
class _Reservation:
    id: str
    barcode: str
    made: bool = False  # the hub answered yes
    release_when_made: bool = False  # the line went while the hub was still being asked


class ItemReservations(QObject):
    def __init__(
        self,
        db: Database,
        net: Operations,
        sale: SaleController,
        connected: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._net, self._sale = db, net, sale
        self._connected = connected
        self.held: dict[int, _Reservation] = {}  # item id -> its reservation
        sale.cart_changed.connect(self._cart_changed)
        sale.line_removed.connect(lambda line: self._release_lines([line]))
        sale.cart_dropped.connect(self._release_lines)
        sale.committed.connect(lambda _receipt: self.held.clear())  # the push ends them
        self.renewal = QTimer(self)
        self.renewal.setInterval(RENEW_EVERY_MS)
        self.renewal.timeout.connect(self.renew)
        self.renewal.start()
        self._offline = False

    def hub_state(self, *, offline: bool) -> None:
        """The sync state changed: once the hub answers again, reserve what was scanned while
        it did not."""
        if self._offline and not offline:
            self.renew()
        self._offline = offline

    def _cart_changed(self, outcome: ScanOutcome | None) -> None:
        if not isinstance(outcome, ItemScanned) or outcome.line.kind is not ItemKind.CONSIGNED:
            return
        if self._connected():
            self._reserve(outcome.line)

    def _reserve(self, line: CartLine) -> None:
        if line.item_id in self.held:
            return
        reservation = _Reservation(new_uuid(), line.barcode)
        self.held[line.item_id] = reservation
        self._net.run(
            self._asking(reservation),
            success=lambda _answer: self._made(line.item_id, reservation),
            failure=lambda error: self._not_made(line.item_id, reservation, error),
        )

    def renew(self) -> None:
        """Ask the hub again for every reservation it granted (each hold lasts HOLD_S more),
        and for those of the cart's one-of-a-kind lines that have none (scanned offline)."""
        if not self._connected():
            return
        if self._sale.receipt is None:  # not once the sale is paid: its push ends them
            for line in self._sale.cart.lines:
                if line.kind is ItemKind.CONSIGNED:
                    self._reserve(line)
        for item_id, reservation in list(self.held.items()):
            if reservation.made:
                self._net.run(
                    self._asking(reservation),
                    failure=lambda error, i=item_id, r=reservation: self._not_renewed(i, r, error),
                )

    def _asking(self, reservation: _Reservation) -> Callable[[], None]:
        db = self._db

        def reserve() -> None:  # on the network runner
            asked = ItemReserve(reservation_id=reservation.id, seconds=HOLD_S)
            with client_for(db, attempts=1, timeout=RESERVE_TIMEOUT_S) as hub:
                hub.reserve_item(reservation.barcode, asked)

        return reserve

    def _made(self, item_id: int, reservation: _Reservation) -> None:
        reservation.made = True
        if reservation.release_when_made:
            self._release(reservation)

    def _not_made(self, item_id: int, reservation: _Reservation, error: Exception) -> None:
        if self.held.get(item_id) is reservation:
            del self.held[item_id]
        refused = isinstance(error, HubRefused) and error.reason != NOT_YET_AT_HUB
        if refused and not reservation.release_when_made:
            self._sale.drop_item(item_id, str(error))
        elif not isinstance(error, HubError):
            log.warning("reserving %s failed: %s", reservation.barcode, error)
        # the hub did not answer: the line stays, the till sells offline

    def _not_renewed(self, item_id: int, reservation: _Reservation, error: Exception) -> None:
        """A refusal takes the line out; no answer leaves the line and its hold as they are."""
        refused = isinstance(error, HubRefused) and error.reason != NOT_YET_AT_HUB
        if refused and self.held.get(item_id) is reservation:
            del self.held[item_id]
            self._sale.drop_item(item_id, str(error))
        elif not isinstance(error, HubError):
            log.warning("renewing %s failed: %s", reservation.barcode, error)

    def _release_lines(self, lines: list[CartLine]) -> None:
        for line in lines:
            reservation = self.held.pop(line.item_id, None)
            if reservation is None:
                continue
            if reservation.made:
                self._release(reservation)
            else:
                reservation.release_when_made = True

    def _release(self, reservation: _Reservation) -> None:
        db = self._db

        def release() -> None:
            with client_for(db, attempts=1, timeout=RESERVE_TIMEOUT_S) as hub:
                hub.release_item(reservation.id)

        self._net.run(
            release,
            failure=lambda error: log.info("release of %s failed: %s", reservation.barcode, error),
        )
