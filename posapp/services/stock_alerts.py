"""Low-stock thresholds (per item, per category) and the alert list, computed from the ledger at
each call, so an item sold out in the shop or online is on the list at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Item, ItemKind, StockMovement, StockThreshold
from posapp.services.context import Actor
from posapp.services.errors import InvalidInput, NotFound
from posapp.services.events import record_event
from posapp.services.stock import find_item, require_manager


@dataclass(frozen=True)
class StockAlert:
    barcode: str | None  # None for a category alert
    name: str  # the item's name, or the category
    category: str | None
    on_hand: int
    minimum: int | None  # None: a stock item sold out without a threshold


def set_threshold(
    db: Database,
    actor: Actor,
    minimum: int | None,
    *,
    barcode: str | None = None,
    category: str | None = None,
) -> None:
    """Alert when the item (or the category's total) is at or below ``minimum``; None clears."""
    if (barcode is None) == (category is None):
        raise InvalidInput(tr("Give either an item or a category."))
    if minimum is not None and minimum < 0:
        raise InvalidInput(tr("The quantity cannot be negative."))
    require_manager(actor)
    with db.unit_of_work() as session:
        item_id = find_item(session, barcode).id if barcode else None
        if category is not None and not _category_exists(session, category):
            raise NotFound(tr("No items in category {category}.", category=category))
        where = (
            StockThreshold.item_id == item_id if item_id else StockThreshold.category == category
        )
        threshold = session.scalars(select(StockThreshold).where(where)).first()
        if minimum is None:
            if threshold is not None:
                session.delete(threshold)
        elif threshold is None:
            session.add(StockThreshold(item_id=item_id, category=category, minimum=minimum))
        else:
            threshold.minimum = minimum
        record_event(session, actor.terminal_id, "stock.threshold_set", barcode=barcode,
                     category=category, minimum=minimum)  # fmt: skip


def _category_exists(session: Session, category: str) -> bool:
    return session.scalar(select(Item.id).where(Item.category == category).limit(1)) is not None


def _item_alerts(session: Session) -> list[StockAlert]:
    quantity = func.coalesce(func.sum(StockMovement.quantity), 0)
    rows = session.execute(
        select(Item.barcode, Item.name, Item.category, quantity, StockThreshold.minimum)
        .outerjoin(StockThreshold, StockThreshold.item_id == Item.id)
        .outerjoin(StockMovement, StockMovement.item_id == Item.id)
        .where(or_(StockThreshold.id.is_not(None), Item.kind == ItemKind.STOCK))
        .group_by(Item.id, StockThreshold.minimum)
        .having(
            or_(
                quantity <= StockThreshold.minimum,
                (StockThreshold.minimum.is_(None)) & (quantity <= 0),
            )
        )
        .order_by(Item.name)
    )
    return [StockAlert(b, n, c, int(q), m) for b, n, c, q, m in rows]


def _category_alerts(session: Session) -> list[StockAlert]:
    quantity = func.coalesce(func.sum(StockMovement.quantity), 0)
    per_category = (
        select(Item.category.label("category"), quantity.label("on_hand"))
        .outerjoin(StockMovement, StockMovement.item_id == Item.id)
        .where(Item.category.is_not(None))
        .group_by(Item.category)
        .subquery()
    )
    rows = session.execute(
        select(StockThreshold.category, per_category.c.on_hand, StockThreshold.minimum)
        .join(per_category, per_category.c.category == StockThreshold.category)
        .where(per_category.c.on_hand <= StockThreshold.minimum)
        .order_by(StockThreshold.category)
    )
    return [StockAlert(None, str(c), str(c), int(q), int(m)) for c, q, m in rows]


def list_alerts(db: Database) -> list[StockAlert]:
    """Categories at or below their level, then items at or below theirs or sold out."""
    with db.reading() as session:
        return _category_alerts(session) + _item_alerts(session)
