"""The keyboard-scanner calibration panel: a code drawn on the screen, a field that times each key
of its scan, and what the scan showed (key gaps, a suggested maximum gap, a layout mix-up)."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from posapp.i18n import tr
from posapp.scanning.calibration import (
    CALIBRATION_CODE,
    Calibration,
    calibrate,
    gaps_text,
    layout_text,
    panel_hint,
    suggestion_text,
)
from printing.barcodes import BarPattern, code128
from ui.gui.backoffice.widgets import MessageLabel, push_button
from ui.gui.style import monospace_font, scaled_font

BAR_HEIGHT = 110  # logical pixels
MAX_MODULE_PX = 4
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class BarcodeView(QWidget):
    """A barcode painted as whole-pixel bars on white, quiet zones included, centred."""

    def __init__(self, pattern: BarPattern, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pattern = pattern
        self.setMinimumSize(pattern.total_modules, BAR_HEIGHT)

    def sizeHint(self) -> QSize:
        return QSize(self.pattern.total_modules * 2, BAR_HEIGHT)

    def module_pixels(self) -> int:
        """Device pixels per module: the widest whole number that fits (1 to 4)."""
        room = int(self.width() * self.devicePixelRatioF())
        return max(1, min(MAX_MODULE_PX, room // self.pattern.total_modules))

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        module = self.module_pixels()
        width = self.pattern.total_modules * module
        height = math.floor(self.height() * ratio)
        left = max(0, (math.floor(self.width() * ratio) - width) // 2)
        painter = QPainter(self)
        painter.scale(1 / ratio, 1 / ratio)  # draw in device pixels, so every edge is whole
        painter.fillRect(QRect(left, 0, width, height), QColor("white"))
        black = QColor("black")
        for start, modules in self.pattern.bars():
            painter.fillRect(QRect(left + start * module, 0, modules * module, height), black)
        painter.end()


class TimedKeyField(QLineEdit):
    """A line edit that notes when each key arrived; Enter (or Tab after some keys) ends a scan.

    ``waiting`` is True from the moment it has the focus until the scan ended or the focus left.
    """

    scanned = Signal(object)  # list[tuple[float, str]], the terminator last
    waiting = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys: list[tuple[float, str]] = []
        self.is_waiting = False

    def _set_waiting(self, waiting: bool) -> None:
        if waiting != self.is_waiting:
            self.is_waiting = waiting
            self.waiting.emit(waiting)

    def start(self) -> None:
        """Forget any keys so far and wait for a scan."""
        self.keys = []
        self.clear()
        self._set_waiting(True)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.start()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._set_waiting(False)

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and self.keys
        ):
            self._finish(event, "\t")  # a scanner set to end codes with Tab
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS:
            self._finish(event, "\r")
        elif event.key() == Qt.Key.Key_Escape:
            self.start()
        elif event.key() == Qt.Key.Key_Backspace:
            self.keys = self.keys[:-1]
            super().keyPressEvent(event)
        else:
            if event.text() and event.text().isprintable():
                self.keys.append((self._arrival(event), event.text()))
            super().keyPressEvent(event)

    def _arrival(self, event: QKeyEvent) -> float:
        """Seconds: the event's own time when the platform gives one, else the time now."""
        stamp = event.timestamp()
        return stamp / 1000 if stamp else time.monotonic()

    def _finish(self, event: QKeyEvent, terminator: str) -> None:
        event.accept()
        keys = [*self.keys, (self._arrival(event), terminator)]
        self.keys = []
        self._set_waiting(False)
        self.scanned.emit(keys)


class CalibrationPanel(QGroupBox):
    """Scan the code on the screen: key gaps, a suggested maximum gap and any layout mix-up."""

    use_gap = Signal(int)  # "Use this" pressed: the suggested maximum gap in ms
    calibrating = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Calibrate a keyboard scanner"), parent)
        self.result: Calibration | None = None
        self.barcode = BarcodeView(code128(CALIBRATION_CODE), self)
        self.code_label = QLabel(CALIBRATION_CODE, self)
        self.code_label.setFont(scaled_font(monospace_font(self.font()), 1.4, bold=True))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.field = TimedKeyField(self)
        self.field.setPlaceholderText(tr("Click here, then scan"))
        self.field_label = QLabel(tr("Scan the code above"), self)
        self.field_label.setBuddy(self.field)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        self.gaps = QLabel(self)
        self.gaps.setWordWrap(True)
        self.suggestion = QLabel(self)
        self.suggestion.setFont(scaled_font(self.font(), 1.0, bold=True))
        self.suggestion.setWordWrap(True)
        self.use_button = push_button(tr("Use this"), self)
        self.layout_message = MessageLabel(self)
        self.again_button = push_button(tr("Scan again"), self)
        self._lay_out()
        self.field.waiting.connect(self._waiting)
        self.field.scanned.connect(self.show_scan)
        self.use_button.clicked.connect(self._use)
        self.again_button.clicked.connect(self.scan_again)
        self._show()

    def _lay_out(self) -> None:
        suggestion = QHBoxLayout()
        suggestion.addWidget(self.suggestion, 1)
        suggestion.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.barcode)
        layout.addWidget(self.code_label)
        layout.addSpacing(6)
        layout.addWidget(self.field_label)
        layout.addWidget(self.field)
        layout.addWidget(self.hint)
        layout.addWidget(self.gaps)
        layout.addLayout(suggestion)
        layout.addWidget(self.layout_message)
        layout.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def scan_again(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.field.start()

    def show_scan(self, keys: list[tuple[float, str]]) -> None:
        """Show what the scan ``keys`` (the terminator last) measured and whether it matched."""
        self.result = calibrate(keys)
        self._show()
        target = self.use_button if self.use_button.isVisible() else self.again_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _waiting(self, waiting: bool) -> None:
        self._show()
        self.calibrating.emit(waiting)

    def _show(self) -> None:
        result = self.result
        self.hint.setText(panel_hint(self.field.is_waiting, result))
        self.gaps.setText(gaps_text(result) if result else "")
        self.gaps.setVisible(result is not None)
        has_suggestion = result is not None and result.suggested_gap_ms is not None
        self.suggestion.setText(suggestion_text(result) if result else "")
        self.suggestion.setVisible(has_suggestion)
        self.use_button.setVisible(has_suggestion)
        self.again_button.setVisible(result is not None)
        if result is None:
            self.layout_message.clear_message()
        elif result.mismatch is None:
            self.layout_message.show_info(layout_text(result))
        else:
            self.layout_message.show_error(layout_text(result))

    def _use(self) -> None:
        if self.result is not None and self.result.suggested_gap_ms is not None:
            self.use_gap.emit(self.result.suggested_gap_ms)
