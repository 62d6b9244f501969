"""Reading the stock ledger: movements with who, where, when and what caused them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from posapp.db import Database
from posapp.models import (
    CountCorrection,
    Customer,
    Item,
    MovementReason,
    Refund,
    Sale,
    StockLocation,
    StockMovement,
    StockTransfer,
    Terminal,
    User,
)
from posapp.models.stock import ItemHold
from posapp.services.stock import find_item


@dataclass(frozen=True)
class MovementRow:
    id: int
    created_at: datetime
    barcode: str
    name: str
    reason: MovementReason
    quantity: int
    note: str | None
    user: str | None
    terminal: str | None
    sale_number: str | None  # the sale (or the refunded sale) that moved it
    count_id: int | None  # the committed count that corrected it
    from_location: str | None  # transfers only
    to_location: str | None
    held_for: str | None = None  # holds only: the customer's name (else card) and last day
    held_until: date | None = None


def list_movements(
    db: Database, barcode: str | None = None, limit: int | None = None
) -> list[MovementRow]:
    """Newest first; only one item's when ``barcode`` is given."""
    source = aliased(StockLocation)
    target = aliased(StockLocation)
    refunded = aliased(Sale)
    query = (
        select(
            StockMovement,
            Item.barcode,
            Item.name,
            User.name,
            Terminal.name,
            Sale.number,
            refunded.number,
            CountCorrection.session_id,
            source.name,
            target.name,
            func.coalesce(Customer.name, Customer.card_code),
            ItemHold.until,
        )
        .join(Item, Item.id == StockMovement.item_id)
        .outerjoin(User, User.id == StockMovement.user_id)
        .outerjoin(Terminal, Terminal.id == StockMovement.terminal_id)
        .outerjoin(Sale, Sale.id == StockMovement.sale_id)
        .outerjoin(Refund, Refund.id == StockMovement.refund_id)
        .outerjoin(refunded, refunded.id == Refund.sale_id)
        .outerjoin(CountCorrection, CountCorrection.movement_id == StockMovement.id)
        .outerjoin(StockTransfer, StockTransfer.movement_id == StockMovement.id)
        .outerjoin(source, source.id == StockTransfer.from_location_id)
        .outerjoin(target, target.id == StockTransfer.to_location_id)
        .outerjoin(ItemHold, ItemHold.movement_id == StockMovement.id)
        .outerjoin(Customer, Customer.id == ItemHold.customer_id)
        .order_by(StockMovement.id.desc())
    )
    with db.reading() as session:
        if barcode is not None:
            query = query.where(StockMovement.item_id == find_item(session, barcode).id)
        if limit is not None:
            query = query.limit(limit)
        rows = session.execute(query)
        return [
            MovementRow(m.id, m.created_at, code, name, m.reason, m.quantity, m.note, user,
                        terminal, sale or refund_sale, count_id, src, dst, held_for, held_until)
            for (m, code, name, user, terminal, sale, refund_sale, count_id, src, dst, held_for,
                 held_until) in rows
        ]  # fmt: skip
