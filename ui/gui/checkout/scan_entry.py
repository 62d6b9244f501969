"""The scan entry: where a wedge scanner (or the cashier) types codes. Enter submits.

While the entry is empty, a few keys edit the cart instead of the text: Delete removes the
selected line, + and - change its quantity, Up and Down move the selection.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from posapp.i18n import tr

CART_KEYS = {
    Qt.Key.Key_Delete: "delete",
    Qt.Key.Key_Plus: "more",
    Qt.Key.Key_Minus: "less",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
}


class ScanEntry(QLineEdit):
    scanned = Signal(str)
    cart_key = Signal(str)  # one of CART_KEYS' values

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(tr("Scan or type a code, then Enter"))
        self.setClearButtonEnabled(False)
        self.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        text = self.text()
        self.clear()
        if text.strip():
            self.scanned.emit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = CART_KEYS.get(Qt.Key(event.key()))
        if action and not self.text():
            self.cart_key.emit(action)
            event.accept()
            return
        super().keyPressEvent(event)
