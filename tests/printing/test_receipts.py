"""Receipts: ESC/POS bytes exactly as a GB18030 printer needs them, the raster fallback rebuilt
from its bytes, PDFs on 58 and 80 mm rolls whose sale-number barcode scans back."""

from __future__ import annotations

import os
import select
import socket
import threading
import time
import tty
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from posapp import i18n
from posapp.models import PaymentMethod, SaleStatus
from posapp.services.demo import DemoSummary
from posapp.services.receipts import Receipt, ReceiptCoupon, ReceiptLine, ReceiptPayment
from printing.barcodes import MM
from printing.escpos_receipt import escpos_receipt, raster_line
from printing.receipt_pdf import receipt_pdf
from tests.cli.helpers import Cli
from tests.printing.pdf_reading import LASER_DPI, THERMAL_DPI, page_images, page_texts, read

RECEIPT = Receipt(
    sale_id=42,
    number="T1-000042",
    created_at=datetime(2026, 3, 8, 9, 30),
    store_name="寄卖店",
    currency="CNY",
    terminal_name="T1",
    cashier_name="王芳",
    customer_name=None,
    lines=(ReceiptLine("2000000000015", "真丝旗袍", 1, 30000, 30000, 2000, 28000),),
    coupons=(ReceiptCoupon("C4J71K4NGMWR", 2000),),
    payments=(ReceiptPayment(PaymentMethod.CASH, 28000, 30000, 2000),),
    subtotal=30000,
    discount_total=2000,
    total=28000,
    status=SaleStatus.COMPLETED,
    refunded_at=None,
)


@pytest.fixture
def chinese_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    i18n.set_locale("zh_CN")
    yield
    i18n.set_locale("en_US")
    monkeypatch.undo()
    time.tzset()


def gb(text: str) -> bytes:
    return text.encode("gb18030")


def test_escpos_chinese_receipt_exact_bytes(chinese_utc: None) -> None:
    expected = (
        b"\x1b@"  # ESC @: initialise
        + b"\x1c&"  # FS &: Chinese character mode
        + gb("销售单 T1-000042\n")
        + gb("寄卖店\n")
        + gb("2026/3/8 09:30" + " " * 9 + "收银台 T1\n")  # a hanzi takes 2 columns of 32
        + gb("收银员：王芳\n")
        + b"-" * 32 + b"\n"
        + gb("真丝旗袍" + " " * 16 + "￥300.00\n")  # the full-width ￥ takes 2 columns too
        + gb("  优惠" + " " * 18 + "-￥20.00\n")
        + b"-" * 32 + b"\n"
        + gb("小计" + " " * 20 + "￥300.00\n")
        + gb("优惠券 C4J7-1K4N-GMWR" + " " * 3 + "-￥20.00\n")
        + gb("合计" + " " * 20 + "￥280.00\n")
        + gb("现金" + " " * 20 + "￥300.00\n")
        + gb("找零" + " " * 21 + "￥20.00\n")
        + b"\x1c."  # FS .: leave Chinese mode
        + b"\x1ba\x01"  # ESC a 1: centre
        + b"\x1dh@"  # GS h 64: bar height 64 dots
        + b"\x1dw\x02"  # GS w 2: module 2 dots
        + b"\x1df\x00"  # GS f 0: font A for the number
        + b"\x1dH\x02"  # GS H 2: number below the bars
        + b"\x1dkI\x0b{BT1-000042"  # GS k 73 n: Code 128, code set B, the sale number
        + b"\x1bd\x06"  # ESC d 6: feed
        + b"\x1dV\x00"  # GS V 0: cut
    )  # fmt: skip
    data = escpos_receipt(RECEIPT, roll_mm=58)
    assert data == expected
    assert b"\xa3\xa4" in data  # full-width ￥ as two GBK bytes
    assert "¥".encode("gb18030") not in data  # never the 4-byte U+00A5


