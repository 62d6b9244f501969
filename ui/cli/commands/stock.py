"""`posapp stock movements|alerts|threshold|intake|adjust|return|donate|loss|transfer|locations`
and holds: `posapp stock hold|release|holds`."""

from __future__ import annotations

import argparse
from datetime import date

from posapp.i18n import tr
from posapp.models import MovementReason
from posapp.services import clock
from posapp.services.holds import (
    HoldInfo,
    HoldRow,
    held_phrase,
    hold_item,
    list_holds,
    release_hold,
)
from posapp.services.stock import (
    MovementDone,
    add_location,
    adjust,
    intake,
    list_locations,
    take_out,
)
from posapp.services.stock import transfer as transfer_item
from posapp.services.stock_alerts import StockAlert, list_alerts, set_threshold
from posapp.services.stock_ledger import MovementRow, list_movements
from ui.cli.arguments import (
    Subparsers,
    add_format_option,
    add_limit_option,
    iso_date,
    positive_int,
)
from ui.cli.context import EXIT_OK, CommandContext
from ui.cli.output import Column, Kind, Row, render_rows


def signed_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{value!r} is not a whole number like 3 or -2", value=text)
        ) from None


def whole_or_zero(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(tr("{value!r} is not a whole number", value=text))
    return int(text)


def register(subparsers: Subparsers) -> None:
    stock = subparsers.add_parser("stock", help=tr("stock ledger, low-stock alerts, locations"))
    actions = stock.add_subparsers(dest="action", required=True, metavar="ACTION")
    movements = actions.add_parser("movements", help=tr("the stock ledger, newest first"))
    movements.add_argument("--item", metavar="CODE", help=tr("only this item's movements"))
    add_limit_option(movements)
    add_format_option(movements)
    movements.set_defaults(handler=run_movements)
    alerts = actions.add_parser("alerts", help=tr("items and categories low on stock"))
    add_format_option(alerts)
    alerts.set_defaults(handler=run_alerts)
    _register_threshold(actions)
    _register_movements(actions)
    _register_holds(actions)


def _register_threshold(actions: Subparsers) -> None:
    threshold = actions.add_parser(
        "threshold", help=tr("alert when an item or a category is at or below a quantity")
    )
    which = threshold.add_mutually_exclusive_group(required=True)
    which.add_argument("--item", metavar="CODE")
    which.add_argument("--category", metavar="NAME")
    level = threshold.add_mutually_exclusive_group(required=True)
    level.add_argument("--min", type=whole_or_zero, metavar="N")
    level.add_argument("--clear", action="store_true", help=tr("remove the threshold"))
    threshold.set_defaults(handler=run_threshold)


def _register_movements(actions: Subparsers) -> None:
    receiving = actions.add_parser("intake", help=tr("more of a stock item came in"))
    receiving.add_argument("code", metavar="CODE")
    receiving.add_argument("--qty", type=positive_int, required=True, metavar="N")
    receiving.add_argument("--note", metavar="TEXT", help=tr("e.g. the delivery note"))
    receiving.set_defaults(handler=run_intake)
    adjusting = actions.add_parser("adjust", help=tr("add or remove stock, with a reason"))
    adjusting.add_argument("code", metavar="CODE")
    adjusting.add_argument("--by", type=signed_int, required=True, metavar="N")
    adjusting.add_argument("--reason", required=True, metavar="TEXT")
    adjusting.set_defaults(handler=run_adjust)
    leaving = {
        "return": (MovementReason.RETURN_TO_CONSIGNOR, tr("give an item back to its consignor")),
        "donate": (MovementReason.DONATION, tr("donate stock")),
        "loss": (MovementReason.LOSS, tr("record stock lost, stolen or broken")),
    }
    for name, (reason, help_text) in leaving.items():
        action = actions.add_parser(name, help=help_text)
        action.add_argument("code", metavar="CODE")
        action.add_argument("--qty", type=positive_int, default=1, metavar="N")
        action.add_argument("--note", metavar="TEXT")
        action.set_defaults(handler=run_take_out, reason=reason)
    moving = actions.add_parser("transfer", help=tr("move an item to another location"))
    moving.add_argument("code", metavar="CODE")
    target = moving.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", metavar="LOCATION")
    target.add_argument("--default", action="store_true", help=tr("back to the default place"))
    moving.set_defaults(handler=run_transfer)
    locations = actions.add_parser("locations", help=tr("list the shop's locations, or add one"))
    locations.add_argument("--add", metavar="NAME")
    locations.set_defaults(handler=run_locations)


def _register_holds(actions: Subparsers) -> None:
    holding = actions.add_parser(
        "hold", help=tr("put a one-of-a-kind item aside for a customer (reserved)")
    )
    holding.add_argument("code", metavar="CODE")
    holding.add_argument("--customer", metavar="CARD", help=tr("the customer's card"))
    holding.add_argument(
        "--until", type=iso_date, metavar="YYYY-MM-DD", help=tr("the hold's last day")
    )
    holding.add_argument("--note", default="", metavar="TEXT")
    holding.set_defaults(handler=run_hold)
    releasing = actions.add_parser("release", help=tr("end an item's hold: it is on sale again"))
    releasing.add_argument("code", metavar="CODE")
    releasing.set_defaults(handler=run_release)
    holds = actions.add_parser("holds", help=tr("items held for customers, soonest last day first"))
    holds.add_argument(
        "--expired", action="store_true", help=tr("only holds whose last day has passed")
    )
    add_format_option(holds)
    holds.set_defaults(handler=run_holds)


def movement_columns() -> list[Column]:
    return [
        Column("created_at", tr("Time"), Kind.MOMENT),
        Column("barcode", tr("Barcode")),
        Column("name", tr("Name")),
        Column("reason", tr("Reason"), Kind.STATE),
        Column("quantity", tr("Qty"), Kind.INT),
        Column("cause", tr("Cause")),
        Column("user", tr("User")),
        Column("terminal", tr("Terminal")),
    ]


def _cause(row: MovementRow) -> str:
    if row.sale_number:
        return tr("sale {number}", number=row.sale_number)
    if row.count_id:
        return tr("count {id}", id=row.count_id)
    if row.reason is MovementReason.TRANSFER:
        return tr("to {place}", place=row.to_location or tr("the default place"))
    if row.reason is MovementReason.HOLD:
        held = held_phrase(HoldInfo(row.held_for, None, row.held_until))
        return tr("{held}: {note}", held=held, note=row.note) if row.note else held
    return row.note or ""


def movement_row(row: MovementRow) -> Row:
    return {
        "created_at": row.created_at,
        "barcode": row.barcode,
        "name": row.name,
        "reason": row.reason,
        "quantity": row.quantity,
        "cause": _cause(row),
        "user": row.user,
        "terminal": row.terminal,
    }


def run_movements(ctx: CommandContext) -> int:
    rows = [movement_row(m) for m in list_movements(ctx.db, ctx.args.item, ctx.args.limit)]
    print(render_rows(rows, movement_columns(), ctx.args.format, ctx.currency), end="")
    return EXIT_OK


def alert_row(alert: StockAlert) -> Row:
    return {
        "barcode": alert.barcode,
        "name": alert.name,
        "category": alert.category,
        "on_hand": alert.on_hand,
        "minimum": alert.minimum,
    }


def run_alerts(ctx: CommandContext) -> int:
    columns = [
        Column("barcode", tr("Barcode")),
        Column("name", tr("Item or category")),
        Column("category", tr("Category"), in_table=False),
        Column("on_hand", tr("On hand"), Kind.INT),
        Column("minimum", tr("Alert at"), Kind.INT),
    ]
    rows = [alert_row(a) for a in list_alerts(ctx.db)]
    if not rows and ctx.args.format == "table":
        print(tr("No low stock."))
        return EXIT_OK
    print(render_rows(rows, columns, ctx.args.format, ctx.currency), end="")
    return EXIT_OK


def run_threshold(ctx: CommandContext) -> int:
    minimum = None if ctx.args.clear else ctx.args.min
    set_threshold(ctx.db, ctx.actor, minimum, barcode=ctx.args.item, category=ctx.args.category)
    what = ctx.args.item or ctx.args.category
    if minimum is None:
        print(tr("No more low-stock alert for {what}.", what=what))
    else:
        print(tr("{what} is on the alert list at {n} or fewer.", what=what, n=minimum))
    return EXIT_OK


def _report(done: MovementDone) -> None:
    text = tr("{name}: {change:+d}, {count} on hand.", name=done.name, change=done.quantity,
              count=done.on_hand)  # fmt: skip
    print(text)


def run_intake(ctx: CommandContext) -> int:
    _report(intake(ctx.db, ctx.actor, ctx.args.code, ctx.args.qty, ctx.args.note))
    return EXIT_OK


def run_adjust(ctx: CommandContext) -> int:
    _report(adjust(ctx.db, ctx.actor, ctx.args.code, ctx.args.by, ctx.args.reason))
    return EXIT_OK


def run_take_out(ctx: CommandContext) -> int:
    args = ctx.args
    _report(take_out(ctx.db, ctx.actor, args.code, args.reason, args.qty, args.note))
    return EXIT_OK


def run_transfer(ctx: CommandContext) -> int:
    done = transfer_item(ctx.db, ctx.actor, ctx.args.code, ctx.args.to)
    place = ctx.args.to or tr("the default place")
    print(tr("{name} moved to {place}.", name=done.name, place=place))
    return EXIT_OK


def run_locations(ctx: CommandContext) -> int:
    if ctx.args.add is not None:
        add_location(ctx.db, ctx.actor, ctx.args.add)
        print(tr("Location {name} added.", name=ctx.args.add.strip()))
        return EXIT_OK
    names = list_locations(ctx.db)
    print("\n".join(names) if names else tr("No locations yet: add one with --add NAME."))
    return EXIT_OK


def run_hold(ctx: CommandContext) -> int:
    args = ctx.args
    done = hold_item(ctx.db, ctx.actor, args.code, args.customer, args.until, args.note)
    print(tr("{name} is {held}.", name=done.name, held=held_phrase(done.hold)))
    return EXIT_OK


def run_release(ctx: CommandContext) -> int:
    done = release_hold(ctx.db, ctx.actor, ctx.args.code)
    print(tr("{name} is on sale again.", name=done.name))
    return EXIT_OK


def hold_columns() -> list[Column]:
    return [
        Column("barcode", tr("Barcode")),
        Column("name", tr("Name")),
        Column("price", tr("Price"), Kind.MONEY),
        Column("customer", tr("Customer")),
        Column("customer_card", tr("Customer card"), in_table=False),
        Column("until", tr("Until"), Kind.DATE),
        Column("state", tr("State"), in_data=False),
        Column("expired", tr("Expired"), in_table=False),
        Column("note", tr("Note")),
        Column("user", tr("Held by")),
        Column("terminal", tr("Terminal")),
        Column("held_at", tr("Held at"), Kind.MOMENT),
    ]


def hold_row(row: HoldRow, today: date) -> Row:
    expired = row.expired(today)
    return {
        "barcode": row.barcode,
        "name": row.name,
        "price": row.price,
        "customer": row.customer,
        "customer_card": row.customer_card,
        "until": row.until,
        "state": tr("expired") if expired else "",
        "expired": expired,
        "note": row.note,
        "user": row.user,
        "terminal": row.terminal,
        "held_at": row.held_at,
    }


def run_holds(ctx: CommandContext) -> int:
    today = clock.today()
    rows = [hold_row(h, today) for h in list_holds(ctx.db, ctx.args.expired, today)]
    if not rows and ctx.args.format == "table":
        print(tr("No expired holds.") if ctx.args.expired else tr("No items are held."))
        return EXIT_OK
    print(render_rows(rows, hold_columns(), ctx.args.format, ctx.currency), end="")
    return EXIT_OK
