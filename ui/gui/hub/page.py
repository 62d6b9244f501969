"""The back office's Sync page: this till's link to its hub (where, when it last synced, what went
wrong, what is waiting), Sync now, and the conflicts sync found, in plain words. Everyone sees the
link; only a manager sees the conflicts (a cashier is told to ask one)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.i18n import moment, tr
from posapp.models import Role
from posapp.services.context import Actor
from sync.conflicts import ConflictRow, kind_word, list_conflicts, summary
from ui.gui.backoffice.models import Column, RowsModel
from ui.gui.backoffice.widgets import MessageLabel, error_message, push_button, table_view
from ui.gui.hub.driver import SyncDriver, SyncState
from ui.gui.hub.indicator import headline
from ui.gui.operations import Operations
from ui.gui.style import scaled_font

SUMMARY_COLUMN = 3
TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole


def conflict_columns() -> list[Column[ConflictRow]]:
    def acknowledged(row: ConflictRow) -> str:
        if row.acknowledged_at is None:
            return ""
        return tr("{time} by {name}", time=moment(row.acknowledged_at), name=row.acknowledged_by)

    return [
        Column(tr("Found"), lambda r: moment(r.found_at), muted=lambda r: r.acknowledged),
        Column(tr("What"), lambda r: kind_word(r.kind), muted=lambda r: r.acknowledged),
        Column(tr("Coupon or item"), lambda r: r.subject, muted=lambda r: r.acknowledged),
        Column(tr("What happened"), summary, muted=lambda r: r.acknowledged),
        Column(tr("Acknowledged"), acknowledged, muted=lambda r: r.acknowledged),
    ]


class ConflictsModel(RowsModel[ConflictRow]):
    """The conflicts; a cell cut short shows whole in its tooltip."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == TOOLTIP_ROLE:
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)


def _when(value: datetime | None) -> str:
    return moment(value) if value is not None else tr("never")


class SyncPage(QWidget):
    def __init__(
        self,
        db: Database,
        ops: Operations,
        driver: SyncDriver,
        actor: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._driver, self._actor = db, ops, driver, actor
        self.title = QLabel(tr("Sync with the hub"), self)
        self.title.setFont(scaled_font(self.font(), 1.3, bold=True))
        self.state = QLabel(self)
        self.state.setFont(scaled_font(self.font(), 1.1, bold=True))
        self.sync_button = push_button(tr("Sync now (F12)"), self)
        self.sync_button.clicked.connect(driver.sync_now)
        self.fields: dict[str, QLabel] = {}
        self.message = MessageLabel(self)
        self.conflicts_title = QLabel(tr("Conflicts"), self)
        self.conflicts_title.setFont(scaled_font(self.font(), 1.1, bold=True))
        self.model = ConflictsModel(conflict_columns(), lambda r: r.id, self)
        self.table = table_view(self.model, SUMMARY_COLUMN, self)
        self.managers_only = MessageLabel(self)
        self._lay_out()
        driver.changed.connect(self._state_changed)
        if driver.state is not None:
            self.show_state(driver.state)
        self.set_actor(actor)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        top.addWidget(self.state, 1)
        top.addWidget(self.sync_button)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, title in (
            ("hub", tr("Hub")),
            ("success", tr("Last success")),
            ("attempt", tr("Last attempt")),
            ("error", tr("Last error")),
            ("waiting", tr("Changes waiting")),
            ("conflicts", tr("Open conflicts")),
            ("offline", tr("Offline since")),
        ):
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(tr("{title}:", title=title), value)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        layout.addWidget(self.conflicts_title)
        layout.addWidget(self.managers_only)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.sync_button)

    @property
    def is_manager(self) -> bool:
        return self._actor.role is Role.MANAGER

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: only a manager sees the conflicts."""
        self._actor = actor
        self.table.setVisible(self.is_manager)
        if self.is_manager:
            self.managers_only.clear_message()
        else:
            self.model.set_rows([])
            self.managers_only.show_note(
                tr("Only a manager can see sync conflicts. Ask a manager to sign in.")
            )

    # -- showing -------------------------------------------------------------------------------

    def _state_changed(self, state: SyncState) -> None:
        self.show_state(state)
        if not state.syncing and self.isVisible():
            self.refresh()

    def show_state(self, state: SyncState) -> None:
        found = state.status
        self.state.setText(headline(state)[0])
        self.sync_button.setEnabled(not state.syncing)
        values = {
            "hub": found.hub_url or "",
            "success": _when(found.last_success_at),
            "attempt": _when(found.last_attempt_at),
            "error": found.last_error or tr("none"),
            "waiting": str(found.waiting),
            "conflicts": str(found.open_conflicts),
            "offline": _when(found.offline_since) if found.offline_since else tr("no"),
        }
        for key, text in values.items():
            self.fields[key].setText(text)

    def refresh(self) -> None:
        if not self.is_manager:
            return
        db = self._db
        self._ops.run(
            lambda: list_conflicts(db),
            success=self._conflicts_loaded,
            failure=lambda e: self.message.show_error(error_message(e)),
        )

    def _conflicts_loaded(self, rows: list[ConflictRow]) -> None:
        if not self.is_manager:
            return
        self.model.set_rows(rows)
        if not rows:
            self.message.show_info(tr("Sync has found no conflicts."))
        else:
            self.message.clear_message()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