def test_escpos_80mm_lines_are_48_columns(chinese_utc: None) -> None:
    data = escpos_receipt(RECEIPT, roll_mm=80)
    assert b"\n" + b"-" * 48 + b"\n" in data
    assert gb("合计" + " " * 36 + "￥280.00\n") in data


def _raster_images(data: bytes) -> list[Image.Image]:
    """Rebuild every GS v 0 raster image from the bytes, as the printer would."""
    images, start = [], 0
    while (start := data.find(b"\x1dv0", start)) != -1:
        width_bytes = data[start + 4] + 256 * data[start + 5]
        height = data[start + 6] + 256 * data[start + 7]
        body = data[start + 8 : start + 8 + width_bytes * height]
        image = Image.frombytes("1", (width_bytes * 8, height), body)
        images.append(Image.eval(image.convert("L"), lambda v: 255 - v))  # 1 bits are black dots
        start += 8 + len(body)
    return images


def test_escpos_raster_fallback_for_printers_without_chinese(chinese_utc: None) -> None:
    data = escpos_receipt(RECEIPT, roll_mm=58, chinese=False)
    assert b"\x1c&" not in data
    assert b"-" * 32 + b"\n" in data  # ASCII lines stay text
    images = _raster_images(data)
    assert len(images) == 11  # every line with Chinese or ￥ goes as an image, 384 dots wide
    assert all(image.size == (384, 24) for image in images)
    expected = raster_line("寄卖店", 384).convert("L")
    assert images[1].tobytes() == expected.tobytes()


@pytest.mark.parametrize("roll_mm", [58, 80])
def test_pdf_receipt_on_a_roll_scans_back(chinese_utc: None, tmp_path: Path, roll_mm: int) -> None:
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(receipt_pdf(RECEIPT, roll_mm))
    for dpi in (LASER_DPI, THERMAL_DPI):
        (image,) = page_images(pdf, dpi)
        assert image.width == pytest.approx(roll_mm * MM * dpi / 72, abs=1)
        assert [r.text for r in read(image)] == ["T1-000042"]
    (text,) = page_texts(pdf)
    for words in ("销售单 T1-000042", "寄卖店", "真丝旗袍", "¥280.00", "C4J7-1K4N-GMWR"):
        assert words in text
    assert b"+WenQuanYiMicroHei" in pdf.read_bytes()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_receipt_command(cli: Cli, demo_summary: DemoSummary, tmp_path: Path) -> None:
    sold = cli("sale", "--scan", demo_summary.sample_item, "--pay", "cash")
    assert sold.code == 0, sold.err
    number = sold.out.splitlines()[0].removeprefix("Sale ")
    again = cli("receipt", "--sale", number)
    assert again.code == 0 and again.out == sold.out
    pdf = tmp_path / "r.pdf"
    result = cli("receipt", "--sale", number, "--format", "pdf", "--roll", "58", "--out", str(pdf))
    assert result.code == 0 and f"Receipt {number} written" in result.out
    assert [r.text for r in read(page_images(pdf, THERMAL_DPI)[0])] == [number]
    raw = tmp_path / "r.bin"
    assert cli("receipt", "--sale", number, "--format", "escpos", "--out", str(raw)).code == 0
    assert raw.read_bytes().startswith(b"\x1b@\x1c&") and number.encode() in raw.read_bytes()


def test_missing_printer_or_file_gets_a_plain_message(cli: Cli, tmp_path: Path) -> None:
    cli("sale", "--scan", "2000000000015", "--pay", "cash")
    port = _closed_port()
    offline = cli(
        "receipt", "--sale", "1", "--format", "escpos", "--printer", f"tcp:127.0.0.1:{port}"
    )
    assert offline.code == 2
    assert "cannot be reached" in offline.err and "nothing was printed" in offline.err
    bad = cli("receipt", "--sale", "1", "--format", "escpos", "--printer", "lpt1")
    assert bad.code == 2 and "is not a printer address" in bad.err
    unwritable = cli(
        "receipt", "--sale", "1", "--format", "pdf", "--out", str(tmp_path / "no" / "r.pdf")
    )
    assert unwritable.code == 2 and unwritable.err.startswith("Cannot write")
    nowhere = cli("receipt", "--sale", "1", "--format", "pdf")
    assert nowhere.code == 2 and "--out FILE" in nowhere.err
    assert "Traceback" not in offline.err + bad.err + unwritable.err + nowhere.err


