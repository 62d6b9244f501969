"""Scanning into a count: each scan is its own row, so terminals never overwrite each other.

An item is found by its barcode, a coupon by its code (the same decoding as the till); anything
else is kept as an unknown code for review, never dropped. A one-of-a-kind item or a coupon
scanned again is flagged and not counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Select, bindparam, func, insert, select

from posapp import codes
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    CountScan,
    CountScope,
    CountSession,
    Coupon,
    Item,
    ItemKind,
    StockMovement,
    utcnow,
)
from posapp.services.context import Actor
from posapp.services.count_variance import in_scope
from posapp.services.counts import raise_if_closed
from posapp.services.errors import InvalidInput


@dataclass(frozen=True)
class CountScanned:
    """What the counter sees after a scan: the running tally of that code in this count."""

    code: str
    kind: Literal["item", "coupon", "unknown"]
    name: str | None
    counted: int
    expected: int | None  # None in a blind count, and for coupons and unknown codes
    repeated: bool  # a one-of-a-kind item or coupon already counted: not counted again
    outside_scope: bool = False  # an item outside the count's scope: kept for review only


_ITEM_BY_BARCODE = select(Item.id, Item.kind, Item.name).where(Item.barcode == bindparam("code"))
_COUPON_BY_CODE = select(Coupon.id).where(Coupon.code == bindparam("code"))
_COUNT_STATE = select(
    CountSession.state, CountSession.blind, CountSession.scope, CountSession.scope_value
).where(CountSession.id == bindparam("count"))
_SCANNED = CountScan.session_id == bindparam("count")
_ITEM_SO_FAR = select(func.coalesce(func.sum(CountScan.quantity), 0)).where(
    _SCANNED, CountScan.item_id == bindparam("id")
)
_COUPON_SO_FAR = select(func.coalesce(func.sum(CountScan.quantity), 0)).where(
    _SCANNED, CountScan.coupon_id == bindparam("id")
)
_UNKNOWN_SO_FAR = select(func.coalesce(func.sum(CountScan.quantity), 0)).where(
    _SCANNED,
    CountScan.item_id.is_(None),
    CountScan.coupon_id.is_(None),
    CountScan.code == bindparam("code"),
)
_ON_HAND = select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
    StockMovement.item_id == bindparam("id")
)
# The ledger's highest movement id is read inside the insert: one statement per scan.
_INSERT_SCAN = insert(CountScan).values(
    movement_mark=select(func.coalesce(func.max(StockMovement.id), 0)).scalar_subquery()
)


@dataclass(frozen=True)
class _Counting:
    """One open count, as the scan path needs it, and the connection of the unit of work."""

    connection: Connection
    count_id: int
    blind: bool
    actor: Actor
    scope: CountScope = CountScope.ALL
    scope_value: str | None = None

    def outside(self, item_id: int) -> bool:
        """The item is not in this count's scope (never for a whole-shop count)."""
        if self.scope is CountScope.ALL:
            return False
        test = select(in_scope(self.scope, self.scope_value)).where(Item.id == item_id)
        return not self.connection.execute(test).scalar()


def _so_far(counting: _Counting, query: Select[int], **params: Any) -> int:
    """How many this count already has of the item, coupon or unknown code."""
    return int(
        counting.connection.execute(query, {"count": counting.count_id, **params}).scalar_one()
    )


def _insert(counting: _Counting, code: str, quantity: int, **link: Any) -> None:
    row = {
        "session_id": counting.count_id,
        "code": code,
        "quantity": quantity,
        "user_id": counting.actor.user_id,
        "terminal_id": counting.actor.terminal_id,
        "scanned_at": utcnow(),
        "item_id": None,
        "coupon_id": None,
        "repeated": False,
    }
    counting.connection.execute(_INSERT_SCAN, row | link)


