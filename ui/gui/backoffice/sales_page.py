"""Sales history: sales newest first (searchable by number), the chosen sale's receipt (printed
again as a 58/80 mm PDF, with a preview), and a refund with an inline confirm step. Only a
manager may refund; a cashier is told why not."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from posapp import labels
from posapp.db import Database
from posapp.i18n import moment, money, tr
from posapp.models import Role, SaleStatus
from posapp.services.context import Actor
from posapp.services.receipts import Receipt
from posapp.services.refunds import refund_sale
from posapp.services.sales_history import SaleRow, list_sales, sale_receipt
from printing.receipt_pdf import receipt_pdf
from printing.receipt_text import render_receipt
from ui.gui.backoffice.models import ChunkedModel, Column
from ui.gui.backoffice.widgets import (
    ConfirmBar,
    MessageLabel,
    SearchBox,
    error_message,
    push_button,
    select_row,
    table_view,
)
from ui.gui.operations import Operations
from ui.gui.printing import PrintPreview, PrintRequest, receipt_rolls
from ui.gui.printing.request import file_name

RECEIPT_FONTS = ["Noto Sans Mono CJK SC", "Noto Sans Mono", "DejaVu Sans Mono"]

STRETCH = 3  # the column that takes the spare width


def sale_columns(currency: str) -> list[Column[SaleRow]]:
    def refunded(row: SaleRow) -> bool:
        return row.status is SaleStatus.REFUNDED

    def amount(pick: str) -> Column[SaleRow]:
        titles = {
            "subtotal": tr("Subtotal"),
            "discount_total": tr("Discount"),
            "total": tr("Total"),
        }
        return Column(
            titles[pick], lambda r: money(getattr(r, pick), currency), numeric=True, muted=refunded
        )

    return [
        Column(tr("Sale"), lambda r: r.number, muted=refunded),
        Column(tr("Time"), lambda r: moment(r.created_at), muted=refunded),
        Column(tr("Till"), lambda r: r.terminal, muted=refunded),
        Column(tr("Cashier"), lambda r: r.cashier, muted=refunded),
        Column(tr("Items"), lambda r: str(r.items), numeric=True, muted=refunded),
        amount("subtotal"),
        amount("discount_total"),
        amount("total"),
        Column(tr("Status"), lambda r: labels.sale_status(r.status), muted=refunded),
    ]


def receipt_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setFamilies([*RECEIPT_FONTS, font.family()])
    return font


class SalesPage(QWidget):
    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db, self._ops, self._actor = db, ops, actor
        self.sale: SaleRow | None = None
        self._shown_before = False
        self.search_box = SearchBox(tr("Search a sale number, e.g. T1-000042"), self)
        self.model: ChunkedModel[SaleRow] = ChunkedModel(
            sale_columns(actor.currency), lambda r: r.id, ops, parent=self
        )
        self.table = table_view(self.model, STRETCH, self)
        self.receipt = QPlainTextEdit(self)
        self.receipt.setReadOnly(True)
        self.receipt.setFont(receipt_font())
        self.receipt.setPlaceholderText(tr("Choose a sale to see its receipt."))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(tr("Reason for the refund (optional)"))
        self.refund_button = push_button(tr("Refund…"), self)
        self.print_button = push_button(tr("Print receipt… (Ctrl+P)"), self)
        self.print_button.setToolTip(
            tr("The chosen sale's receipt as a PDF for a 58 or 80 mm roll")
        )
        self.preview: PrintPreview | None = None
        self.confirm = ConfirmBar(self)
        self.message = MessageLabel(self)
        self._lay_out()
        self.search_box.search_changed.connect(self.search)
        self.model.loaded.connect(self._reselect)
        self.model.failed.connect(self.message.show_error)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._chosen())
        self.refund_button.clicked.connect(self.ask_refund)
        self.reason.returnPressed.connect(self.ask_refund)
        self.print_button.clicked.connect(self.print_receipt)
        print_keys = QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self)
        print_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        print_keys.activated.connect(self.print_receipt)
        self.search("")
        self._refund_controls()

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.search_box)
        left.addWidget(self.table, 1)
        refund = QHBoxLayout()
        refund.addWidget(self.print_button)
        refund.addWidget(self.reason, 1)
        refund.addWidget(self.refund_button)
        right = QVBoxLayout()
        right.addWidget(self.receipt, 1)
        right.addLayout(refund)
        right.addWidget(self.confirm)
        right.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.receipt.setMinimumWidth(self.receipt.fontMetrics().horizontalAdvance("M" * 46))
        self.setFocusProxy(self.search_box)

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in: their role decides whether a refund is offered."""
        self._actor = actor
        self.confirm.dismiss()
        self.message.clear_message()
        self._refund_controls()

    @property
    def may_refund(self) -> bool:
        return self._actor.role is Role.MANAGER

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._shown_before:
            self.model.refresh()
        self._shown_before = True

    def search(self, text: str) -> None:
        db = self._db
        self.model.load(lambda offset, limit: list_sales(db, limit, text or None, offset))

    def _reselect(self) -> None:
        """After a reload, keep the chosen sale chosen (its status may have changed)."""
        if self.sale is None:
            return
        position = self.model.position_of(self.sale.id)
        if position is None:
            self._show_sale(None)
        else:
            select_row(self.table, position)
            self._show_sale(self.model.row_at(position))

    def _chosen(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            row = self.model.row_at(index.row())
            if self.sale is None or row.id != self.sale.id:
                self.confirm.dismiss()
                self.message.clear_message()
                self._load_receipt(row)
            self._show_sale(row)

    def _show_sale(self, row: SaleRow | None) -> None:
        self.sale = row
        if row is None:
            self.receipt.clear()
        self._refund_controls()

    def _load_receipt(self, row: SaleRow) -> None:
        db, ref = self._db, str(row.id)
        self._ops.run(
            lambda: sale_receipt(db, ref),
            success=self._show_receipt,
            failure=lambda e: self.message.show_error(error_message(e)),
        )

    def _show_receipt(self, receipt: Receipt) -> None:
        if self.sale is not None and receipt.sale_id == self.sale.id:
            self.receipt.setPlainText(render_receipt(receipt))

    def _refund_controls(self) -> None:
        sale = self.sale
        open_sale = sale is not None and sale.status is SaleStatus.COMPLETED
        self.print_button.setEnabled(sale is not None)
        self.refund_button.setEnabled(open_sale and self.may_refund)
        self.reason.setEnabled(open_sale and self.may_refund)
        if sale is not None and not self.may_refund and self.message.tone != "info":
            self.message.show_note(
                tr("Only a manager can refund a sale. Ask a manager to sign in.")
            )

    def print_receipt(self) -> None:
        """Preview the chosen sale's receipt as a roll PDF, to print or save."""
        sale = self.sale
        if sale is None:
            return
        db, ref = self._db, str(sale.id)
        request = PrintRequest(
            title=tr("Receipt {number}", number=sale.number),
            file_name=file_name("receipt", sale.number),
            build=lambda roll: receipt_pdf(sale_receipt(db, ref), int(roll)),
            layouts=receipt_rolls(),
        )
        if self.preview is not None:
            self.preview.deleteLater()
        self.preview = PrintPreview.show_request(request, self._ops, self)
        self.preview.handed_over.connect(self.message.show_info)

    def ask_refund(self) -> None:
        sale = self.sale
        if sale is None or sale.status is not SaleStatus.COMPLETED:
            return
        if not self.may_refund:
            self.message.show_error(
                tr("Only a manager can refund a sale. Ask a manager to sign in.")
            )
            return
        self.message.clear_message()
        self.confirm.ask(
            tr(
                "Refund sale {number}? Give back {amount}; its items go back on sale.",
                number=sale.number,
                amount=money(sale.total, self._actor.currency),
            ),
            tr("Refund {amount}", amount=money(sale.total, self._actor.currency)),
            lambda: self._refund(sale),
        )

    def _refund(self, sale: SaleRow) -> None:
        db, actor, reason = self._db, self._actor, self.reason.text().strip() or None
        self.refund_button.setEnabled(False)
        self._ops.run(
            lambda: refund_sale(db, actor, str(sale.id), reason),
            success=lambda receipt: self._refunded(sale, receipt),
            failure=self._refund_failed,
        )

    def _refunded(self, sale: SaleRow, receipt: Receipt) -> None:
        self.reason.clear()
        self.message.show_info(
            tr(
                "Refunded sale {number}: give back {amount}.",
                number=sale.number,
                amount=money(receipt.total, receipt.currency),
            )
        )
        if self.sale is not None and self.sale.id == sale.id:
            self.receipt.setPlainText(render_receipt(receipt))
        self.model.refresh()

    def _refund_failed(self, error: Exception) -> None:
        self.message.show_error(error_message(error))
        self._refund_controls()

    def select_sale(self, number: str) -> None:
        """Choose the listed sale with this number (for a caller that knows it)."""
        for position, row in enumerate(self.model.rows):
            if row.number == number:
                select_row(self.table, position)
                return
