"""Locations, low-stock thresholds and stock counts (the ledger itself is StockMovement)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from posapp.models.base import Base, new_uuid, str_enum, utcnow


class StockLocation(Base):
    """A place inside the shop (floor, back room, window). Optional: by default there is none."""

    __tablename__ = "stock_locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItemLocation(Base):
    """Where an item is kept; an item without a row is in the shop's default place."""

    __tablename__ = "item_locations"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)


class StockTransfer(Base):
    """The two ends of a transfer movement (None: the default place)."""

    __tablename__ = "stock_transfers"

    movement_id: Mapped[int] = mapped_column(ForeignKey("stock_movements.id"), primary_key=True)
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))


class ItemHold(Base):
    """A one-of-a-kind item put aside for a customer: the hold movement (who, where, when, note),
    for whom and until which day, and the release movement that ended it (None while it holds).

    An item's hold is its newest one, and only while the item is reserved (a count can find a
    held item missing)."""

    __tablename__ = "item_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("stock_movements.id"), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    until: Mapped[date | None]
    released_movement_id: Mapped[int | None] = mapped_column(
        ForeignKey("stock_movements.id"), unique=True
    )


class StockThreshold(Base):
    """Low-stock level for one item or for a whole category (its items' total on hand)."""

    __tablename__ = "stock_thresholds"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), unique=True)
    category: Mapped[str | None] = mapped_column(String(80), unique=True)
    minimum: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CountScope(enum.Enum):
    ALL = "all"
    LOCATION = "location"
    CATEGORY = "category"
    CONSIGNOR = "consignor"


class CountState(enum.Enum):
    OPEN = "open"
    COMMITTED = "committed"
    CANCELLED = "cancelled"


class CountSession(Base):
    """One stock count. ``start_mark`` is the highest movement id when it started: movements
    after it are what the till did during the count."""

    __tablename__ = "count_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    scope: Mapped[CountScope] = mapped_column(str_enum(CountScope))
    scope_value: Mapped[str | None] = mapped_column(String(80))
    blind: Mapped[bool] = mapped_column(default=False)
    state: Mapped[CountState] = mapped_column(str_enum(CountState), default=CountState.OPEN)
    start_mark: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    terminal_id: Mapped[int | None] = mapped_column(ForeignKey("terminals.id"))
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CountScan(Base):
    """One scan into a count: an item, a coupon, or an unknown code kept for review.

    ``movement_mark`` is the highest movement id at the scan, so the report compares the count with
    what was expected at that moment. A one-of-a-kind item scanned again is kept with quantity 0
    and ``repeated`` set.
    """

    __tablename__ = "count_scans"
    __table_args__ = (
        Index("ix_count_scans_session_item", "session_id", "item_id"),
        Index("ix_count_scans_session_coupon", "session_id", "coupon_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("count_sessions.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    coupon_id: Mapped[int | None] = mapped_column(ForeignKey("coupons.id"))
    code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    repeated: Mapped[bool] = mapped_column(default=False)
    movement_mark: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    terminal_id: Mapped[int | None] = mapped_column(ForeignKey("terminals.id"))
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)


class CountCorrection(Base):
    """What a committed count found for one item, and the correction movement it wrote."""

    __tablename__ = "count_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("count_sessions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    movement_id: Mapped[int] = mapped_column(ForeignKey("stock_movements.id"), unique=True)
    expected_at_start: Mapped[int]
    moved_since: Mapped[int]  # movements between the start and the item's last scan
    counted: Mapped[int]
