"""A receipt as plain monospaced text: what `posapp sale` prints and the checkout screen shows.

The first line is always the sale number, so a receipt can be found again for a refund. A
bounce-back coupon handed out with the sale follows the receipt, as its own tear-off part: the
campaign, what it takes off (and the spend it needs), the code and the last valid day.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from posapp import codes
from posapp.i18n import day, moment, money, tr
from posapp.models import DiscountKind, PaymentMethod, SaleStatus
from posapp.services.receipts import Receipt, ReceiptBounceBack

DEFAULT_WIDTH = 42  # characters on an 80 mm roll in the printer's normal font


def display_width(text: str) -> int:
    """Columns a string takes in a monospaced font: CJK ideographs take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if display_width(out + ch) > width:
            break
        out += ch
    return out


def _row(left: str, right: str, width: int) -> str:
    room = width - display_width(right) - 1
    left = _fit(left, max(room, 0))
    return left + " " * (width - display_width(left) - display_width(right)) + right


def method_name(method: PaymentMethod) -> str:
    return {
        PaymentMethod.CASH: tr("Cash"),
        PaymentMethod.CARD: tr("Card"),
        PaymentMethod.OTHER: tr("Other"),
    }[method]


Row = tuple[str, str] | None  # (left, right); None is a rule across the receipt


def receipt_rows(receipt: Receipt) -> list[Row]:
    """The receipt's content as (left, right) rows, for the text, PDF and ESC/POS forms."""
    cur = receipt.currency
    rows: list[Row] = [
        (tr("Sale {number}", number=receipt.number), ""),
        (receipt.store_name, ""),
        (moment(receipt.created_at), tr("Till {name}", name=receipt.terminal_name)),
        (tr("Cashier: {name}", name=receipt.cashier_name), ""),
    ]
    if receipt.customer_name:
        rows.append((tr("Customer: {name}", name=receipt.customer_name), ""))
    rows.append(None)
    for line in receipt.lines:
        label = line.name if line.quantity == 1 else f"{line.quantity} x {line.name}"
        rows.append((label, money(line.gross, cur)))
        if line.discount:
            rows.append(("  " + tr("discount"), "-" + money(line.discount, cur)))
    rows.append(None)
    rows.append((tr("Subtotal"), money(receipt.subtotal, cur)))
    for coupon in receipt.coupons:
        label = tr("Coupon {code}", code=codes.grouped(coupon.code))
        rows.append((label, "-" + money(coupon.amount, cur)))
    rows.append((tr("TOTAL"), money(receipt.total, cur)))
    for payment in receipt.payments:
        rows.append((method_name(payment.method), money(payment.tendered, cur)))
    if receipt.change:
        rows.append((tr("Change"), money(receipt.change, cur)))
    if receipt.status is SaleStatus.REFUNDED:
        rows.append((tr("REFUNDED"), ""))
    return rows


def bounce_back_rows(coupon: ReceiptBounceBack, currency: str) -> list[Row]:
    """A bounce-back coupon's rows (the PDF and ESC/POS forms add its barcode below them): every
    row fits the roll, the campaign's name giving way to its value."""
    if coupon.kind is DiscountKind.PERCENT:  # worded as on the coupon sheets
        percent = format((Decimal(coupon.value) / 100).normalize(), "f")
        offer = tr("{percent}% off", percent=percent)
    else:
        offer = tr("{amount} off", amount=money(coupon.value, currency))
    rows: list[Row] = [None, (tr("For your next visit:"), ""), (coupon.campaign_name, offer)]
    if coupon.min_spend:
        rows.append((tr("Min. spend"), money(coupon.min_spend, currency)))
    rows.append((tr("Coupon {code}", code=codes.grouped(coupon.code)), ""))
    if coupon.expires_on:
        rows.append((tr("Valid until {date}", date=day(coupon.expires_on)), ""))
    return rows


def text_lines(rows: list[Row], width: int) -> list[str]:
    out = []
    for row in rows:
        if row is None:
            out.append("-" * width)
        elif not row[1]:
            out.append(row[0])
        else:
            out.append(_row(row[0], row[1], width))
    return out


def render_receipt(receipt: Receipt, width: int = DEFAULT_WIDTH) -> str:
    """The receipt and, after it, each bounce-back coupon handed out with the sale."""
    rows = receipt_rows(receipt)
    for coupon in receipt.bounce_backs:
        rows.extend(bounce_back_rows(coupon, receipt.currency))
    return "\n".join(text_lines(rows, width)) + "\n"
