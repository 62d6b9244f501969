"""`posapp demo`: fill an empty database with the demo shop."""

from __future__ import annotations

import shlex

from posapp.i18n import tr
from posapp.services.demo import STAFF, DemoSummary, seed_demo
from ui.cli.arguments import Subparsers
from ui.cli.context import EXIT_OK, CommandContext


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "demo",
        help=tr("create the demo shop in an empty database"),
        description=tr(
            "Create the demo shop: staff, consignors, about 200 items, customers and two "
            "campaigns with coupons. The database must be empty."
        ),
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help=tr("do nothing (and succeed) when the database already has a shop"),
    )
    parser.set_defaults(handler=run_demo)


def _example_sale(ctx: CommandContext, summary: DemoSummary) -> str:
    words = ["posapp"]
    if ctx.args.db:
        words += ["--db", ctx.args.db]
    words += ["sale", "--scan", summary.sample_item, "--scan", summary.sample_coupon]
    words += ["--pay", "cash"]
    return shlex.join(words)


def run_demo(ctx: CommandContext) -> int:
    summary = seed_demo(ctx.db, if_empty=ctx.args.if_empty)
    if summary is None:
        return EXIT_OK
    print(
        tr(
            "Demo shop created: {items} items, {consignors} consignors, {customers} customers, "
            "{campaigns} campaigns, {coupons} coupons.",
            items=summary.items,
            consignors=summary.consignors,
            customers=summary.customers,
            campaigns=summary.campaigns,
            coupons=summary.coupons,
        )
    )
    staff = ", ".join(tr("{name} (PIN {pin})", name=name, pin=pin) for name, _role, pin in STAFF)
    print(tr("Staff: {staff}", staff=staff))
    print(tr("Try a sale with a coupon:"))
    print("  " + _example_sale(ctx, summary))
    return EXIT_OK
