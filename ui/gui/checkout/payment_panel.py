"""Payment, keyboard first and without dialogs: F5 cash, F6 card, F7 split, Esc cancels.

Type an amount (or nothing, for the exact amount) and press Enter, or press F5/F6 to pay the
typed amount by that method. After the sale: the change, very large, and the receipt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from posapp.i18n import tr
from posapp.models import PaymentMethod
from posapp.services.receipts import Receipt
from printing.receipt_text import method_name, render_receipt
from ui.gui.checkout.payment_draft import (
    LooksLikeScan,
    PartPaid,
    PaymentDraft,
    Problem,
    Ready,
)
from ui.gui.fitted_label import FittedLabel
from ui.gui.formatting import show_money
from ui.gui.style import monospace_font, scaled_font


class PaymentPanel(QFrame):
    pay = Signal(object)  # list[Tender]: commit the sale with these
    finished = Signal()  # the payment was left (Esc) or is over: back to scanning
    scan_typed = Signal(str)  # a scan landed in the amount entry

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.currency = currency
        self.draft: PaymentDraft | None = None
        self.method: PaymentMethod | None = None
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setFont(scaled_font(self.font(), 1.1, bold=True))
        self.paid = QLabel()
        self.paid.setWordWrap(True)
        self.amount = QLineEdit()
        self.amount.setFont(scaled_font(self.font(), 1.6))
        self.amount.returnPressed.connect(lambda: self.choose(self.method))
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.change = FittedLabel(scaled_font(self.font(), 2.6, bold=True))
        self.change.setObjectName("change")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.receipt = QPlainTextEdit()
        self.receipt.setReadOnly(True)
        self.receipt.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.receipt.setFont(monospace_font(self.font()))
        self.receipt.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        for widget in (self.prompt, self.paid, self.amount, self.error, self.change):
            layout.addWidget(widget)
        layout.addWidget(self.receipt, 1)
        layout.addStretch(0)
        self.show_idle()

    @property
    def active(self) -> bool:
        return self.draft is not None

    # -- states --------------------------------------------------------------------------------

    def show_idle(self, message: str = "") -> None:
        self.draft, self.method = None, None
        self.prompt.setText(tr("Pay: F5 cash · F6 card · F7 split"))
        self._show(paid="", error=message)

    def start(self, total: int, method: PaymentMethod | None) -> None:
        """Begin paying ``total`` (or switch method if a payment is already under way)."""
        if self.draft is None:
            self.draft = PaymentDraft(total, self.currency)
        self.method = method
        self.amount.setEnabled(True)
        self.amount.clear()
        self._prompt_for_method()
        self._show(paid=self._paid_text(), error="", amount=True)
        self.amount.setFocus()

    def choose(self, method: PaymentMethod | None) -> None:
        """Enter (with the current method) or F5/F6 with an amount typed."""
        if self.draft is None:
            return
        if method is None:
            self.error.setText(tr("Choose how this part is paid: F5 cash or F6 card."))
            return
        offer = self.draft.offer(method, self.amount.text())
        if isinstance(offer, Problem):
            self.error.setText(offer.message)
        elif isinstance(offer, LooksLikeScan):
            self.amount.clear()
            self.show_idle()
            self.finished.emit()
            self.scan_typed.emit(offer.text)
        elif isinstance(offer, PartPaid):
            self.start(self.draft.total, None)
        elif isinstance(offer, Ready):
            self.amount.setEnabled(False)
            self.prompt.setText(tr("Saving the sale…"))
            self.error.clear()
            self.pay.emit(offer.tenders)

    def cancel(self) -> None:
        if self.draft is not None and self.amount.isEnabled():
            self.show_idle()
            self.finished.emit()

    def show_waiting(self, message: str) -> None:
        """The payment is keyed in and the sale waits for something else (a manager)."""
        self.prompt.setText(message)
        self.error.clear()
        self.amount.hide()

    def show_failure(self, message: str) -> None:
        self.show_idle(message)
        self.finished.emit()

    def show_sold(self, receipt: Receipt) -> None:
        self.draft, self.method = None, None
        self.prompt.setText(tr("Paid. Scan the next item to start a new sale."))
        self.change.setText(
            tr("Change {amount}", amount=show_money(receipt.change, self.currency))
            if receipt.change
            else tr("No change")
        )
        self.receipt.setPlainText(render_receipt(receipt))
        self._show(paid="", error="", sold=True)
        self.finished.emit()

    # -- helpers -------------------------------------------------------------------------------

    def _prompt_for_method(self) -> None:
        assert self.draft is not None
        due = show_money(self.draft.remaining, self.currency)
        if self.method is PaymentMethod.CASH:
            text = tr("Cash: {due} due. Type the amount received, or Enter for exact.", due=due)
        elif self.method is PaymentMethod.CARD:
            text = tr("Card: {due} due. Enter charges it; type less to pay part.", due=due)
        else:
            text = tr("Split: {due} still due. Type a part, then F5 cash or F6 card.", due=due)
        self.prompt.setText(text)

    def _paid_text(self) -> str:
        if self.draft is None or not self.draft.tenders:
            return ""
        parts = [
            tr(
                "{method} {amount}",
                method=method_name(t.method),
                amount=show_money(t.amount or 0, self.currency),
            )
            for t in self.draft.tenders
        ]
        return tr("Paid so far: {parts}", parts=", ".join(parts))

    def _show(self, paid: str, error: str, amount: bool = False, sold: bool = False) -> None:
        self.paid.setText(paid)
        self.paid.setVisible(bool(paid))
        self.error.setText(error)
        self.amount.setVisible(amount)
        self.change.setVisible(sold)
        self.receipt.setVisible(sold)
