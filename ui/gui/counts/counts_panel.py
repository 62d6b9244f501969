"""The left side of the count screen: the open counts to pick from, and the form that starts one
(whole shop, a location, a category or a consignor; blind or not)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from posapp.i18n import tr
from posapp.services.count_list import CountRow, scope_words
from ui.gui.backoffice.models import Column, RowsModel
from ui.gui.backoffice.widgets import FormBox, MessageLabel, push_button, table_view

SCOPES = ("all", "location", "category", "consignor")


@dataclass(frozen=True)
class ScopeChoices:
    """What each scope can be: location and category names, consignors as (number, name)."""

    locations: list[str]
    categories: list[str]
    consignors: list[tuple[str, str]]


def scope_titles() -> dict[str, str]:
    return {
        "all": tr("Whole shop"),
        "location": tr("Location"),
        "category": tr("Category"),
        "consignor": tr("Consignor"),
    }


def count_columns() -> list[Column[CountRow]]:
    def scope(row: CountRow) -> str:
        text = scope_words(row.scope, row.scope_value)
        return tr("{scope} (blind)", scope=text) if row.blind else text

    return [
        Column(tr("Count"), lambda r: str(r.id), numeric=True),
        Column(tr("Scope"), scope),
        Column(tr("Scans"), lambda r: str(r.scans), numeric=True),
    ]


class StartForm(FormBox):
    """Start a count: Enter in any field (or the button) starts it."""

    start = Signal(str, bool)  # scope text ('all', 'category:dresses'...), blind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Start a count (F2)"), parent)
        self.scope = QComboBox(self)
        for key, title in scope_titles().items():
            self.scope.addItem(title, key)
        self.value = QComboBox(self)
        self.value.setEditable(True)
        self.value.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.blind = QCheckBox(tr("Blind: hide expected quantities"), self)
        self.start_button = push_button(tr("Start count"), self)
        self.message = MessageLabel(self)
        self._choices = ScopeChoices([], [], [])
        form = QFormLayout(self)
        form.addRow(tr("Count"), self.scope)
        form.addRow(tr("Which"), self.value)
        form.addRow(self.blind)
        form.addRow(self.start_button)
        form.addRow(self.message)
        self.scope.currentIndexChanged.connect(lambda _index: self._fill_values())
        self.submitted.connect(self.submit)
        self.start_button.clicked.connect(self.submit)
        self._fill_values()

    def set_choices(self, choices: ScopeChoices) -> None:
        self._choices = choices
        self._fill_values()

    def choose_scope(self, key: str) -> None:
        self.scope.setCurrentIndex(SCOPES.index(key))

    def _fill_values(self) -> None:
        key = str(self.scope.currentData())
        self.value.clear()
        self.value.setEnabled(key != "all")
        if key == "location":
            for name in self._choices.locations:
                self.value.addItem(name, name)
        elif key == "category":
            for name in self._choices.categories:
                self.value.addItem(name, name)
        elif key == "consignor":
            for number, name in self._choices.consignors:
                self.value.addItem(tr("{number} {name}", number=number, name=name), number)
        self.value.setCurrentIndex(-1 if key == "all" else 0)

    def scope_text(self) -> str:
        key = str(self.scope.currentData())
        if key == "all":
            return key
        typed = self.value.currentText().strip()
        chosen = self.value.findText(typed)
        value = str(self.value.itemData(chosen)) if chosen >= 0 else typed
        if key == "consignor":
            value = value.split(" ")[0]  # a typed '100001 Alice Chen' is the number
        return f"{key}:{value}"

    def submit(self) -> None:
        self.message.clear_message()
        self.start.emit(self.scope_text(), self.blind.isChecked())


class CountsPanel(QWidget):
    """Open counts (Enter or a double click picks one) above the start form."""

    picked = Signal(object)  # CountRow

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(tr("Open counts (F3)"), self)
        self.title.setObjectName("section")
        self.model: RowsModel[CountRow] = RowsModel(count_columns(), lambda r: r.id, self)
        self.table = table_view(self.model, 1, self)
        self.empty = QLabel(tr("No open count: start one below."), self)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.form = StartForm(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.form)
        self.table.activated.connect(lambda index: self.picked.emit(self.model.row_at(index.row())))

    def show_counts(self, rows: list[CountRow], current: int | None) -> None:
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        position = self.model.position_of(current) if current is not None else None
        if position is not None:
            self.table.selectRow(position)

    def row(self, count_id: int) -> CountRow | None:
        position = self.model.position_of(count_id)
        return self.model.row_at(position) if position is not None else None

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
