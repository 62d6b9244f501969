"""The back-office widget: one page per subject, switched with Ctrl+1..4."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.services.context import Actor
from ui.gui.operations import Operations


class BackOfficeWidget(QWidget):
    """Items, consignors, campaigns and coupons, and sales history, each on its own page."""

    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._ops = ops
        self._actor = actor
        self.pages = QTabWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
