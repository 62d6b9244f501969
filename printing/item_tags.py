"""Item tags: price, consignor number, intake date, the markdown if any ("Markdown: -30% from
Dec 15, 2026") and the item's barcode, on label sheets or a 58/80 mm label roll (one tag a page).
In-store 13-digit codes print as EAN-13, others Code 128."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from posapp import labels
from posapp.i18n import day, money, tr
from posapp.services.item_tags import ItemTag
from printing.barcodes import DOT, MM, PlacedBarcode, item_pattern, module_dots_for
from printing.fonts import fit_text, font_for, text_width
from printing.layouts import SheetLayout

PAD = 2 * MM
NAME_SIZE = 7.0
PRICE_SIZE = 13.0
SMALL_SIZE = 6.5
MAX_BAR_HEIGHT = 14 * MM
SHEET_EDGE = 4 * MM


@dataclass(frozen=True)
class TagBox:
    left: float
    bottom: float
    width: float
    height: float
    printable: float  # width the printer can reach (a roll's dots), centred in the box


ROLLS = {"roll-58": (58, 384, 40), "roll-80": (80, 576, 50)}  # paper mm, dots, tag height mm


def _text(canvas: Canvas, text: str, x: float, y: float, size: float, room: float) -> float:
    bold = size >= PRICE_SIZE
    shown = fit_text(text, size, room, bold)
    canvas.setFont(font_for(shown, bold), size)
    canvas.drawString(x, y, shown)
    return text_width(shown, size, bold)


def draw_tag(canvas: Canvas, tag: ItemTag, box: TagBox, ean_prefixes: tuple[str, ...]) -> None:
    inset = max(PAD, (box.width - box.printable) / 2 + 1 * MM)
    x, room = box.left + inset, box.width - 2 * inset
    y = box.bottom + box.height - PAD - NAME_SIZE
    _text(canvas, tag.name, x, y, NAME_SIZE, room)
    y -= PRICE_SIZE + 1
    used = _text(canvas, money(tag.price, tag.currency), x, y, PRICE_SIZE, room)
    if tag.consignor_number:
        owner = tr("Consignor {number}", number=tag.consignor_number)
        size, right = SMALL_SIZE, x + room
        canvas.setFont(font_for(owner), size)
        canvas.drawRightString(right, y, fit_text(owner, size, room - used - 2 * MM))
    if tag.intake_date:
        y -= SMALL_SIZE + 2
        _text(canvas, tr("In {date}", date=day(tag.intake_date)), x, y, SMALL_SIZE, room)
    if tag.markdown:
        y -= SMALL_SIZE + 2
        cut = tr(
            "Markdown: -{percent} from {date}",
            percent=labels.percent(tag.markdown.percent_bp),
            date=day(tag.markdown.on),
        )
        _text(canvas, cut, x, y, SMALL_SIZE, room)
    code_y = box.bottom + PAD
    bar_bottom = code_y + SMALL_SIZE + 1.5
    pattern = item_pattern(tag.barcode, ean_prefixes)
    barcode = PlacedBarcode(
        pattern, module_dots_for(pattern, min(box.printable, box.width) - 2 * DOT)
    )
    height = min(MAX_BAR_HEIGHT, y - 3 - bar_bottom)
    barcode.draw(canvas, box.left + (box.width - barcode.width) / 2, bar_bottom, height)
    canvas.setFont(font_for(tag.barcode), SMALL_SIZE)
    canvas.drawCentredString(box.left + box.width / 2, code_y, tag.barcode)


def tag_sheet_pdf(tags: list[ItemTag], layout: SheetLayout, ean_prefixes: tuple[str, ...]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.page_width, layout.page_height), pageCompression=1)
    for index, tag in enumerate(tags):
        if index and index % layout.per_page == 0:
            canvas.showPage()
        left, bottom = layout.label_origin(index)
        printable = layout.label_width - 2 * SHEET_EDGE  # lasers leave the paper's edge blank
        box = TagBox(left, bottom, layout.label_width, layout.label_height, printable)
        draw_tag(canvas, tag, box, ean_prefixes)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def tag_roll_pdf(tags: list[ItemTag], roll: str, ean_prefixes: tuple[str, ...]) -> bytes:
    """One page per tag, as wide as the roll; the content stays within the printer's dots."""
    paper_mm, dots, height_mm = ROLLS[roll]
    size = (paper_mm * MM, height_mm * MM)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    for tag in tags:
        draw_tag(canvas, tag, TagBox(0, 0, size[0], size[1], dots * DOT), ean_prefixes)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
