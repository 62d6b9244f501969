"""The cart as a table: each line's name, barcode, quantity, price, discount and net."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from posapp.i18n import tr
from posapp.services.cart import CartLine
from posapp.services.pricing import Quote
from ui.gui.formatting import show_discount, show_money

AnyIndex = QModelIndex | QPersistentModelIndex
NUMBER_COLUMNS = (2, 3, 4, 5)
# data() runs for every cell and role on each paint: compare plain ints, not enum members
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole.value)
ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole.value)
HORIZONTAL = Qt.Orientation.Horizontal
RIGHT_ALIGNED = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)


@dataclass(frozen=True)
class CartRow:
    line: CartLine
    discount: int
    net: int
    cells: tuple[str, ...]


def cart_row(line: CartLine, discount: int, net: int, currency: str) -> CartRow:
    cells = (
        line.name,
        line.barcode,
        str(line.quantity),
        show_money(line.unit_price, currency),
        show_discount(discount, currency),
        show_money(net, currency),
    )
    return CartRow(line, discount, net, cells)


def column_titles() -> tuple[str, ...]:
    return (tr("Item"), tr("Barcode"), tr("Qty"), tr("Price"), tr("Discount"), tr("Net"))


class CartTableModel(QAbstractTableModel):
    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self._rows: list[CartRow] = []
        self._titles = column_titles()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY_ROLE
    ) -> object:
        if role == DISPLAY_ROLE and orientation == HORIZONTAL:
            return self._titles[section]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY_ROLE) -> object:
        if role == DISPLAY_ROLE:
            return self._rows[index.row()].cells[index.column()]
        if role == ALIGNMENT_ROLE and index.column() in NUMBER_COLUMNS:
            return RIGHT_ALIGNED
        return None

    def show_cart(self, lines: list[CartLine], quoted: Quote) -> None:
        """Show the cart; an added line is inserted, so the view keeps its place."""
        rows = [
            cart_row(line, priced.discount, priced.net, self.currency)
            for line, priced in zip(lines, quoted.lines, strict=True)
        ]
        old = len(self._rows)
        if len(rows) == old + 1 and all(
            a.line.item_id == b.line.item_id for a, b in zip(self._rows, rows, strict=False)
        ):
            self.beginInsertRows(QModelIndex(), old, old)
            self._rows = rows
            self.endInsertRows()
            if old:
                self.dataChanged.emit(self.index(0, 0), self.index(old - 1, len(self._titles) - 1))
        elif len(rows) == old and old:
            self._rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(old - 1, len(self._titles) - 1))
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()


class CartTable(QTableView):
    """Never takes the keyboard focus: the scan entry keeps it and drives the selection."""

    painted = Signal()

    def __init__(self, model: CartTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        # a scroll bar appearing at the 11th line would re-lay out the table mid-scan
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        widths = {1: 14, 2: 4, 3: 10, 4: 9, 5: 10}
        em = self.fontMetrics().horizontalAdvance("0")
        for column, chars in widths.items():
            self.setColumnWidth(column, em * chars + 16)

    def current_row(self) -> int:
        return self.currentIndex().row() if self.currentIndex().isValid() else -1

    def select_row(self, row: int) -> None:
        model = self.model()
        if 0 <= row < model.rowCount():
            self.setCurrentIndex(model.index(row, 0))
            self.scrollTo(model.index(row, 0))
        else:
            self.clearSelection()

    def move_selection(self, delta: int) -> None:
        count = self.model().rowCount()
        if count:
            row = self.current_row()
            self.select_row(min(max(row + delta if row >= 0 else count - 1, 0), count - 1))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit()
