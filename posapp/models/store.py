"""Store, terminals, staff and customers."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from posapp.models.base import Base, new_uuid, str_enum, utcnow


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    locale: Mapped[str] = mapped_column(String(16), default="zh_CN")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Terminal(Base):
    __tablename__ = "terminals"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    name: Mapped[str] = mapped_column(String(40), unique=True)
    # Last event sequence number this terminal wrote; bumped inside the writing transaction.
    last_event_seq: Mapped[int] = mapped_column(default=0)
    last_sale_seq: Mapped[int] = mapped_column(default=0)


class Role(enum.Enum):
    CASHIER = "cashier"
    MANAGER = "manager"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    card_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    birthday: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
