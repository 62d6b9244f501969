"""Item tags scan back: sheets and label rolls decode to exactly the items asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from printing.layouts import LAYOUTS
from tests.cli.helpers import Cli
from tests.printing.conftest import query
from tests.printing.pdf_reading import (
    LASER_DPI,
    THERMAL_DPI,
    decoded_codes,
    decoded_labels,
    image_objects,
    page_images,
    page_texts,
    read,
)


def _available_of(db: Path, consignor: str) -> list[str]:
    rows = query(
        db,
        "SELECT i.barcode FROM items i JOIN consignors c ON c.id = i.consignor_id "
        "WHERE c.number = ? AND i.status = 'available' ORDER BY i.id",
        consignor,
    )
    return [str(barcode) for (barcode,) in rows]


@pytest.mark.parametrize("layout", ["a4-3x8", "letter-3x10"])
def test_tag_sheet_decodes_to_the_consignors_items(
    cli: Cli, demo_path: Path, tmp_path: Path, layout: str
) -> None:
    out = tmp_path / "tags.pdf"
    result = cli("tags", "print", "--consignor", "100003", "--layout", layout, "--out", str(out))
    assert result.code == 0, result.err
    wanted = _available_of(demo_path, "100003")
    assert f"{len(wanted)} tags" in result.out
    for dpi in (LASER_DPI, THERMAL_DPI):
        assert sorted(decoded_labels(out, dpi, LAYOUTS[layout])) == sorted(wanted)
    assert image_objects(out) == 0


def test_tag_shows_price_consignor_and_intake(cli: Cli, demo_path: Path, tmp_path: Path) -> None:
    barcode = _available_of(demo_path, "100003")[0]
    ((name, price, intake),) = query(
        demo_path, "SELECT name, price, intake_date FROM items WHERE barcode = ?", barcode
    )
    out = tmp_path / "one.pdf"
    assert cli("tags", "print", "--item", barcode, "--out", str(out)).code == 0
    (text,) = page_texts(out)
    assert str(name) in text
    assert f"CN¥{int(str(price)) / 100:,.2f}" in text
    assert "Consignor 100003" in text and "In " in text and barcode in text
    assert intake is not None


@pytest.mark.parametrize(("roll", "width_mm"), [("roll-58", 58), ("roll-80", 80)])
def test_label_roll_one_tag_a_page(cli: Cli, tmp_path: Path, roll: str, width_mm: int) -> None:
    items = ["2000000000015", "2000000000022", "2000000000039"]
    out = tmp_path / "roll.pdf"
    args = [a for b in items for a in ("--item", b)]
    assert cli("tags", "print", *args, "--layout", roll, "--out", str(out)).code == 0
    for dpi in (LASER_DPI, THERMAL_DPI):
        pages = page_images(out, dpi)
        assert [len(read(page)) for page in pages] == [1, 1, 1]
        assert pages[0].width == pytest.approx(width_mm / 25.4 * dpi, abs=1)
        assert decoded_codes(out, dpi) == items  # in the order asked for
    results = read(page_images(out, THERMAL_DPI)[0])
    assert results[0].format.name == "EAN13"


def test_other_codes_print_as_code128_and_the_prefix_is_configurable(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "c128.pdf"
    item = "2000000000015"
    assert cli("tags", "print", "--item", item, "--ean-prefix", "29", "--out", str(out)).code == 0
    results = read(page_images(out, LASER_DPI)[0])
    assert [(r.text, r.format.name) for r in results] == [(item, "Code128")]


def test_unknown_item_and_unwritable_file(cli: Cli, tmp_path: Path) -> None:
    unknown = cli("tags", "print", "--item", "999", "--out", str(tmp_path / "t.pdf"))
    assert unknown.code == 2 and "No item with barcode 999" in unknown.err
    nowhere = cli(
        "tags", "print", "--item", "2000000000015", "--out", str(tmp_path / "x" / "t.pdf")
    )
    assert nowhere.code == 2 and nowhere.err.startswith("Cannot write")
    assert not list(tmp_path.rglob("*.pdf"))
