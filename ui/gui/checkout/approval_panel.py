"""A manager allows what the till may not allow alone (a coupon while the hub is out of reach):
inline beside the cart, never a dialog. Choose the manager with ↑ ↓, type their PIN, Enter; Esc
(handled by the checkout) cancels and the cart stays. A scan meanwhile goes to the cart as ever.

The PIN is checked on the database worker, the same way as signing in; only a manager passes.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Role
from posapp.services.context import Actor, UserChoice, list_users, sign_in
from posapp.services.errors import PosError
from ui.gui.operations import Operations
from ui.gui.signin import PinEntry
from ui.gui.style import scaled_font

PANEL_STYLE = (
    "ApprovalPanel { background: #fff4d6; border: 2px solid #e0b84a; border-radius: 8px; }"
)


def managers_of(users: list[UserChoice]) -> list[UserChoice]:
    return [user for user in users if user.role is Role.MANAGER]


class ApprovalPanel(QFrame):
    approved = Signal(object)  # Actor: the manager who allowed it

    def __init__(self, db: Database, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._ops = db, ops
        self._managers: list[UserChoice] = []
        self._chosen = 0
        self._terminal: str | None = None
        self.setStyleSheet(PANEL_STYLE)
        self.heading = QLabel(tr("Manager's approval"))
        self.heading.setFont(scaled_font(self.font(), 1.2, bold=True))
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.manager = QLabel()
        self.manager.setFont(scaled_font(self.font(), 1.1, bold=True))
        self.pin = PinEntry()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(tr("Manager's PIN"))
        self.pin.setFont(scaled_font(self.font(), 1.4))
        self.pin.step.connect(self._step)
        self.pin.returnPressed.connect(self.submit)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        keys = QLabel(tr("↑ ↓ choose the manager · Enter allow · Esc cancel (the cart stays)"))
        keys.setObjectName("hint")
        keys.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        for widget in (self.heading, self.why, self.manager, self.pin, self.error, keys):
            layout.addWidget(widget)
        self.hide()

    @property
    def asking(self) -> bool:
        return self.isVisible()

    def ask(self, why: str, terminal: str | None) -> None:
        """Show the reason and wait for a manager's PIN."""
        self._terminal = terminal
        self.why.setText(why)
        self.error.clear()
        self.pin.clear()
        self.pin.setReadOnly(False)
        self.show()
        self.pin.setFocus()
        db = self._db
        self._ops.run(lambda: managers_of(list_users(db)), success=self._show_managers)

    def dismiss(self) -> None:
        self.pin.clear()
        self.hide()

    def _show_managers(self, managers: list[UserChoice]) -> None:
        self._managers = managers
        self._chosen = 0
        if not managers:
            self.manager.clear()
            self.error.setText(tr("This shop has no manager who could allow it."))
            return
        self._show_chosen()

    def _step(self, delta: int) -> None:
        if self._managers:
            self._chosen = (self._chosen + delta) % len(self._managers)
            self._show_chosen()

    def _show_chosen(self) -> None:
        name = self._managers[self._chosen].name
        self.manager.setText(tr("Manager: {name}", name=name))

    def submit(self) -> None:
        if not self._managers or self.pin.isReadOnly():
            return
        user_id, pin = self._managers[self._chosen].id, self.pin.text()
        db, terminal = self._db, self._terminal
        self.pin.clear()
        self.pin.setReadOnly(True)  # not disabled: the focus stays here
        self.error.setText(tr("Checking…"))
        self._ops.run(
            lambda: sign_in(db, user_id, pin, terminal),
            success=self._checked,
            failure=self._refused,
        )

    def _checked(self, actor: Actor) -> None:
        if not self.isVisible():  # cancelled (Esc, a scan) while the PIN was being checked
            return
        if actor.role is not Role.MANAGER:
            self._refused(PosError(tr("Only a manager can allow a coupon while offline.")))
            return
        self.pin.setReadOnly(False)
        self.error.clear()
        self.approved.emit(actor)

    def _refused(self, error: Exception) -> None:
        self.pin.setReadOnly(False)
        self.error.setText(
            error.message if isinstance(error, PosError) else tr("Signing in failed; try again.")
        )
        if self.isVisible():
            self.pin.setFocus()
