"""Consignors: the list with their numbers, splits and items on the floor; add a consignor; the
chosen consignor's statement for a period (last month unless changed), previewed as a PDF."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from posapp import labels
from posapp.db import Database
from posapp.i18n import tr
from posapp.money import MoneyFormatError, parse_percent
from posapp.services.catalog import ConsignorRow, add_consignor, list_consignors
from posapp.services.context import Actor
from posapp.services.errors import InvalidInput, PosError
from posapp.services.statements import consignor_statement
from printing.statement_pdf import statement_pdf
from ui.gui.backoffice.models import Column, RowsModel
from ui.gui.backoffice.widgets import (
    FormBox,
    MessageLabel,
    error_message,
    push_button,
    select_row,
    table_view,
)
from ui.gui.operations import Operations
from ui.gui.printing import PrintPreview, PrintRequest
from ui.gui.printing.request import file_name

DEFAULT_SPLIT = "60"

STRETCH = 1  # the column that takes the spare width


def consignor_columns() -> list[Column[ConsignorRow]]:
    return [
        Column(tr("Number"), lambda r: r.number),
        Column(tr("Name"), lambda r: r.name),
        Column(tr("Phone"), lambda r: r.phone or ""),
        Column(tr("Split"), lambda r: labels.percent(r.default_split_bp), numeric=True),
        Column(tr("Items available"), lambda r: str(r.items_available), numeric=True),
    ]


class ConsignorForm(FormBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("New consignor"), parent)
        self.name = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.split = QLineEdit(DEFAULT_SPLIT, self)
        self.split.setPlaceholderText(tr("percent of the price paid to the consignor"))
        self.submit_button = push_button(tr("Add consignor"), self)
        self.message = MessageLabel(self)
        form = QFormLayout(self)
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Phone"), self.phone)
        form.addRow(tr("Split (%)"), self.split)
        form.addRow(self.submit_button)
        form.addRow(self.message)

    def read(self) -> tuple[str, str | None, int]:
        name = self.name.text().strip()
        if not name:
            raise InvalidInput(tr("Enter the consignor's name."))
        text = self.split.text().strip()
        try:
            split = parse_percent(text)
        except MoneyFormatError:
            raise InvalidInput(
                tr("The split '{typed}' is not a percentage between 0 and 100.", typed=text)
            ) from None
        return name, self.phone.text().strip() or None, split

    def clear(self) -> None:
        self.name.clear()
        self.phone.clear()
        self.split.setText(DEFAULT_SPLIT)


def last_month(today: date) -> tuple[date, date]:
    """The whole calendar month before ``today``'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def date_edit(value: date, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class StatementBar(QWidget):
    """From, to, and Statement… for the consignor chosen in the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        start, end = last_month(date.today())
        self.start = date_edit(start, self)
        self.end = date_edit(end, self)
        self.button = push_button(tr("Statement… (Ctrl+P)"), self)
        self.button.setToolTip(tr("The chosen consignor's statement for the period, as a PDF"))
        start_label = QLabel(tr("Statement &from"), self)
        start_label.setBuddy(self.start)
        end_label = QLabel(tr("&to"), self)
        end_label.setBuddy(self.end)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (start_label, self.start, end_label, self.end, self.button):
            layout.addWidget(widget)
        layout.addStretch(1)

    def period(self) -> tuple[date, date]:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        if end < start:
            raise InvalidInput(tr("The period ends before it starts."))
        return start, end


class ConsignorsPage(QWidget):
    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._actor = db, ops, actor
        self.model: RowsModel[ConsignorRow] = RowsModel(consignor_columns(), lambda r: r.number)
        self.model.setParent(self)
        self.table = table_view(self.model, STRETCH, self)
        self.list_message = MessageLabel(self)
        self.statement = StatementBar(self)
        self.preview: PrintPreview | None = None
        self.form = ConsignorForm(self)
        self.form.setMinimumWidth(320)
        left = QVBoxLayout()
        left.addWidget(self.list_message)
        left.addWidget(self.table, 1)
        left.addWidget(self.statement)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignTop)
        self.setFocusProxy(self.form.name)
        self.form.submitted.connect(self.submit)
        self.form.submit_button.clicked.connect(self.submit)
        self.statement.button.clicked.connect(self.print_statement)
        print_keys = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        print_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_keys.activated.connect(self.print_statement)
        self._select_number: str | None = None
        self.refresh()

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: act as them from now on."""
        self._actor = actor

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        db = self._db
        self._ops.run(
            lambda: list_consignors(db),
            success=self._loaded,
            failure=lambda e: self.list_message.show_error(error_message(e)),
        )

    def _loaded(self, rows: list[ConsignorRow]) -> None:
        self.list_message.clear_message()
        self.model.set_rows(rows)
        if self._select_number is not None:
            select_row(self.table, self.model.position_of(self._select_number))
            self._select_number = None

    def current(self) -> ConsignorRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def print_statement(self) -> None:
        """Preview the chosen consignor's statement for the period, to print or save."""
        consignor = self.current()
        if consignor is None:
            self.list_message.show_error(tr("Choose a consignor in the list first."))
            return
        try:
            start, end = self.statement.period()
        except PosError as error:
            self.list_message.show_error(error.message)
            return
        db, number = self._db, consignor.number
        request = PrintRequest(
            title=tr(
                "Statement for consignor {number}, {start} to {end}",
                number=number,
                start=start.isoformat(),
                end=end.isoformat(),
            ),
            file_name=file_name("statement", number, start.isoformat(), end.isoformat()),
            build=lambda _layout: statement_pdf(consignor_statement(db, number, start, end)),
        )
        self.list_message.clear_message()
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = PrintPreview.show_request(request, self._ops, self)
        self.preview.handed_over.connect(self.list_message.show_info)

    def submit(self) -> None:
        try:
            name, phone, split = self.form.read()
        except PosError as error:
            self.form.message.show_error(error.message)
            return
        db, actor = self._db, self._actor
        self.form.submit_button.setEnabled(False)
        self._ops.run(
            lambda: add_consignor(db, actor, name, phone, split),
            success=lambda number: self._added(name, number),
            failure=self._failed,
        )

    def _added(self, name: str, number: str) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.clear()
        self.form.message.show_info(
            tr("Added {name} as consignor {number}.", name=name, number=number)
        )
        self._select_number = number
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.message.show_error(error_message(error))
