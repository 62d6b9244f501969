"""A count's variance report as a PDF: missing, extra, outside the scope, unknown codes, scanned
more than once, by consignor, coupons."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from posapp import codes
from posapp.i18n import money, tr
from posapp.services.count_report import CountReport
from posapp.services.count_variance import VarianceLine
from printing.barcodes import MM
from printing.fonts import LATIN, LATIN_BOLD, register_cjk_font

TEXT_SIZE = 8.0
NAME_CHARS = 40  # long item names are cut so a line stays one row
ALWAYS_SHOWN = 2  # the first sections (missing, extra) print even when empty


def _fonts(report: CountReport, title: str) -> tuple[str, str]:
    """Helvetica when every text is Latin, else the shipped CJK font throughout."""
    texts = [title, *(x.name + (x.consignor_name or "") for x in report.lines)]
    texts += [c.campaign for c in report.coupons] + [tr("Missing"), tr("Consignor")]
    texts += [r.name or "" for r in report.repeated]
    try:
        "".join(texts).encode("cp1252")
    except UnicodeEncodeError:
        cjk = register_cjk_font()
        return cjk, cjk
    return LATIN, LATIN_BOLD


def _table(rows: Sequence[Sequence[str]], font: str, bold: str, numeric_from: int) -> Table:
    table = Table([list(row) for row in rows], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, TEXT_SIZE),
                ("FONT", (0, 0), (-1, 0), bold, TEXT_SIZE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _line_rows(lines: Sequence[VarianceLine], currency: str) -> list[list[str]]:
    header = [tr("Barcode"), tr("Name"), tr("Consignor"), tr("Price"), tr("Expected"),
              tr("Counted"), tr("Variance"), tr("Value")]  # fmt: skip
    return [header] + [
        [x.barcode, x.name[:NAME_CHARS], x.consignor_number or "", money(x.price, currency),
         str(x.expected), str(x.counted), str(x.variance), money(x.value, currency)]
        for x in lines
    ]  # fmt: skip


def _consignor_rows(report: CountReport, currency: str) -> list[list[str]]:
    header = [tr("Consignor"), tr("Name"), tr("Missing"), tr("Missing value"), tr("Extra"),
              tr("Extra value")]  # fmt: skip
    return [header] + [
        [c.number, c.name, str(c.missing), money(c.missing_value, currency), str(c.extra),
         money(c.extra_value, currency)]
        for c in report.by_consignor()
    ]  # fmt: skip


def _coupon_rows(report: CountReport) -> list[list[str]]:
    header = [tr("Campaign"), tr("Printed, not issued"), tr("Counted"), tr("Missing"), tr("Extra")]
    return [header] + [
        [c.campaign, str(c.expected), str(c.counted), str(c.missing), str(c.extra)]
        for c in report.coupons
    ]


def _sections(report: CountReport, currency: str) -> list[tuple[str, list[list[str]], int]]:
    """(heading, rows with a header row, first right-aligned column) for each part to print."""
    sections = []
    for title, lines in ((tr("Missing"), report.missing), (tr("Extra"), report.extra)):
        value = money(sum(abs(x.value) for x in lines), currency)
        quantity = sum(abs(x.variance) for x in lines)
        heading = tr("{title}: {quantity} ({value})", title=title, quantity=quantity, value=value)
        sections.append((heading, _line_rows(lines, currency), 3))
    outside = _line_rows(report.outside_scope, currency)
    sections.append((tr("Outside this count's scope, not corrected"), outside, 3))
    unknown = [[tr("Code"), tr("Counted")]] + [[u.code, str(u.quantity)] for u in report.unknown]
    sections.append((tr("Unknown codes, kept for review"), unknown, 1))
    repeated = [[tr("Code"), tr("Name"), tr("Extra scans")]] + [
        [r.code, (r.name or "")[:NAME_CHARS], str(r.extra_scans)] for r in report.repeated
    ]
    sections.append((tr("Scanned more than once"), repeated, 2))
    sections.append((tr("By consignor"), _consignor_rows(report, currency), 2))
    sections.append((tr("Pre-printed coupons"), _coupon_rows(report), 1))
    not_found = [
        [codes.grouped(code), c.campaign] for c in report.coupons for code in c.missing_codes
    ]
    header = [tr("Code"), tr("Campaign")]
    sections.append((tr("Pre-printed coupons not found"), [header, *not_found], 2))
    return [s for n, s in enumerate(sections) if len(s[1]) > 1 or n < ALWAYS_SHOWN]


def count_report_pdf(report: CountReport, title: str, currency: str) -> bytes:
    """The report on A4 pages; ``title`` is the first line (count, scope, state, start)."""
    font, bold = _fonts(report, title)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=10, leading=14, spaceBefore=6)
    title_style = ParagraphStyle("title", fontName=bold, fontSize=12, leading=16)
    story: list[Flowable] = [Paragraph(escape(title), title_style)]
    for text, rows, numeric_from in _sections(report, currency):
        story += [Paragraph(escape(text), heading), _table(rows, font, bold, numeric_from)]
        story.append(Spacer(1, 2 * MM))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=12 * MM, rightMargin=12 * MM,
                                 topMargin=12 * MM, bottomMargin=12 * MM, title=title)  # fmt: skip
    document.build(story)
    return buffer.getvalue()
