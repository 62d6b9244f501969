"""Consignors: the list with their numbers, splits and items on the floor; add a consignor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
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
        self.form = ConsignorForm(self)
        self.form.setMinimumWidth(320)
        left = QVBoxLayout()
        left.addWidget(self.list_message)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignTop)
        self.setFocusProxy(self.form.name)
        self.form.submitted.connect(self.submit)
        self.form.submit_button.clicked.connect(self.submit)
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
