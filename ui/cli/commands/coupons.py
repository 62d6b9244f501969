"""`posapp coupons generate|list|issue|void|print`."""

from __future__ import annotations

import csv
import json
import sys

from posapp import codes
from posapp.i18n import day, tr
from posapp.models import CouponState
from posapp.services.campaigns import (
    CouponRow,
    generate_coupons,
    issue_coupon,
    list_coupons,
    void_coupon,
)
from ui.cli.arguments import Subparsers, add_format_option, add_limit_option, positive_int
from ui.cli.commands.coupon_print import add_print_command
from ui.cli.context import EXIT_OK, CommandContext
from ui.cli.output import Column, Kind, Row, render_rows


def register(subparsers: Subparsers) -> None:
    coupons = subparsers.add_parser("coupons", help=tr("generate, list, issue and void coupons"))
    actions = coupons.add_subparsers(dest="action", required=True, metavar="ACTION")
    generate = actions.add_parser(
        "generate",
        help=tr("make new coupons for a campaign"),
        description=tr(
            "Make new coupons (state generated) and print their codes. A coupon can be used once "
            "it is handed out: printed (posapp coupons print) or issued to a customer (posapp "
            "coupons issue CODE); a campaign's validity days start on the first of the two."
        ),
    )
    generate.add_argument("--campaign", required=True, metavar="ID_OR_NAME")
    generate.add_argument("--count", required=True, type=positive_int, metavar="K")
    generate.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help=tr(
            "text: one code per line, grouped for reading aloud as in the coupon list (default); "
            "csv with a header row; json"
        ),
    )
    generate.set_defaults(handler=run_generate)
    listing = actions.add_parser("list", help=tr("list coupons and their states"))
    listing.add_argument("--campaign", metavar="ID_OR_NAME", help=tr("only this campaign"))
    listing.add_argument(
        "--state", choices=[s.value for s in CouponState], help=tr("only coupons in this state")
    )
    add_limit_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_list)
    issue = actions.add_parser(
        "issue",
        help=tr("hand a coupon to a customer: its validity starts, unless printing started it"),
    )
    issue.add_argument("code", metavar="CODE")
    issue.add_argument("--customer", metavar="CARD", help=tr("the customer's loyalty card code"))
    issue.set_defaults(handler=run_issue)
    void = actions.add_parser("void", help=tr("void a coupon so it can no longer be used"))
    void.add_argument("code", metavar="CODE")
    void.set_defaults(handler=run_void)
    add_print_command(actions)


def run_generate(ctx: CommandContext) -> int:
    made = generate_coupons(ctx.db, ctx.actor, ctx.args.campaign, ctx.args.count)
    if ctx.args.format == "json":
        print(json.dumps([{"code": code} for code in made], indent=2))
    elif ctx.args.format == "csv":  # data, as coupons list --format csv writes it
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["code"])
        writer.writerows([code] for code in made)
    else:
        print("\n".join(codes.grouped(code) for code in made))
    print(
        tr(
            "{count} coupons generated for campaign {campaign}.",
            count=len(made),
            campaign=ctx.args.campaign,
        ),
        file=sys.stderr,
    )
    return EXIT_OK


def coupon_columns() -> list[Column]:
    return [
        Column("code", tr("Code"), Kind.CODE),
        Column("campaign", tr("Campaign")),
        Column("campaign_id", tr("Campaign id"), Kind.INT, in_table=False),
        Column("state", tr("State"), Kind.STATE),
        Column("uses", tr("Uses"), Kind.INT),
        Column("max_uses", tr("Max uses"), Kind.INT),
        Column("expires", tr("Expires"), Kind.DATE),
        Column("customer", tr("Customer")),
        Column("issued_at", tr("Issued"), Kind.MOMENT),
    ]


def coupon_row(coupon: CouponRow) -> Row:
    return {
        "code": coupon.code,
        "campaign": coupon.campaign,
        "campaign_id": coupon.campaign_id,
        "state": coupon.state,
        "uses": coupon.uses,
        "max_uses": coupon.max_uses,
        "expires": coupon.expires,
        "customer": coupon.customer,
        "issued_at": coupon.issued_at,
    }


def run_list(ctx: CommandContext) -> int:
    state = CouponState(ctx.args.state) if ctx.args.state else None
    found = list_coupons(ctx.db, ctx.args.campaign, ctx.args.limit, state=state)
    rows = [coupon_row(c) for c in found]
    print(render_rows(rows, coupon_columns(), ctx.args.format, ctx.currency), end="")
    return EXIT_OK


def run_issue(ctx: CommandContext) -> int:
    coupon = issue_coupon(ctx.db, ctx.actor, ctx.args.code, ctx.args.customer)
    code = codes.grouped(coupon.code)
    if coupon.customer:
        print(tr("Coupon {code} issued to {name}.", code=code, name=coupon.customer))
    else:
        print(tr("Coupon {code} issued.", code=code))
    if coupon.expires:
        print(tr("Valid until {date}.", date=day(coupon.expires)))
    return EXIT_OK


def run_void(ctx: CommandContext) -> int:
    void_coupon(ctx.db, ctx.actor, ctx.args.code)
    print(tr("Coupon {code} voided.", code=codes.grouped(codes.normalise(ctx.args.code))))
    return EXIT_OK
