"""Campaigns, coupons and the grow-only redemption ledger."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from posapp.models.base import Base, new_uuid, str_enum, utcnow


class DiscountKind(enum.Enum):
    AMOUNT = "amount"  # value in minor units
    PERCENT = "percent"  # value in basis points


class Channel(enum.Enum):
    SHOP = "shop"
    ONLINE = "online"
    BOTH = "both"


class Funding(enum.Enum):
    STORE = "store"  # consignor's split taken from the price before the discount
    CONSIGNOR = "consignor"  # split taken from the price after the discount
    SHARED = "shared"  # split taken from the price after half the discount


class CampaignState(enum.Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[DiscountKind] = mapped_column(str_enum(DiscountKind))
    value: Mapped[int]
    min_spend: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]  # last valid day, inclusive
    # N days from the day a coupon is handed out: printed or issued, whichever comes first
    valid_days: Mapped[int | None] = mapped_column(default=14)
    max_uses: Mapped[int] = mapped_column(default=1)  # per coupon; 1 = single use
    max_uses_per_customer: Mapped[int | None]
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.BOTH)
    funding: Mapped[Funding] = mapped_column(str_enum(Funding), default=Funding.STORE)
    state: Mapped[CampaignState] = mapped_column(
        str_enum(CampaignState), default=CampaignState.ACTIVE
    )
    reusable_after_refund: Mapped[bool] = mapped_column(default=True)
    # Bounce-back: this campaign's coupons are handed out with a sale that redeems a coupon of
    # campaign ``bounce_back_of_id`` and pays at least ``bounce_back_min_spend`` (after discounts);
    # one coupon per sale, issued to the sale's customer, printed on the receipt.
    bounce_back_of_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    bounce_back_min_spend: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CouponState(enum.Enum):
    GENERATED = "generated"
    PRINTED = "printed"
    ISSUED = "issued"
    REDEEMED = "redeemed"
    VOIDED = "voided"
    EXPIRED = "expired"


class Coupon(Base):
    __tablename__ = "coupons"
    __table_args__ = (Index("ix_coupons_campaign_id", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # normalised, check symbol last
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    state: Mapped[CouponState] = mapped_column(str_enum(CouponState), default=CouponState.GENERATED)
    issued_at: Mapped[datetime | None]
    # Last valid day, set when the coupon is first printed or issued (else the campaign's end
    # applies). A generated coupon has none yet and is refused at the till: nobody holds it.
    expires_on: Mapped[date | None]
    # The sale that handed this coupon out as a bounce-back (printed on its receipt).
    issued_with_sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"), index=True)
    # The terminal (uuid) whose event brought this coupon here through sync; None: made here.
    origin: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CouponRedemption(Base):
    """Grow-only: a refund writes a CouponReversal, never a delete."""

    __tablename__ = "coupon_redemptions"
    __table_args__ = (Index("ix_coupon_redemptions_coupon_id", "coupon_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupons.id"))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sales.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    terminal_id: Mapped[int | None] = mapped_column(ForeignKey("terminals.id"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.SHOP)
    amount: Mapped[int]
    redeemed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CouponReversal(Base):
    __tablename__ = "coupon_reversals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    redemption_id: Mapped[str] = mapped_column(ForeignKey("coupon_redemptions.id"), unique=True)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    # True: the refunded use is given back (campaign.reusable_after_refund); False: it stays spent.
    restores_use: Mapped[bool] = mapped_column(default=True)
    reversed_at: Mapped[datetime] = mapped_column(default=utcnow)
