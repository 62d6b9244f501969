"""The print preview: the pages of the PDF the app made, a layout choice, a printer choice, and
Print (Ctrl+P), Save PDF… (Ctrl+S), Close (Esc).

Making and rendering the PDF, handing it over (lp, or the file written whole) and recording what
was printed all run on the database worker, in one operation: nothing is recorded unless the
printout was handed over, and a failure is told inline in plain words.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from posapp.i18n import tr
from printing.output import PrintFailed, write_file
from printing.system_printer import print_pdf
from ui.gui.backoffice.widgets import MessageLabel, error_message, push_button
from ui.gui.dialogs import Dialogs
from ui.gui.operations import Operations
from ui.gui.printing.pages import PREVIEW_DPI, RenderedPdf, build_and_render, render_pages
from ui.gui.printing.qt_printer import paint_pages, printer_dpi, to_qimage
from ui.gui.printing.queues import Queues, cups_found, list_queues, uses_cups
from ui.gui.printing.request import PrintRequest

SHEET_STYLE = "#sheet { background: #8a8a8a; }"
PAGE_STYLE = "background: white; border: 1px solid #444;"


def no_cups_text() -> str:
    return tr("No print system (CUPS) was found on this computer. Save the PDF instead.")


class PrintPreview(QDialog):
    """Opened with :meth:`show_request`; ``handed_over`` carries what to tell once it printed."""

    handed_over = Signal(str)
    _last_printer: str | None = None  # offered again next time, for this run of the app

    def __init__(self, request: PrintRequest, ops: Operations, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.request, self._ops = request, ops
        self.rendered: RenderedPdf | None = None
        self.busy = False
        self._generation = 0
        self.setWindowTitle(request.title)
        self._build_widgets()
        self._lay_out()
        self._connect()

    @classmethod
    def show_request(
        cls, request: PrintRequest, ops: Operations, parent: QWidget | None
    ) -> PrintPreview:
        """Open a preview for ``request`` (window-modal, without blocking) and start making it."""
        preview = cls(request, ops, parent)
        preview.resize(900, 760)
        preview.open()
        preview.pages_view.setFocus()
        preview.make_pages()
        if uses_cups():
            ops.run(list_queues, success=preview._queues_loaded, owner=preview)
        return preview

    def _build_widgets(self) -> None:
        self.heading = QLabel(self.request.title, self)
        self.heading.setStyleSheet("font-weight: bold;")
        self.layout_choice = QComboBox(self)
        for key, label in self.request.layouts:
            self.layout_choice.addItem(label, key)
        self.layout_label = QLabel(tr("&Layout:"), self)
        self.layout_label.setBuddy(self.layout_choice)
        self.printer_choice = QComboBox(self)
        self.printer_choice.setEditable(True)
        self.printer_choice.setMinimumContentsLength(18)
        typed = self.printer_choice.lineEdit()
        if typed is not None:
            typed.setPlaceholderText(tr("printer (CUPS queue name)"))
        self.printer_label = QLabel(tr("P&rinter:"), self)
        self.printer_label.setBuddy(self.printer_choice)
        self.printer_note = MessageLabel(self)
        self.sheet = QWidget(self)
        self.sheet.setObjectName("sheet")
        self.sheet.setStyleSheet(SHEET_STYLE)
        self.pages_view = QScrollArea(self)
        self.pages_view.setWidgetResizable(True)
        self.pages_view.setWidget(self.sheet)
        self.pages_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages_label = QLabel(self)
        self.message = MessageLabel(self)
        self.save_button = push_button(tr("Save PDF… (Ctrl+S)"), self)
        self.print_button = push_button(tr("Print (Ctrl+P)"), self)
        self.close_button = push_button(tr("Close (Esc)"), self)

    def _lay_out(self) -> None:
        choices = QHBoxLayout()
        choices.addWidget(self.heading, 1)
        if self.request.layouts:
            choices.addWidget(self.layout_label)
            choices.addWidget(self.layout_choice)
        else:
            self.layout_label.hide()
            self.layout_choice.hide()
        if uses_cups():
            choices.addWidget(self.printer_label)
            choices.addWidget(self.printer_choice)
        else:
            self.printer_label.hide()
            self.printer_choice.hide()
        pages = self.pages_layout = QVBoxLayout(self.sheet)
        pages.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        pages.setSpacing(16)
        pages.setContentsMargins(16, 16, 16, 16)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pages_label, 1)
        for button in (self.save_button, self.print_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.printer_note)
        layout.addWidget(self.pages_view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.layout_choice.currentIndexChanged.connect(lambda _index: self.make_pages())
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_now)
        self.close_button.clicked.connect(self.reject)
        for keys, action in (
            (QKeySequence.StandardKey.Print, self.print_now),
            (QKeySequence.StandardKey.Save, self.save),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(action)
        self._enable()

    # making the pages

    @property
    def layout_key(self) -> str:
        return str(self.layout_choice.currentData() or "")

    @property
    def ready(self) -> bool:
        """The PDF is made and nothing is being handed over."""
        return self.rendered is not None and not self.busy

    def make_pages(self) -> None:
        self._generation += 1
        generation, build, key = self._generation, self.request.build, self.layout_key
        dpi = PREVIEW_DPI * self.devicePixelRatioF()
        self.rendered = None
        self._enable()
        self.message.show_note(tr("Preparing the pages…"))
        self._ops.run(
            lambda: build_and_render(build, key, dpi),
            success=lambda rendered: self._made(generation, rendered),
            failure=lambda error: self._not_made(generation, error),
            owner=self,
        )

    def _made(self, generation: int, rendered: RenderedPdf) -> None:
        if generation != self._generation:
            return  # the layout changed while these pages were made
        self.rendered = rendered
        self.message.clear_message()
        self._show_pages(rendered)
        self._enable()

    def _not_made(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self._show_pages(None)
            self.message.show_error(error_message(error))

    def _show_pages(self, rendered: RenderedPdf | None) -> None:
        layout = self.pages_layout
        while layout.count():
            item = layout.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()  # deleted later, so hidden now
                old.deleteLater()
        if rendered is None:
            self.pages_label.clear()
            return
        ratio = self.devicePixelRatioF()
        for page in rendered.pages:
            picture = QPixmap.fromImage(to_qimage(page))
            picture.setDevicePixelRatio(ratio)
            label = QLabel(self.sheet)
            label.setPixmap(picture)
            label.setFixedSize(picture.deviceIndependentSize().toSize())
            label.setStyleSheet(PAGE_STYLE)
            layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            label.show()
        layout.activate()
        self.pages_label.setText(pages_text(rendered))

    # where it goes

    def _queues_loaded(self, queues: Queues) -> None:
        current = self.printer_choice.currentText().strip()
        self.printer_choice.clear()
        self.printer_choice.addItems(list(queues.names))
        chosen = current or PrintPreview._last_printer or queues.default
        if chosen:
            self.printer_choice.setCurrentText(chosen)
        if not queues.cups:
            self.printer_choice.setEnabled(False)
            self.printer_note.show_note(no_cups_text())
        elif not queues.names:
            self.printer_note.show_note(
                tr(
                    "The print system knows no printers. Add one in the system settings, "
                    "or type its queue name."
                )
            )
        self._enable()

    def save(self) -> None:
        rendered = self.rendered
        if rendered is None or self.busy:
            return
        path = Dialogs.save_pdf_path(self, tr("Save PDF"), self.request.file_name)
        if path is None:
            self.message.show_note(tr("Nothing was saved."))
            return
        self._hand_over(
            lambda: write_file(path, rendered.pdf), str(path), tr("Saved {path}.", path=str(path))
        )

    def print_now(self) -> None:
        rendered = self.rendered
        if rendered is None or self.busy:
            return
        if not uses_cups():
            self._print_with_qt(rendered)
            return
        if not cups_found():
            self.message.show_error(no_cups_text())
            return
        name, title = self.printer_choice.currentText().strip(), self.request.title
        if not name:
            self.message.show_error(tr("Choose a printer first, or save the PDF."))
            return
        PrintPreview._last_printer = name
        self._hand_over(
            lambda: print_pdf(name, rendered.pdf, title),
            f"printer:{name}",
            tr("Sent to printer {printer}.", printer=name),
        )

    def _hand_over(self, send: Callable[[], None], output: str, sent_text: str) -> None:
        record = self.request.record

        def work() -> str:
            send()
            return f"{sent_text} {record(output)}" if record else sent_text

        self._set_busy(True)
        self.message.show_note(tr("Handing the printout over…"))
        self._ops.run(work, success=self._handed, failure=self._failed)

    def _print_with_qt(self, rendered: RenderedPdf) -> None:
        if rendered.page_count is None:
            self.message.show_error(
                tr("Printing here needs pypdfium2, which is not installed. Save the PDF instead.")
            )
            return
        printer = Dialogs.choose_printer(self)
        if printer is None:
            return
        pdf, dpi = rendered.pdf, printer_dpi(printer)
        self._set_busy(True)
        self.message.show_note(tr("Handing the printout over…"))
        self._ops.run(
            lambda: render_pages(pdf, dpi),
            success=lambda full: self._paint(printer, full),
            failure=self._failed,
            owner=self,
        )

    def _paint(self, printer: QPrinter, full: RenderedPdf) -> None:
        try:
            paint_pages(printer, full.pages)
        except PrintFailed as error:
            self._failed(error)
            return
        name, record = printer.printerName() or printer.outputFileName(), self.request.record
        sent = tr("Sent to printer {printer}.", printer=name)
        output = f"printer:{name}"
        self._ops.run(
            lambda: f"{sent} {record(output)}" if record else sent,
            success=self._handed,
            failure=self._failed,
        )

    def _handed(self, text: str) -> None:
        self._set_busy(False)
        self.message.show_info(text)
        self.handed_over.emit(text)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.message.show_error(error_message(error))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._enable()

    def _enable(self) -> None:
        ready = self.ready
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready and (not uses_cups() or self.printer_choice.isEnabled()))
        self.layout_choice.setEnabled(not self.busy)

    def reject(self) -> None:
        if self.busy:  # the job is on its way: closing now would hide whether it printed
            self.message.show_note(tr("Wait a moment: the printout is being handed over."))
            return
        super().reject()


def pages_text(rendered: RenderedPdf) -> str:
    count, shown = rendered.page_count, len(rendered.pages)
    if count is None:
        return tr("No preview here (pypdfium2 is not installed); Print and Save PDF still work.")
    if shown < count:
        return tr(
            "The first {shown} of {count} pages are shown; all of them print.",
            shown=shown,
            count=count,
        )
    return tr("1 page") if count == 1 else tr("{count} pages", count=count)
