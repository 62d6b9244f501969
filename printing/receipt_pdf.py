"""Receipts as PDF on a 58 or 80 mm roll: the text rows, then the sale number as a barcode."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from posapp.services.receipts import Receipt
from printing.barcodes import DOT, MM, PlacedBarcode, code128, module_dots_for
from printing.fonts import fit_text, font_for, text_width
from printing.receipt_text import Row, receipt_rows

PRINTABLE_DOTS = {58: 384, 80: 576}
FONT_SIZE = {58: 7.5, 80: 9.0}
PAD_Y = 4 * MM
BAR_HEIGHT = 10 * MM
MAX_MODULE_DOTS = 3


def _draw_row(canvas: Canvas, row: Row, left: float, right: float, y: float, size: float) -> None:
    if row is None:
        canvas.setLineWidth(0.5)
        canvas.line(left, y + size * 0.35, right, y + size * 0.35)
        return
    text, amount = row
    room = right - left - (text_width(amount, size) + 2 * MM if amount else 0)
    shown = fit_text(text, size, room)
    canvas.setFont(font_for(shown), size)
    canvas.drawString(left, y, shown)
    if amount:
        canvas.setFont(font_for(amount), size)
        canvas.drawRightString(right, y, amount)


def receipt_pdf(receipt: Receipt, roll_mm: int = 80) -> bytes:
    """One page as long as the receipt, ``roll_mm`` wide; text within the printer's dots."""
    size = FONT_SIZE[roll_mm]
    line = size * 1.35
    rows = receipt_rows(receipt)
    page_width = roll_mm * MM
    printable = PRINTABLE_DOTS[roll_mm] * DOT
    left = (page_width - printable) / 2
    barcode_area = BAR_HEIGHT + line + 3 * MM
    height = 2 * PAD_Y + len(rows) * line + barcode_area
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, height), pageCompression=1)
    canvas.setTitle(receipt.number)
    y = height - PAD_Y - size
    for row in rows:
        _draw_row(canvas, row, left, left + printable, y, size)
        y -= line
    pattern = code128(receipt.number)
    barcode = PlacedBarcode(pattern, module_dots_for(pattern, printable, MAX_MODULE_DOTS))
    bar_bottom = PAD_Y + line
    barcode.draw(canvas, (page_width - barcode.width) / 2, bar_bottom, BAR_HEIGHT)
    canvas.setFont(font_for(receipt.number), size)
    canvas.drawCentredString(page_width / 2, PAD_Y, receipt.number)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
