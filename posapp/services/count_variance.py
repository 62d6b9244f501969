"""The variance of a count, per item, in one query over the ledger.

For each item in the count's scope, or scanned into it: expected = on hand at the count's start +
the movements since, up to the item's last scan (or up to now for an item nobody scanned), so what
the till sold during the count is neither missing nor extra. Variance = counted - expected.

An item scanned into a scoped count but outside its scope (a shop item in one consignor's count)
is a line of its own, ``in_scope`` false: reported for a person to look at, never corrected, since
the count did not look for the rest of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, true
from sqlalchemy.orm import Session

from posapp.models import (
    Consignor,
    CountScan,
    CountScope,
    CountSession,
    Item,
    ItemKind,
    ItemLocation,
    ItemStatus,
    StockLocation,
    StockMovement,
)

# A one-of-a-kind item that left the shop by a recorded act (sale, return, donation) and is found
# again is reported for a person to decide; a count never puts it back on sale by itself.
LEFT_THE_SHOP = (ItemStatus.SOLD, ItemStatus.RETURNED, ItemStatus.DONATED)


@dataclass(frozen=True)
class VarianceLine:
    item_id: int
    barcode: str
    name: str
    kind: ItemKind
    status: ItemStatus
    category: str | None
    consignor_number: str | None
    consignor_name: str | None
    price: int
    expected_at_start: int
    moved_since: int
    counted: int
    in_scope: bool = True  # False: scanned, but outside the count's scope (never corrected)

    @property
    def expected(self) -> int:
        return self.expected_at_start + self.moved_since

    @property
    def variance(self) -> int:
        return self.counted - self.expected

    @property
    def value(self) -> int:
        """The variance at the item's price (negative for missing stock)."""
        return self.variance * self.price

    @property
    def needs_review(self) -> bool:
        """Found although it left the shop: committing the count leaves it alone."""
        return (
            self.kind is ItemKind.CONSIGNED and self.variance > 0 and self.status in LEFT_THE_SHOP
        )


def movement_mark(session: Session) -> int:
    """The highest movement id now: what a scan or a count start has seen of the ledger."""
    return int(session.scalar(select(func.coalesce(func.max(StockMovement.id), 0))) or 0)


def scope_condition(count: CountSession) -> ColumnElement[bool]:
    return scope_test(count.scope, count.scope_value)


def scope_test(scope: CountScope, value: str | None) -> ColumnElement[bool]:
    """True for an item in the scope (may be NULL for an item without a category: see
    ``in_scope``)."""
    if scope is CountScope.CATEGORY:
        return Item.category == value
    if scope is CountScope.CONSIGNOR:
        owner = select(Consignor.id).where(Consignor.number == value).scalar_subquery()
        return Item.consignor_id == owner
    if scope is CountScope.LOCATION:
        placed = (
            select(ItemLocation.item_id)
            .join(StockLocation, StockLocation.id == ItemLocation.location_id)
            .where(StockLocation.name == value)
        )
        return Item.id.in_(placed)
    return true()


def in_scope(scope: CountScope, value: str | None) -> ColumnElement[bool]:
    """The item is in the scope: never NULL (an item with no category is outside a category)."""
    if scope is CountScope.ALL:
        return true()
    return case((scope_test(scope, value), true()), else_=false())


def variance_query(count: CountSession, now_mark: int, outside_only: bool = False) -> Select[Any]:
    """The variance per item as of movement ``now_mark``, one labelled row per differing item,
    and one per scanned item outside the count's scope (differing or not); ``outside_only``:
    just those."""
    scanned = (
        select(
            CountScan.item_id.label("item_id"),
            func.sum(CountScan.quantity).label("counted"),
            func.max(CountScan.movement_mark).label("mark"),
        )
        .where(CountScan.session_id == count.id, CountScan.item_id.is_not(None))
        .group_by(CountScan.item_id)
        .subquery()
    )
    upto = func.coalesce(scanned.c.mark, now_mark)  # one scanned row per item: no max() needed
    start = count.start_mark
    movement = StockMovement.id
    at_start = func.sum(case((movement <= start, StockMovement.quantity), else_=0))
    since = func.sum(
        case((and_(movement > start, movement <= upto), StockMovement.quantity), else_=0)
    )
    # Grouped by the item alone, in the items' own order, so SQLite needs no temporary b-tree;
    # the joined one-per-item values go through max() to stay valid SQL on PostgreSQL too.
    counted = func.coalesce(func.max(scanned.c.counted), 0)
    inside = in_scope(count.scope, count.scope_value)
    query = (
        select(
            Item.id.label("item_id"),
            Item.barcode,
            Item.name,
            Item.kind,
            Item.status,
            Item.category,
            func.max(Consignor.number).label("consignor_number"),
            func.max(Consignor.name).label("consignor_name"),
            Item.price,
            func.coalesce(at_start, 0).label("expected_at_start"),
            func.coalesce(since, 0).label("moved_since"),
            counted.label("counted"),
            inside.label("in_scope"),
        )
        .outerjoin(scanned, scanned.c.item_id == Item.id)
        .outerjoin(Consignor, Consignor.id == Item.consignor_id)
        .outerjoin(StockMovement, StockMovement.item_id == Item.id)
        .group_by(Item.id)
    )
    differs = counted != func.coalesce(at_start, 0) + func.coalesce(since, 0)
    if count.scope is CountScope.ALL:
        return query.where(false()) if outside_only else query.having(differs)
    if outside_only:
        return query.where(scanned.c.item_id.is_not(None), ~inside)
    query = query.where(scope_condition(count) | scanned.c.item_id.is_not(None))
    return query.having(or_(differs, ~inside))


def variance_lines(
    session: Session, count: CountSession, outside_only: bool = False
) -> list[VarianceLine]:
    """Every item whose count differs from what was expected, and every scanned item outside
    the count's scope, in barcode order (``outside_only``: just those)."""
    query = variance_query(count, movement_mark(session), outside_only)
    return [
        VarianceLine(
            item_id=row[0],
            barcode=row[1],
            name=row[2],
            kind=row[3],
            status=row[4],
            category=row[5],
            consignor_number=row[6],
            consignor_name=row[7],
            price=int(row[8]),
            expected_at_start=int(row[9]),
            moved_since=int(row[10]),
            counted=int(row[11]),
            in_scope=bool(row[12]),
        )
        for row in session.execute(query.order_by(Item.barcode))
    ]
