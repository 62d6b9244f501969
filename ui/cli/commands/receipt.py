"""`posapp receipt`: a sale's receipt again, as text, a PDF for a roll, or ESC/POS bytes."""

from __future__ import annotations

import argparse
from pathlib import Path

from posapp.i18n import tr
from posapp.services.sales_history import sale_receipt
from printing.escpos_receipt import escpos_receipt
from printing.output import write_file
from printing.printers import send_escpos
from printing.receipt_pdf import receipt_pdf
from printing.receipt_text import render_receipt
from ui.cli.arguments import Subparsers
from ui.cli.context import EXIT_OK, CliError, CommandContext


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "receipt",
        help=tr("print a sale's receipt again (text, PDF or ESC/POS)"),
        description=tr(
            "Print a sale's receipt: text on the screen, a PDF for a 58 or 80 mm roll, or "
            "ESC/POS bytes to a file or straight to a receipt printer. The sale number prints "
            "as a barcode, so a return can scan it."
        ),
    )
    parser.add_argument(
        "--sale", required=True, metavar="ID_OR_NUMBER", help=tr("e.g. T1-000042, or its id")
    )
    parser.add_argument("--format", choices=("text", "pdf", "escpos"), default="text")
    parser.add_argument("--out", type=Path, metavar="FILE", help=tr("write to this file"))
    parser.add_argument(
        "--printer",
        metavar="TARGET",
        help=tr(
            "escpos: send to tcp:HOST[:PORT], serial:DEVICE[:BAUD], usb:VENDOR:PRODUCT or "
            "file:PATH (a device such as /dev/usb/lp0)"
        ),
    )
    parser.add_argument("--roll", type=int, choices=(58, 80), default=80, help=tr("roll width, mm"))
    parser.add_argument(
        "--raster-text",
        action="store_true",
        help=tr("escpos: the printer has no Chinese font; send non-ASCII lines as images"),
    )
    parser.set_defaults(handler=run_receipt)


def _check_destination(args: argparse.Namespace) -> None:
    if args.printer and args.format != "escpos":
        raise CliError(tr("--printer takes --format escpos."))
    if args.format != "text" and not (args.out or args.printer):
        raise CliError(tr("Say where the receipt goes: --out FILE (or --printer for escpos)."))


def run_receipt(ctx: CommandContext) -> int:
    args = ctx.args
    _check_destination(args)
    receipt = sale_receipt(ctx.db, args.sale)
    if args.format == "text":
        text = render_receipt(receipt)
        if args.out is None:
            print(text, end="")
            return EXIT_OK
        data = text.encode("utf-8")
    elif args.format == "pdf":
        data = receipt_pdf(receipt, args.roll)
    else:
        data = escpos_receipt(receipt, args.roll, chinese=not args.raster_text)
    if args.printer:
        send_escpos(args.printer, data)
        print(tr("Receipt {number} sent to {target}.", number=receipt.number, target=args.printer))
    else:
        write_file(args.out, data)
        print(tr("Receipt {number} written to {path}.", number=receipt.number, path=str(args.out)))
    return EXIT_OK
