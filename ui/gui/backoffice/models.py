"""Table models over plain service rows: a whole list, or one fetched in chunks as the view scrolls.

A :class:`ChunkedModel` asks the database worker for ``chunk`` rows at a time (limit/offset), so a
shop with 100,000 items or 1,000,000 coupons never loads them all. Qt's own incremental-loading
hooks (``canFetchMore``/``fetchMore``) tell it when the view has scrolled near the end.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from ui.gui.backoffice.widgets import error_message
from ui.gui.operations import Operations

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], Sequence[Any]]  # (offset, limit) -> rows; runs on the worker

MUTED = QColor("#8a8a8a")


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One table column: its heading and how a row shows in it."""

    title: str
    text: Callable[[Row], str]
    numeric: bool = False
    muted: Callable[[Row], bool] | None = None  # grey the cell (voided, sold, refunded...)


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of dataclass rows."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        key: Callable[[Row], Hashable],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._key = key
        self._rows: list[Row] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and column.muted and column.muted(row):
            return QBrush(MUTED)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title
        return None

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def row_at(self, index: int) -> Row:
        return self._rows[index]

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def position_of(self, key: Hashable) -> int | None:
        for position, row in enumerate(self._rows):
            if self._key(row) == key:
                return position
        return None


class ChunkedModel(RowsModel[Row]):
    """Rows fetched ``chunk`` at a time on the database worker as the view scrolls down."""

    loaded = Signal()  # a chunk or a reload has landed
    failed = Signal(str)  # plain-words reason a fetch failed

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        key: Callable[[Row], Hashable],
        ops: Operations,
        chunk: int = 200,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, key, parent)
        self._ops = ops
        self._chunk = chunk
        self._fetch: Fetch | None = None
        self._generation = 0
        self._loading = False
        self._exhausted = True

    def load(self, fetch: Fetch) -> None:
        """Show the rows ``fetch`` gives, from the top (a new search or filter)."""
        self._fetch = fetch
        self._request(0, self._chunk, replace=True)

    def refresh(self) -> None:
        """Fetch again the rows already shown (after a change), keeping the same query."""
        if self._fetch is not None:
            self._request(0, max(len(self._rows), self._chunk), replace=True)

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def complete(self) -> bool:
        """Every row of the query is loaded."""
        return self._exhausted and not self._loading

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent):
            self._request(len(self._rows), self._chunk, replace=False)

    def _request(self, offset: int, limit: int, replace: bool) -> None:
        fetch = self._fetch
        assert fetch is not None
        self._generation += 1
        generation = self._generation
        self._loading = True
        self._ops.run(
            lambda: list(fetch(offset, limit)),
            success=lambda rows: self._landed(generation, rows, limit, replace),
            failure=lambda error: self._fetch_failed(generation, error),
        )

    def _landed(self, generation: int, rows: list[Row], limit: int, replace: bool) -> None:
        if generation != self._generation:
            return  # a newer search or refresh replaced this one
        self._loading = False
        self._exhausted = len(rows) < limit
        if replace:
            self.set_rows(rows)
        else:
            self.append_rows(rows)
        self.loaded.emit()

    def _fetch_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self._loading = False
            self.failed.emit(error_message(error))
