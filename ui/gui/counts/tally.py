"""The running tally of the count on screen: one row per code, the latest scanned on top, with
what needs a second look (scanned again, unknown, outside the count's scope) said in words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from posapp.i18n import tr
from posapp.services.count_list import TALLY_LINES, TallyLine
from posapp.services.count_scan import CountScanned

AnyIndex = QModelIndex | QPersistentModelIndex
WARNING = QColor("#9a3412")  # needs a second look
ITEM, CODE, COUNTED, EXPECTED, FLAGS = range(5)


def flags_text(line: TallyLine) -> str:
    """What about this line needs a person's look, in words; empty when nothing does."""
    notes = []
    if line.kind == "unknown":
        notes.append(tr("Unknown: kept for review"))
    if line.outside_scope:
        notes.append(tr("Outside scope: not corrected"))
    if line.repeated:
        notes.append(tr("Scanned again ×{times}: counted once", times=line.repeated))
    return " · ".join(notes)


def line_name(line: TallyLine) -> str:
    if line.kind == "coupon":
        return tr("Coupon {code}", code=line.name or line.code)
    if line.kind == "unknown":
        return tr("Unknown code")
    return line.name or line.code


def tally_line(scanned: CountScanned, before: TallyLine | None) -> TallyLine:
    """The tally line after a scan; the service's ``counted`` is already the running total."""
    repeated = (before.repeated if before else 0) + (1 if scanned.repeated else 0)
    return TallyLine(scanned.code, scanned.kind, scanned.name, scanned.counted, scanned.expected,
                     repeated, scanned.outside_scope)  # fmt: skip


class TallyModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[TallyLine] = []
        self.blind = False

    @property
    def lines(self) -> list[TallyLine]:
        return list(self._lines)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (tr("Item"), tr("Barcode"), tr("Scanned"), tr("Expected"), tr("Check"))
        return titles[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line, column = self._lines[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COUNTED, EXPECTED):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ForegroundRole and flags_text(line):
            return QBrush(WARNING)
        if role == Qt.ItemDataRole.ToolTipRole and column == FLAGS:
            return flags_text(line) or None
        return None

    def _text(self, line: TallyLine, column: int) -> str:
        if column == ITEM:
            return line_name(line)
        if column == CODE:
            return line.code
        if column == COUNTED:
            return str(line.counted)
        if column == EXPECTED:
            return "" if line.expected is None or self.blind else str(line.expected)
        return flags_text(line)

    def show_lines(self, lines: list[TallyLine], blind: bool) -> None:
        self.beginResetModel()
        self._lines, self.blind = list(lines), blind
        self.endResetModel()

    def add_scan(self, scanned: CountScanned) -> TallyLine:
        """Fold a scan in: its line moves to the top with the new total."""
        key = (scanned.kind, scanned.code)
        at = next((n for n, x in enumerate(self._lines) if (x.kind, x.code) == key), None)
        before = self._lines[at] if at is not None else None
        line = tally_line(scanned, before)
        if at == 0:
            self._lines[0] = line
            self.dataChanged.emit(self.index(0, 0), self.index(0, FLAGS))
            return line
        if at is not None:
            self.beginRemoveRows(QModelIndex(), at, at)
            del self._lines[at]
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._lines.insert(0, line)
        self.endInsertRows()
        if len(self._lines) > TALLY_LINES:
            self.beginRemoveRows(QModelIndex(), TALLY_LINES, len(self._lines) - 1)
            del self._lines[TALLY_LINES:]
            self.endRemoveRows()
        return line


def tally_view(model: TallyModel, parent: QWidget | None = None) -> QTableView:
    """The item name takes the spare width; the numbers fit; the check column stays readable."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan entry keeps the keyboard
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
    heading = QFont(header.font())
    heading.setBold(True)  # as the style sheet draws it
    text, bold = view.fontMetrics(), QFontMetrics(heading)
    padding = 16
    header.resizeSection(CODE, text.horizontalAdvance("0" * 13) + padding)
    for column in (COUNTED, EXPECTED):
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        wide = max(bold.horizontalAdvance(title), text.horizontalAdvance("00000"))
        header.resizeSection(column, wide + 2 * padding)
    sample = TallyLine("", "item", None, 1, None, 9, True)
    longest = max(text.horizontalAdvance(note) for note in flags_text(sample).split(" · "))
    header.resizeSection(FLAGS, min(longest + padding, 320))
    return view
