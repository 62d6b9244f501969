"""Receipts as ESC/POS bytes for thermal printers, built with python-escpos.

Chinese text is written here, not by python-escpos's automatic encoding (which never sends FS &,
turns '，。' alone into '???' and sends U+00A5 '¥' as 4 GB18030 bytes that GBK printers misprint):
FS & enters the printer's Chinese mode, every line goes as GB18030 with the full-width '￥', and
FS . leaves it. A printer without a Chinese font gets each non-ASCII line as a raster image
(GS v 0) drawn with the shipped CJK font instead. Spaces GBK has no code for (U+202F and U+00A0
from locale time and number formats, U+2000-U+200A...) go as a plain space on both paths, never as
4 GB18030 bytes or an image. The sale number prints as a native Code 128 (GS k), so a return scans
it; a bounce-back coupon handed out with the sale follows, its lines and its code as a native
Code 128 too, so the next visit scans it at the till.
"""

from __future__ import annotations

import contextlib
import io
import unicodedata

from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from posapp.services.receipts import Receipt
from printing.fonts import font_path
from printing.receipt_text import bounce_back_rows, display_width, receipt_rows, text_lines

CHINESE_MODE_ON = b"\x1c\x26"  # FS &
CHINESE_MODE_OFF = b"\x1c\x2e"  # FS .
ALIGN_LEFT = b"\x1b\x61\x00"  # ESC a 0: a barcode leaves the printer centring
COLUMNS = {58: 32, 80: 48}  # 12-dot characters on 384 and 576 dots
DOTS = {58: 384, 80: 576}
LINE_DOTS = 24  # font A is 12 x 24 dots; a hanzi 24 x 24
BARCODE_MODULE_DOTS = 2
BARCODE_HEIGHT_DOTS = 64


def full_width_yen(line: str, width: int) -> str:
    """'¥' -> '￥' (2 columns on the printer); the line keeps its width by giving up spaces."""
    count = line.count("¥")
    if not count:
        return line
    wide = line.replace("¥", "￥")
    excess = display_width(wide) - width
    if excess > 0 and " " * (excess + 1) in wide:
        cut = wide.rindex(" " * (excess + 1))  # the gap before the amount, never the indent
        wide = wide[:cut] + wide[cut + excess :]
    return wide


IDEOGRAPHIC_SPACE = "\u3000"  # GBK has it (A1 A1): the one wide space kept


def plain_spaces(line: str) -> str:
    """Any space but " " and the ideographic one (U+202F, U+00A0, U+2009...) becomes " "."""
    return "".join(
        " " if ch != IDEOGRAPHIC_SPACE and unicodedata.category(ch) == "Zs" else ch for ch in line
    )


def chinese_line(line: str, width: int) -> bytes:
    return full_width_yen(plain_spaces(line), width).encode("gb18030") + b"\n"


def raster_line(line: str, dots: int) -> Image.Image:
    """One line of text as a 1-bit image ``dots`` wide, drawn with the shipped CJK font."""
    image = Image.new("1", (dots, LINE_DOTS), 1)
    font = ImageFont.truetype(font_path(), LINE_DOTS - 2, index=0)
    ImageDraw.Draw(image).text((0, 0), line, font=font, fill=0)
    return image


def _text(printer: Dummy, lines: list[str], roll_mm: int, chinese: bool) -> None:
    if chinese:
        printer._raw(CHINESE_MODE_ON)
        for line in lines:
            printer._raw(chinese_line(line, COLUMNS[roll_mm]))
        printer._raw(CHINESE_MODE_OFF)
        return
    for line in map(plain_spaces, lines):
        if line.isascii():
            printer._raw(line.encode("ascii") + b"\n")
        else:
            printer.image(raster_line(line, DOTS[roll_mm]), impl="bitImageRaster")


def _code128(printer: Dummy, text: str) -> None:
    """``text`` as a native Code 128, code set B, the text printed below the bars."""
    printer.barcode(
        "{B" + text,
        "CODE128",
        height=BARCODE_HEIGHT_DOTS,
        width=BARCODE_MODULE_DOTS,
        pos="BELOW",
        function_type="B",
        check=False,
    )


def escpos_receipt(receipt: Receipt, roll_mm: int = 80, chinese: bool = True) -> bytes:
    """The whole receipt as bytes for an ESC/POS printer on a ``roll_mm`` (58 or 80) roll.

    ``chinese``: the printer has a GB18030 font (FS & mode); otherwise non-ASCII lines go as
    raster images."""
    printer = Dummy()
    width = COLUMNS[roll_mm]
    with contextlib.redirect_stdout(io.StringIO()):  # python-escpos prints notes on stdout
        printer.hw("INIT")
        _text(printer, text_lines(receipt_rows(receipt), width), roll_mm, chinese)
        _code128(printer, receipt.number)
        for coupon in receipt.bounce_backs:
            rows = bounce_back_rows(coupon, receipt.currency)
            printer._raw(ALIGN_LEFT)
            _text(printer, text_lines(rows, width), roll_mm, chinese)
            _code128(printer, coupon.code)
        printer.cut()
    return bytes(printer.output)
