"""Low stock: the alert list (items and categories at or below their level, stock items sold
out). The status-bar badge that says how many there are is in badge.py."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.i18n import tr
from posapp.services.stock_alerts import StockAlert, list_alerts
from ui.gui.backoffice.models import Column, RowsModel
from ui.gui.backoffice.widgets import MessageLabel, error_message, push_button, table_view
from ui.gui.operations import Operations
from ui.gui.style import scaled_font


def alert_columns() -> list[Column[StockAlert]]:
    def level(alert: StockAlert) -> str:
        return tr("sold out") if alert.minimum is None else str(alert.minimum)

    return [
        Column(tr("Item or category"), lambda a: a.name),
        Column(tr("Barcode"), lambda a: a.barcode or tr("(whole category)")),
        Column(tr("Category"), lambda a: a.category or ""),
        Column(tr("On hand"), lambda a: str(a.on_hand), numeric=True),
        Column(tr("Alert at"), level, numeric=True),
    ]


class AlertsPage(QWidget):
    """The low-stock list; refreshed when shown, on F5 and by ``refresh()``."""

    loaded = Signal(int)  # how many alerts are listed

    def __init__(self, db: Database, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ops = db, ops
        self.title = QLabel(tr("Low stock"), self)
        self.title.setFont(scaled_font(self.font(), 1.3, bold=True))
        self.summary = QLabel(self)
        self.refresh_button = push_button(tr("Refresh (F5)"), self)
        self.model: RowsModel[StockAlert] = RowsModel(
            alert_columns(), lambda a: (a.barcode, a.name), self
        )
        self.table = table_view(self.model, 0, self)
        self.message = MessageLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        self.refresh_button.clicked.connect(self.refresh)
        shortcut = QShortcut(QKeySequence("F5"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.refresh)
        self.refresh()

    @property
    def alerts(self) -> list[StockAlert]:
        return self.model.rows

    def refresh(self) -> None:
        db = self._db
        self._ops.run(lambda: list_alerts(db), success=self._loaded, failure=self._failed)

    def _loaded(self, alerts: list[StockAlert]) -> None:
        self.message.clear_message()
        self.model.set_rows(alerts)
        if alerts:
            self.summary.setText(tr("{n} at or below their alert level.", n=len(alerts)))
        else:
            self.summary.setText(tr("No low stock."))
        self.loaded.emit(len(alerts))

    def _failed(self, error: Exception) -> None:
        self.message.show_error(error_message(error))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
