"""The item form: add a consigned or stock item, or edit an item's name, price, category and
markdown (a percentage off from a day on; an empty percentage means none).

Reading the form checks what was typed (money, split, consignor) and raises
:class:`~posapp.services.errors.InvalidInput` with a plain sentence; nothing is saved then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from posapp import labels
from posapp.i18n import minor_digits, tr
from posapp.models import ItemKind
from posapp.money import MoneyFormatError, parse_amount, parse_percent
from posapp.services.catalog import ConsignorRow, ItemRow, Markdown, NewItem
from posapp.services.errors import InvalidInput
from ui.gui.backoffice.widgets import FormBox, MessageLabel, push_button


@dataclass(frozen=True)
class ItemChanges:
    item_id: int
    name: str
    price: int
    category: str
    markdown: Markdown | None = None


def plain_amount(amount: int, currency: str) -> str:
    """An amount as typed into a field: 12000 -> '120.00' (no symbol, no grouping)."""
    digits = minor_digits(currency)
    return f"{Decimal(amount).scaleb(-digits):.{digits}f}"


def read_price(text: str, currency: str) -> int:
    if not text.strip():
        raise InvalidInput(tr("Enter a price."))
    try:
        return parse_amount(text, minor_digits(currency))
    except MoneyFormatError:
        raise InvalidInput(
            tr("The price '{typed}' is not an amount of money, e.g. 12.50.", typed=text)
        ) from None


class ItemForm(FormBox):
    """Add a new item, or edit the one chosen in the list."""

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._currency = currency
        self._consignors: dict[str, ConsignorRow] = {}
        self.editing: ItemRow | None = None
        self._build()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.consignor.textChanged.connect(self._show_consignor)
        self.new_button.clicked.connect(self.start_new)
        self.start_new()

    def _build(self) -> None:
        self.kind = QComboBox(self)
        self.kind.addItem(tr("Consigned item (one of a kind)"), ItemKind.CONSIGNED)
        self.kind.addItem(tr("Stock item (with a quantity)"), ItemKind.STOCK)
        self.barcode = QLineEdit(self)
        self.barcode.setPlaceholderText(tr("Scan the tag, or leave empty for a new one"))
        self.name = QLineEdit(self)
        self.price = QLineEdit(self)
        self.price.setPlaceholderText(tr("e.g. 120.00"))
        self.category = QLineEdit(self)
        self.consignor = QLineEdit(self)
        self.consignor.setPlaceholderText(tr("6-digit consignor number"))
        self.consignor_hint = QLabel(self)
        self.consignor_hint.setWordWrap(True)
        self.split = QLineEdit(self)
        self.quantity = QSpinBox(self)
        self.quantity.setRange(0, 1_000_000)
        self.markdown_percent = QLineEdit(self)
        self.markdown_percent.setPlaceholderText(tr("none, or a percentage off, e.g. 30"))
        self.markdown_from = QDateEdit(QDate.currentDate(), self)
        self.markdown_from.setCalendarPopup(True)
        self.markdown_from.setDisplayFormat("yyyy-MM-dd")
        self.submit_button = push_button(parent=self)
        self.new_button = push_button(tr("New item"), self)
        self.message = MessageLabel(self)
        form = QFormLayout(self)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Barcode"), self.barcode)
        form.addRow(tr("Name"), self.name)
        form.addRow(tr("Price"), self.price)
        form.addRow(tr("Category"), self.category)
        form.addRow(tr("Consignor"), self.consignor)
        form.addRow("", self.consignor_hint)
        form.addRow(tr("Split to consignor"), self.split)
        form.addRow(tr("Quantity"), self.quantity)
        markdown = QHBoxLayout()
        markdown.addWidget(self.markdown_percent, 1)
        markdown.addWidget(QLabel(tr("from"), self))
        markdown.addWidget(self.markdown_from, 1)
        form.addRow(tr("Markdown"), markdown)
        buttons = QHBoxLayout()
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        form.addRow(self.message)
        self._form = form

    def set_consignors(self, rows: list[ConsignorRow]) -> None:
        self._consignors = {row.number: row for row in rows}
        self._show_consignor()

    def start_new(self) -> None:
        """Empty the form for a new item."""
        self.editing = None
        self.setTitle(tr("New item"))
        self.submit_button.setText(tr("Add item"))
        for field in (self.barcode, self.name, self.price, self.category, self.consignor):
            field.clear()
        self.split.clear()
        self.quantity.setValue(1)
        self._show_markdown(None)
        self._set_locked(False)
        self._kind_changed()
        self.message.clear_message()

    def start_edit(self, row: ItemRow) -> None:
        """Fill the form with ``row``; only name, price and category can change."""
        self.setTitle(tr("Edit item {barcode}", barcode=row.barcode))
        self.submit_button.setText(tr("Save changes"))
        self.kind.setCurrentIndex(self.kind.findData(row.kind))
        self.barcode.setText(row.barcode)
        self.name.setText(row.name)
        self.price.setText(plain_amount(row.price, self._currency))
        self.category.setText(row.category or "")
        self.consignor.setText(row.consignor_number or "")
        self.split.setText(labels.percent(row.split_bp) if row.split_bp is not None else "")
        self.quantity.setValue(row.quantity)
        self._show_markdown(row.markdown)
        if self.editing is None or self.editing.id != row.id:
            self.message.clear_message()
        self.editing = row
        self._set_locked(True)

    def _show_markdown(self, markdown: Markdown | None) -> None:
        self.markdown_percent.setText(labels.percent(markdown.percent_bp) if markdown else "")
        self.markdown_from.setDate(QDate(markdown.on) if markdown else QDate.currentDate())

    def read_markdown(self) -> Markdown | None:
        """The markdown typed: None when the percentage is empty."""
        text = self.markdown_percent.text().strip()
        if not text:
            return None
        try:
            percent = parse_percent(text)
        except MoneyFormatError:
            raise InvalidInput(
                tr("The markdown '{typed}' is not a percentage between 0 and 100.", typed=text)
            ) from None
        start = self.markdown_from.date().toPython()
        assert isinstance(start, date)
        return Markdown(start, percent)

    def _set_locked(self, locked: bool) -> None:
        """In edit mode, what only stock movements or intake decide is shown but not editable."""
        for widget in (self.kind, self.barcode, self.consignor, self.split, self.quantity):
            widget.setEnabled(not locked)
        if not locked:
            self._kind_changed()

    def _kind_changed(self) -> None:
        consigned = self.kind.currentData() is ItemKind.CONSIGNED
        editable = self.editing is None
        self.consignor.setEnabled(consigned and editable)
        self.split.setEnabled(consigned and editable)
        self.quantity.setEnabled(not consigned and editable)
        if consigned:
            self.quantity.setValue(1)
        self._show_consignor()

    def _show_consignor(self) -> None:
        number = self.consignor.text().strip()
        row = self._consignors.get(number)
        consigned = self.kind.currentData() is ItemKind.CONSIGNED
        if not consigned or not number:
            self.consignor_hint.setText("")
            self.split.setPlaceholderText("")
        elif row is None:
            self.consignor_hint.setText(tr("No consignor with this number yet."))
            self.split.setPlaceholderText("")
        else:
            split = labels.percent(row.default_split_bp)
            self.consignor_hint.setText(tr("{name}, split {split}", name=row.name, split=split))
            self.split.setPlaceholderText(tr("{split} (the consignor's default)", split=split))
        self._form.setRowVisible(self.consignor_hint, bool(self.consignor_hint.text()))

    def read_new_item(self) -> NewItem:
        """The item the form describes; raises InvalidInput saying what to fix."""
        kind: ItemKind = self.kind.currentData()
        name = self.name.text().strip()
        if not name:
            raise InvalidInput(tr("Enter the item's name."))
        price = read_price(self.price.text(), self._currency)
        consignor = self.consignor.text().strip() if kind is ItemKind.CONSIGNED else None
        if kind is ItemKind.CONSIGNED and not consignor:
            raise InvalidInput(tr("A consigned item needs a consignor number."))
        return NewItem(
            barcode=self.barcode.text().strip(),
            name=name,
            price=price,
            kind=kind,
            quantity=1 if kind is ItemKind.CONSIGNED else self.quantity.value(),
            consignor_number=consignor,
            split_bp=self._read_split() if kind is ItemKind.CONSIGNED else None,
            category=self.category.text().strip() or None,
            markdown=self.read_markdown(),
        )

    def _read_split(self) -> int | None:
        text = self.split.text().strip()
        if not text:
            return None
        try:
            return parse_percent(text)
        except MoneyFormatError:
            raise InvalidInput(
                tr("The split '{typed}' is not a percentage between 0 and 100.", typed=text)
            ) from None

    def read_changes(self) -> ItemChanges:
        assert self.editing is not None
        name = self.name.text().strip()
        if not name:
            raise InvalidInput(tr("Enter the item's name."))
        price = read_price(self.price.text(), self._currency)
        return ItemChanges(
            self.editing.id, name, price, self.category.text().strip(), self.read_markdown()
        )
