"""Scanning into a count: each scan is its own row, so terminals never overwrite each other.

An item is found by its barcode, a coupon by its code (the same decoding as the till); anything
else is kept as an unknown code for review, never dropped. A one-of-a-kind item or a coupon
scanned again is flagged and not counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, select
from sqlalchemy.orm import Session

from posapp import codes
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import CountScan, CountSession, Coupon, Item, ItemKind, StockMovement, utcnow
from posapp.services.context import Actor
from posapp.services.count_variance import movement_mark
from posapp.services.counts import open_count
from posapp.services.errors import InvalidInput


@dataclass(frozen=True)
class CountScanned:
    """What the counter sees after a scan: the running tally of that code in this count."""

    code: str
    kind: str  # "item", "coupon" or "unknown"
    name: str | None
    counted: int
    expected: int | None  # None in a blind count, and for coupons and unknown codes
    repeated: bool  # a one-of-a-kind item or coupon already counted: not counted again


_ITEM_BY_BARCODE = select(Item.id, Item.kind, Item.name).where(Item.barcode == bindparam("code"))
_COUPON_BY_CODE = select(Coupon.id).where(Coupon.code == bindparam("code"))
_SCANNED = CountScan.session_id == bindparam("count")
_ITEM_SEEN = select(exists().where(_SCANNED, CountScan.item_id == bindparam("id")))
_COUPON_SEEN = select(exists().where(_SCANNED, CountScan.coupon_id == bindparam("id")))
_TALLY = func.coalesce(func.sum(CountScan.quantity), 0)
_ITEM_TALLY = select(_TALLY).where(_SCANNED, CountScan.item_id == bindparam("id"))
_UNKNOWN_TALLY = select(_TALLY).where(
    _SCANNED,
    CountScan.item_id.is_(None),
    CountScan.coupon_id.is_(None),
    CountScan.code == bindparam("code"),
)
_ON_HAND = select(func.coalesce(func.sum(StockMovement.quantity), 0)).where(
    StockMovement.item_id == bindparam("id")
)
_INSERT_SCAN = insert(CountScan)


def _insert(
    session: Session, count: CountSession, actor: Actor, code: str, quantity: int, **link: Any
) -> None:
    row = {
        "session_id": count.id,
        "code": code,
        "quantity": quantity,
        "movement_mark": movement_mark(session),
        "user_id": actor.user_id,
        "terminal_id": actor.terminal_id,
        "scanned_at": utcnow(),
        "item_id": None,
        "coupon_id": None,
        "repeated": False,
    }
    session.execute(_INSERT_SCAN, row | link)


def _item_scan(
    session: Session, count: CountSession, actor: Actor, code: str, quantity: int, found: Any
) -> CountScanned:
    item_id, kind, name = found
    repeated = False
    if kind is ItemKind.CONSIGNED:
        if quantity != 1:
            raise InvalidInput(tr("A consigned item is one of a kind: its quantity is 1."))
        repeated = bool(session.scalar(_ITEM_SEEN, {"count": count.id, "id": item_id}))
    _insert(session, count, actor, code, 0 if repeated else quantity, item_id=item_id,
            repeated=repeated)  # fmt: skip
    tally = int(session.scalar(_ITEM_TALLY, {"count": count.id, "id": item_id}) or 0)
    expected = None if count.blind else int(session.scalar(_ON_HAND, {"id": item_id}) or 0)
    return CountScanned(code, "item", name, tally, expected, repeated)


def _coupon_scan(
    session: Session, count: CountSession, actor: Actor, code: str, coupon_id: int
) -> CountScanned:
    repeated = bool(session.scalar(_COUPON_SEEN, {"count": count.id, "id": coupon_id}))
    _insert(session, count, actor, code, 0 if repeated else 1, coupon_id=coupon_id,
            repeated=repeated)  # fmt: skip
    return CountScanned(code, "coupon", codes.grouped(code), 1, None, repeated)


def _scan_one(
    session: Session, count: CountSession, actor: Actor, raw: str, quantity: int
) -> CountScanned:
    text, _symbology = codes.strip_scanner_noise(raw)
    if not text:
        raise InvalidInput(tr("Empty scan."))
    found = session.execute(_ITEM_BY_BARCODE, {"code": text}).first()
    if found is not None:
        return _item_scan(session, count, actor, text, quantity, found)
    coupon_code = codes.normalise(text)
    if codes.problem_with(coupon_code) is None:
        coupon_id = session.scalar(_COUPON_BY_CODE, {"code": coupon_code})
        if coupon_id is not None:
            return _coupon_scan(session, count, actor, coupon_code, coupon_id)
    _insert(session, count, actor, text, quantity)
    tally = int(session.scalar(_UNKNOWN_TALLY, {"count": count.id, "code": text}) or 0)
    return CountScanned(text, "unknown", None, tally, None, False)


def scan_codes(
    db: Database, actor: Actor, count_id: int, raws: Sequence[str], quantity: int = 1
) -> list[CountScanned]:
    """Count each code ``quantity`` times (a typed quantity is for stock items), all or none."""
    if quantity < 1:
        raise InvalidInput(tr("The quantity must be 1 or more."))
    with db.unit_of_work() as session:
        count = open_count(session, count_id)
        return [_scan_one(session, count, actor, raw, quantity) for raw in raws]


def scan_into_count(
    db: Database, actor: Actor, count_id: int, raw: str, quantity: int = 1
) -> CountScanned:
    """One scan from a till or a hand scanner."""
    return scan_codes(db, actor, count_id, [raw], quantity)[0]
