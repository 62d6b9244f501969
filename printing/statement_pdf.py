"""A consignor's statement as an A4 PDF: items sold and refunded, payouts, and the balances."""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from posapp.i18n import day, money, tr
from posapp.models import LedgerKind
from posapp.services.statements import Statement, StatementLine
from printing.barcodes import MM
from printing.fonts import register_cjk_font

SIZE = 8.5


def _styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    font = register_cjk_font()  # covers Latin too, so mixed names stay in one font
    title = ParagraphStyle("title", fontName=font, fontSize=14, leading=18, spaceAfter=2 * MM)
    body = ParagraphStyle("body", fontName=font, fontSize=SIZE, leading=SIZE * 1.4)
    return title, body


def _table(rows: list[list[str]], numeric_from: int) -> Table:
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
                ("FONTSIZE", (0, 0), (-1, -1), SIZE),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _split(basis_points: int | None) -> str:
    if basis_points is None:
        return ""
    return tr("{value}%", value=format((Decimal(basis_points) / 100).normalize(), "f"))


def _line_row(line: StatementLine, currency: str) -> list[str]:
    what = line.item if line.kind is LedgerKind.SALE else tr("Refund: {item}", item=line.item)
    return [
        day(line.on.date()),
        line.sale_number,
        what,
        money(line.price, currency),
        money(line.discount, currency),
        money(line.net, currency),
        _split(line.split_bp),
        money(line.share, currency),
    ]


def _sales_table(statement: Statement) -> Table:
    cur = statement.currency
    header = [tr("Date"), tr("Sale"), tr("Item"), tr("Price"), tr("Discount"), tr("Net")]
    header += [tr("Split"), tr("Your share")]
    rows = [header] + [_line_row(line, cur) for line in statement.lines]
    rows.append([tr("Total"), "", "", "", "", "", "", money(statement.shares, cur)])
    return _table(rows, numeric_from=3)


def _summary(statement: Statement) -> Table:
    cur = statement.currency
    rows = [
        [tr("Balance on {date}", date=day(statement.start)), money(statement.opening_balance, cur)],
        [tr("Your share of sales, less refunds"), money(statement.shares, cur)],
        [tr("Paid to you"), money(-statement.paid, cur)],
        [tr("Balance on {date}", date=day(statement.end)), money(statement.closing_balance, cur)],
    ]
    return _table(rows, numeric_from=1)


def statement_pdf(statement: Statement) -> bytes:
    title, body = _styles()
    story: list[Flowable] = [
        Paragraph(tr("Consignor statement"), title),
        Paragraph(statement.store_name, body),
        Paragraph(
            tr(
                "Consignor {number} {name}",
                number=statement.consignor_number,
                name=statement.consignor_name,
            ),
            body,
        ),
        Paragraph(
            tr("Period: {start} to {end}", start=day(statement.start), end=day(statement.end)),
            body,
        ),
        Spacer(1, 4 * MM),
    ]
    if statement.lines:
        story.append(_sales_table(statement))
    else:
        story.append(Paragraph(tr("Nothing of yours was sold in this period."), body))
    story.append(Spacer(1, 4 * MM))
    if statement.payouts:
        payouts = [[tr("Date"), tr("Paid to you")]]
        payouts += [
            [day(p.on.date()), money(p.amount, statement.currency)] for p in statement.payouts
        ]
        story.append(_table(payouts, numeric_from=1))
        story.append(Spacer(1, 4 * MM))
    story.append(_summary(statement))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * MM, rightMargin=15 * MM, topMargin=15 * MM,
        bottomMargin=15 * MM, title=tr("Consignor statement"), author=statement.store_name,
    )  # fmt: skip
    document.build(story)
    return buffer.getvalue()