PAPER_QUERY = b"\x10\x04\x04"  # DLE EOT 4: paper sensor status


class StandInPrinter:
    """A network receipt printer on this machine's loopback: answers the paper query with
    ``status`` (no answer if None) and keeps every byte it receives."""

    def __init__(self, status: bytes | None) -> None:
        self.status = status
        self.received = bytearray()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.thread = threading.Thread(target=self._serve)

    @property
    def target(self) -> str:
        return f"tcp:127.0.0.1:{self.server.getsockname()[1]}"

    def __enter__(self) -> StandInPrinter:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.thread.join(10)
        self.server.close()

    def _serve(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            while chunk := connection.recv(4096):
                self.received.extend(chunk)
                if self.received == PAPER_QUERY and self.status is not None:
                    connection.sendall(self.status)


@pytest.mark.parametrize("status", [b"\x12", None], ids=["paper-ok", "no-status-reply"])
def test_receipt_sent_to_a_network_printer(cli: Cli, tmp_path: Path, status: bytes | None) -> None:
    cli("sale", "--scan", "2000000000015", "--pay", "cash")
    with StandInPrinter(status) as printer:
        result = cli("receipt", "--sale", "1", "--format", "escpos", "--printer", printer.target)
    assert result.code == 0 and "sent to tcp:127.0.0.1" in result.out
    saved = tmp_path / "r.bin"
    cli("receipt", "--sale", "1", "--format", "escpos", "--out", str(saved))
    assert bytes(printer.received) == PAPER_QUERY + saved.read_bytes()


def test_printer_out_of_paper_gets_nothing(cli: Cli) -> None:
    cli("sale", "--scan", "2000000000015", "--pay", "cash")
    with StandInPrinter(b"\x72") as printer:  # paper-end sensor bits set
        result = cli("receipt", "--sale", "1", "--format", "escpos", "--printer", printer.target)
    assert result.code == 2
    assert "is out of paper; nothing was printed" in result.err
    assert bytes(printer.received) == PAPER_QUERY  # the job itself was never sent


class StandInSerialPrinter:
    """A serial receipt printer on a pseudo-terminal: answers the paper query with ``status``
    and keeps every byte it receives."""

    def __init__(self, status: bytes) -> None:
        self.status = status
        self.received = bytearray()
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.target = f"serial:{os.ttyname(self.slave)}"
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve)

    def __enter__(self) -> StandInSerialPrinter:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self.thread.join(10)
        os.close(self.master)
        os.close(self.slave)

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            self.received.extend(os.read(self.master, 4096))
            if self.received == PAPER_QUERY:
                os.write(self.master, self.status)


def test_serial_printer_out_of_paper_gets_nothing_and_with_paper_gets_the_job(
    cli: Cli, tmp_path: Path
) -> None:
    cli("sale", "--scan", "2000000000015", "--pay", "cash")
    with StandInSerialPrinter(b"\x72") as empty:
        result = cli("receipt", "--sale", "1", "--format", "escpos", "--printer", empty.target)
    assert result.code == 2 and "is out of paper; nothing was printed" in result.err
    assert bytes(empty.received) == PAPER_QUERY

    with StandInSerialPrinter(b"\x12") as loaded:
        result = cli("receipt", "--sale", "1", "--format", "escpos", "--printer", loaded.target)
        deadline = time.monotonic() + 5
        saved = tmp_path / "r.bin"
        cli("receipt", "--sale", "1", "--format", "escpos", "--out", str(saved))
        expected = PAPER_QUERY + saved.read_bytes()
        while bytes(loaded.received) != expected and time.monotonic() < deadline:
            time.sleep(0.02)
    assert result.code == 0
    assert bytes(loaded.received) == expected
