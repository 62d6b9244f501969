"""The few modal dialogs the app has, behind functions tests can replace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from posapp.i18n import tr


class Dialogs:
    """Modal messages (only for things that stop the app: a database it cannot open) and the
    system's file and printer choosers."""

    _folder: Path | None = None  # where the last PDF was saved, offered again next time

    @classmethod
    def error(cls, parent: QWidget | None, message: str) -> None:
        QMessageBox.critical(parent, tr("posapp"), message)

    @classmethod
    def save_pdf_path(cls, parent: QWidget | None, title: str, suggested: str) -> Path | None:
        """Ask where to save a PDF; None when the user cancels. The name always ends in .pdf."""
        folder = cls._folder or Path.home()
        name, _filter = QFileDialog.getSaveFileName(
            parent, title, str(folder / suggested), tr("PDF files (*.pdf)")
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        cls._folder = path.parent
        return path

    @classmethod
    def choose_printer(cls, parent: QWidget | None) -> QPrinter | None:
        """Qt's printer dialog (where there is no CUPS); None when the user cancels."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None
