"""A label for big amounts: its font shrinks so the whole amount always shows."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class FittedLabel(QLabel):
    """A label whose font shrinks (never grows past its size) so the whole amount shows."""

    def __init__(self, font: QFont, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = font
        self.setFont(font)
        self.setMinimumWidth(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = QFont(self._full)
        room = self.contentsRect().width()
        needed = QFontMetrics(font).horizontalAdvance(self.text())
        if room > 0 and needed > room:
            font.setPointSizeF(max(font.pointSizeF() * room / needed, 6.0))
        if font != self.font():
            self.setFont(font)
