"""Items: search as you type (barcode, name, consignor number or name), add and edit, print
tags for the chosen items (or for every item on sale that the search finds), and hold the chosen
item for a customer or release its hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

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
from posapp.services.errors import NotFound, PosError
from posapp.services.holds import HoldDone, held_phrase, hold_item, release_hold
from posapp.services.item_tags import TAGGABLE, ItemTag, tags_to_print
from printing.item_tags import ROLLS, tag_roll_pdf, tag_sheet_pdf
from printing.layouts import find_layout
from ui.gui.backoffice.hold_bar import HoldBar
from ui.gui.backoffice.item_form import ItemChanges, ItemForm
from ui.gui.backoffice.models import ChunkedModel, Column
from ui.gui.backoffice.widgets import (
    MessageLabel,
    SearchBox,
    error_message,
    push_button,
    select_row,
    table_view,
)
from ui.gui.operations import Operations
from ui.gui.printing import PrintPreview, PrintRequest, tag_layouts
from ui.gui.printing.request import file_name

EAN_PREFIXES = ("2",)  # in-store 13-digit barcodes starting with these print as EAN-13

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


def tags_for_search(db: Database, search: str) -> list[ItemTag]:
    """Runs on the worker: tags for every item on sale that ``search`` finds (all when empty)."""
    if not search:
        return tags_to_print(db)
    rows = list_items(db, search, count_items(db, search))
    barcodes = [row.barcode for row in reversed(rows) if row.status in TAGGABLE]
    if not barcodes:
        raise NotFound(tr("No items on sale match '{typed}'.", typed=search))
    return tags_to_print(db, barcodes)


def tags_pdf(tags: list[ItemTag], layout: str) -> bytes:
    if layout in ROLLS:
        return tag_roll_pdf(tags, layout, EAN_PREFIXES)
    return tag_sheet_pdf(tags, find_layout(layout), EAN_PREFIXES)


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
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tags_button = push_button(tr("Print tags… (Ctrl+P)"), self)
        self.tags_button.setToolTip(
            tr(
                "Tags for the chosen items (Ctrl+click or Shift+click to choose more); with none "
                "chosen, for every item on sale that the search finds."
            )
        )
        self.preview: PrintPreview | None = None
        self.holds = HoldBar(self)
        self.form = ItemForm(actor.currency, self)
        self.form.setMinimumWidth(360)
        self._lay_out()
        self.search_box.search_changed.connect(self.search)
        self.model.loaded.connect(self._rows_loaded)
        self.model.failed.connect(self.list_message.show_error)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._chosen())
        self.form.submitted.connect(self.submit)
        self.form.submit_button.clicked.connect(self.submit)
        self.tags_button.clicked.connect(self.print_tags)
        self.holds.hold_requested.connect(self.hold)
        self.holds.release_requested.connect(self.release)
        print_keys = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        print_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_keys.activated.connect(self.print_tags)
        self.search("")
        self._ops.run(lambda: list_consignors(self._db), success=self._consignors_loaded)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.tags_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.list_message)
        left.addWidget(self.table, 1)
        left.addWidget(self.holds)
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

    def submit_scan(self, code: str) -> None:
        """A scanned tag finds its item, unless a field of the item form is being filled in
        (a new item's barcode): then the code goes into that field, as typed."""
        focus = QApplication.focusWidget()
        if (
            isinstance(focus, QLineEdit)
            and focus is not self.search_box
            and self.isAncestorOf(focus)
            and not focus.isReadOnly()
        ):
            focus.insert(code)
            return
        self.search_box.setText(code)
        self.search(code)

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
            row = self.model.row_at(index.row())
            self.form.start_edit(row)
            self.holds.set_item(row)
        else:
            self.holds.set_item(None)

    def hold(self, barcode: str, card: str, until: date | None, note: str) -> None:
        """Put the chosen item aside (on the worker); the list then shows it reserved."""
        db, actor = self._db, self._actor
        self.holds.busy(True)
        self._ops.run(
            lambda: hold_item(db, actor, barcode, card or None, until, note),
            success=self._held,
            failure=self._hold_failed,
        )

    def _held(self, done: HoldDone) -> None:
        self.holds.close_fields()
        text = tr("{name} is {held}.", name=done.name, held=held_phrase(done.hold))
        self._hold_done(text, done.barcode)

    def release(self, barcode: str) -> None:
        db, actor = self._db, self._actor
        self.holds.busy(True)
        self._ops.run(
            lambda: release_hold(db, actor, barcode),
            success=lambda done: self._hold_done(
                tr("{name} is on sale again.", name=done.name), done.barcode
            ),
            failure=self._hold_failed,
        )

    def _hold_done(self, text: str, barcode: str) -> None:
        self.holds.busy(False)
        self.holds.message.show_info(text)
        index = self.table.currentIndex()
        if index.isValid() and self.model.row_at(index.row()).barcode == barcode:
            self._select_after_load = self.model.row_at(index.row()).id
        self.model.refresh()

    def _hold_failed(self, error: Exception) -> None:
        self.holds.busy(False)
        self.holds.message.show_error(error_message(error))

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
                markdown=changes.markdown,
            ),
            success=lambda _none: self._saved(changes),
            failure=self._failed,
        )

    def _saved(self, changes: ItemChanges) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.message.show_info(tr("Saved {name}.", name=changes.name))
        self._select_after_load = changes.item_id
        self.model.refresh()

    def chosen_barcodes(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row_at(row).barcode for row in rows]

    def print_tags(self) -> None:
        """Preview tags for the chosen items, or for the items on sale the search finds."""
        db, barcodes, search = self._db, self.chosen_barcodes(), self._search
        self.tags_button.setEnabled(False)
        self.list_message.show_note(tr("Preparing the tags…"))
        if barcodes:
            self._ops.run(
                lambda: tags_to_print(db, barcodes),
                success=self._preview_tags,
                failure=self._no_tags,
            )
        else:
            self._ops.run(
                lambda: tags_for_search(db, search),
                success=self._preview_tags,
                failure=self._no_tags,
            )

    def _preview_tags(self, tags: list[ItemTag]) -> None:
        self.tags_button.setEnabled(True)
        self.list_message.clear_message()
        request = PrintRequest(
            title=tr("1 tag") if len(tags) == 1 else tr("{count} tags", count=len(tags)),
            file_name=file_name("tags", tags[0].barcode) if len(tags) == 1 else "tags.pdf",
            build=lambda layout: tags_pdf(tags, layout),
            layouts=tag_layouts(),
        )
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = PrintPreview.show_request(request, self._ops, self)
        self.preview.handed_over.connect(self.list_message.show_info)

    def _no_tags(self, error: Exception) -> None:
        self.tags_button.setEnabled(True)
        self.list_message.show_error(error_message(error))

    def _failed(self, error: Exception) -> None:
        self.form.submit_button.setEnabled(True)
        self.form.message.show_error(error_message(error))
