"""The status-bar badge: '⚠ 3 low stock', hidden when nothing is low. Light to import: the
main window shows it from the start."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from posapp.db import Database
from posapp.i18n import tr
from posapp.services.stock_alerts import list_alerts
from ui.gui.operations import Operations

log = logging.getLogger(__name__)


class StockBadge(QLabel):
    """'⚠ 3 low stock' in the status bar, hidden when nothing is low; a click asks for the list
    (``clicked``). Call ``refresh()`` after a sale or a count commit."""

    clicked = Signal()

    def __init__(self, db: Database, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ops = db, ops
        self.count = 0
        self.setObjectName("stockBadge")
        self.setStyleSheet(
            "QLabel#stockBadge { color: #7c2d12; background: #ffedd5; border: 1px solid #fb923c;"
            " border-radius: 4px; padding: 1px 8px; font-weight: bold; }"
        )
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()

    def refresh(self) -> None:
        db = self._db
        self._ops.run(lambda: len(list_alerts(db)), success=self.show_count, failure=self._failed)

    def show_count(self, count: int) -> None:
        self.count = count
        self.setText(tr("⚠ {n} low stock", n=count))
        self.setToolTip(tr("Items and categories at or below their alert level"))
        self.setVisible(count > 0)

    def _failed(self, error: Exception) -> None:
        log.warning("low-stock count failed: %s", error)  # the badge keeps what it showed

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)
