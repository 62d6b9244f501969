"""Printing through Qt's printer where there is no CUPS (Windows): the PDF's pages, rendered at
the printer's resolution, painted one per sheet."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from posapp.i18n import tr
from printing.output import PrintFailed
from ui.gui.printing.pages import PageImage

MAX_DPI = 300


def to_qimage(page: PageImage) -> QImage:
    image = QImage(page.rgb, page.width, page.height, page.width * 3, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: the bytes object may go away


def printer_dpi(printer: QPrinter) -> float:
    return float(min(printer.resolution(), MAX_DPI))


def paint_pages(printer: QPrinter, pages: tuple[PageImage, ...]) -> None:
    """One picture per sheet, scaled to the paper, keeping its shape."""
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(
            tr(
                "The printer {printer} could not be opened; nothing was printed.",
                printer=printer.printerName(),
            )
        )
    try:
        for number, page in enumerate(pages):
            if number and not printer.newPage():
                raise PrintFailed(tr("The printer stopped taking pages; check it and try again."))
            image = to_qimage(page)
            paper = QRectF(painter.viewport())
            size = image.size().toSizeF().scaled(paper.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(paper.topLeft(), size), image)
    finally:
        painter.end()
