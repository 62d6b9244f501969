"""Coupon sheets: one label per coupon with its barcode, code, campaign, value and expiry."""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from posapp import codes
from posapp.i18n import day, money, tr
from posapp.models import DiscountKind
from posapp.services.coupon_printing import CouponLabel, CouponPrintJob
from printing.barcodes import MM, PlacedBarcode, code128, module_dots_for
from printing.fonts import fit_text, font_for, text_width
from printing.layouts import SheetLayout

PAD_X = 5 * MM  # laser printers leave ~4 mm at the paper's edge unprinted
PAD_Y = 2 * MM
NAME_SIZE = 8.0
TEXT_SIZE = 6.5
CODE_SIZE = 8.0
MAX_BAR_HEIGHT = 12 * MM
COMPACT_BELOW = 30 * MM  # label height


def value_text(job: CouponPrintJob) -> str:
    if job.kind is DiscountKind.PERCENT:
        percent = format((Decimal(job.value) / 100).normalize(), "f")
        value = tr("{percent}% off", percent=percent)
    else:
        value = tr("{amount} off", amount=money(job.value, job.currency))
    if job.min_spend:
        spend = money(job.min_spend, job.currency)
        return tr("{value} on a spend of {amount} or more", value=value, amount=spend)
    return value


def expiry_text(job: CouponPrintJob, label: CouponLabel) -> str:
    if label.expires_on is not None:
        return tr("Valid until {date}", date=day(label.expires_on))
    if job.valid_days:
        return tr("Valid for {days} days from issue", days=job.valid_days)
    return ""


def _line(
    canvas: Canvas, text: str, x: float, y: float, size: float, room: float, right: bool = False
) -> float:
    """Draw one line cut to ``room`` (right-aligned at ``x`` if ``right``); returns its width."""
    bold = size >= NAME_SIZE
    shown = fit_text(text, size, room, bold)
    canvas.setFont(font_for(shown, bold), size)
    if right:
        canvas.drawRightString(x, y, shown)
    else:
        canvas.drawString(x, y, shown)
    return text_width(shown, size, bold)


def _top_lines(canvas: Canvas, job: CouponPrintJob, x: float, top: float, room: float) -> float:
    """Campaign name, value and description from ``top`` down; returns the last baseline."""
    y = top - NAME_SIZE
    _line(canvas, job.campaign_name, x, y, NAME_SIZE, room)
    y -= TEXT_SIZE + 2
    _line(canvas, value_text(job), x, y, TEXT_SIZE, room)
    if job.description:
        y -= TEXT_SIZE + 1.5
        _line(canvas, job.description, x, y, TEXT_SIZE, room)
    return y


def draw_coupon(
    canvas: Canvas, job: CouponPrintJob, label: CouponLabel, layout: SheetLayout, index: int
) -> None:
    left, bottom = layout.label_origin(index)
    room = layout.label_width - 2 * PAD_X
    x = left + PAD_X
    lowest_text = _top_lines(canvas, job, x, bottom + layout.label_height - PAD_Y, room)
    compact = layout.label_height < COMPACT_BELOW  # code and expiry share the bottom line
    code_y = bottom + PAD_Y if compact else bottom + PAD_Y + TEXT_SIZE + 1.5
    bar_bottom = code_y + CODE_SIZE + 1.5
    height = min(MAX_BAR_HEIGHT, lowest_text - 3 - bar_bottom)
    pattern = code128(label.code)
    barcode = PlacedBarcode(pattern, module_dots_for(pattern, layout.label_width - 2 * MM))
    barcode.draw(canvas, left + (layout.label_width - barcode.width) / 2, bar_bottom, height)
    used = _line(canvas, codes.grouped(label.code), x, code_y, CODE_SIZE, room)
    expiry = expiry_text(job, label)
    if compact:
        _line(canvas, expiry, x + room, code_y, TEXT_SIZE, room - used - 2 * MM, right=True)
    else:
        _line(canvas, expiry, x, bottom + PAD_Y, TEXT_SIZE, room)


def coupon_sheet_pdf(job: CouponPrintJob, layout: SheetLayout) -> bytes:
    """The whole printout as PDF bytes: ``layout.per_page`` coupons a page, in job order."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.page_width, layout.page_height), pageCompression=1)
    canvas.setTitle(job.campaign_name)
    canvas.setCreator("posapp")
    for index, label in enumerate(job.coupons):
        if index and index % layout.per_page == 0:
            canvas.showPage()
        draw_coupon(canvas, job, label, layout, index)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
