"""The back office's Sync page: this till's link to its hub (where, when it last synced, what went
wrong, what is waiting), Sync now, and the conflicts sync found, in plain words. Everyone sees the
link; only a manager sees the conflicts (a cashier is told to ask one).

A manager acknowledges the chosen conflict with Acknowledge or Ctrl+K: marked here on the database
worker, then a sync tells the hub and the other tills (a conflict.acknowledged event). The row
then shows who acknowledged it and when, greyed; a refusal shows in words under the list."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.i18n import moment, tr
from posapp.models import Role
from posapp.services.context import Actor
from sync.conflicts import ConflictRow, acknowledge, list_conflicts
from ui.gui.backoffice.widgets import (
    MessageLabel,
    error_message,
    push_button,
    select_row,
    table_view,
)
from ui.gui.hub.conflicts import (
    ACKNOWLEDGED_COLUMN,
    SUMMARY_COLUMN,
    ConflictsModel,
    acknowledged_text,
    conflict_columns,
)
from ui.gui.hub.driver import SyncDriver, SyncState
from ui.gui.hub.indicator import headline
from ui.gui.operations import Operations
from ui.gui.style import scaled_font

ACKNOWLEDGE_KEY = "Ctrl+K"


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
        self.acknowledge_button = push_button(tr("Acknowledge (Ctrl+K)"), self)
        self.acknowledge_button.setToolTip(
            tr("Mark the chosen conflict as dealt with, here, at the hub and on every till")
        )
        self.acknowledge_message = MessageLabel(self)
        self._acknowledging = False
        self._lay_out()
        self._connect_acknowledge()
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
        bar = QHBoxLayout()
        bar.addWidget(self.acknowledge_button)
        bar.addWidget(self.acknowledge_message, 1)
        layout.addLayout(bar)
        self.setFocusProxy(self.sync_button)

    def _connect_acknowledge(self) -> None:
        self.acknowledge_button.clicked.connect(self.acknowledge_chosen)
        shortcut = QShortcut(QKeySequence(ACKNOWLEDGE_KEY), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.acknowledge_chosen)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())

    @property
    def is_manager(self) -> bool:
        return self._actor.role is Role.MANAGER

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: only a manager sees the conflicts."""
        self._actor = actor
        self.table.setVisible(self.is_manager)
        self.acknowledge_button.setVisible(self.is_manager)
        self.acknowledge_message.clear_message()
        self._enable()
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
        """The list again (after each sync too): the chosen conflict stays chosen."""
        if not self.is_manager:
            return
        chosen = self.chosen()
        self.model.set_rows(rows)
        if chosen is not None:
            select_row(self.table, self.model.position_of(chosen.id))
        self._enable()
        self._fit_acknowledged()
        if not rows:
            self.message.show_info(tr("Sync has found no conflicts."))
        else:
            self.message.clear_message()

    def _fit_acknowledged(self) -> None:
        """The columns fit the first rows; "who and when" widens when it comes later."""
        table, column = self.table, ACKNOWLEDGED_COLUMN
        needed = max(
            table.sizeHintForColumn(column), table.horizontalHeader().sectionSizeHint(column)
        )
        if table.columnWidth(column) < needed:
            table.setColumnWidth(column, needed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    # -- acknowledging -------------------------------------------------------------------------

    def chosen(self) -> ConflictRow | None:
        """The conflict chosen in the list, if any."""
        selected = self.table.selectionModel().selectedRows()
        return self.model.row_at(selected[0].row()) if selected else None

    def _enable(self) -> None:
        chosen = self.chosen()
        self.acknowledge_button.setEnabled(
            self.is_manager
            and not self._acknowledging
            and chosen is not None
            and not chosen.acknowledged
        )

    def acknowledge_chosen(self) -> None:
        """Acknowledge (Ctrl+K): the chosen conflict is dealt with, on the database worker."""
        if not self.is_manager or self._acknowledging:
            return
        chosen = self.chosen()
        if chosen is None:
            self.acknowledge_message.show_note(tr("Choose a conflict in the list first."))
            return
        if chosen.acknowledged_at is not None:
            self.acknowledge_message.show_note(acknowledged_text(chosen))
            return
        db, actor, conflict_id = self._db, self._actor, chosen.id
        self._acknowledging = True
        self._enable()
        self._ops.run(
            lambda: acknowledge(db, actor, conflict_id),
            success=self._acknowledged,
            failure=self._acknowledge_failed,
        )

    def _acknowledged(self, row: ConflictRow) -> None:
        self._acknowledging = False
        self.acknowledge_message.show_info(
            tr(
                "{acknowledged} The hub and the other tills learn it at the next sync.",
                acknowledged=acknowledged_text(row),
            )
        )
        self.refresh()
        self._driver.sync_now()  # tell the hub now; its end reads the list and status again

    def _acknowledge_failed(self, error: Exception) -> None:
        self._acknowledging = False
        self._enable()
        self.acknowledge_message.show_error(error_message(error))
        self.refresh()
