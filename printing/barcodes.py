"""Barcodes drawn as vector rectangles, every bar a whole number of thermal-printer dots.

reportlab (Code 128) and python-barcode (EAN-13) do the encoding, check symbols included; this
module only draws it. A module is ``module_dots`` dots of a 203 dpi printer (at least 2), every
bar edge lands
on that printer's dot grid (the page origin is dot 0), and the quiet zones on both sides are part
of the barcode's width, so a layout that places the barcode keeps them empty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import groupby

from barcode.ean import EuropeanArticleNumber13
from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from posapp.i18n import tr
from posapp.services.errors import InvalidInput

PRINTER_DPI = 203
POINTS_PER_INCH = 72.0
DOT = POINTS_PER_INCH / PRINTER_DPI  # one printer dot, in PDF points
MM = POINTS_PER_INCH / 25.4
MIN_MODULE_DOTS = 2
MAX_MODULE_DOTS = 4
QUIET_MODULES = 10  # Code 128 needs 10 modules; EAN-13 needs 11 on the left, 7 on the right
EAN13_QUIET_MODULES = 11


@dataclass(frozen=True)
class BarPattern:
    """A symbol's modules ('1' bar, '0' space) and the quiet zone each side, in modules."""

    text: str
    modules: str
    quiet_modules: int

    @property
    def total_modules(self) -> int:
        return len(self.modules) + 2 * self.quiet_modules

    def bars(self) -> list[tuple[int, int]]:
        """(first module, width in modules) of every bar, quiet zone included in the offsets."""
        runs = []
        position = self.quiet_modules
        for symbol, run in groupby(self.modules):
            width = len(list(run))
            if symbol == "1":
                runs.append((position, width))
            position += width
        return runs


def code128(text: str) -> BarPattern:
    """Code 128 as reportlab encodes it (start code, check symbol and stop included).

    reportlab's pattern is bar and space widths: upper case A-D a bar of 1-4 modules, lower
    case a space. (python-barcode 0.16 drops leading digits of codes like '995Y...'.)
    """
    symbol = Code128(text)
    symbol.validate()
    symbol.encode()
    widths = symbol.decompose()
    return BarPattern(
        text,
        "".join(("1" if w.isupper() else "0") * (ord(w.lower()) - 96) for w in widths),
        QUIET_MODULES,
    )


def ean13(digits: str) -> BarPattern:
    """An EAN-13 from its 13 digits; the check digit must already be right."""
    symbol = EuropeanArticleNumber13(digits[:12])
    if symbol.get_fullcode() != digits:
        raise InvalidInput(tr("{code} is not a valid EAN-13 barcode.", code=digits))
    return BarPattern(digits, symbol.build()[0], EAN13_QUIET_MODULES)


def item_pattern(barcode: str, ean_prefixes: tuple[str, ...] = ("2",)) -> BarPattern:
    """EAN-13 for a 13-digit in-store code (prefix 2x by default), Code 128 for anything else."""
    if len(barcode) == 13 and barcode.isdigit() and barcode.startswith(ean_prefixes):
        try:
            return ean13(barcode)
        except InvalidInput:
            pass
    return code128(barcode)


def snap_to_dot(points: float) -> float:
    """The first printer-dot edge at or after ``points``."""
    return math.ceil(points / DOT - 1e-6) * DOT


def module_dots_for(pattern: BarPattern, room: float, most: int = MAX_MODULE_DOTS) -> int:
    """The widest whole-dot module (2 to ``most`` dots) fitting ``room`` points, quiet zones in."""
    for dots in range(most, MIN_MODULE_DOTS - 1, -1):
        if pattern.total_modules * dots * DOT <= room:
            return dots
    raise InvalidInput(
        tr(
            "The barcode {code} does not fit on this label; choose a larger layout.",
            code=pattern.text,
        )
    )


@dataclass(frozen=True)
class PlacedBarcode:
    pattern: BarPattern
    module_dots: int

    @property
    def width(self) -> float:
        """Points from the left edge of the left quiet zone to the right edge of the right one."""
        return self.pattern.total_modules * self.module_dots * DOT

    def draw(self, canvas: Canvas, x: float, y: float, height: float) -> float:
        """Draw with the left quiet zone starting at the first dot edge at or after ``x``.

        Returns the x where the quiet zone starts. The bars are one filled path in module units
        (a matrix scales a module to ``module_dots`` dots), so every edge is a whole dot.
        """
        left = snap_to_dot(x)
        canvas.saveState()
        canvas.transform(self.module_dots * DOT, 0, 0, height, left, y)
        canvas.addLiteral(
            " ".join(f"{start} 0 {width} 1 re" for start, width in self.pattern.bars()) + " f"
        )
        canvas.restoreState()
        return left
