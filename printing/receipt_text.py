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


def render_receipt(receipt: Receipt, width: int = DEFAULT_WIDTH) -> str:
    cur = receipt.currency
    out = [
        tr("Sale {number}", number=receipt.number),
        receipt.store_name,
        _row(moment(receipt.created_at), tr("Till {name}", name=receipt.terminal_name), width),
        tr("Cashier: {name}", name=receipt.cashier_name),
    ]
    if receipt.customer_name:
        out.append(tr("Customer: {name}", name=receipt.customer_name))
    out.append("-" * width)
    for line in receipt.lines:
        label = line.name if line.quantity == 1 else f"{line.quantity} x {line.name}"
        out.append(_row(label, money(line.gross, cur), width))
        if line.discount:
            out.append(_row("  " + tr("discount"), "-" + money(line.discount, cur), width))
    out.append("-" * width)
    out.append(_row(tr("Subtotal"), money(receipt.subtotal, cur), width))
    for coupon in receipt.coupons:
        label = tr("Coupon {code}", code=codes.grouped(coupon.code))
        out.append(_row(label, "-" + money(coupon.amount, cur), width))
    out.append(_row(tr("TOTAL"), money(receipt.total, cur), width))
    for payment in receipt.payments:
        out.append(_row(method_name(payment.method), money(payment.tendered, cur), width))
    if receipt.change:
        out.append(_row(tr("Change"), money(receipt.change, cur), width))
    if receipt.status is SaleStatus.REFUNDED:
        out.append(tr("REFUNDED"))
    return "\n".join(out) + "\n"