def _item_scan(counting: _Counting, code: str, quantity: int, found: Any) -> CountScanned:
    item_id, kind, name = found
    before = _so_far(counting, _ITEM_SO_FAR, id=item_id)
    repeated = False
    if kind is ItemKind.CONSIGNED:
        if quantity != 1:
            raise InvalidInput(tr("A consigned item is one of a kind: its quantity is 1."))
        repeated = before > 0
    counted = 0 if repeated else quantity
    _insert(counting, code, counted, item_id=item_id, repeated=repeated)
    expected = None
    if not counting.blind:
        expected = int(counting.connection.execute(_ON_HAND, {"id": item_id}).scalar_one())
    outside = counting.outside(item_id)
    return CountScanned(code, "item", name, before + counted, expected, repeated, outside)


def _coupon_scan(counting: _Counting, code: str, coupon_id: int, quantity: int) -> CountScanned:
    if quantity != 1:
        raise InvalidInput(tr("A coupon is one of a kind: count it by scanning it."))
    repeated = _so_far(counting, _COUPON_SO_FAR, id=coupon_id) > 0
    _insert(counting, code, 0 if repeated else 1, coupon_id=coupon_id, repeated=repeated)
    return CountScanned(code, "coupon", codes.grouped(code), 1, None, repeated)


def _scan_one(counting: _Counting, raw: str, quantity: int) -> CountScanned:
    text, _symbology = codes.strip_scanner_noise(raw)
    if not text:
        raise InvalidInput(tr("Empty scan."))
    found = counting.connection.execute(_ITEM_BY_BARCODE, {"code": text}).first()
    if found is not None:
        return _item_scan(counting, text, quantity, found)
    coupon_code = codes.normalise(text)
    if codes.problem_with(coupon_code) is None:
        coupon_id = counting.connection.execute(_COUPON_BY_CODE, {"code": coupon_code}).scalar()
        if coupon_id is not None:
            return _coupon_scan(counting, coupon_code, coupon_id, quantity)
    before = _so_far(counting, _UNKNOWN_SO_FAR, code=text)
    _insert(counting, text, quantity)
    return CountScanned(text, "unknown", None, before + quantity, None, False)


def _open(connection: Connection, count_id: int, actor: Actor) -> _Counting:
    row = connection.execute(_COUNT_STATE, {"count": count_id}).first()
    raise_if_closed(count_id, row.state if row else None)
    assert row is not None
    return _Counting(connection, count_id, bool(row.blind), actor, row.scope, row.scope_value)


def scan_codes(
    db: Database, actor: Actor, count_id: int, raws: Sequence[str], quantity: int = 1
) -> list[CountScanned]:
    """Count each code ``quantity`` times (a typed quantity is for stock items), all or none."""
    if quantity < 1:
        raise InvalidInput(tr("The quantity must be 1 or more."))
    with db.unit_of_work() as session:
        counting = _open(session.connection(), count_id, actor)
        return [_scan_one(counting, raw, quantity) for raw in raws]


def scan_into_count(
    db: Database, actor: Actor, count_id: int, raw: str, quantity: int = 1
) -> CountScanned:
    """One scan from a till or a hand scanner."""
    return scan_codes(db, actor, count_id, [raw], quantity)[0]


def scan_message(seen: CountScanned) -> str:
    """What a counter is told about a scan, in one line."""
    if seen.outside_scope:
        return tr("{name}: outside this count's scope, kept for review ({count} so far).",
                  name=seen.name, count=seen.counted)  # fmt: skip
    if seen.kind == "unknown":
        return tr("{code}: unknown code, kept for review ({count} so far).", code=seen.code,
                  count=seen.counted)  # fmt: skip
    if seen.repeated:
        return tr("{name}: already counted, not counted again.", name=seen.name)
    if seen.kind == "coupon":
        return tr("Coupon {code}: counted.", code=seen.name)
    if seen.expected is None:
        return tr("{name}: {count} counted.", name=seen.name, count=seen.counted)
    return tr("{name}: {count} counted, {expected} expected.", name=seen.name,
              count=seen.counted, expected=seen.expected)  # fmt: skip
