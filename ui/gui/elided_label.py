"""A one-line label that gives way: it asks for its whole text's width, but takes less when the
window is narrow and shows the text cut with "…" (the whole text in its tooltip)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MIN_WIDTH = 48


class ElidedLabel(QLabel):
    def __init__(self, max_width: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._max_width = max_width
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self.updateGeometry()
        self._show_fitting()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()  # for the text shown now: what it adds around the text
        metrics = self.fontMetrics()
        around = hint.width() - metrics.horizontalAdvance(super().text())
        width = metrics.horizontalAdvance(self._full) + around
        if self._max_width is not None:
            width = min(width, self._max_width)
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(MIN_WIDTH, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_fitting()

    def _show_fitting(self) -> None:
        room = max(self.contentsRect().width(), 0) or self.sizeHint().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")
