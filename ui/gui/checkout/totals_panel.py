"""Subtotal, discount and a very large TOTAL, readable from across the counter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from posapp.i18n import tr
from posapp.services.pricing import Quote
from ui.gui.fitted_label import FittedLabel
from ui.gui.formatting import show_discount, show_money
from ui.gui.style import scaled_font


class TotalsPanel(QFrame):
    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.currency = currency
        self.subtotal = self._amount(1.4)
        self.discount = self._amount(1.4)
        self.total = self._amount(3.4, bold=True)
        self.total.setObjectName("total")
        layout = QGridLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        for row, (title, value) in enumerate(
            ((tr("Subtotal"), self.subtotal), (tr("Discount"), self.discount))
        ):
            label = QLabel(title)
            label.setFont(scaled_font(self.font(), 1.4))
            layout.addWidget(label, row, 0, Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(value, row, 1)
        total_title = QLabel(tr("TOTAL"))
        total_title.setFont(scaled_font(self.font(), 1.8, bold=True))
        layout.addWidget(total_title, 2, 0, 1, 2)
        layout.addWidget(self.total, 3, 0, 1, 2)
        layout.setColumnStretch(1, 1)
        self.show_quote(None)

    def _amount(self, factor: float, bold: bool = False) -> FittedLabel:
        label = FittedLabel(scaled_font(self.font(), factor, bold))
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    def show_quote(self, quoted: Quote | None) -> None:
        subtotal, discount, total = (
            (quoted.subtotal, quoted.discount_total, quoted.total) if quoted else (0, 0, 0)
        )
        self.subtotal.setText(show_money(subtotal, self.currency))
        self.discount.setText(show_discount(discount, self.currency) or "—")
        self.total.setText(show_money(total, self.currency))
