"""Receipts as PDF on a 58 or 80 mm roll: the text rows, then the sale number as a barcode; a
bounce-back coupon handed out with the sale follows with its rows and its code as a barcode."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from posapp import codes
from posapp.services.receipts import Receipt
from printing.barcodes import DOT, MM, PlacedBarcode, code128, module_dots_for
from printing.fonts import fit_text, font_for, text_width
from printing.receipt_text import Row, bounce_back_rows, receipt_rows

PRINTABLE_DOTS = {58: 384, 80: 576}
FONT_SIZE = {58: 7.5, 80: 9.0}
PAD_Y = 4 * MM
BAR_HEIGHT = 10 * MM
MAX_MODULE_DOTS = 3
BLOCK_GAP = 3 * MM

Block = tuple[list[Row], str, str]  # rows, barcode data, caption under the bars


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


def _block_height(rows: list[Row], line: float) -> float:
    return len(rows) * line + 3 * MM + BAR_HEIGHT + line


def _draw_block(
    canvas: Canvas, block: Block, top: float, size: float, page_width: float, printable: float
) -> float:
    """The block's rows from ``top`` down, then its Code 128 centred, its caption below;
    returns the block's bottom."""
    rows, data, caption = block
    left = (page_width - printable) / 2
    line = size * 1.35
    y = top - size
    for row in rows:
        _draw_row(canvas, row, left, left + printable, y, size)
        y -= line
    pattern = code128(data)
    barcode = PlacedBarcode(pattern, module_dots_for(pattern, printable, MAX_MODULE_DOTS))
    bottom = top - _block_height(rows, line)
    barcode.draw(canvas, (page_width - barcode.width) / 2, bottom + line, BAR_HEIGHT)
    canvas.setFont(font_for(caption), size)
    canvas.drawCentredString(page_width / 2, bottom, caption)
    return bottom


def receipt_pdf(receipt: Receipt, roll_mm: int = 80) -> bytes:
    """One page as long as the receipt, ``roll_mm`` wide; text within the printer's dots. The
    sale number, then each bounce-back coupon's code, print as dot-snapped Code 128."""
    size = FONT_SIZE[roll_mm]
    line = size * 1.35
    blocks: list[Block] = [(receipt_rows(receipt), receipt.number, receipt.number)]
    for coupon in receipt.bounce_backs:
        rows = bounce_back_rows(coupon, receipt.currency)
        blocks.append((rows, coupon.code, codes.grouped(coupon.code)))
    page_width = roll_mm * MM
    printable = PRINTABLE_DOTS[roll_mm] * DOT
    height = 2 * PAD_Y + sum(_block_height(rows, line) for rows, _, _ in blocks)
    height += BLOCK_GAP * (len(blocks) - 1)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, height), pageCompression=1)
    canvas.setTitle(receipt.number)
    top = height - PAD_Y
    for block in blocks:
        top = _draw_block(canvas, block, top, size, page_width, printable) - BLOCK_GAP
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
