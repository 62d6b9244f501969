"""A committed sale as plain data: what the receipt, the history and the CLI show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from posapp.models import (
    Campaign,
    Coupon,
    CouponState,
    Customer,
    DiscountKind,
    Item,
    PaymentMethod,
    Refund,
    Sale,
    SaleCoupon,
    SaleStatus,
    Store,
    Terminal,
    User,
)


@dataclass(frozen=True)
class ReceiptLine:
    barcode: str
    name: str
    quantity: int
    unit_price: int
    gross: int
    discount: int
    net: int


@dataclass(frozen=True)
class ReceiptCoupon:
    code: str
    amount: int


@dataclass(frozen=True)
class ReceiptBounceBack:
    """A coupon for the next visit, handed out with this sale (see posapp.services.bounce_back)."""

    code: str
    campaign_name: str
    kind: DiscountKind
    value: int  # minor units, or basis points for a percent coupon
    min_spend: int
    expires_on: date | None


@dataclass(frozen=True)
class ReceiptPayment:
    method: PaymentMethod
    amount: int
    tendered: int
    change: int


@dataclass(frozen=True)
class Receipt:
    sale_id: int
    number: str
    created_at: datetime
    store_name: str
    currency: str
    terminal_name: str
    cashier_name: str
    customer_name: str | None
    lines: tuple[ReceiptLine, ...]
    coupons: tuple[ReceiptCoupon, ...]
    payments: tuple[ReceiptPayment, ...]
    subtotal: int
    discount_total: int
    total: int
    status: SaleStatus
    refunded_at: datetime | None
    bounce_backs: tuple[ReceiptBounceBack, ...] = ()

    @property
    def change(self) -> int:
        return sum(p.change for p in self.payments)


ISSUED_WITH_SALE = (
    select(Coupon, Campaign)
    .join(Campaign, Campaign.id == Coupon.campaign_id)
    .where(Coupon.issued_with_sale_id == bindparam("sale_key"))
    .order_by(Coupon.id)
)


def bounce_back_line(code: str, campaign: Campaign, expires_on: date | None) -> ReceiptBounceBack:
    return ReceiptBounceBack(
        code, campaign.name, campaign.kind, campaign.value, campaign.min_spend, expires_on
    )


def bounce_backs_of_sale(session: Session, sale_id: int) -> tuple[ReceiptBounceBack, ...]:
    """The sale's bounce-back coupons a receipt shows: all but the voided (a refunded sale's)."""
    return tuple(
        bounce_back_line(coupon.code, campaign, coupon.expires_on)
        for coupon, campaign in session.execute(ISSUED_WITH_SALE, {"sale_key": sale_id})
        if coupon.state is not CouponState.VOIDED
    )


def receipt_for(session: Session, sale: Sale) -> Receipt:
    store = session.scalars(select(Store).limit(1)).one()
    terminal = session.get_one(Terminal, sale.terminal_id)
    cashier = session.get_one(User, sale.user_id)
    customer = session.get(Customer, sale.customer_id) if sale.customer_id else None
    coupons = session.execute(
        select(Coupon.code, SaleCoupon.amount)
        .join(SaleCoupon, SaleCoupon.coupon_id == Coupon.id)
        .where(SaleCoupon.sale_id == sale.id)
        .order_by(SaleCoupon.id)
    ).all()
    item_ids = [line.item_id for line in sale.lines]
    barcodes = dict(
        session.execute(select(Item.id, Item.barcode).where(Item.id.in_(item_ids))).all()
    )
    refunded_at = session.scalar(select(Refund.created_at).where(Refund.sale_id == sale.id))
    return Receipt(
        sale_id=sale.id,
        number=sale.number,
        created_at=sale.created_at,
        store_name=store.name,
        currency=store.currency,
        terminal_name=terminal.name,
        cashier_name=cashier.name,
        customer_name=customer.name if customer else None,
        lines=tuple(
            ReceiptLine(
                barcodes[line.item_id],
                line.description,
                line.quantity,
                line.unit_price,
                line.gross,
                line.discount,
                line.net,
            )
            for line in sale.lines
        ),
        coupons=tuple(ReceiptCoupon(row.code, row.amount) for row in coupons),
        payments=tuple(
            ReceiptPayment(p.method, p.amount, p.tendered, p.change) for p in sale.payments
        ),
        subtotal=sale.subtotal,
        discount_total=sale.discount_total,
        total=sale.total,
        status=sale.status,
        refunded_at=refunded_at,
        bounce_backs=bounce_backs_of_sale(session, sale.id),
    )
