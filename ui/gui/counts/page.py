"""The count screen: pick an open count or start one, then count by scanning.

Keyboard first: the scan entry has the focus; F2 start a count, F3 open counts, F4 report,
F5 quantity, Esc back to scanning. Scans from the scanner router come in through
``submit_scan``; they are recorded on the database worker in the order they were made
(``CountScans``), never dropped while it is busy. Commit and Cancel ask inline.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.db import Database
from posapp.i18n import tr
from posapp.services.catalog import list_consignors
from posapp.services.context import Actor
from posapp.services.count_list import (
    CountRow,
    TallyLine,
    count_tally,
    list_counts,
    scope_words,
)
from posapp.services.count_report import CountReport, count_report
from posapp.services.count_scan import CountScanned, scan_message
from posapp.services.counts import CountCommitted, cancel_count, commit_count, start_count
from posapp.services.stock import list_categories, list_locations
from ui.gui.backoffice.widgets import error_message, push_button
from ui.gui.counts.controller import CountScans, ScanRefused
from ui.gui.counts.counts_panel import CountsPanel, ScopeChoices
from ui.gui.counts.report_view import ReportView
from ui.gui.counts.scan_row import ScanRow
from ui.gui.counts.tally import EXPECTED, TallyModel, flags_text, tally_view
from ui.gui.operations import Operations
from ui.gui.style import scaled_font

SIDE_WIDTH = 340
TALLY, REPORT = 0, 1


def key_help() -> str:
    return tr(
        "Enter count · 12*CODE count 12 · F2 start a count · F3 open counts · F4 report · "
        "F5 quantity · Esc back to scanning"
    )


def count_title(row: CountRow) -> str:
    title = tr("Count {id}: {scope}", id=row.id, scope=scope_words(row.scope, row.scope_value))
    return tr("{title} · blind", title=title) if row.blind else title


def scope_choices(db: Database) -> ScopeChoices:
    """Runs on the worker: what each scope can be."""
    owners = [(c.number, c.name) for c in list_consignors(db)]
    return ScopeChoices(list_locations(db), list_categories(db), owners)


class CountPage(QWidget):
    count_committed = Signal(int)  # the count's id: stock changed, refresh the low-stock badge
    count_closed = Signal(int)  # committed or cancelled

    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._actor = db, ops, actor
        self.count: CountRow | None = None
        self._shown_before = False
        self._report_stale = False
        self.scans = CountScans(db, ops, actor, self)
        self.panel = CountsPanel(self)
        self.panel.setFixedWidth(SIDE_WIDTH)
        self.title = QLabel(tr("No count open on this screen"), self)
        self.title.setFont(scaled_font(self.font(), 1.3, bold=True))
        self.scan_row = ScanRow(self)
        self.tally = TallyModel(self)
        self.tally_table = tally_view(self.tally, self)
        self.refusals = QListWidget(self)
        self.refusals.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.refusals.setMaximumHeight(96)
        self.refusals.hide()
        self.report_button = push_button(tr("Report (F4)"), self)
        self.report = ReportView(actor.currency, self)
        self.report.set_role(actor.role)
        self.views = QStackedWidget(self)
        self._lay_out()
        self._connect()
        self._bind_keys()
        self.refresh_counts()
        self._ops.run(lambda: scope_choices(db), success=self.panel.form.set_choices)

    # -- building ------------------------------------------------------------------------------

    def _lay_out(self) -> None:
        scanning = QWidget(self)
        tally = QVBoxLayout(scanning)
        tally.setContentsMargins(0, 0, 0, 0)
        tally.addWidget(self.tally_table, 1)
        tally.addWidget(self.refusals)
        under = QHBoxLayout()
        under.addStretch(1)
        under.addWidget(self.report_button)
        tally.addLayout(under)
        self.views.addWidget(scanning)
        self.views.addWidget(self.report)
        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.scan_row)
        right.addWidget(self.views, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.panel)
        middle.addLayout(right, 1)
        keys = QLabel(key_help(), self)
        keys.setObjectName("keys")
        keys.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(middle, 1)
        layout.addWidget(keys)
        self.setFocusProxy(self.scan_row.entry)

    def _connect(self) -> None:
        self.scan_row.entry.scanned.connect(self._typed)
        self.scans.scanned.connect(self._scanned)
        self.scans.refused.connect(self._refused)
        self.scans.drained.connect(self._drained)
        self.panel.picked.connect(self.pick)
        self.panel.form.start.connect(self.start)
        self.report_button.clicked.connect(self.show_report)
        self.report.back.connect(self.show_tally)
        self.report.commit_confirmed.connect(self.commit)
        self.report.cancel_confirmed.connect(self.cancel)

    def _bind_keys(self) -> None:
        bindings: list[tuple[str, Callable[[], None]]] = [
            ("F2", self.focus_start),
            ("F3", self.panel.focus_list),
            ("F4", self.toggle_report),
            ("F5", self.focus_quantity),
            ("Esc", self.show_tally),
        ]
        for keys, action in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    # -- what the lead wires -------------------------------------------------------------------

    def submit_scan(self, code: str) -> None:
        """A scan from the scanner router (or the entry): counted with the quantity field's
        value, which goes back to 1."""
        self.scans.submit(code, self.scan_row.quantity.take())

    def focus_scan(self) -> None:
        self.scan_row.entry.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: act (and commit, or not) as them from now on."""
        self._actor = actor
        self.scans.actor = actor
        self.report.set_role(actor.role)

    def refresh_counts(self) -> None:
        db = self._db
        self._ops.run(lambda: list_counts(db, open_only=True), success=self._counts_loaded)

    # -- counts --------------------------------------------------------------------------------

    def _counts_loaded(self, rows: list[CountRow]) -> None:
        self.panel.show_counts(rows, self.count.id if self.count else None)

    def start(self, scope_text: str, blind: bool) -> None:
        db, actor = self._db, self._actor
        self.scans.starting = True
        self.panel.form.start_button.setEnabled(False)

        def open_it() -> tuple[int, list[CountRow]]:
            count_id = start_count(db, actor, scope_text, blind)
            return count_id, list_counts(db, open_only=True)

        self._ops.run(open_it, success=self._started, failure=self._not_started)

    def _started(self, result: tuple[int, list[CountRow]]) -> None:
        count_id, rows = result
        self.panel.form.start_button.setEnabled(True)
        self.panel.show_counts(rows, count_id)
        row = self.panel.row(count_id)
        assert row is not None
        self.pick(row)

    def _not_started(self, error: Exception) -> None:
        self.panel.form.start_button.setEnabled(True)
        self.panel.form.message.show_error(error_message(error))
        self.scans.start_failed()

    def pick(self, row: CountRow) -> None:
        """Count into ``row`` from now on: its tally so far, then the new scans."""
        self.count = row
        self.title.setText(count_title(row))
        self.tally.show_lines([], row.blind)
        self.tally_table.setColumnHidden(EXPECTED, row.blind)
        self.refusals.clear()
        self.refusals.hide()
        self.scans.switch_to(row.id)
        db = self._db
        self._ops.run(
            lambda: count_tally(db, row.id),
            success=lambda lines: self._tally_loaded(row, lines),
            owner=self,
        )
        self.scan_row.show_last(tr("Counting: scan the first item."), "idle")
        self.show_tally()

    def _tally_loaded(self, row: CountRow, lines: list[TallyLine]) -> None:
        if self.count == row:
            self.tally.show_lines(lines, row.blind)
            if lines:
                self.scan_row.show_last(tr("{n} codes counted so far.", n=len(lines)), "idle")

    def _close(self, message: str) -> None:
        closed = self.count
        self.count = None
        self.scans.switch_to(None)
        self.title.setText(tr("No count open on this screen"))
        self.tally.show_lines([], False)
        self.show_tally()
        self.scan_row.show_last(message, "ok")
        self.refresh_counts()
        if closed is not None:
            self.count_closed.emit(closed.id)
        self.focus_scan()

    # -- scans ---------------------------------------------------------------------------------

    def _typed(self, code: str, quantity: int) -> None:
        if quantity:
            self.scan_row.quantity.setValue(quantity)
        self.submit_scan(code)

    def _scanned(self, scanned: CountScanned) -> None:
        line = self.tally.add_scan(scanned)
        self.tally_table.selectRow(0)
        self.tally_table.scrollToTop()
        self.scan_row.show_last(scan_message(scanned), "check" if flags_text(line) else "ok")
        self._report_stale = True

    def _refused(self, refused: ScanRefused) -> None:
        text = tr("{code}: {reason}", code=refused.code, reason=refused.message)
        if refused.code in refused.message or not refused.code:
            text = refused.message
        self.scan_row.show_last(text, "refused")
        self.refusals.insertItem(0, text)
        self.refusals.show()

    def _drained(self) -> None:
        self.refresh_counts()  # the scans column
        if self._report_stale and self.views.currentIndex() == REPORT:
            self._load_report()

    # -- the report, commit and cancel ---------------------------------------------------------

    def toggle_report(self) -> None:
        if self.views.currentIndex() == REPORT:
            self.show_tally()
        else:
            self.show_report()

    def show_report(self) -> None:
        if self.count is None:
            self.scan_row.show_last(tr("Pick or start a count first (F3, F2)."), "refused")
            return
        self.views.setCurrentIndex(REPORT)
        self.panel.hide()  # the report's columns take the whole width
        self._load_report()
        self.report.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.report.commit_button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _load_report(self) -> None:
        assert self.count is not None
        db, actor, count_id = self._db, self._actor, self.count.id
        self._report_stale = False
        self.report.loading()
        self._ops.run(
            lambda: count_report(db, count_id, actor),
            success=self._report_loaded,
            failure=lambda error: self.report.show_unavailable(error_message(error)),
            owner=self,
        )

    def _report_loaded(self, report: CountReport) -> None:
        if self.count is not None and report.id == self.count.id:
            self.report.show_report(report)

    def show_tally(self) -> None:
        self.report.confirm.dismiss()
        self.views.setCurrentIndex(TALLY)
        self.panel.show()
        self.focus_scan()

    def commit(self) -> None:
        if self.count is None:
            return
        db, actor, count_id = self._db, self._actor, self.count.id
        self.report.commit_button.setEnabled(False)
        self._ops.run(
            lambda: commit_count(db, actor, count_id),
            success=lambda done: self._committed(count_id, done),
            failure=self._close_failed,
            owner=self,
        )

    def _committed(self, count_id: int, done: CountCommitted) -> None:
        self.report.set_role(self._actor.role)
        text = tr("Count {id} committed: {n} corrections ({missing} missing, {extra} extra).",
                  id=count_id, n=done.corrections, missing=done.missing,
                  extra=done.extra)  # fmt: skip
        left = done.left_for_review + done.outside_scope
        if left:
            text += " " + tr("{n} lines were left unchanged for review.", n=left)
        self._close(text)
        self.count_committed.emit(count_id)

    def cancel(self) -> None:
        if self.count is None:
            return
        db, actor, count_id = self._db, self._actor, self.count.id
        self._ops.run(
            lambda: cancel_count(db, actor, count_id),
            success=lambda _none: self._close(
                tr("Count {id} cancelled; no stock was changed.", id=count_id)
            ),
            failure=self._close_failed,
        )

    def _close_failed(self, error: Exception) -> None:
        self.report.set_role(self._actor.role)
        self.report.message.show_error(error_message(error))

    # -- focus ---------------------------------------------------------------------------------

    def focus_start(self) -> None:
        self.panel.form.scope.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_quantity(self) -> None:
        self.scan_row.quantity.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scan_row.quantity.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown_before:
            self.refresh_counts()
        self._shown_before = True
        self.focus_scan()
