"""`posapp items list|import|markdown` and `posapp consignors list`."""

from __future__ import annotations

from pathlib import Path

from posapp import labels
from posapp.i18n import day, tr
from posapp.services.catalog import (
    ConsignorRow,
    ItemRow,
    Markdown,
    list_consignors,
    list_items,
    set_markdown,
)
from posapp.services.item_import import import_items_csv
from ui.cli.arguments import (
    Subparsers,
    add_format_option,
    add_limit_option,
    iso_date,
    percent_option,
)
from ui.cli.commands.statement import add_statement_command
from ui.cli.context import EXIT_OK, CliError, CommandContext
from ui.cli.output import Column, Kind, Row, render_rows


def register(subparsers: Subparsers) -> None:
    items = subparsers.add_parser("items", help=tr("list and import items"))
    actions = items.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=tr("list items, newest first"))
    listing.add_argument(
        "--search", metavar="TEXT", help=tr("barcode, name, consignor name or consignor number")
    )
    add_limit_option(listing)
    add_format_option(listing)
    listing.set_defaults(handler=run_items_list)
    importing = actions.add_parser(
        "import",
        help=tr("add items from a CSV file: all rows or none"),
        description=tr(
            "Add items from a UTF-8 CSV file with a header row. Columns: barcode, name, price "
            "(required); kind (consigned or stock), quantity, consignor (the 6-digit number), "
            "split (percent), category, intake_date (YYYY-MM-DD), markdown_date (YYYY-MM-DD) and "
            "markdown_percent (both or neither). All rows or none: every row is checked first, "
            "and if any row is bad nothing is imported and each bad row is reported with its "
            "line number."
        ),
    )
    importing.add_argument("--csv", required=True, type=Path, metavar="FILE", help=tr("CSV file"))
    importing.set_defaults(handler=run_items_import)
    _register_markdown(actions)
    consignors = subparsers.add_parser("consignors", help=tr("list consignors"))
    consignor_actions = consignors.add_subparsers(dest="action", required=True, metavar="ACTION")
    consignor_list = consignor_actions.add_parser("list", help=tr("list consignors by number"))
    add_format_option(consignor_list)
    consignor_list.set_defaults(handler=run_consignors_list)
    add_statement_command(consignor_actions)


def _register_markdown(actions: Subparsers) -> None:
    parser = actions.add_parser(
        "markdown",
        help=tr("mark an item down by a percentage from a day on, or take the markdown off"),
        description=tr(
            "From --from on, the till charges the item --percent less than its price, and its "
            "tag says so. --clear takes the markdown off."
        ),
    )
    parser.add_argument("--item", required=True, metavar="BARCODE", help=tr("the item's barcode"))
    parser.add_argument("--percent", metavar="PERCENT", help=tr("percentage off, e.g. 30"))
    parser.add_argument("--from", dest="start", type=iso_date, metavar="DATE", help=tr("first day"))
    parser.add_argument("--clear", action="store_true", help=tr("take the markdown off"))
    parser.set_defaults(handler=run_items_markdown)


def run_items_markdown(ctx: CommandContext) -> int:
    args = ctx.args
    if args.clear:
        if args.percent or args.start:
            raise CliError(tr("--clear takes no --percent or --from."))
        set_markdown(ctx.db, ctx.actor, args.item, None)
        print(tr("Item {barcode} has no markdown now.", barcode=args.item))
        return EXIT_OK
    if not (args.percent and args.start):
        raise CliError(tr("Give --percent and --from (or --clear)."))
    markdown = Markdown(args.start, percent_option(args.percent, "--percent"))
    set_markdown(ctx.db, ctx.actor, args.item, markdown)
    print(
        tr(
            "Item {barcode}: markdown {percent} from {date}.",
            barcode=args.item,
            percent=labels.percent(markdown.percent_bp),
            date=day(markdown.on),
        )
    )
    return EXIT_OK


def item_columns() -> list[Column]:
    return [
        Column("barcode", tr("Barcode")),
        Column("name", tr("Name")),
        Column("kind", tr("Kind"), Kind.STATE, in_table=False),
        Column("price", tr("Price"), Kind.MONEY),
        Column("quantity", tr("Qty"), Kind.INT),
        Column("status", tr("Status"), Kind.STATE),
        Column("consignor", tr("Consignor"), in_table=False),
        Column("consignor_name", tr("Consignor name"), in_table=False),
        Column("consignor_label", tr("Consignor"), in_data=False),
        Column("split", tr("Split"), Kind.PERCENT),
        Column("category", tr("Category"), in_table=False),
        Column("intake_date", tr("Intake"), Kind.DATE),
        Column("markdown_date", tr("Markdown from"), Kind.DATE),
        Column("markdown_percent", tr("Markdown"), Kind.PERCENT),
    ]


def item_row(item: ItemRow) -> Row:
    label = ""
    if item.consignor_number:
        label = tr("{number} {name}", number=item.consignor_number, name=item.consignor_name or "")
    return {
        "barcode": item.barcode,
        "name": item.name,
        "kind": item.kind,
        "price": item.price,
        "quantity": item.quantity,
        "status": item.status,
        "consignor": item.consignor_number,
        "consignor_name": item.consignor_name,
        "consignor_label": label,
        "split": item.split_bp,
        "category": item.category,
        "intake_date": item.intake_date,
        "markdown_date": item.markdown.on if item.markdown else None,
        "markdown_percent": item.markdown.percent_bp if item.markdown else None,
    }


def run_items_list(ctx: CommandContext) -> int:
    rows = [item_row(i) for i in list_items(ctx.db, ctx.args.search, ctx.args.limit)]
    print(render_rows(rows, item_columns(), ctx.args.format, ctx.currency), end="")
    return EXIT_OK


def run_items_import(ctx: CommandContext) -> int:
    added = import_items_csv(ctx.db, ctx.actor, ctx.args.csv)
    print(tr("Imported {count} items from {path}.", count=added, path=str(ctx.args.csv)))
    return EXIT_OK


def consignor_columns() -> list[Column]:
    return [
        Column("number", tr("Number")),
        Column("name", tr("Name")),
        Column("phone", tr("Phone")),
        Column("split", tr("Split"), Kind.PERCENT),
        Column("items_available", tr("Items for sale"), Kind.INT),
    ]


def consignor_row(consignor: ConsignorRow) -> Row:
    return {
        "number": consignor.number,
        "name": consignor.name,
        "phone": consignor.phone,
        "split": consignor.default_split_bp,
        "items_available": consignor.items_available,
    }


def run_consignors_list(ctx: CommandContext) -> int:
    rows = [consignor_row(c) for c in list_consignors(ctx.db)]
    print(render_rows(rows, consignor_columns(), ctx.args.format, ctx.currency), end="")
    return EXIT_OK
