"""Applied coupons and refused scans, shown inline beside the cart (never a modal dialog)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp import codes
from posapp.i18n import tr
from posapp.services.pricing import CouponTerms, Quote
from ui.gui.formatting import show_discount
from ui.gui.style import scaled_font

MAX_REFUSALS = 50
REFUSAL_COLOUR = QColor("#b42318")
NOTICE_COLOUR = QColor("#7a4b00")


def _titled(title: str, body: QWidget, parent: QWidget) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("panel")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(10, 8, 10, 10)
    heading = QLabel(title)
    heading.setFont(scaled_font(heading.font(), 1.0, bold=True))
    layout.addWidget(heading)
    layout.addWidget(body)
    return frame


def _quiet_list(parent: QWidget) -> QListWidget:
    view = QListWidget(parent)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setWordWrap(True)
    view.setSelectionMode(QListWidget.SelectionMode.NoSelection)
    view.setSpacing(3)  # a gap between one refusal and the next
    view.setAlternatingRowColors(True)
    return view


class CouponsList(QFrame):
    """Each applied coupon: its code in groups, its campaign and what it takes off."""

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.view = QTableWidget(0, 3, self)
        self.view.setHorizontalHeaderLabels([tr("Code"), tr("Campaign"), tr("Amount")])
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.view.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_titled(tr("Coupons"), self.view, self))
        self._shown: list[tuple[str, str, str]] = []

    def show_coupons(self, coupons: list[CouponTerms], quoted: Quote) -> None:
        rows = [
            (codes.grouped(terms.code), terms.campaign_name, show_discount(amount, self.currency))
            for terms, amount in zip(coupons, quoted.coupon_discounts, strict=True)
        ]
        if rows == self._shown:
            return
        self._shown = rows
        self.view.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.view.setItem(row, column, item)

    def texts(self) -> list[str]:
        """Each coupon as one line: code, campaign and amount."""
        return ["  ".join(cells) for cells in self._shown]


class RefusalsList(QFrame):
    """Refused scans with the reason, newest first; they never stop the next scan."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = _quiet_list(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_titled(tr("Refused scans and notes"), self.view, self))

    def add_refusal(self, message: str) -> None:
        self._add(message, REFUSAL_COLOUR)

    def add_notice(self, message: str) -> None:
        self._add(message, NOTICE_COLOUR)

    def _add(self, message: str, colour: QColor) -> None:
        item = QListWidgetItem(message)
        item.setForeground(QBrush(colour))
        self.view.insertItem(0, item)
        while self.view.count() > MAX_REFUSALS:
            self.view.takeItem(self.view.count() - 1)

    def clear(self) -> None:
        self.view.clear()

    def texts(self) -> list[str]:
        return [self.view.item(row).text() for row in range(self.view.count())]
