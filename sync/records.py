"""Finding and writing rows by their natural keys (campaign name, coupon code, item barcode,
customer card), the same in every database: row ids are local to each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from posapp.models import (
    Campaign,
    Coupon,
    Customer,
    Item,
)

CHUNK = 500  # keys per IN (...) lookup


def chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


Row = TypeVar("Row")


class NotApplicable(Exception):
    """The event refers to something this database does not have (yet): it is recorded as a
    conflict of kind not_applied, and nothing else changes."""


def insert_ignoring(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """INSERT rows, skipping any whose key is already there (SQLite and PostgreSQL)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # On the table (Core), not the mapped class: the ORM's bulk path splits a page into many
    # statements (3x slower for a snapshot page). Column defaults and enum types still apply.
    # One executemany needs one set of keys: rows are grouped by theirs, in order.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    statement = make(model.__table__).on_conflict_do_nothing()
    for group in groups.values():
        session.execute(statement, group)


MAX_INT = 2**63 - 1  # a database BIGINT


def text(value: Any, limit: int, *, empty: bool = False) -> str:
    """A payload's text as the database will take it, or ValueError (the event is malformed)."""
    if (
        not isinstance(value, str)
        or (not value and not empty)
        or len(value) > limit
        or "\x00" in value
    ):
        raise ValueError(f"not a text of up to {limit} characters: {str(value)[:40]!r}")
    return value


def text_or_none(value: Any, limit: int) -> str | None:
    return None if value is None or value == "" else text(value, limit)


def integer(value: Any) -> int:
    number = int(value)
    if not -MAX_INT <= number <= MAX_INT:
        raise OverflowError(f"{number} does not fit a database integer")
    return number


def integer_or_none(value: Any) -> int | None:
    return None if value is None else integer(value)


def as_day(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) and text else None


def as_moment(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None


def campaign_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    return session.scalar(select(Campaign.id).where(Campaign.name == name))


def coupon_by_code(session: Session, code: str) -> Coupon | None:
    return _by_key(session, Coupon, Coupon.code, code)


def item_by_barcode(session: Session, barcode: str) -> Item | None:
    return _by_key(session, Item, Item.barcode, barcode)


def _by_key(session: Session, model: type[Row], key: Any, value: str) -> Row | None:
    """Found by its natural key once per session, then kept (the identity map holds objects
    weakly): a push or a pull page looks the same item or coupon up several times."""
    known: dict[Any, Row] = session.info.setdefault(("by_key", model), {})
    if isinstance(value, str) and value in known:
        row = known[value]
        if inspect(row).persistent and getattr(row, key.key) == value:
            return row
        del known[value]  # its insert was rolled back, or it was deleted
    found = session.scalars(select(model).where(key == value)).first()
    if found is not None and isinstance(value, str):
        known[value] = found
    return found


def customer_id(session: Session, card: str | None) -> int | None:
    if not card:
        return None
    return session.scalar(select(Customer.id).where(Customer.card_code == card))
