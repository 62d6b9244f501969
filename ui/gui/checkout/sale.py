"""The sale in progress at the till: the cart, scans folded in in the order they were made, and
the commit. No widgets here; the checkout screen listens to the signals.

Every scan gets a ticket. It is resolved on the database worker (``resolve_scan``) and the outcome
is applied on the GUI thread (``Cart.apply``) strictly in ticket order, so scans typed while earlier
ones are still resolving are neither lost nor reordered. While the sale is being committed, resolved
scans wait and are applied after it (to the next sale once it is paid). After a sale is paid, the
next scan starts a new one by itself.

At a till linked to a hub, a ``seller`` clears the coupons with the hub before the commit; a coupon
only a manager may allow pauses the payment (``approval_needed``) until ``approve`` or
``cancel_approval``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

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


class CouponSeller(Protocol):
    """Sells a cart with coupons another way than a plain commit (ui.gui.hub.selling)."""

    def sell(
        self,
        actor: Actor,
        cart: Cart,
        tenders: list[Tender],
        approver: Actor | None,
        *,
        after: Callable[[], None],
        sold: Callable[[Receipt], None],
        failed: Callable[[Exception], None],
        needs_approval: Callable[[str], None],
    ) -> None: ...


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
    approval_needed = Signal(str)  # why a manager must allow the sale's coupons
    line_removed = Signal(object)  # CartLine taken out of the unpaid sale
    cart_dropped = Signal(object)  # list[CartLine] of an unpaid sale left for a new one
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
        self.seller: CouponSeller | None = None
        self.awaiting_approval: list[Tender] | None = None  # the tenders a manager must allow
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
        self._apply_arrived()

    def _apply_arrived(self) -> bool:
        """Fold in the resolved scans that are next in order (none while committing: they
        belong after the sale); True if any was folded."""
        folded = False
        while not self.committing and self._next_to_apply in self._arrived:
            current = self._next_to_apply
            ready = self._arrived.pop(current)
            self._next_to_apply += 1
            if current in self._discarded:
                self._discarded.discard(current)
                continue
            self._fold(ready)
            folded = True
        if not self.pending:
            self.drained.emit()
        return folded

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
        self.awaiting_approval = None
        left = list(self.cart.lines) if self.receipt is None else []
        self._empty_cart()
        if left:
            self.cart_dropped.emit(left)
        self.cart_changed.emit(None)

    def _empty_cart(self) -> None:
        self.cart = Cart(self.currency)
        self.receipt = None
        self.sale_started.emit()

    def remove_line(self, index: int) -> None:
        if self._editable(index):
            line = self.cart.lines[index]
            self.cart.remove_line(index)
            self.line_removed.emit(line)
            self.cart_changed.emit(None)

    def drop_item(self, item_id: int, message: str) -> bool:
        """Take an item back out of the unpaid sale (the hub says it is no longer to be had)
        and say why; False if it is not there or the sale is past changing."""
        ids = [line.item_id for line in self.cart.lines]
        if item_id not in ids or not self._editable(ids.index(item_id)):
            return False
        self.cart.remove_line(ids.index(item_id))
        self.cart_changed.emit(None)
        self.notice.emit(message)
        return True

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

    def commit(self, tenders: list[Tender], approver: Actor | None = None) -> None:
        """Sell the cart; ``committed``, ``commit_failed`` or ``approval_needed`` follows."""
        if self.committing or self.receipt is not None or self.actor is None:
            return
        self.committing = True
        self.awaiting_approval = None
        db, actor, cart, holder = self._db, self.actor, copy_of(self.cart), self._worker_customer

        def forget_customer() -> None:
            holder.id = None  # the next scan starts a new sale

        if self.seller is not None and cart.coupons:
            self.seller.sell(
                actor,
                cart,
                tenders,
                approver,
                after=forget_customer,
                sold=self._sold,
                failed=self._not_sold,
                needs_approval=lambda why: self._needs_approval(tenders, why),
            )
            return

        def sell() -> Receipt:
            receipt = commit_sale(db, actor, cart, tenders)
            forget_customer()
            return receipt

        self._ops.run(sell, success=self._sold, failure=self._not_sold)

    def approve(self, approver: Actor) -> None:
        """A manager allowed the coupons: sell again with the same tenders."""
        tenders = self.awaiting_approval
        if tenders is not None:
            self.commit(tenders, approver)

    def cancel_approval(self) -> None:
        self.awaiting_approval = None

    def _sold(self, receipt: Receipt) -> None:
        self.committing = False
        self.receipt = receipt
        self.committed.emit(receipt)
        self._apply_arrived()

    def _needs_approval(self, tenders: list[Tender], why: str) -> None:
        self.committing = False
        if self._apply_arrived():  # scans made meanwhile changed the sale: pay it again
            self.commit_failed.emit(
                tr("The sale changed while its coupons were checked. Pay again.")
            )
            return
        self.awaiting_approval = tenders
        self.approval_needed.emit(why)

    def _not_sold(self, error: Exception) -> None:
        self.committing = False
        if isinstance(error, PosError):
            self.commit_failed.emit(error.message)
        else:
            log.error("commit failed", exc_info=error)
            self.commit_failed.emit(
                tr("The sale could not be saved and nothing was written. Try again.")
            )
        self._apply_arrived()
