"""`posapp sale`, `posapp sales list` and `posapp refund`."""

from __future__ import annotations

import argparse
import sys

from posapp import codes
from posapp.i18n import tr
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, CouponScanned, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.refunds import refund_sale
from posapp.services.sales_history import SaleRow, list_sales
from printing.receipt_text import render_receipt
from ui.cli.arguments import Subparsers, add_format_option, add_limit_option, money_option
from ui.cli.context import EXIT_OK, EXIT_REFUSED, CommandContext
from ui.cli.output import Column, Kind, Row, render_rows

PayOption = tuple[PaymentMethod, str | None]


def pay_option(text: str) -> PayOption:
    """'cash', 'cash:100', 'card:50', 'other' -> (method, amount text or None for 'the rest')."""
    method_text, _, amount = text.partition(":")
    try:
        method = PaymentMethod(method_text.strip().lower())
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{value!r}: pay with cash, card or other, e.g. cash:100", value=text)
        ) from None
    return method, amount.strip() or None


def register(subparsers: Subparsers) -> None:
    sale = subparsers.add_parser(
        "sale",
        help=tr("sell scanned items (with coupons) and print the receipt"),
        description=tr(
            "Scan items, a customer card and coupons, then commit the sale in one transaction "
            "and print the receipt. Coupons are checked after all the items, whatever their "
            "order. If any code is refused, nothing is sold and the reasons go to stderr."
        ),
    )
    sale.add_argument(
        "--scan", action="append", required=True, metavar="CODE", help=tr("a code (repeat)")
    )
    sale.add_argument(
        "--pay",
        action="append",
        required=True,
        type=pay_option,
        metavar="METHOD[:AMOUNT]",
        help=tr(
            "cash, card or other; an amount splits the tender (repeat: --pay card:50 "
            "--pay cash:100); without an amount it pays the rest; only cash gives change"
        ),
    )
    sale.set_defaults(handler=run_sale)
    sales = subparsers.add_parser("sales", help=tr("list sales"))
    actions = sales.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=tr("list sales, newest first"))
    add_limit_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_sales_list)
    refund = subparsers.add_parser("refund", help=tr("refund a whole sale"))
    refund.add_argument(
        "--sale", required=True, metavar="ID_OR_NUMBER", help=tr("e.g. T1-000042, or its id")
    )
    refund.add_argument("--reason", metavar="TEXT", help=tr("why the sale is refunded"))
    refund.set_defaults(handler=run_refund)


def fill_cart(ctx: CommandContext, scans: list[str]) -> tuple[Cart, list[ScanRefused]]:
    """Items and customer cards in order first, then the coupons against the full cart."""
    cart = Cart(ctx.currency)
    refused: list[ScanRefused] = []
    coupon_scans: list[str] = []
    for raw in scans:
        outcome = resolve_scan(ctx.db, raw)
        if isinstance(outcome, CouponScanned):
            coupon_scans.append(raw)
        elif isinstance(applied := cart.apply(outcome), ScanRefused):
            refused.append(applied)
    customer_id = cart.customer.id if cart.customer else None
    for raw in coupon_scans:
        applied = cart.apply(resolve_scan(ctx.db, raw, customer_id=customer_id))
        if isinstance(applied, ScanRefused):
            refused.append(applied)
    return cart, refused


def refusal_line(scan: ScanRefused) -> str:
    """The reason, led by the code unless the reason already names it."""
    message = scan.refusal.message
    if not scan.code or scan.code in message or codes.grouped(scan.code) in message:
        return message
    return tr("{code}: {reason}", code=scan.code, reason=message)


def run_sale(ctx: CommandContext) -> int:
    tenders = [
        Tender(method, None if amount is None else money_option(amount, ctx.currency, "--pay"))
        for method, amount in ctx.args.pay
    ]
    cart, refused = fill_cart(ctx, ctx.args.scan)
    if refused:
        for scan in refused:
            print(refusal_line(scan), file=sys.stderr)
        print(tr("Nothing was sold."), file=sys.stderr)
        return EXIT_REFUSED
    receipt = commit_sale(ctx.db, ctx.actor, cart, tenders)
    print(render_receipt(receipt), end="")
    return EXIT_OK


def sale_columns() -> list[Column]:
    return [
        Column("id", tr("Id"), Kind.INT),
        Column("number", tr("Sale")),
        Column("created_at", tr("Time"), Kind.MOMENT),
        Column("terminal", tr("Till")),
        Column("cashier", tr("Cashier")),
        Column("items", tr("Items"), Kind.INT),
        Column("subtotal", tr("Subtotal"), Kind.MONEY),
        Column("discount", tr("Discount"), Kind.MONEY),
        Column("total", tr("Total"), Kind.MONEY),
        Column("status", tr("Status"), Kind.STATE),
    ]


def sale_row(sale: SaleRow) -> Row:
    return {
        "id": sale.id,
        "number": sale.number,
        "created_at": sale.created_at,
        "terminal": sale.terminal,
        "cashier": sale.cashier,
        "items": sale.items,
        "subtotal": sale.subtotal,
        "discount": sale.discount_total,
        "total": sale.total,
        "status": sale.status,
    }


def run_sales_list(ctx: CommandContext) -> int:
    rows = [sale_row(s) for s in list_sales(ctx.db, limit=ctx.args.limit)]
    print(render_rows(rows, sale_columns(), ctx.args.format, ctx.currency), end="")
    return EXIT_OK


def run_refund(ctx: CommandContext) -> int:
    receipt = refund_sale(ctx.db, ctx.actor, ctx.args.sale, ctx.args.reason)
    print(render_receipt(receipt), end="")
    return EXIT_OK
