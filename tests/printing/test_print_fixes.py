"""Small printing fixes: a device path (here a FIFO standing in for /dev/usb/lp0) is written
straight through and stays a device, also as a ``file:`` printer target; spaces GBK lacks go to
ESC/POS as plain spaces; `tags print --items` takes several barcodes; the tag shows a markdown."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from posapp import i18n
from printing.escpos_receipt import chinese_line, escpos_receipt, plain_spaces
from printing.output import write_file
from printing.printers import send_escpos
from tests.cli.helpers import Cli
from tests.printing.conftest import query
from tests.printing.pdf_reading import LASER_DPI, THERMAL_DPI, decoded_codes, page_texts
from tests.printing.test_bounce_back_receipts import RECEIPT


class FifoReader:
    """Reads everything written to a FIFO, as a printer's device node would take it."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.path = path
        self.received = b""
        self.thread = threading.Thread(target=self._read, daemon=True)

    def _read(self) -> None:
        with self.path.open("rb") as stream:
            self.received = stream.read()

    def __enter__(self) -> FifoReader:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


def test_write_file_goes_straight_to_a_device_and_leaves_it_a_device(tmp_path: Path) -> None:
    folder = tmp_path / "dev"
    folder.mkdir()
    device = folder / "lp0"
    data = b"\x1b@hello\n" * 10_000  # more than a pipe holds at once
    with FifoReader(device) as printer:
        write_file(device, data)
    assert printer.received == data
    assert stat.S_ISFIFO(device.stat().st_mode)  # not replaced by a regular file
    assert [p.name for p in folder.iterdir()] == ["lp0"]  # no temporary file left beside it


def test_file_target_writes_a_device_or_a_whole_regular_file(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    with FifoReader(device) as printer:
        send_escpos(f"file:{device}", b"job one")
    assert printer.received == b"job one" and stat.S_ISFIFO(device.stat().st_mode)
    regular = tmp_path / "receipt.bin"
    regular.write_bytes(b"old, longer content")
    send_escpos(f"file:{regular}", b"job two")
    assert regular.read_bytes() == b"job two"


def test_receipt_command_out_to_a_device(cli: Cli, tmp_path: Path) -> None:
    assert cli("sale", "--scan", "2000000000015", "--pay", "cash").code == 0
    device = tmp_path / "lp0"
    with FifoReader(device) as printer:
        result = cli("receipt", "--sale", "1", "--format", "escpos", "--out", str(device))
    assert result.code == 0, result.err
    assert printer.received.startswith(b"\x1b@") and printer.received.endswith(b"\x1dV\x00")
    assert stat.S_ISFIFO(device.stat().st_mode)
    with FifoReader(tmp_path / "lp1") as printer:
        sent = cli("receipt", "--sale", "1", "--format", "escpos",
                   "--printer", f"file:{tmp_path / 'lp1'}")  # fmt: skip
    assert sent.code == 0, sent.err
    assert printer.received.endswith(b"\x1dV\x00")


def test_spaces_gbk_lacks_go_as_plain_spaces() -> None:
    line = "9:30\u202fAM\u00a0x\u2009y\u2007z\u3000\u5e97"
    assert plain_spaces(line) == "9:30 AM x y z\u3000\u5e97"
    assert chinese_line(line, 32) == b"9:30 AM x y z\xa1\xa1\xb5\xea\n"  # U+3000 is GBK A1 A1


@pytest.fixture
def english_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    i18n.set_locale("en_US")
    yield
    monkeypatch.undo()
    time.tzset()


def test_english_time_needs_no_image_on_a_printer_without_chinese(english_utc: None) -> None:
    receipt = replace(RECEIPT, bounce_backs=())
    assert "\u202f" in i18n.moment(receipt.created_at)  # CLDR's narrow space before AM
    data = escpos_receipt(receipt, roll_mm=58, chinese=False)
    assert b"\x1dv0" not in data  # no raster image: every line went as text
    assert b"3/8/26, 9:30 AM          Till T1\n" in data
    assert "\u202f".encode("gb18030") not in escpos_receipt(receipt, roll_mm=58)


def test_tags_print_takes_several_items_and_item_still_works(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tags.pdf"
    items = ["2000000000015", "2000000000022", "2000000000039"]
    result = cli("tags", "print", "--items", items[0], items[1], "--item", items[2],
                 "--layout", "roll-58", "--out", str(out))  # fmt: skip
    assert result.code == 0, result.err
    assert decoded_codes(out, THERMAL_DPI) == items


def test_a_markdown_prints_on_the_tag_and_it_still_scans(
    cli: Cli, demo_path: Path, tmp_path: Path
) -> None:
    barcode = "2000000000022"
    marked = cli("items", "markdown", "--item", barcode, "--percent", "30", "--from", "2026-12-15")
    assert marked.code == 0, marked.err
    assert query(demo_path, "SELECT markdown_on, markdown_bp FROM items WHERE barcode = ?",
                 barcode) == [("2026-12-15", 3000)]  # fmt: skip
    for layout in ("a4-3x8", "roll-58", "roll-80"):
        out = tmp_path / f"{layout}.pdf"
        result = cli("tags", "print", "--items", barcode, "2000000000015", "--layout", layout,
                     "--out", str(out))  # fmt: skip
        assert result.code == 0, result.err
        texts = "".join(page_texts(out))
        assert texts.count("Markdown: -30% from Dec 15, 2026") == 1
        for dpi in (LASER_DPI, THERMAL_DPI):
            assert sorted(decoded_codes(out, dpi)) == sorted([barcode, "2000000000015"]), layout
    cleared = cli("items", "markdown", "--item", barcode, "--clear")
    assert cleared.code == 0, cleared.err
    out = tmp_path / "plain.pdf"
    assert cli("tags", "print", "--items", barcode, "--out", str(out)).code == 0
    assert "Markdown" not in page_texts(out)[0]
