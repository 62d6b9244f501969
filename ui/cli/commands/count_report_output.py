"""`posapp count report` in three formats: sections for people, one CSV sheet, one JSON object."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

from posapp import labels
from posapp.db import Database
from posapp.i18n import moment, money, tr
from posapp.services.context import Actor
from posapp.services.count_list import scope_words
from posapp.services.count_report import CountReport, count_report
from posapp.services.count_variance import VarianceLine
from ui.cli.output import Column, Kind, Row, render_rows


def line_columns() -> list[Column]:
    return [
        Column("section", tr("Section"), in_table=False),
        Column("barcode", tr("Barcode")),
        Column("name", tr("Name")),
        Column("kind", tr("Kind"), Kind.STATE, in_table=False),
        Column("status", tr("Status"), Kind.STATE),
        Column("category", tr("Category"), in_table=False),
        Column("consignor", tr("Consignor")),
        Column("consignor_name", tr("Consignor name"), in_table=False),
        Column("price", tr("Price"), Kind.MONEY),
        Column("expected_at_start", tr("At start"), Kind.INT, in_table=False),
        Column("moved_since", tr("Moved since"), Kind.INT, in_table=False),
        Column("expected", tr("Expected"), Kind.INT),
        Column("counted", tr("Counted"), Kind.INT),
        Column("variance", tr("Variance"), Kind.INT),
        Column("value", tr("Value"), Kind.MONEY),
    ]


def line_row(section: str, line: VarianceLine) -> Row:
    return {
        "section": section,
        "barcode": line.barcode,
        "name": line.name + (tr(" (check by hand)") if line.needs_review else ""),
        "kind": line.kind,
        "status": line.status,
        "category": line.category,
        "consignor": line.consignor_number,
        "consignor_name": line.consignor_name,
        "price": line.price,
        "expected_at_start": line.expected_at_start,
        "moved_since": line.moved_since,
        "expected": line.expected,
        "counted": line.counted,
        "variance": line.variance,
        "value": line.value,
    }


def sheet_columns() -> list[Column]:
    """The CSV sheet: the line columns, then the by-consignor totals (their own rows)."""
    totals = [
        Column(c.key, c.title, c.kind, in_table=False)
        for c in consignor_columns()
        if c.key not in ("number", "name")
    ]
    return line_columns() + totals


def _blank_line(section: str, code: str, name: str, expected: int | None, counted: int) -> Row:
    row: Row = dict.fromkeys(c.key for c in sheet_columns())
    variance = None if expected is None else counted - expected
    row |= {"section": section, "barcode": code, "name": name, "expected": expected,
            "counted": counted, "variance": variance}  # fmt: skip
    return row


def sheet_rows(report: CountReport) -> list[Row]:
    """Every line of the report in one sheet, the ``section`` column saying what it is."""
    rows = [line_row("missing", line) for line in report.missing]
    rows += [line_row("extra", line) for line in report.extra]
    rows += [line_row("outside_scope", line) for line in report.outside_scope]
    rows += [_blank_line("unknown", u.code, "", None, u.quantity) for u in report.unknown]
    rows += [_blank_line("scanned_twice", r.code, r.name or "", None, r.extra_scans)
             for r in report.repeated]  # fmt: skip
    rows += [_blank_line("coupons", "", c.campaign, c.expected, c.counted) for c in report.coupons]
    rows += [_blank_line("coupon_missing", r["code"], r["campaign"], 1, 0)
             for r in _missing_coupon_rows(report)]  # fmt: skip
    rows += [_consignor_sheet_row(c) for c in _consignor_rows(report)]
    blank = dict.fromkeys(c.key for c in sheet_columns())
    return [blank | row for row in rows]


def _consignor_sheet_row(totals: Row) -> Row:
    row: Row = dict.fromkeys(c.key for c in sheet_columns())
    row |= {k: v for k, v in totals.items() if k not in ("number", "name")}
    row |= {"section": "by_consignor", "consignor": totals["number"],
            "consignor_name": totals["name"]}  # fmt: skip
    return row


def _consignor_rows(report: CountReport) -> list[Row]:
    return [
        {"number": c.number, "name": c.name, "missing": c.missing,
         "missing_value": c.missing_value, "extra": c.extra, "extra_value": c.extra_value}
        for c in report.by_consignor()
    ]  # fmt: skip


def consignor_columns() -> list[Column]:
    return [
        Column("number", tr("Consignor")),
        Column("name", tr("Name")),
        Column("missing", tr("Missing"), Kind.INT),
        Column("missing_value", tr("Missing value"), Kind.MONEY),
        Column("extra", tr("Extra"), Kind.INT),
        Column("extra_value", tr("Extra value"), Kind.MONEY),
    ]


def coupon_columns() -> list[Column]:
    return [
        Column("campaign", tr("Campaign")),
        Column("expected", tr("Printed, not issued"), Kind.INT),
        Column("counted", tr("Counted"), Kind.INT),
        Column("missing", tr("Missing"), Kind.INT),
        Column("extra", tr("Extra"), Kind.INT),
    ]


def _coupon_rows(report: CountReport) -> list[Row]:
    return [vars(c) for c in report.coupons]


def _missing_coupon_rows(report: CountReport) -> list[Row]:
    return [{"code": code, "campaign": c.campaign} for c in report.coupons
            for code in c.missing_codes]  # fmt: skip


def _total(lines: Sequence[VarianceLine]) -> tuple[int, int]:
    return sum(abs(x.variance) for x in lines), sum(abs(x.value) for x in lines)


def report_title(report: CountReport) -> str:
    scope = scope_words(report.scope, report.scope_value)
    return tr("Count {id}: {scope}, {state}, started {when}.", id=report.id, scope=scope,
              state=labels.count_state(report.state), when=moment(report.started_at))  # fmt: skip


def _table(report: CountReport, currency: str) -> str:
    parts = [report_title(report) + "\n"]
    sections: list[tuple[str, list[Row], list[Column]]] = []
    for title, lines in ((tr("Missing"), report.missing), (tr("Extra"), report.extra)):
        quantity, value = _total(lines)
        heading = tr("{title}: {quantity} ({value})", title=title, quantity=quantity,
                     value=money(value, currency))  # fmt: skip
        sections.append((heading, [line_row("", x) for x in lines], line_columns()))
    sections += [
        (tr("Outside this count's scope, not corrected"),
         [line_row("", x) for x in report.outside_scope], line_columns()),
        (tr("Unknown codes, kept for review"), [vars(u) for u in report.unknown],
         [Column("code", tr("Code")), Column("quantity", tr("Counted"), Kind.INT)]),
        (tr("Scanned more than once"), [vars(r) for r in report.repeated],
         [Column("code", tr("Code")), Column("name", tr("Name")),
          Column("extra_scans", tr("Extra scans"), Kind.INT)]),
        (tr("By consignor"), _consignor_rows(report), consignor_columns()),
        (tr("Pre-printed coupons"), _coupon_rows(report), coupon_columns()),
        (tr("Pre-printed coupons not found"), _missing_coupon_rows(report),
         [Column("code", tr("Code"), Kind.CODE), Column("campaign", tr("Campaign"))]),
    ]  # fmt: skip
    for heading, rows, columns in sections:
        if rows or heading.startswith((tr("Missing"), tr("Extra"))):
            parts.append("\n" + heading + "\n")
            if rows:
                parts.append(render_rows(rows, columns, "table", currency))
    return "".join(parts)


def _json(report: CountReport, currency: str) -> str:
    def objects(rows: list[Row], columns: list[Column]) -> Any:
        return json.loads(render_rows(rows, columns, "json", currency))

    columns = [c for c in line_columns() if c.key != "section"]
    document = {
        "count": report.id,
        "scope": report.scope.value,
        "scope_value": report.scope_value,
        "blind": report.blind,
        "state": report.state.value,
        "started_at": report.started_at.replace(tzinfo=UTC).isoformat(),
        "missing": objects([line_row("", x) for x in report.missing], columns),
        "extra": objects([line_row("", x) for x in report.extra], columns),
        "outside_scope": objects([line_row("", x) for x in report.outside_scope], columns),
        "unknown": [vars(u) for u in report.unknown],
        "scanned_twice": [vars(r) for r in report.repeated],
        "by_consignor": objects(_consignor_rows(report), consignor_columns()),
        "coupons": [vars(c) for c in report.coupons],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_pdf(report: CountReport, path: Path, currency: str) -> None:
    from printing.count_sheet import count_report_pdf  # reportlab only when a PDF is asked for
    from printing.output import write_file

    write_file(path, count_report_pdf(report, report_title(report), currency))


def render_report(db: Database, actor: Actor, count_id: int, fmt: str) -> str:
    report = count_report(db, count_id, actor)
    currency = actor.currency
    if fmt == "json":
        return _json(report, currency)
    if fmt == "csv":
        return render_rows(sheet_rows(report), sheet_columns(), "csv", currency)
    return _table(report, currency)
