"""The checkout screen: scan entry, cart, coupons and refusals, totals, payment.

Always ready for the next scan: the scan entry is the only widget here that takes the keyboard
focus (the payment amount takes it only while paying, a manager's PIN only while a manager is
asked to allow a coupon), and a refusal is a line in a list, never a dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp import codes
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import PaymentMethod
from posapp.services.cart import ItemScanned, ScanOutcome, ScanRefused
from posapp.services.context import Actor
from posapp.services.receipts import Receipt
from ui.gui.checkout.approval_panel import ApprovalPanel
from ui.gui.checkout.cart_table import CartTable, CartTableModel
from ui.gui.checkout.notices_panel import CouponsList, RefusalsList
from ui.gui.checkout.payment_panel import PaymentPanel
from ui.gui.checkout.sale import SaleController
from ui.gui.checkout.scan_entry import ScanEntry
from ui.gui.checkout.totals_panel import TotalsPanel
from ui.gui.operations import Operations
from ui.gui.style import scaled_font

SIDE_WIDTH = 440


def key_help() -> str:
    return tr(
        "Enter add · F5 cash · F6 card · F7 split · Esc cancel payment · F8 new sale · "
        "Del remove line · +/- quantity · F10 back office · Ctrl+L lock"
    )


def refusal_text(refused: ScanRefused) -> str:
    """The reason, led by the code that was refused when the reason does not name it."""
    message = refused.refusal.message
    code = refused.code
    if codes.looks_like_coupon(code):
        code = codes.grouped(code)
    if not code or code in message or refused.code in message:
        return message
    return tr("{code}: {reason}", code=code, reason=message)


class CheckoutWidget(QWidget):
    def __init__(
        self, db: Database, ops: Operations, currency: str, parent: QWidget | None = None
    ) -> None:
        """The screen for the store's ``currency``; who sells comes with ``set_actor``."""
        super().__init__(parent)
        self._db, self._ops = db, ops
        self.sale = SaleController(db, ops, currency, self)
        self.scan_entry = ScanEntry()
        self.scan_entry.setFont(scaled_font(self.font(), 1.5))
        self.customer = QLabel()
        self.customer.setFont(scaled_font(self.font(), 1.2, bold=True))
        self.model = CartTableModel(currency, self)
        self.table = CartTable(self.model)
        self.coupons = CouponsList(currency)
        self.refusals = RefusalsList()
        self.totals = TotalsPanel(currency)
        self.payment = PaymentPanel(currency)
        self.approval: ApprovalPanel | None = None  # built the first time a manager is asked
        self._after_drain: Callable[[], None] | None = None
        self._lay_out()
        self._connect()
        self._bind_keys()
        self._refresh(None)

    # -- building ------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.scan_entry, 3)
        top.addWidget(self.customer, 2)
        grid = QGridLayout()
        grid.addWidget(self.table, 0, 0, 1, 2)
        grid.addWidget(self.coupons, 1, 0)
        grid.addWidget(self.refusals, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        side = QVBoxLayout()
        side.addWidget(self.totals)
        side.addWidget(self.payment, 1)
        self._side = side
        side_box = QWidget()
        side_box.setLayout(side)
        side.setContentsMargins(0, 0, 0, 0)
        side_box.setFixedWidth(SIDE_WIDTH)
        middle = QHBoxLayout()
        middle.addLayout(grid, 1)
        middle.addWidget(side_box)
        keys = QLabel(key_help())
        keys.setObjectName("keys")
        keys.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(keys)

    def _connect(self) -> None:
        self.scan_entry.scanned.connect(self.submit_scan)
        self.scan_entry.cart_key.connect(self._cart_key)
        self.sale.cart_changed.connect(self._refresh)
        self.sale.refused.connect(self._refused)
        self.sale.notice.connect(self.refusals.add_notice)
        self.sale.sale_started.connect(self._sale_started)
        self.sale.committed.connect(self._committed)
        self.sale.commit_failed.connect(self._commit_failed)
        self.sale.approval_needed.connect(self._ask_approval)
        self.sale.drained.connect(self._drained)
        self.payment.pay.connect(self.sale.commit)
        self.payment.finished.connect(self.focus_scan)
        self.payment.scan_typed.connect(self.submit_scan)

    def _bind_keys(self) -> None:
        bindings: list[tuple[str, Callable[[], None]]] = [
            ("F5", lambda: self.pay_with(PaymentMethod.CASH)),
            ("F6", lambda: self.pay_with(PaymentMethod.CARD)),
            ("F7", lambda: self.pay_with(None)),
            ("F8", self.new_sale),
            ("Ctrl+N", self.new_sale),
            ("Esc", self.cancel_payment),
        ]
        for keys, action in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    # -- actions -------------------------------------------------------------------------------

    def submit_scan(self, text: str) -> None:
        self.cancel_payment()
        self.sale.submit_scan(text)

    def new_sale(self) -> None:
        self.cancel_payment()
        self.sale.new_sale()
        self.focus_scan()

    def cancel_payment(self) -> None:
        """Esc, a scan, a new sale or locking the till: leave the payment (or the manager's
        approval it waits for); the cart stays."""
        if self.approval is not None and self.approval.asking:
            self.approval.dismiss()
            self.sale.cancel_approval()
            self.payment.show_failure(tr("Payment cancelled: the coupons were not allowed."))
        elif self.payment.active:
            self.payment.cancel()

    def pay_with(self, method: PaymentMethod | None) -> None:
        """F5/F6/F7: begin paying, or pay the typed part with that method."""
        if self.sale.awaiting_approval is not None:
            return  # a manager is being asked: Enter with the PIN, or Esc
        if self.sale.pending:
            self._after_drain = lambda: self.pay_with(method)
            return
        if self.payment.active:
            if method is not None and self.payment.amount.text().strip():
                self.payment.choose(method)
            else:
                self.payment.start(self.sale.cart.quote().total, method)
            return
        problem = self._cannot_pay()
        if problem:
            self.payment.show_idle(problem)
            return
        self.payment.start(self.sale.cart.quote().total, method)

    def _cannot_pay(self) -> str | None:
        if self.sale.committing:
            return tr("Saving the sale…")
        if self.sale.receipt is not None:
            return tr("This sale is paid. Scan the next item, or F8 for a new sale.")
        if not self.sale.cart.lines:
            return tr("The sale is empty: scan an item first.")
        return None

    def focus_scan(self) -> None:
        if not self.payment.active:
            self.scan_entry.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_actor(self, actor: Actor) -> None:
        self.sale.actor = actor

    # -- reactions -----------------------------------------------------------------------------

    def _cart_key(self, action: str) -> None:
        row = self.table.current_row()
        if action in ("up", "down"):
            self.table.move_selection(-1 if action == "up" else 1)
        elif action == "delete":
            self.sale.remove_line(row)
            self.table.select_row(min(row, len(self.sale.cart.lines) - 1))
        else:
            self.sale.change_quantity(row, 1 if action == "more" else -1)

    def _refresh(self, outcome: ScanOutcome | None) -> None:
        cart = self.sale.cart
        quoted = cart.quote()
        self.model.show_cart(cart.lines, quoted)
        self.totals.show_quote(quoted)
        self.coupons.show_coupons(cart.coupons, quoted)
        name = cart.customer.name if cart.customer else ""
        self.customer.setText(tr("Customer: {name}", name=name) if name else "")
        if isinstance(outcome, ItemScanned):
            ids = [line.item_id for line in cart.lines]
            self.table.select_row(ids.index(outcome.line.item_id))

    def _refused(self, refused: ScanRefused) -> None:
        self.refusals.add_refusal(refusal_text(refused))

    def _sale_started(self) -> None:
        self.payment.show_idle()
        self.refusals.clear()

    def _committed(self, receipt: Receipt) -> None:
        self.payment.show_sold(receipt)

    def _commit_failed(self, message: str) -> None:
        if self.approval is not None:
            self.approval.dismiss()
        self.payment.show_failure(message)

    def _ask_approval(self, why: str) -> None:
        if self.approval is None:
            self.approval = ApprovalPanel(self._db, self._ops)
            self.approval.approved.connect(self._approved)
            self._side.insertWidget(1, self.approval)
        actor = self.sale.actor
        self.payment.show_waiting(tr("Waiting for a manager to allow the coupons…"))
        self.approval.ask(why, actor.terminal_name if actor else None)

    def _approved(self, manager: Actor) -> None:
        if self.approval is not None:
            self.approval.dismiss()
        self.scan_entry.setFocus(Qt.FocusReason.OtherFocusReason)  # scans wait for the sale
        self.payment.show_waiting(tr("Saving the sale…"))
        self.sale.approve(manager)

    def _drained(self) -> None:
        action, self._after_drain = self._after_drain, None
        if action:
            action()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_scan()
