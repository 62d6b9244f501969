"""`posapp count start|scan|report|commit|cancel`: stock counts by scanning."""

from __future__ import annotations

from pathlib import Path

from posapp.i18n import tr
from posapp.services.count_list import list_counts, scope_words
from posapp.services.count_report import count_report
from posapp.services.count_scan import scan_codes, scan_message
from posapp.services.counts import cancel_count, commit_count, start_count
from ui.cli.arguments import Subparsers, add_format_option, positive_int
from ui.cli.commands.count_report_output import render_report, write_pdf
from ui.cli.context import EXIT_OK, CliError, CommandContext
from ui.cli.output import FORMATS, Column, Kind, render_rows


def register(subparsers: Subparsers) -> None:
    count = subparsers.add_parser("count", help=tr("count the shop's stock by scanning"))
    actions = count.add_subparsers(dest="action", required=True, metavar="ACTION")
    start = actions.add_parser(
        "start",
        help=tr("open a count and print its id"),
        description=tr(
            "Open a count of the whole shop (all), one location, one category or one "
            "consignor's items. Several terminals can scan into the same count. The till keeps "
            "selling: a sale during the count is not reported as missing."
        ),
    )
    start.add_argument("--scope", required=True, metavar="all|location:X|category:X|consignor:N")
    start.add_argument(
        "--blind", action="store_true", help=tr("do not show counters the expected quantities")
    )
    start.set_defaults(handler=run_start)
    scan = actions.add_parser("scan", help=tr("count item tags, coupons or other codes"))
    _add_session(scan)
    scan.add_argument("codes", nargs="+", metavar="CODE")
    scan.add_argument(
        "--qty", type=positive_int, default=1, metavar="N", help=tr("how many of a stock item")
    )
    scan.set_defaults(handler=run_scan)
    report = actions.add_parser("report", help=tr("missing, extra and unknown, with their value"))
    _add_session(report)
    report.add_argument(
        "--format",
        choices=(*FORMATS, "pdf"),
        default="table",
        help=tr("table for people (default), csv, json, or pdf (with --output)"),
    )
    report.add_argument("--output", type=Path, metavar="FILE", help=tr("where to write the PDF"))
    report.set_defaults(handler=run_report)
    commit = actions.add_parser("commit", help=tr("correct the stock to what was counted"))
    _add_session(commit)
    commit.set_defaults(handler=run_commit)
    cancel = actions.add_parser("cancel", help=tr("close the count without changing stock"))
    _add_session(cancel)
    cancel.set_defaults(handler=run_cancel)
    listing = actions.add_parser("list", help=tr("the shop's counts, newest first"))
    listing.add_argument("--open", action="store_true", help=tr("only counts still open"))
    add_format_option(listing)
    listing.set_defaults(handler=run_list)


def _add_session(parser: object) -> None:
    parser.add_argument(  # type: ignore[attr-defined]
        "--session", required=True, type=positive_int, metavar="S", help=tr("the count's id")
    )


def run_start(ctx: CommandContext) -> int:
    print(start_count(ctx.db, ctx.actor, ctx.args.scope, ctx.args.blind))
    return EXIT_OK


def run_scan(ctx: CommandContext) -> int:
    args = ctx.args
    for seen in scan_codes(ctx.db, ctx.actor, args.session, args.codes, args.qty):
        print(scan_message(seen))
    return EXIT_OK


def run_report(ctx: CommandContext) -> int:
    args = ctx.args
    if args.format != "pdf":
        print(render_report(ctx.db, ctx.actor, args.session, args.format), end="")
        return EXIT_OK
    if args.output is None:
        raise CliError(tr("A PDF report needs --output FILE."))
    write_pdf(count_report(ctx.db, args.session, ctx.actor), args.output, ctx.currency)
    print(tr("Count report written to {path}.", path=str(args.output)))
    return EXIT_OK


def run_commit(ctx: CommandContext) -> int:
    done = commit_count(ctx.db, ctx.actor, ctx.args.session)
    print(tr("Count {id} committed: {n} corrections ({missing} missing, {extra} extra).",
             id=ctx.args.session, n=done.corrections, missing=done.missing,
             extra=done.extra))  # fmt: skip
    if done.left_for_review:
        print(tr("{n} items found although sold, returned or donated were left unchanged: "
                 "check them by hand.", n=done.left_for_review))  # fmt: skip
    if done.outside_scope:
        print(tr("{n} items scanned outside this count's scope were left unchanged: see the "
                 "report.", n=done.outside_scope))  # fmt: skip
    return EXIT_OK


def run_cancel(ctx: CommandContext) -> int:
    cancel_count(ctx.db, ctx.actor, ctx.args.session)
    print(tr("Count {id} cancelled; no stock was changed.", id=ctx.args.session))
    return EXIT_OK


def run_list(ctx: CommandContext) -> int:
    columns = [
        Column("id", tr("Count"), Kind.INT),
        Column("scope", tr("Scope"), in_table=False),
        Column("scope_value", tr("Of"), in_table=False),
        Column("scope_text", tr("Scope"), in_data=False),
        Column("blind", tr("Blind"), in_table=False),
        Column("state", tr("State"), Kind.STATE),
        Column("started_at", tr("Started"), Kind.MOMENT),
        Column("started_by", tr("By")),
        Column("scans", tr("Scans"), Kind.INT),
        Column("closed_at", tr("Closed"), Kind.MOMENT),
    ]
    rows = [
        vars(row) | {"scope_text": scope_words(row.scope, row.scope_value)}
        for row in list_counts(ctx.db, ctx.args.open)
    ]  # fmt: skip
    print(render_rows(rows, columns, ctx.args.format, ctx.currency), end="")
    return EXIT_OK
