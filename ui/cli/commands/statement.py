"""`posapp consignors statement`: a consignor's statement for a period, as a PDF."""

from __future__ import annotations

from pathlib import Path

from posapp.i18n import tr
from posapp.services.statements import consignor_statement
from printing.output import write_file
from printing.statement_pdf import statement_pdf
from ui.cli.arguments import Subparsers, iso_date
from ui.cli.context import EXIT_OK, CommandContext


def add_statement_command(actions: Subparsers) -> None:
    parser = actions.add_parser(
        "statement",
        help=tr("a consignor's statement for a period (PDF)"),
        description=tr(
            "Items of the consignor sold and refunded in the period, with prices, discounts "
            "and the consignor's share, payouts, and the balance at both ends."
        ),
    )
    parser.add_argument("--consignor", required=True, metavar="NUMBER")
    parser.add_argument("--from", dest="start", required=True, type=iso_date, metavar="DATE")
    parser.add_argument("--to", dest="end", required=True, type=iso_date, metavar="DATE")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    parser.set_defaults(handler=run_statement)


def run_statement(ctx: CommandContext) -> int:
    args = ctx.args
    statement = consignor_statement(ctx.db, args.consignor, args.start, args.end)
    write_file(args.out, statement_pdf(statement))
    print(
        tr(
            "Statement for consignor {number} written to {path}.",
            number=statement.consignor_number,
            path=str(args.out),
        )
    )
    return EXIT_OK
