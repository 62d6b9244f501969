"""Coupon sheets scan back: every printed PDF decodes to exactly the coupons the database marked
printed, at a laser printer's 300 dpi and a thermal printer's 203 dpi."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

import printing
from posapp.i18n import day
from printing.fonts import font_path
from printing.layouts import LAYOUTS, custom_layout
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
)

SPRING = "春季九折 Spring 10%"  # the demo's second campaign: 10 generated coupons


def _codes_in_state(db: Path, state: str, campaign: int = 2) -> set[str]:
    rows = query(
        db, "SELECT code FROM coupons WHERE campaign_id = ? AND state = ?", campaign, state
    )
    return {str(code) for (code,) in rows}


def _events(db: Path, event_type: str) -> list[dict[str, object]]:
    rows = query(db, "SELECT payload FROM outbox_events WHERE type = ? ORDER BY seq", event_type)
    return [json.loads(str(payload)) for (payload,) in rows]


LAYOUT_OPTIONS = {
    "a4-3x8": ["--layout", "a4-3x8"],
    "letter-3x10": ["--layout", "letter-3x10"],
    "custom": ["--layout", "custom", "--page", "a4", "--rows", "6", "--cols", "2",
               "--margins", "12,8,12,8", "--gaps", "4,2"],
}  # fmt: skip
SHEETS = {**LAYOUTS, "custom": custom_layout("a4", 6, 2, (12, 8, 12, 8), (4, 2))}
PAGES_FOR_40 = {"a4-3x8": 2, "letter-3x10": 2, "custom": 4}


@pytest.mark.parametrize("layout", list(LAYOUT_OPTIONS))
def test_printed_sheet_decodes_to_exactly_the_printed_coupons(
    cli: Cli, demo_path: Path, tmp_path: Path, layout: str
) -> None:
    assert cli("coupons", "generate", "--campaign", "2", "--count", "30").code == 0
    new = _codes_in_state(demo_path, "generated")
    assert len(new) == 40
    out = tmp_path / "coupons.pdf"
    result = cli("coupons", "print", "--campaign", "2", "--out", str(out), *LAYOUT_OPTIONS[layout])
    assert result.code == 0, result.err
    assert "40 coupons" in result.out
    printed = _codes_in_state(demo_path, "printed")
    assert printed == new and not _codes_in_state(demo_path, "generated")
    assert len(page_images(out, LASER_DPI)) == PAGES_FOR_40[layout]
    for dpi in (LASER_DPI, THERMAL_DPI):
        decoded = decoded_labels(out, dpi, SHEETS[layout])
        assert sorted(decoded) == sorted(printed), f"{layout} at {dpi} dpi"
    assert image_objects(out) == 0  # vector bars, no bitmaps
    assert out.stat().st_size < 200_000


def test_each_label_shows_campaign_value_code_and_expiry(
    cli: Cli, demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "welcome.pdf"
    cli("coupons", "generate", "--campaign", "1", "--count", "2")
    assert cli("coupons", "print", "--campaign", "1", "--out", str(out)).code == 0
    (text,) = page_texts(out)
    for code in _codes_in_state(demo_path, "printed", campaign=1):
        assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in text
    assert "Welcome ¥20" in text
    assert "CN¥20.00 off on a spend of CN¥100.00 or more" in text
    assert "¥20 off a spend of ¥100 or more" in text  # the campaign's description
    # Printing hands the coupons out: their 14 days start today, and the label says the last day.
    last = date.today() + timedelta(days=14)
    assert f"Valid until {day(last)}" in text
    stored = query(demo_path, "SELECT DISTINCT expires_on FROM coupons WHERE state = 'printed'")
    assert stored == [(last.isoformat(),)]


def test_chinese_campaign_name_prints_in_an_embedded_font(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "spring.pdf"
    assert cli("coupons", "print", "--campaign", "2", "--out", str(out)).code == 0
    assert SPRING in page_texts(out)[0]
    data = out.read_bytes()
    assert b"+WenQuanYiMicroHei" in data  # a subset (the "XXXXXX+" prefix) of the shipped font
    assert b"/FontFile2" in data  # embedded TrueType outlines, not a name the viewer must have
    shipped = Path(printing.__file__).parent / "fonts" / "wqy-microhei.ttc"
    assert Path(font_path()) == shipped and shipped.is_file()  # from the package, not the system


def test_chinese_labels_in_the_chinese_locale(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "spring-zh.pdf"
    assert (
        cli("--locale", "zh_CN", "coupons", "print", "--campaign", "2", "--out", str(out)).code == 0
    )
    text = page_texts(out)[0]
    assert "优惠 10%" in text and "有效期至 " in text  # value and expiry in Chinese
    assert len(decoded_codes(out, THERMAL_DPI)) == 10


def test_a_reprint_is_allowed_and_recorded(cli: Cli, demo_path: Path, tmp_path: Path) -> None:
    first, again = tmp_path / "first.pdf", tmp_path / "again.pdf"
    assert cli("coupons", "print", "--campaign", "2", "--out", str(first)).code == 0
    printed = _codes_in_state(demo_path, "printed")
    refused = cli("coupons", "print", "--campaign", "2", "--out", str(again))
    assert refused.code == 2
    assert "has no new coupons to print" in refused.err and not again.exists()
    result = cli("coupons", "print", "--campaign", "2", "--reprint", "--out", str(again))
    assert result.code == 0 and "10 of them were printed before" in result.out
    assert sorted(decoded_codes(again, LASER_DPI)) == sorted(printed)
    assert _codes_in_state(demo_path, "printed") == printed
    assert [sorted(e["codes"]) for e in _events(demo_path, "coupons.printed")] == [sorted(printed)]
    assert [sorted(e["codes"]) for e in _events(demo_path, "coupons.reprinted")] == [
        sorted(printed)
    ]


def test_one_damaged_label_printed_again(cli: Cli, demo_path: Path, tmp_path: Path) -> None:
    (issued,) = query(demo_path, "SELECT code FROM coupons WHERE state = 'issued' LIMIT 1")
    out = tmp_path / "one.pdf"
    result = cli("coupons", "print", "--campaign", "1", "--code", str(issued[0]), "--out", str(out))
    assert result.code == 0, result.err
    assert decoded_codes(out, THERMAL_DPI) == [issued[0]]
    assert query(demo_path, "SELECT state FROM coupons WHERE code = ?", issued[0]) == [("issued",)]
    assert [e["codes"] for e in _events(demo_path, "coupons.reprinted")] == [[issued[0]]]


def test_unwritable_output_changes_nothing(cli: Cli, demo_path: Path, tmp_path: Path) -> None:
    before_events = query(demo_path, "SELECT count(*) FROM outbox_events")
    generated = _codes_in_state(demo_path, "generated")
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder")
    for target in (tmp_path / "missing" / "c.pdf", not_a_folder / "c.pdf", tmp_path):
        result = cli("coupons", "print", "--campaign", "2", "--out", str(target))
        assert result.code == 2
        assert result.err.startswith(("Cannot write", f"{tmp_path} is a folder"))
        assert "Traceback" not in result.err
    assert _codes_in_state(demo_path, "generated") == generated
    assert query(demo_path, "SELECT count(*) FROM outbox_events") == before_events
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".posapp-*"))


def test_bad_layouts_get_plain_messages(cli: Cli, demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    tiny = cli("coupons", "print", "--campaign", "2", "--layout", "custom", "--rows", "30",
               "--out", str(out))  # fmt: skip
    assert tiny.code == 2 and "smaller than 30 x 20 mm" in tiny.err
    bad = cli("coupons", "print", "--campaign", "2", "--layout", "custom", "--margins", "a,b",
              "--out", str(out))  # fmt: skip
    assert bad.code == 2 and "sizes in mm" in bad.err
    assert not out.exists() and len(_codes_in_state(demo_path, "generated")) == 10
