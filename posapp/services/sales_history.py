"""Sales history: list and look up committed sales."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from posapp.db import Database
from posapp.models import Sale, SaleLine, SaleStatus, Terminal, User
from posapp.services.receipts import Receipt, receipt_for
from posapp.services.refunds import find_sale


@dataclass(frozen=True)
class SaleRow:
    id: int
    number: str
    created_at: datetime
    terminal: str
    cashier: str
    items: int
    subtotal: int
    discount_total: int
    total: int
    status: SaleStatus


def list_sales(
    db: Database, limit: int | None = 200, search: str | None = None, offset: int = 0
) -> list[SaleRow]:
    """Newest first, skipping ``offset`` sales. ``search`` matches the sale number."""
    with db.reading() as session:
        counts = (
            select(SaleLine.sale_id, func.sum(SaleLine.quantity).label("items"))
            .group_by(SaleLine.sale_id)
            .subquery()
        )
        query = (
            select(Sale, Terminal.name, User.name, func.coalesce(counts.c["items"], 0))
            .join(Terminal, Terminal.id == Sale.terminal_id)
            .join(User, User.id == Sale.user_id)
            .outerjoin(counts, counts.c.sale_id == Sale.id)
            .order_by(Sale.id.desc())
            .offset(offset)
        )
        if search:
            query = query.where(Sale.number.like(f"%{search.strip().upper()}%"))
        if limit is not None:
            query = query.limit(limit)
        return [
            SaleRow(
                sale.id,
                sale.number,
                sale.created_at,
                terminal,
                cashier,
                int(items),
                sale.subtotal,
                sale.discount_total,
                sale.total,
                sale.status,
            )
            for sale, terminal, cashier, items in session.execute(query)
        ]


def sale_receipt(db: Database, reference: str) -> Receipt:
    with db.reading() as session:
        return receipt_for(session, find_sale(session, reference))
