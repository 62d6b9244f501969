"""Vector barcodes land on a 203 dpi printer's dots: no grey edges, bars whole dots, quiet zones."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from posapp.services.errors import InvalidInput
from printing.barcodes import DOT, MM, PlacedBarcode, code128, ean13, item_pattern, module_dots_for
from tests.printing.pdf_reading import LASER_DPI, THERMAL_DPI, image_objects, page_images, read


def _barcode_pdf(path: Path, barcode: PlacedBarcode, x: float) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(80 * MM, 30 * MM), pageCompression=0)
    barcode.draw(canvas, x, 5 * MM, 15 * MM)
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _bars_in_dots(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """(left edge, width) of every bar the page draws, in 203 dpi printer dots: the bars are
    rectangles in a coordinate system that the ``cm`` matrix scales and moves."""
    scale, origin = re.findall(rb"([\d.]+) 0 0 [\d.]+ ([\d.]+) [\d.]+ cm", pdf_bytes)[-1]
    module, left = float(scale) / DOT, float(origin) / DOT
    found = re.findall(rb"([\d.]+) 0 ([\d.]+) 1 re", pdf_bytes)
    return [(left + float(x) * module, float(width) * module) for x, width in found]


@pytest.mark.parametrize("module_dots", [2, 3])
def test_bars_are_whole_printer_dots_with_quiet_zones(tmp_path: Path, module_dots: int) -> None:
    pdf = tmp_path / "one.pdf"
    barcode = PlacedBarcode(code128("C4J71K4NGMWR"), module_dots)
    x = 3.3 * MM  # not on the dot grid: the barcode snaps to it
    bars = _bars_in_dots(_barcode_pdf(pdf, barcode, x))
    assert len(bars) == len(barcode.pattern.bars()) == 3 * 15 + 1  # 3 bars a symbol, 4 in stop
    for left, width in bars:
        assert left == pytest.approx(round(left), abs=1e-3)  # on a dot edge
        assert width == pytest.approx(round(width), abs=1e-3)
        assert round(width) % module_dots == 0 and round(width) >= 2
    quiet = bars[0][0] - x / DOT
    assert quiet >= 10 * module_dots  # 10 modules of quiet zone before the first bar
    assert barcode.width / DOT == 187 * module_dots  # and the width has room for the right one
    (image,) = page_images(pdf, THERMAL_DPI)
    assert [r.text for r in read(image)] == ["C4J71K4NGMWR"]
    assert image_objects(pdf) == 0


def test_width_counts_the_quiet_zones() -> None:
    pattern = code128("C4J71K4NGMWR")
    assert pattern.total_modules == len(pattern.modules) + 20 == 187
    assert PlacedBarcode(pattern, 2).width == pytest.approx(187 * 2 * DOT)


def test_module_width_is_the_widest_that_fits() -> None:
    pattern = code128("C4J71K4NGMWR")  # 187 modules: 374 dots at 2, 561 at 3
    assert module_dots_for(pattern, 576 * DOT) == 3  # an 80 mm roll
    assert module_dots_for(pattern, 384 * DOT) == 2  # a 58 mm roll
    with pytest.raises(InvalidInput, match="does not fit"):
        module_dots_for(pattern, 300 * DOT)


def test_in_store_ean13_and_code128_for_the_rest(tmp_path: Path) -> None:
    assert item_pattern("2000000000015").quiet_modules == 11
    assert len(item_pattern("2000000000015").modules) == 95
    assert item_pattern("ABC-123").modules == code128("ABC-123").modules
    assert item_pattern("4006381333931").modules == code128("4006381333931").modules
    with pytest.raises(InvalidInput):
        ean13("2000000000016")
    pdf = tmp_path / "ean.pdf"
    _barcode_pdf(pdf, PlacedBarcode(item_pattern("2000000000015"), 2), x=2 * MM)
    (image,) = page_images(pdf, THERMAL_DPI)
    results = read(image)
    assert [(r.text, r.format.name) for r in results] == [("2000000000015", "EAN13")]


@pytest.mark.parametrize("code", ["995Y4RY9AE77", "1234ABCD5678", "T1-000042", "00ZZZZZZZZZ0"])
def test_codes_with_digit_runs_decode_whole(tmp_path: Path, code: str) -> None:
    """Digit runs switch Code 128 to code set C; none of the digits may go missing."""
    pdf = tmp_path / "digits.pdf"
    _barcode_pdf(pdf, PlacedBarcode(code128(code), 2), x=2 * MM)
    for dpi in (LASER_DPI, THERMAL_DPI):
        (image,) = page_images(pdf, dpi)
        assert [r.text for r in read(image)] == [code]
