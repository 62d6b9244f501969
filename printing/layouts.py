"""Label sheet layouts: where each label sits on a page. A small registry plus custom sheets."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER

from posapp.i18n import tr
from posapp.services.errors import InvalidInput
from printing.barcodes import MM

PAGES = {"a4": A4, "letter": LETTER}
INCH = 72.0


@dataclass(frozen=True)
class SheetLayout:
    """A page of ``rows`` x ``cols`` equal labels; lengths in PDF points, origin top-left."""

    name: str
    page_width: float
    page_height: float
    rows: int
    cols: int
    label_width: float
    label_height: float
    margin_left: float
    margin_top: float
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_page(self) -> int:
        return self.rows * self.cols

    def label_origin(self, index: int) -> tuple[float, float]:
        """Bottom-left corner (PDF coordinates) of label ``index`` on its page, row by row."""
        row, col = divmod(index % self.per_page, self.cols)
        x = self.margin_left + col * (self.label_width + self.gap_x)
        top = self.margin_top + row * (self.label_height + self.gap_y)
        return x, self.page_height - top - self.label_height


LAYOUTS = {
    # 24 labels of 70 x 37 mm, edge to edge across the width.
    "a4-3x8": SheetLayout("a4-3x8", *A4, 8, 3, 70 * MM, 37 * MM, 0.0, 0.5 * MM),
    # Avery 5160 / 8160: 30 labels of 2 5/8 x 1 inch.
    "letter-3x10": SheetLayout(
        "letter-3x10",
        *LETTER,
        10,
        3,
        2.625 * INCH,
        1.0 * INCH,
        0.1875 * INCH,
        0.5 * INCH,
        gap_x=0.125 * INCH,
    ),
}


def custom_layout(
    page: str,
    rows: int,
    cols: int,
    margins_mm: tuple[float, float, float, float] = (10, 10, 10, 10),
    gaps_mm: tuple[float, float] = (0, 0),
) -> SheetLayout:
    """Equal labels filling ``page`` inside its margins (top, right, bottom, left) with gaps."""
    if page not in PAGES:
        raise InvalidInput(tr("Unknown page size {page}: use a4 or letter.", page=page))
    width, height = PAGES[page]
    top, right, bottom, left = (m * MM for m in margins_mm)
    gap_x, gap_y = (g * MM for g in gaps_mm)
    if rows < 1 or cols < 1 or min(*margins_mm, *gaps_mm) < 0:
        raise InvalidInput(
            tr("Rows and columns must be at least 1, margins and gaps not negative.")
        )
    label_width = (width - left - right - (cols - 1) * gap_x) / cols
    label_height = (height - top - bottom - (rows - 1) * gap_y) / rows
    if label_width < 30 * MM or label_height < 20 * MM:
        raise InvalidInput(
            tr("The labels would be smaller than 30 x 20 mm; use fewer rows or columns.")
        )
    name = f"custom-{page}-{cols}x{rows}"
    return SheetLayout(
        name, width, height, rows, cols, label_width, label_height, left, top, gap_x, gap_y
    )


def find_layout(name: str) -> SheetLayout:
    if name not in LAYOUTS:
        raise InvalidInput(
            tr(
                "Unknown layout {name}. Choose one of: {names}.",
                name=name,
                names=", ".join(LAYOUTS),
            )
        )
    return LAYOUTS[name]
