"""Reading printed PDFs back as a person (or a till's scanner) would: pages rendered to pixels at a
printer's resolution, barcodes decoded with zxing-cpp, text extracted with pdfium."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import zxingcpp
from PIL import Image

from printing.layouts import SheetLayout

THERMAL_DPI = 203
LASER_DPI = 300


def read(image: Image.Image) -> list[zxingcpp.Barcode]:
    """Decode at the resolution given. zxing's extra pass over a half-size copy would read 2-dot
    modules at ~1.5 px (150 dpi), below what these tests claim, and can misread one symbol."""
    return zxingcpp.read_barcodes(image, try_downscale=False)


def page_images(pdf: Path, dpi: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def decoded_codes(pdf: Path, dpi: int) -> list[str]:
    """Every barcode text found on every page (a list, so duplicates would show)."""
    found: list[str] = []
    for image in page_images(pdf, dpi):
        found.extend(result.text for result in read(image))
    return found


def decoded_labels(pdf: Path, dpi: int, layout: SheetLayout) -> list[str]:
    """Every barcode text found label by label, as a scanner held over each label reads it."""
    found: list[str] = []
    scale = dpi / 72
    for image in page_images(pdf, dpi):
        for slot in range(layout.per_page):
            left, bottom = layout.label_origin(slot)
            top = layout.page_height - bottom - layout.label_height
            box = (left, top, left + layout.label_width, top + layout.label_height)
            label = image.crop(tuple(round(edge * scale) for edge in box))
            found.extend(result.text for result in read(label))
    return found


def page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def image_objects(pdf: Path) -> int:
    """How many embedded bitmaps the pages draw (a vector barcode has none)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return sum(
            1
            for page in document
            for obj in page.get_objects()
            if obj.type == pdfium_raw.FPDF_PAGEOBJ_IMAGE
        )
    finally:
        document.close()
