"""`posapp tags print`: item tags on a label sheet or a 58/80 mm label roll (PDF)."""

from __future__ import annotations

from pathlib import Path

from posapp.i18n import tr
from posapp.services.item_tags import tags_to_print
from printing.item_tags import ROLLS, tag_roll_pdf, tag_sheet_pdf
from printing.output import write_file
from printing.system_printer import print_pdf
from ui.cli.arguments import Subparsers, iso_date
from ui.cli.commands.layout_options import add_layout_options, chosen_layout
from ui.cli.context import EXIT_OK, CommandContext


def register(subparsers: Subparsers) -> None:
    tags = subparsers.add_parser("tags", help=tr("print item tags"))
    actions = tags.add_subparsers(dest="action", required=True, metavar="ACTION")
    parser = actions.add_parser(
        "print",
        help=tr("print tags for items (PDF): price, consignor, intake date, markdown, barcode"),
        description=tr(
            "Print tags for the listed items, or for every item on sale that matches "
            "--consignor and --since. In-store 13-digit barcodes print as EAN-13, others as "
            "Code 128."
        ),
    )
    parser.add_argument(
        "--items",
        "--item",
        dest="items",
        nargs="+",
        action="extend",
        default=[],
        metavar="BARCODE",
        help=tr("the items to tag, by barcode (--item also works, and both repeat)"),
    )
    parser.add_argument("--consignor", metavar="NUMBER", help=tr("only this consignor's items"))
    parser.add_argument(
        "--since", type=iso_date, metavar="DATE", help=tr("only items taken in on or after DATE")
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="FILE.pdf", help=tr("save the PDF here"))
    where.add_argument(
        "--printer", metavar="NAME", help=tr("send to this system printer (CUPS queue name)")
    )
    add_layout_options(parser, "a4-3x8", rolls=tuple(ROLLS))
    parser.add_argument(
        "--ean-prefix",
        action="append",
        metavar="DIGITS",
        help=tr("13-digit barcodes starting with this print as EAN-13 (repeat; default 2)"),
    )
    parser.set_defaults(handler=run_tags_print)


def run_tags_print(ctx: CommandContext) -> int:
    args = ctx.args
    prefixes = tuple(args.ean_prefix or ["2"])
    tags = tags_to_print(ctx.db, args.items, args.consignor, args.since)
    if args.layout in ROLLS:
        data = tag_roll_pdf(tags, args.layout, prefixes)
    else:
        data = tag_sheet_pdf(tags, chosen_layout(args), prefixes)
    if args.printer:
        print_pdf(args.printer, data, tr("Item tags"))
        destination = tr("printer {name}", name=args.printer)
    else:
        write_file(args.out, data)
        destination = str(args.out)
    print(tr("{count} tags written to {path}.", count=len(tags), path=destination))
    return EXIT_OK
