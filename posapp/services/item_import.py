"""Importing items from CSV: every row is checked first; if any row is bad, nothing is imported
and each bad row is reported with its line number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from posapp.db import Database
from posapp.db.lookup import existing_values
from posapp.i18n import minor_digits, tr
from posapp.models import Consignor, Item, ItemKind
from posapp.money import MoneyFormatError, parse_amount, parse_percent
from posapp.services.catalog import Markdown, NewItem, add_item_in, validate_new_item
from posapp.services.context import Actor
from posapp.services.errors import InvalidInput, PosError

REQUIRED_COLUMNS = ("barcode", "name", "price")
OPTIONAL_COLUMNS = (
    "kind",
    "quantity",
    "consignor",
    "split",
    "category",
    "intake_date",
    "markdown_date",
    "markdown_percent",
)


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


class ImportRejected(PosError):
    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        lines = [tr("line {line}: {message}", line=p.line, message=p.message) for p in problems]
        super().__init__(
            tr("Nothing was imported; fix these rows and try again:") + "\n" + "\n".join(lines)
        )


def _parse_date(column: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            tr("{column} {value!r} is not YYYY-MM-DD", column=column, value=text)
        ) from None


def _parse_markdown(day_text: str, percent_text: str) -> Markdown | None:
    """markdown_date and markdown_percent: both empty (no markdown) or both filled."""
    if not day_text and not percent_text:
        return None
    if not (day_text and percent_text):
        raise InvalidInput(tr("a markdown needs both markdown_date and markdown_percent"))
    try:
        percent = parse_percent(percent_text)
    except MoneyFormatError:
        raise InvalidInput(
            tr("markdown_percent {value!r} is not a percentage", value=percent_text)
        ) from None
    return Markdown(_parse_date("markdown_date", day_text), percent)


def _parse_row(row: dict[str, str], digits: int) -> NewItem:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    try:
        price = parse_amount(cell("price"), digits)
    except MoneyFormatError:
        raise InvalidInput(tr("price {value!r} is not an amount", value=cell("price"))) from None
    consignor = cell("consignor") or None
    kind_text = cell("kind").lower() or ("consigned" if consignor else "stock")
    try:
        kind = ItemKind(kind_text)
    except ValueError:
        raise InvalidInput(
            tr("kind must be consigned or stock, not {value!r}", value=kind_text)
        ) from None
    quantity_text = cell("quantity") or "1"
    if not quantity_text.lstrip("-").isdigit():
        raise InvalidInput(tr("quantity {value!r} is not a whole number", value=quantity_text))
    split = None
    if cell("split"):
        try:
            split = parse_percent(cell("split"))
        except MoneyFormatError:
            raise InvalidInput(
                tr("split {value!r} is not a percentage", value=cell("split"))
            ) from None
    intake = None
    if cell("intake_date"):
        try:
            intake = date.fromisoformat(cell("intake_date"))
        except ValueError:
            raise InvalidInput(
                tr("intake_date {value!r} is not YYYY-MM-DD", value=cell("intake_date"))
            ) from None
    markdown = _parse_markdown(cell("markdown_date"), cell("markdown_percent"))
    item = NewItem(
        barcode=cell("barcode"),
        name=cell("name"),
        price=price,
        kind=kind,
        quantity=int(quantity_text),
        consignor_number=consignor,
        split_bp=split,
        category=cell("category") or None,
        intake_date=intake,
        markdown=markdown,
    )
    validate_new_item(item)
    return item


def read_items_csv(text: str, digits: int) -> tuple[list[tuple[int, NewItem]], list[RowProblem]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], [RowProblem(1, tr("missing column(s): {names}", names=", ".join(missing)))]
    reader.fieldnames = header
    items: list[tuple[int, NewItem]] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(RowProblem(line, tr("more cells than columns")))
            continue
        try:
            item = _parse_row(row, digits)
        except PosError as error:
            problems.append(RowProblem(line, error.message))
            continue
        if item.barcode in seen:
            problems.append(
                RowProblem(
                    line,
                    tr(
                        "barcode {barcode} repeats line {other}",
                        barcode=item.barcode,
                        other=seen[item.barcode],
                    ),
                )
            )
            continue
        seen[item.barcode] = line
        items.append((line, item))
    return items, problems


def import_items_csv(db: Database, actor: Actor, path: Path) -> int:
    """Import all rows or none. Returns how many items were added."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(tr("No file {path}.", path=str(path))) from None
    except UnicodeDecodeError:
        raise InvalidInput(tr("{path} is not UTF-8 text.", path=str(path))) from None
    items, problems = read_items_csv(text, minor_digits(actor.currency))
    if not items and not problems:
        raise InvalidInput(tr("{path} has no rows to import.", path=str(path)))
    with db.unit_of_work() as session:
        taken = existing_values(session, Item.barcode, [item.barcode for _, item in items])
        known = set(session.scalars(select(Consignor.number)))
        for line, item in items:
            if item.barcode in taken:
                problems.append(
                    RowProblem(
                        line, tr("barcode {barcode} is already in the shop", barcode=item.barcode)
                    )
                )
            elif item.consignor_number and item.consignor_number not in known:
                problems.append(
                    RowProblem(
                        line, tr("no consignor number {number}", number=item.consignor_number)
                    )
                )
        if problems:
            raise ImportRejected(sorted(problems, key=lambda p: p.line))
        for _, item in items:
            add_item_in(session, actor, item)
        return len(items)
