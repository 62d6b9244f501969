"""The sale in progress at the till: the cart, scans folded in in the order they were made, and
the commit. No widgets here; the checkout screen listens to the signals.

Every scan gets a ticket. It is resolved on the database worker (``resolve_scan``) and the outcome
is applied on the GUI thread (``Cart.apply``) strictly in ticket order, so scans typed while earlier
ones are still resolving are neither lost nor reordered. After a sale is paid, the next scan starts
a new one by itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import ItemKind
from posapp.services.cart import Cart, CustomerScanned, ScanOutcome, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.coupon_rules import Refusal, RefusalReason
from posapp.services.errors import PosError
from posapp.services.receipts import Receipt
from ui.gui.operations import Operations

log = logging.getLogger(__name__)


@dataclass
class _WorkerCustomer:
    """The customer the worker checks coupons against; read and written on the worker only,
    except when the cashier starts a new sale."""

    id: int | None = None


def copy_of(cart: Cart) -> Cart:
    """A cart the worker can read while the screen goes on changing the original."""
    return Cart(cart.currency, list(cart.lines), list(cart.coupons), cart.customer)


class SaleController(QObject):
    cart_changed = Signal(object)  # the outcome that changed it, or None
    refused = Signal(object)  # ScanRefused
    notice = Signal(str)  # a plain message about the cart (not from a scan)
    sale_started = Signal()
    committed = Signal(object)  # Receipt
    commit_failed = Signal(str)
    drained = Signal()  # no scan is waiting to be resolved

    def __init__(
        self, db: Database, ops: Operations, currency: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._ops = ops
        self.currency = currency
        self.actor: Actor | None = None  # who sells: set at sign-in (the screen is built before)
        self.cart = Cart(currency)
        self.receipt: Receipt | None = None  # set once the sale is paid
        self.committing = False
        self._next_ticket = 0
        self._next_to_apply = 0
        self._arrived: dict[int, ScanOutcome] = {}
        self._discarded: set[int] = set()
        self._worker_customer = _WorkerCustomer()

    # -- scans ---------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        return self._next_ticket - self._next_to_apply

    def submit_scan(self, raw: str) -> None:
        """Queue a scanned or typed code; it is applied after every scan made before it."""
        ticket = self._next_ticket
        self._next_ticket += 1
        db, holder = self._db, self._worker_customer

        def resolve() -> ScanOutcome:
            outcome = resolve_scan(db, raw, customer_id=holder.id)
            if isinstance(outcome, CustomerScanned):
                holder.id = outcome.customer.id
            return outcome

        self._ops.run(
            resolve,
            success=lambda outcome: self._arrive(ticket, outcome),
            failure=lambda error: self._arrive(ticket, self._lookup_failed(raw, error)),
        )

    def _lookup_failed(self, raw: str, error: Exception) -> ScanRefused:
        log.error("scan lookup failed", exc_info=error)
        message = (
            error.message
            if isinstance(error, PosError)
            else tr("{code} could not be looked up; scan it again.", code=raw.strip())
        )
        return ScanRefused(raw.strip(), Refusal(RefusalReason.UNKNOWN_CODE, message))

    def _arrive(self, ticket: int, outcome: ScanOutcome) -> None:
        self._arrived[ticket] = outcome
        while self._next_to_apply in self._arrived:
            current = self._next_to_apply
            ready = self._arrived.pop(current)
            self._next_to_apply += 1
            if current in self._discarded:
                self._discarded.discard(current)
                continue
            self._fold(ready)
        if not self.pending:
            self.drained.emit()

    def _fold(self, outcome: ScanOutcome) -> None:
        if self.receipt is not None:
            self._empty_cart()
        applied = self.cart.apply(outcome)
        if isinstance(applied, ScanRefused):
            self.refused.emit(applied)
        else:
            self.cart_changed.emit(applied)

    # -- the cart ------------------------------------------------------------------------------

    def new_sale(self) -> None:
        """Start over: an empty cart; scans still resolving for the old sale are dropped."""
        if self.committing:
            return
        self._discarded.update(range(self._next_to_apply, self._next_ticket))
        self._worker_customer.id = None
        self._empty_cart()
        self.cart_changed.emit(None)

    def _empty_cart(self) -> None:
        self.cart = Cart(self.currency)
        self.receipt = None
        self.sale_started.emit()

    def remove_line(self, index: int) -> None:
        if self._editable(index):
            self.cart.remove_line(index)
            self.cart_changed.emit(None)

    def change_quantity(self, index: int, delta: int) -> None:
        if not self._editable(index):
            return
        line = self.cart.lines[index]
        if line.kind is ItemKind.CONSIGNED:
            self.notice.emit(tr("{name} is one of a kind: its quantity stays 1.", name=line.name))
            return
        if line.quantity + delta < 1:
            self.notice.emit(tr("Use Delete to remove {name}.", name=line.name))
            return
        self.cart.set_quantity(index, line.quantity + delta)
        self.cart_changed.emit(None)

    def _editable(self, index: int) -> bool:
        return self.receipt is None and not self.committing and 0 <= index < len(self.cart.lines)

    # -- paying --------------------------------------------------------------------------------

    def commit(self, tenders: list[Tender]) -> None:
        """Sell the cart on the worker; ``committed`` or ``commit_failed`` follows."""
        if self.committing or self.receipt is not None or self.actor is None:
            return
        self.committing = True
        db, actor, cart, holder = self._db, self.actor, copy_of(self.cart), self._worker_customer

        def sell() -> Receipt:
            receipt = commit_sale(db, actor, cart, tenders)
            holder.id = None  # the next scan starts a new sale
            return receipt

        self._ops.run(sell, success=self._sold, failure=self._not_sold)

    def _sold(self, receipt: Receipt) -> None:
        self.committing = False
        self.receipt = receipt
        self.committed.emit(receipt)

    def _not_sold(self, error: Exception) -> None:
        self.committing = False
        if isinstance(error, PosError):
            self.commit_failed.emit(error.message)
            return
        log.error("commit failed", exc_info=error)
        self.commit_failed.emit(
            tr("The sale could not be saved and nothing was written. Try again.")
        )
