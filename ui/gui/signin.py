"""The sign-in screen: pick a user with the arrow keys, type the PIN, Enter.

The PIN is checked (argon2) on the database worker; a wrong one says so under the field.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QListWidget, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Role
from posapp.services.context import Actor, UserChoice, list_users, sign_in
from posapp.services.errors import PosError
from ui.gui.operations import Operations
from ui.gui.style import scaled_font


def role_name(role: Role) -> str:
    return tr("manager") if role is Role.MANAGER else tr("cashier")


class PinEntry(QLineEdit):
    """The PIN field; Up and Down move through the user list while it keeps the focus."""

    step = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)


class SignInWidget(QWidget):
    signed_in = Signal(object)  # Actor

    def __init__(
        self, db: Database, ops: Operations, terminal: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._terminal = db, ops, terminal
        self._users: list[UserChoice] = []
        self._preselect: str | None = None
        self.users = QListWidget()
        self.users.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.users.setFont(scaled_font(self.font(), 1.3))
        self.pin = PinEntry()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(tr("PIN"))
        self.pin.setFont(scaled_font(self.font(), 1.6))
        self.pin.step.connect(self._move)
        self.pin.returnPressed.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("error")
        self._lay_out()

    def _lay_out(self) -> None:
        title = QLabel(tr("Sign in"))
        title.setFont(scaled_font(self.font(), 2.0, bold=True))
        hint = QLabel(tr("Choose your name with ↑ ↓, type your PIN and press Enter."))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        card = QFrame()
        card.setObjectName("panel")
        card.setFixedWidth(480)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 24)
        inner.setSpacing(12)
        for widget in (title, hint, self.users, self.pin, self.message):
            inner.addWidget(widget)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def load_users(self, message: str = "", preselect: str | None = None) -> None:
        """Read the active users (on the worker) and get ready for a PIN; ``preselect`` names
        the user to start on (the one who locked the till)."""
        self._preselect = preselect
        self.message.setText(message)
        self.pin.clear()
        self.pin.setFocus()
        self._ops.run(lambda: list_users(self._db), success=self._show_users)

    def _show_users(self, users: list[UserChoice]) -> None:
        self._users = users
        self.users.clear()
        for user in users:
            self.users.addItem(tr("{name} ({role})", name=user.name, role=role_name(user.role)))
        if users:
            self.users.setCurrentRow(0)
            if self._preselect:
                self.select_user(self._preselect)
        else:
            self.message.setText(tr("This database has no users yet. Run 'posapp demo' first."))
        self._fit_rows(min(len(users), 6))

    def _fit_rows(self, shown: int) -> None:
        """Rows tall enough for the tallest name (a CJK fallback font is taller than Latin)."""
        metrics = self.users.fontMetrics()
        texts = [self.users.item(row).text() for row in range(self.users.count())]
        row_height = max([metrics.boundingRect(text).height() for text in texts] or [0]) + 10
        for row in range(self.users.count()):
            self.users.item(row).setSizeHint(QSize(0, row_height))
        self.users.setFixedHeight(row_height * shown + 2 * self.users.frameWidth())

    def select_user(self, name: str) -> None:
        for row, user in enumerate(self._users):
            if user.name == name:
                self.users.setCurrentRow(row)

    def _move(self, delta: int) -> None:
        if self._users:
            row = (self.users.currentRow() + delta) % len(self._users)
            self.users.setCurrentRow(row)

    def submit(self) -> None:
        row = self.users.currentRow()
        if not 0 <= row < len(self._users):
            return
        user_id, pin, db, terminal = self._users[row].id, self.pin.text(), self._db, self._terminal
        self.pin.clear()
        self.message.setText(tr("Checking…"))
        self._ops.run(
            lambda: sign_in(db, user_id, pin, terminal),
            success=self._accepted,
            failure=self._refused,
        )

    def _accepted(self, actor: Actor) -> None:
        self.message.clear()
        self.signed_in.emit(actor)

    def _refused(self, error: Exception) -> None:
        if isinstance(error, PosError):
            self.message.setText(error.message)
        else:
            self.message.setText(tr("Signing in failed; try again."))
        self.pin.setFocus()
