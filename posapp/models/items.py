"""Consignors, items and the stock ledger."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from posapp.models.base import Base, str_enum, utcnow


class Consignor(Base):
    __tablename__ = "consignors"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(6), unique=True)  # 6 digits, printed on tags
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    default_split_bp: Mapped[int] = mapped_column(default=6000)  # consignor's share, basis points
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItemKind(enum.Enum):
    CONSIGNED = "consigned"  # one of a kind, quantity 1, owned by a consignor
    STOCK = "stock"  # store-owned goods with a quantity


class ItemStatus(enum.Enum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    SOLD = "sold"
    RETURNED = "returned"
    DONATED = "donated"
    MISSING = "missing"


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind))
    price: Mapped[int]  # minor units
    category: Mapped[str | None] = mapped_column(String(80))
    consignor_id: Mapped[int | None] = mapped_column(ForeignKey("consignors.id"), index=True)
    split_bp: Mapped[int | None]  # consignor's share for this item; None for stock items
    intake_date: Mapped[date | None]
    # Markdown: from ``markdown_on`` the item sells ``markdown_bp`` basis points below its price
    # (both set or neither); the tag prints it, the till charges it from that day.
    markdown_on: Mapped[date | None]
    markdown_bp: Mapped[int | None]
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus), default=ItemStatus.AVAILABLE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MovementReason(enum.Enum):
    INTAKE = "intake"
    SALE = "sale"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"
    COUNT_CORRECTION = "count_correction"
    RETURN_TO_CONSIGNOR = "return_to_consignor"
    DONATION = "donation"
    TRANSFER = "transfer"
    LOSS = "loss"
    HOLD = "hold"  # quantity 0: a one-of-a-kind item put aside for a customer (reserved)
    RELEASE = "release"  # quantity 0: the hold ends, the item is on sale again


class StockMovement(Base):
    """One line of the stock ledger. On-hand quantity is the sum of an item's movements."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_item_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int]  # signed change
    reason: Mapped[MovementReason] = mapped_column(str_enum(MovementReason))
    note: Mapped[str | None] = mapped_column(String(200))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    terminal_id: Mapped[int | None] = mapped_column(ForeignKey("terminals.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
