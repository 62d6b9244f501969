"""A receipt as plain monospaced text: what `posapp sale` prints and the checkout screen shows.

The first line is always the sale number, so a receipt can be found again for a refund.
"""

from __future__ import annotations

import unicodedata

from posapp import codes
from posapp.i18n import moment, money, tr
from posapp.models import PaymentMethod, SaleStatus
from posapp.services.receipts import Receipt

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


def render_receipt(receipt: Receipt, width: int = DEFAULT_WIDTH) -> str:
    out = []
    for row in receipt_rows(receipt):
        if row is None:
            out.append("-" * width)
        elif not row[1]:
            out.append(row[0])
        else:
            out.append(_row(row[0], row[1], width))
    return "\n".join(out) + "\n"
