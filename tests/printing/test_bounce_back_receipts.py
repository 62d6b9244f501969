"""A bounce-back coupon on the receipt: ESC/POS sends its code as a native Code 128 (GS k) after
the sale number's, exactly; the PDF on 58 and 80 mm rolls scans back to the sale number and the
coupon's code at 300 and 203 dpi; the till's text receipt and a reprint show it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from posapp import i18n
from posapp.models import DiscountKind, PaymentMethod, SaleStatus
from posapp.services.demo import DemoSummary
from posapp.services.receipts import Receipt, ReceiptBounceBack, ReceiptLine, ReceiptPayment
from printing.escpos_receipt import escpos_receipt
from printing.receipt_pdf import receipt_pdf
from tests.cli.helpers import Cli
from tests.printing.pdf_reading import LASER_DPI, THERMAL_DPI, page_images, page_texts, read

BOUNCE = ReceiptBounceBack(
    code="C4J71K4NGMWR",
    campaign_name="Come back soon",
    kind=DiscountKind.AMOUNT,
    value=1000,
    min_spend=5000,
    expires_on=date(2026, 3, 22),
)
RECEIPT = Receipt(
    sale_id=42,
    number="T1-000042",
    created_at=datetime(2026, 3, 8, 9, 30),
    store_name="Second Chance",
    currency="USD",
    terminal_name="T1",
    cashier_name="Ann",
    customer_name=None,
    lines=(ReceiptLine("2000000000015", "Silk dress", 1, 3000, 3000, 0, 3000),),
    coupons=(),
    payments=(ReceiptPayment(PaymentMethod.CASH, 3000, 3000, 0),),
    subtotal=3000,
    discount_total=0,
    total=3000,
    status=SaleStatus.COMPLETED,
    refunded_at=None,
    bounce_backs=(BOUNCE,),
)


@pytest.fixture
def english_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    i18n.set_locale("en_US")
    yield
    monkeypatch.undo()
    time.tzset()


def code128(text: bytes) -> bytes:
    return (
        b"\x1ba\x01"  # ESC a 1: centre
        + b"\x1dh@"  # GS h 64: bar height 64 dots
        + b"\x1dw\x02"  # GS w 2: module 2 dots
        + b"\x1df\x00"  # GS f 0: font A for the text
        + b"\x1dH\x02"  # GS H 2: text below the bars
        + b"\x1dkI" + bytes([len(text) + 2]) + b"{B" + text  # GS k 73 n: Code 128, code set B
    )  # fmt: skip


def test_escpos_prints_the_bounce_back_coupon_with_a_native_code128(english_utc: None) -> None:
    expected = (
        b"\x1b@"  # ESC @: initialise
        + b"\x1c&"  # FS &: Chinese character mode (GB18030 is ASCII for these lines)
        + b"Sale T1-000042\n"
        + b"Second Chance\n"
        + b"3/8/26, 9:30 AM          Till T1\n"  # U+202F before AM sent as one plain space
        + b"Cashier: Ann\n"
        + b"-" * 32 + b"\n"
        + b"Silk dress                $30.00\n"
        + b"-" * 32 + b"\n"
        + b"Subtotal                  $30.00\n"
        + b"TOTAL                     $30.00\n"
        + b"Cash                      $30.00\n"
        + b"\x1c."  # FS .: leave Chinese mode
        + code128(b"T1-000042")  # the sale number, for returns
        + b"\x1ba\x00"  # ESC a 0: back to the left for the coupon's lines
        + b"\x1c&"
        + b"-" * 32 + b"\n"
        + b"For your next visit:\n"
        + b"Come back soon        $10.00 off\n"  # the name gives way to the value
        + b"Min. spend                $50.00\n"
        + b"Coupon C4J7-1K4N-GMWR\n"
        + b"Valid until Mar 22, 2026\n"
        + b"\x1c."
        + code128(b"C4J71K4NGMWR")  # the coupon's code, scanned at the next visit
        + b"\x1bd\x06"  # ESC d 6: feed
        + b"\x1dV\x00"  # GS V 0: cut
    )  # fmt: skip
    assert escpos_receipt(RECEIPT, roll_mm=58) == expected


def test_escpos_without_a_bounce_back_has_one_barcode(english_utc: None) -> None:
    data = escpos_receipt(replace(RECEIPT, bounce_backs=()), roll_mm=80)
    assert data.count(b"\x1dkI") == 1 and b"C4J71K4NGMWR" not in data


@pytest.mark.parametrize("roll_mm", [58, 80])
def test_pdf_receipt_scans_back_to_the_sale_and_the_coupon(
    english_utc: None, tmp_path: Path, roll_mm: int
) -> None:
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(receipt_pdf(RECEIPT, roll_mm))
    for dpi in (LASER_DPI, THERMAL_DPI):
        (image,) = page_images(pdf, dpi)
        assert sorted(r.text for r in read(image)) == ["C4J71K4NGMWR", "T1-000042"], dpi
    (text,) = page_texts(pdf)
    for words in ("For your next visit:", "Come back soon", "$10.00 off", "Min. spend", "$50.00",
                  "Coupon C4J7-1K4N-GMWR", "Valid until Mar 22, 2026"):  # fmt: skip
        assert words in text


def test_sale_and_reprint_show_the_bounce_back(
    cli: Cli, demo_summary: DemoSummary, tmp_path: Path
) -> None:
    created = cli("campaigns", "create", "--name", "Come back", "--amount", "15",
                  "--bounce-back-of", "1", "--valid-days", "30")  # fmt: skip
    assert created.code == 0, created.err
    sold = cli("sale", "--scan", demo_summary.sample_item, "--scan", demo_summary.sample_coupon,
               "--pay", "cash")  # fmt: skip
    assert sold.code == 0, sold.err
    assert "For your next visit:" in sold.out and "Come back" in sold.out
    (code,) = [c["code"] for c in cli("coupons", "list", "--campaign", "Come back",
                                       "--format", "json").json()]  # fmt: skip
    number = sold.out.splitlines()[0].removeprefix("Sale ")
    assert cli("receipt", "--sale", number).out == sold.out
    pdf = tmp_path / "r.pdf"
    assert cli("receipt", "--sale", number, "--format", "pdf", "--out", str(pdf)).code == 0
    for dpi in (LASER_DPI, THERMAL_DPI):
        assert sorted(r.text for r in read(page_images(pdf, dpi)[0])) == sorted([code, number])
    raw = tmp_path / "r.bin"
    assert cli("receipt", "--sale", number, "--format", "escpos", "--out", str(raw)).code == 0
    assert raw.read_bytes().endswith(b"{B" + code.encode() + b"\x1bd\x06\x1dV\x00")
