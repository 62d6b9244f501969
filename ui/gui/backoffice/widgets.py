"""Small widgets the back-office pages share: inline messages, an inline confirm bar, forms that
submit on Enter, a search box that waits for the typing to pause, and a plain table view."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from posapp.i18n import tr
from posapp.services.errors import PosError

log = logging.getLogger(__name__)

SEARCH_PAUSE_MS = 250
_TONES = {"error": "#b00020", "info": "#1b5e20", "note": "#555555"}


def push_button(text: str = "", parent: QWidget | None = None) -> QPushButton:
    """A button that Enter presses when it has the focus (as Space does), for keyboard use."""
    button = QPushButton(text, parent)
    button.setAutoDefault(True)
    return button


def error_message(error: BaseException) -> str:
    """What to tell the user about a failed operation, in plain words, never a traceback."""
    if isinstance(error, PosError):
        return error.message
    log.error("back-office operation failed", exc_info=error)
    return tr("That did not work: {reason}", reason=str(error) or type(error).__name__)


class MessageLabel(QLabel):
    """A line of text beside a form or list: an error in red, a confirmation in green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def show_info(self, text: str) -> None:
        self._show(text, "info")

    def show_note(self, text: str) -> None:
        self._show(text, "note")

    def clear_message(self) -> None:
        self.setText("")
        self.setProperty("tone", "")
        self.hide()

    @property
    def tone(self) -> str:
        return str(self.property("tone") or "")

    def _show(self, text: str, tone: str) -> None:
        self.setProperty("tone", tone)
        self.setStyleSheet(f"color: {_TONES[tone]};")
        self.setText(text)
        self.show()


class ConfirmBar(QFrame):
    """An inline question with Confirm and Cancel, instead of a blocking dialog. Esc cancels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("ConfirmBar { background: #fff4d6; border: 1px solid #e0b84a; }")
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.confirm_button = push_button(parent=self)
        self.cancel_button = push_button(tr("Cancel"), self)
        layout = QHBoxLayout(self)
        layout.addWidget(self.question, 1)
        layout.addWidget(self.confirm_button)
        layout.addWidget(self.cancel_button)
        self._on_confirm: Callable[[], None] | None = None
        self.confirm_button.clicked.connect(self._confirmed)
        self.cancel_button.clicked.connect(self.dismiss)
        self.hide()

    def ask(self, question: str, confirm_label: str, on_confirm: Callable[[], None]) -> None:
        self.question.setText(question)
        self.confirm_button.setText(confirm_label)
        self._on_confirm = on_confirm
        self.show()
        self.confirm_button.setFocus()

    def dismiss(self) -> None:
        self._on_confirm = None
        self.hide()

    def _confirmed(self) -> None:
        action = self._on_confirm
        self.dismiss()
        if action is not None:
            action()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
        else:
            super().keyPressEvent(event)


class FormBox(QGroupBox):
    """A titled form; Enter in any of its fields submits it (fields pass Enter up to here)."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        else:
            super().keyPressEvent(event)


class SearchBox(QLineEdit):
    """A search field that reports its text once the typing pauses (and at once on Enter)."""

    search_changed = Signal(str)

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self._report)
        self.textChanged.connect(lambda _text: self._pause.start())
        self.returnPressed.connect(self._report)

    def _report(self) -> None:
        self._pause.stop()
        self.search_changed.emit(self.text().strip())


def table_view(
    model: QAbstractItemModel, stretch: int, parent: QWidget | None = None
) -> QTableView:
    """A read-only, whole-row-selecting table; column ``stretch`` takes the spare width.

    Columns fit their contents once, when the first rows arrive; after that the user's widths stay.
    """
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    fitted = False

    def fit_once() -> None:
        nonlocal fitted
        if not fitted and model.rowCount() > 0:
            fitted = True
            view.resizeColumnsToContents()
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    model.modelReset.connect(fit_once)
    model.rowsInserted.connect(fit_once)
    return view


def select_row(view: QTableView, row: int | None) -> None:
    """Select and show ``row`` (None clears the selection)."""
    if row is None:
        view.clearSelection()
        return
    view.selectRow(row)
    view.scrollTo(view.model().index(row, 0))
