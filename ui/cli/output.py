"""List output in three formats: an aligned table for people, CSV and JSON for other programs.

Machine formats keep stable English keys and plain values: money as a decimal string in major
units ("175.00"; JSON adds the integer minor units as ``<key>_minor``), percentages as a decimal
string ("60"), dates and times in ISO 8601, states as their stored words. The table shows the same
rows for people: money, dates and states in the current locale.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from posapp import codes, labels
from posapp.i18n import day, minor_digits, moment, money, tr
from ui.cli.table import render_table

FORMATS = ("table", "csv", "json")
Row = dict[str, Any]


class Kind(enum.Enum):
    TEXT = "text"
    INT = "int"
    MONEY = "money"
    PERCENT = "percent"  # basis points
    DATE = "date"
    MOMENT = "moment"  # naive UTC datetime
    STATE = "state"  # an enum whose value is a stored word
    CODE = "code"  # a coupon code


@dataclass(frozen=True)
class Column:
    key: str  # CSV header and JSON key
    title: str  # table header, translated
    kind: Kind = Kind.TEXT
    in_table: bool = True
    in_data: bool = True


def major_units(amount: int, currency: str) -> str:
    """17500 CNY -> '175.00'."""
    return str(Decimal(amount).scaleb(-minor_digits(currency)))


def percent_text(basis_points: int) -> str:
    """6000 -> '60', 1250 -> '12.5'."""
    return format((Decimal(basis_points) / 100).normalize(), "f")


def _for_people(value: Any, kind: Kind, currency: str) -> str:
    if value is None:
        return ""
    if kind is Kind.MONEY:
        return money(value, currency)
    if kind is Kind.PERCENT:
        return tr("{value}%", value=percent_text(value))
    if kind is Kind.DATE:
        return day(value)
    if kind is Kind.MOMENT:
        return moment(value)
    if kind is Kind.STATE:
        return labels.state_word(value)
    if kind is Kind.CODE:
        return codes.grouped(value)
    return str(value)


def _for_data(value: Any, kind: Kind, currency: str) -> Any:
    if value is None:
        return None
    if kind is Kind.MONEY:
        return major_units(value, currency)
    if kind is Kind.PERCENT:
        return percent_text(value)
    if isinstance(value, datetime) and value.tzinfo is None:  # stored as naive UTC
        return value.replace(tzinfo=UTC).isoformat()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def render_rows(rows: Sequence[Row], columns: Sequence[Column], fmt: str, currency: str) -> str:
    if fmt == "csv":
        return _csv(rows, [c for c in columns if c.in_data], currency)
    if fmt == "json":
        return _json(rows, [c for c in columns if c.in_data], currency)
    return _table(rows, [c for c in columns if c.in_table], currency)


def _table(rows: Sequence[Row], columns: Sequence[Column], currency: str) -> str:
    if not rows:
        return tr("Nothing to show.") + "\n"
    cells = [[_for_people(row[c.key], c.kind, currency) for c in columns] for row in rows]
    numeric = (Kind.INT, Kind.MONEY, Kind.PERCENT)
    return render_table([c.title for c in columns], cells, [c.kind in numeric for c in columns])


def _csv(rows: Sequence[Row], columns: Sequence[Column], currency: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        values = (_for_data(row[c.key], c.kind, currency) for c in columns)
        writer.writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def _json_object(row: Row, columns: Sequence[Column], currency: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in columns:
        value = row[column.key]
        out[column.key] = _for_data(value, column.kind, currency)
        if column.kind is Kind.MONEY:
            out[f"{column.key}_minor"] = value
    return out


def _json(rows: Sequence[Row], columns: Sequence[Column], currency: str) -> str:
    objects = [_json_object(row, columns, currency) for row in rows]
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
