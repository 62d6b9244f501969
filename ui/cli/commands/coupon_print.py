"""`posapp coupons print`: a campaign's coupons on a label sheet PDF, then marked printed."""

from __future__ import annotations

from pathlib import Path

from posapp.i18n import tr
from posapp.services.coupon_printing import coupons_to_print, record_coupons_printed
from printing.coupon_sheet import coupon_sheet_pdf
from printing.output import write_file
from printing.system_printer import print_pdf
from ui.cli.arguments import Subparsers
from ui.cli.commands.layout_options import add_layout_options, chosen_layout
from ui.cli.context import EXIT_OK, CommandContext


def add_print_command(actions: Subparsers) -> None:
    parser = actions.add_parser(
        "print",
        help=tr("print a campaign's new coupons on a label sheet (PDF)"),
        description=tr(
            "Write the campaign's generated coupons to a PDF label sheet (a file, or a system "
            "printer) and mark them printed. Nothing is marked printed if the file cannot be "
            "written or the printer does not take the job."
        ),
    )
    parser.add_argument("--campaign", required=True, metavar="ID_OR_NAME")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, metavar="FILE.pdf", help=tr("save the PDF here"))
    where.add_argument(
        "--printer", metavar="NAME", help=tr("send to this system printer (CUPS queue name)")
    )
    add_layout_options(parser, "a4-3x8")
    parser.add_argument(
        "--reprint", action="store_true", help=tr("also print the coupons printed before")
    )
    parser.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="CODE",
        help=tr("print only this coupon (repeat), e.g. to replace a damaged label"),
    )
    parser.set_defaults(handler=run_coupons_print)


def run_coupons_print(ctx: CommandContext) -> int:
    layout = chosen_layout(ctx.args)
    job = coupons_to_print(ctx.db, ctx.args.campaign, ctx.args.reprint, ctx.args.code)
    pdf = coupon_sheet_pdf(job, layout)
    if ctx.args.printer:
        print_pdf(ctx.args.printer, pdf, job.campaign_name)
        destination = tr("printer {name}", name=ctx.args.printer)
        output = f"printer:{ctx.args.printer}"
    else:
        write_file(ctx.args.out, pdf)
        destination = output = str(ctx.args.out)
    record = record_coupons_printed(ctx.db, ctx.actor, job, output)
    pages = -(-len(job.coupons) // layout.per_page)
    print(
        tr(
            "{count} coupons on {pages} pages written to {path}.",
            count=len(job.coupons),
            pages=pages,
            path=destination,
        )
    )
    if record.reprinted:
        print(
            tr(
                "{count} of them were printed before (recorded as a reprint).",
                count=record.reprinted,
            )
        )
    return EXIT_OK
