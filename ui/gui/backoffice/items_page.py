"""Items: search as you type (barcode, name, consignor number or name), add and edit."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from posapp import labels
from posapp.db import Database
from posapp.i18n import day, money, tr
from posapp.models import ItemStatus
from posapp.services.catalog import (
    ConsignorRow,
    ItemRow,
    NewItem,
    add_item,
    count_items,
    edit_item,
    list_consignors,
    list_items,
    next_item_barcode,
)
from posapp.services.context import Actor
from posapp.services.errors import PosError
from ui.gui.backoffice.item_form import ItemChanges, ItemForm
from ui.gui.backoffice.models import ChunkedModel, Column
from ui.gui.backoffice.widgets import MessageLabel, SearchBox, error_message, select_row, table_view
from ui.gui.operations import Operations

STRETCH = 1  # the column that takes the spare width


def item_columns(currency: str) -> list[Column[ItemRow]]:
    def gone(row: ItemRow) -> bool:
        return row.status is not ItemStatus.AVAILABLE

    def consignor(row: ItemRow) -> str:
        if not row.consignor_number:
            return ""
        return tr("{number} {name}", number=row.consignor_number, name=row.consignor_name or "")

    def split(row: ItemRow) -> str:
        return labels.percent(row.split_bp) if row.split_bp is not None else ""

    return [
        Column(tr("Barcode"), lambda r: r.barcode, muted=gone),
        Column(tr("Name"), lambda r: r.name, muted=gone),
        Column(tr("Price"), lambda r: money(r.price, currency), numeric=True, muted=gone),
        Column(tr("Qty"), lambda r: str(r.quantity), numeric=True, muted=gone),
        Column(tr("Status"), lambda r: labels.item_status(r.status), muted=gone),
        Column(tr("Kind"), lambda r: labels.item_kind(r.kind), muted=gone),
        Column(tr("Consignor"), consignor, muted=gone),
        Column(tr("Split"), split, numeric=True, muted=gone),
        Column(tr("Category"), lambda r: r.category or "", muted=gone),
        Column(tr("Intake"), lambda r: day(r.intake_date) if r.intake_date else "", muted=gone),
    ]


def add_new_item(db: Database, actor: Actor, new: NewItem) -> tuple[int, str]:
    """Runs on the worker: a free barcode when none was typed, then the item. (id, barcode)."""
    if not new.barcode:
        new = replace(new, barcode=next_item_barcode(db))
    return add_item(db, actor, new), new.barcode


class ItemsPage(QWidget):
    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._actor = db, ops, actor
        self._search = ""
        self._select_after_load: int | None = None
        self._shown_before = False
        self.search_box = SearchBox(tr("Search barcode, name, consignor number or name"), self)
        self.count_label = QLabel(self)
        self.list_message = MessageLabel(self)
        self.model: ChunkedModel[ItemRow] = ChunkedModel(
            item_columns(actor.currency), lambda r: r.id, ops, parent=self
        )
        self.table = table_view(self.model, STRETCH, self)
        self.form = ItemForm(actor.currency, self)
        self.form.setMinimumWidth(360)
        self._lay_out()
        self.search_box.search_changed.connect(self.search)
        self.model.loaded.connect(self._rows_loaded)
        self.model.failed.connect(self.list_message.show_error)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._chosen())
        self.form.submitted.connect(self.submit)
        self.form.submit_button.clicked.connect(self.submit)
        self.search("")
        self._ops.run(lambda: list_consignors(self._db), success=self._consignors_loaded)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.count_label)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.list_message)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignTop)
        self.setFocusProxy(self.search_box)

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: act as them from now on."""
        self._actor = actor

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown_before:
            self.refresh()
        self._shown_before = True

    def refresh(self) -> None:
        """Fetch again what is shown (statuses change with sales and refunds elsewhere)."""
        self.model.refresh()
        self._count()
        self._ops.run(lambda: list_consignors(self._db), success=self._consignors_loaded)

    def _consignors_loaded(self, rows: list[ConsignorRow]) -> None:
        self.form.set_consignors(rows)

    def search(self, text: str) -> None:
        self._search = text
        db = self._db
        self.model.load(lambda offset, limit: list_items(db, text or None, limit, offset))
        self._count()

    def _count(self) -> None:
        db, text = self._db, self._search
        self._ops.run(lambda: count_items(db, text or None), success=self._show_count)

    def _show_count(self, count: int) -> None:
        if count == 0 and self._search:
            self.count_label.setText(tr("No items match '{typed}'.", typed=self._search))
        else:
            self.count_label.setText(
                tr("1 item") if count == 1 else tr("{count} items", count=labels.number(count))
            )

    def _rows_loaded(self) -> None:
        self.list_message.clear_message()
        if self._select_after_load is not None:
            select_row(self.table, self.model.position_of(self._select_after_load))
            self._select_after_load = None

    def _chosen(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.form.start_edit(self.model.row_at(index.row()))

    def submit(self) -> None:
        try:
            if self.form.editing is None:
                self._add(self.form.read_new_item())
            else:
                self._save(self.form.read_changes())
        except PosError as error:
            self.form.message.show_error(error.message)

    def _add(self, new: NewItem) -> None:
        db, actor = self._db, self._actor
        self.form.submit_button.setEnabled(False)
        self._ops.run(
            lambda: add_new_item(db, actor, new),
            success=lambda added: self._added(new.name, *added),
            failure=self._failed,
        )

    def _added(self, name: str, item_id: int, barcode: str) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.start_new()
        self.form.message.show_info(tr("Added {name} ({barcode}).", name=name, barcode=barcode))
        self.refresh()

    def _save(self, changes: ItemChanges) -> None:
        db, actor = self._db, self._actor
        self.form.submit_button.setEnabled(False)
        self._ops.run(
            lambda: edit_item(
                db,
                actor,
                changes.item_id,
                name=changes.name,
                price=changes.price,
                category=changes.category,
            ),
            success=lambda _none: self._saved(changes),
            failure=self._failed,
        )

    def _saved(self, changes: ItemChanges) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.message.show_info(tr("Saved {name}.", name=changes.name))
        self._select_after_load = changes.item_id
        self.model.refresh()

    def _failed(self, error: Exception) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.message.show_error(error_message(error))
