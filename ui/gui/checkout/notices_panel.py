"""Applied coupons and refused scans, shown inline beside the cart (never a modal dialog)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from posapp import codes
from posapp.i18n import tr
from posapp.services.pricing import CouponTerms, Quote
from ui.gui.formatting import show_money
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
    return view


class CouponsList(QFrame):
    """Each applied coupon: its code in groups, its campaign and what it takes off."""

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.view = _quiet_list(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_titled(tr("Coupons"), self.view, self))

    def show_coupons(self, coupons: list[CouponTerms], quoted: Quote) -> None:
        texts = [
            tr(
                "{code}  {campaign}  -{amount}",
                code=codes.grouped(terms.code),
                campaign=terms.campaign_name,
                amount=show_money(amount, self.currency),
            )
            for terms, amount in zip(coupons, quoted.coupon_discounts, strict=True)
        ]
        if texts != self.texts():
            self.view.clear()
            self.view.addItems(texts)

    def texts(self) -> list[str]:
        return [self.view.item(row).text() for row in range(self.view.count())]


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
