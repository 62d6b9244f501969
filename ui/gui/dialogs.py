"""The few modal dialogs the app has, behind functions tests can replace."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from posapp.i18n import tr


class Dialogs:
    """Modal messages. Only for things that stop the app (a database it cannot open)."""

    @classmethod
    def error(cls, parent: QWidget | None, message: str) -> None:
        QMessageBox.critical(parent, tr("posapp"), message)
