"""Sales, their lines, coupon applications, payments, refunds and the consignor ledger."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from posapp.models.base import Base, new_uuid, str_enum, utcnow


class SaleStatus(enum.Enum):
    COMPLETED = "completed"
    REFUNDED = "refunded"


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (Index("ix_sales_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # printed on the receipt
    terminal_id: Mapped[int] = mapped_column(ForeignKey("terminals.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    subtotal: Mapped[int]
    discount_total: Mapped[int]
    total: Mapped[int]
    status: Mapped[SaleStatus] = mapped_column(str_enum(SaleStatus), default=SaleStatus.COMPLETED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lines: Mapped[list[SaleLine]] = relationship(order_by="SaleLine.id", back_populates="sale")
    payments: Mapped[list[Payment]] = relationship(order_by="Payment.id")
    coupons: Mapped[list[SaleCoupon]] = relationship(order_by="SaleCoupon.id")


class SaleLine(Base):
    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price: Mapped[int]
    gross: Mapped[int]  # quantity * unit_price
    discount: Mapped[int]  # this line's part of the sale's coupon discounts
    net: Mapped[int]  # gross - discount
    consignor_id: Mapped[int | None] = mapped_column(ForeignKey("consignors.id"), index=True)
    split_bp: Mapped[int | None]
    consignor_share: Mapped[int]  # computed at the moment of sale

    sale: Mapped[Sale] = relationship(back_populates="lines")


class SaleCoupon(Base):
    """A coupon applied to a sale, with the discount it gave and its ledger redemption."""

    __tablename__ = "sale_coupons"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupons.id"))
    redemption_id: Mapped[str] = mapped_column(ForeignKey("coupon_redemptions.id"))
    amount: Mapped[int]


class PaymentMethod(enum.Enum):
    CASH = "cash"
    CARD = "card"
    OTHER = "other"


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod))
    amount: Mapped[int]  # applied to the sale
    tendered: Mapped[int]  # handed over; more than amount only for cash
    change: Mapped[int] = mapped_column(default=0)


class Refund(Base):
    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    terminal_id: Mapped[int] = mapped_column(ForeignKey("terminals.id"))
    amount: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerKind(enum.Enum):
    SALE = "sale"
    REFUND = "refund"
    PAYOUT = "payout"


class ConsignorLedgerEntry(Base):
    """What the store owes a consignor: + share on a sale, - on its refund, - on a payout."""

    __tablename__ = "consignor_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    consignor_id: Mapped[int] = mapped_column(ForeignKey("consignors.id"), index=True)
    kind: Mapped[LedgerKind] = mapped_column(str_enum(LedgerKind))
    amount: Mapped[int]
    sale_line_id: Mapped[int | None] = mapped_column(ForeignKey("sale_lines.id"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
