"""Where a counter scans: the code entry (Enter submits; 'N*CODE' counts N at once), the
quantity for stock items (1 unless typed; back to 1 after each scan) and the last scan, big."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from posapp.i18n import tr
from ui.gui.style import scaled_font

TIMES = re.compile(r"^\s*(\d{1,5})\s*\*\s*(\S.*)$")  # '12*2000000009025'
MAX_QUANTITY = 99_999
TONES = {"ok": "#116329", "check": "#9a3412", "refused": "#b42318", "idle": "#4b5563"}


class LastScan(QLabel):
    """The last scan, big; the font steps down until the whole line shows."""

    def __init__(self, font: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = QFont(font)
        self.setFont(font)
        self.setMinimumWidth(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(QFontMetrics(font).height() + 12)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = QFont(self._full)
        room = self.contentsRect().width() - 4
        while (
            room > 0
            and font.pointSizeF() > 8
            and (QFontMetrics(font).horizontalAdvance(self.text()) > room)
        ):
            font.setPointSizeF(font.pointSizeF() - 0.5)
        if font != self.font():
            self.setFont(font)


class CountScanEntry(QLineEdit):
    scanned = Signal(str, int)  # code, quantity typed with it (0: use the quantity field)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(tr("Scan or type a code, then Enter"))
        self.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        text = self.text()
        self.clear()
        if not text.strip():
            return
        times = TIMES.match(text)
        if times and int(times.group(1)) > 0:
            self.scanned.emit(times.group(2), int(times.group(1)))
        else:
            self.scanned.emit(text, 0)


class QuantityBox(QSpinBox):
    """Enter goes back to the scan entry (the ``done`` signal)."""

    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(1, MAX_QUANTITY)
        self.setValue(1)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            self.done.emit()
            return
        super().keyPressEvent(event)

    def take(self) -> int:
        """The quantity for this scan; the next one is 1 again unless typed."""
        self.interpretText()
        quantity = self.value()
        self.setValue(1)
        return quantity


class ScanRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        big = scaled_font(self.font(), 1.5)
        self.entry = CountScanEntry(self)
        self.entry.setFont(big)
        self.quantity = QuantityBox(self)
        self.quantity.setFont(big)
        self.quantity.setMinimumWidth(self.quantity.fontMetrics().horizontalAdvance("99999") + 40)
        self.quantity_label = QLabel(tr("Qty (F5)"), self)
        self.quantity_label.setBuddy(self.quantity)
        self.last = LastScan(scaled_font(self.font(), 1.7, bold=True), self)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.entry, 1)
        layout.addWidget(self.quantity_label)
        layout.addWidget(self.quantity)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        outer.addWidget(self.last)
        self.quantity.done.connect(lambda: self.entry.setFocus(Qt.FocusReason.OtherFocusReason))
        self.show_last(tr("Start a count (F2) or pick an open one (F3), then scan."), "idle")

    def show_last(self, text: str, tone: str) -> None:
        self.last.setStyleSheet(f"color: {TONES[tone]};")
        self.last.setText(text)
        self.last.setProperty("tone", tone)
