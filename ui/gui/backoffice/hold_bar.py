"""Hold… and Release hold for the item chosen on the Items page.

Hold… opens, in place under the list (no dialog), the customer's card (typed or scanned), the
hold's last day and a note; Enter or Put aside asks for the hold, Esc or Cancel closes it. The
page runs the hold on the database worker; this bar only collects what it needs.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from posapp.i18n import tr
from posapp.models import ItemKind, ItemStatus
from posapp.services import clock
from posapp.services.catalog import ItemRow
from ui.gui.backoffice.widgets import MessageLabel, push_button

DEFAULT_DAYS = 7  # a hold's last day unless changed: a week from today


class HoldFields(QFrame):
    """The customer's card, the last day and a note; Enter puts the item aside, Esc cancels."""

    submitted = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.card = QLineEdit(self)
        self.card.setPlaceholderText(tr("Customer card (scan or type; optional)"))
        self.has_until = QCheckBox(tr("until"), self)
        self.has_until.setChecked(True)
        self.until = QDateEdit(self)
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(tr("Note (optional)"))
        self.note.setMaxLength(200)
        self.confirm_button = push_button(tr("Put aside"), self)
        self.cancel_button = push_button(tr("Cancel"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.card, 2)
        layout.addWidget(self.has_until)
        layout.addWidget(self.until)
        layout.addWidget(self.note, 2)
        layout.addWidget(self.confirm_button)
        layout.addWidget(self.cancel_button)
        self.has_until.toggled.connect(self.until.setEnabled)
        self.confirm_button.clicked.connect(self.submitted)
        self.cancel_button.clicked.connect(self.cancelled)

    def start(self) -> None:
        """Empty fields, the last day a week from today, the card field ready for a scan."""
        today = clock.today()
        self.card.clear()
        self.note.clear()
        self.has_until.setChecked(True)
        self.until.setMinimumDate(QDate(today.year, today.month, today.day))
        self.until.setDate(_qdate(today + timedelta(days=DEFAULT_DAYS)))
        self.show()
        self.card.setFocus()

    def chosen_until(self) -> date | None:
        if not self.has_until.isChecked():
            return None
        value = self.until.date()
        return date(value.year(), value.month(), value.day())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class HoldBar(QWidget):
    """The two buttons, the hold fields and a message line for the chosen item."""

    hold_requested = Signal(str, str, object, str)  # barcode, card, last day (date | None), note
    release_requested = Signal(str)  # barcode

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._item: ItemRow | None = None
        self.hold_button = push_button(tr("Hold…"), self)
        self.hold_button.setToolTip(tr("Put the chosen item aside for a customer until a day"))
        self.release_button = push_button(tr("Release hold"), self)
        self.release_button.setToolTip(tr("End the chosen item's hold: it is on sale again"))
        self.fields = HoldFields(self)
        self.fields.hide()
        self.message = MessageLabel(self)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.hold_button)
        buttons.addWidget(self.release_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.fields)
        self.hold_button.clicked.connect(self.open_fields)
        self.release_button.clicked.connect(self._release)
        self.fields.submitted.connect(self._hold)
        self.fields.cancelled.connect(self.close_fields)
        self.set_item(None)

    def set_item(self, item: ItemRow | None) -> None:
        """The item chosen in the list (None: none); another item closes the hold fields."""
        if item is None or self._item is None or item.id != self._item.id:
            self.close_fields()
        self._item = item
        self._enable()
        if not self.hold_button.isEnabled():
            self.close_fields()

    def _enable(self) -> None:
        item = self._item
        holdable = (
            item is not None
            and item.kind is ItemKind.CONSIGNED
            and item.status is ItemStatus.AVAILABLE
        )
        self.hold_button.setEnabled(holdable)
        self.fields.confirm_button.setEnabled(holdable)
        self.release_button.setEnabled(item is not None and item.status is ItemStatus.RESERVED)

    def open_fields(self) -> None:
        if self._item is not None and self.hold_button.isEnabled():
            self.message.clear_message()
            self.fields.start()

    def close_fields(self) -> None:
        self.fields.hide()

    def busy(self, working: bool) -> None:
        """While a hold or release runs: no second click; after it, as the item allows."""
        if not working:
            self._enable()
            return
        for button in (self.fields.confirm_button, self.hold_button, self.release_button):
            button.setEnabled(False)

    def _hold(self) -> None:
        if self._item is None:
            return
        fields = self.fields
        self.hold_requested.emit(
            self._item.barcode,
            fields.card.text().strip(),
            fields.chosen_until(),
            fields.note.text().strip(),
        )

    def _release(self) -> None:
        if self._item is not None:
            self.message.clear_message()
            self.release_requested.emit(self._item.barcode)
