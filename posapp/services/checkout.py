"""Committing a sale: one transaction for the sale, its lines, payments, coupon redemptions, stock
movements, consignor ledger and outbox events. If anything fails, nothing is written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import money, tr
from posapp.models import Campaign, Coupon, Customer, PaymentMethod, SaleStatus
from posapp.services.cart import Cart, coupon_terms
from posapp.services.context import Actor
from posapp.services.coupon_rules import min_spend_refusal, refusal_for
from posapp.services.errors import Conflict, InvalidInput
from posapp.services.events import record_events
from posapp.services.pricing import Quote
from posapp.services.receipts import Receipt, ReceiptCoupon, ReceiptLine, ReceiptPayment
from posapp.services.sale_rows import (
    Event,
    SaleHeader,
    SettledPayment,
    insert_lines,
    insert_payments,
    insert_sale,
    redeem_coupons,
    take_items,
)


@dataclass(frozen=True)
class Tender:
    """What the customer hands over. ``amount`` None means 'the rest of what is due'."""

    method: PaymentMethod
    amount: int | None = None


def settle(total: int, tenders: list[Tender], currency: str) -> list[SettledPayment]:
    """Apply tenders in order to ``total``; only cash may exceed what is due (it gives change)."""
    due = total
    settled: list[SettledPayment] = []
    for tender in tenders:
        handed = due if tender.amount is None else tender.amount
        if handed < 0:
            raise InvalidInput(tr("A payment cannot be negative."))
        applied = min(handed, due)
        if handed > applied and tender.method is not PaymentMethod.CASH:
            raise InvalidInput(
                tr(
                    "Only cash can be more than what is due ({due}).",
                    due=money(due, currency),
                )
            )
        settled.append(SettledPayment(tender.method, applied, handed, handed - applied))
        due -= applied
    if due > 0:
        raise InvalidInput(tr("{due} is still to pay.", due=money(due, currency)))
    return [p for p in settled if p.tendered > 0]


def _recheck_coupons(session: Session, cart: Cart, today: date) -> dict[int, int | None]:
    """Coupons were checked at the scan; check again inside the transaction that uses them.

    Returns, per coupon id, the customer its redemption counts for (the sale's, else the
    coupon's own)."""
    ids = [terms.coupon_id for terms in cart.coupons]
    if len(set(ids)) != len(ids):
        raise Conflict(tr("This coupon is already in this sale."))
    found = {
        coupon.id: (coupon, campaign)
        for coupon, campaign in session.execute(
            select(Coupon, Campaign)
            .join(Campaign, Campaign.id == Coupon.campaign_id)
            .where(Coupon.id.in_(ids))
        )
    }
    customer_id = cart.customer.id if cart.customer else None
    in_sale: Counter[tuple[int, int | None]] = Counter()
    holders: dict[int, int | None] = {}
    for terms in cart.coupons:
        if terms.coupon_id not in found:
            raise Conflict(tr("Unknown coupon {code}.", code=terms.code))
        coupon, campaign = found[terms.coupon_id]
        who = customer_id or coupon.customer_id
        refusal = refusal_for(
            session,
            coupon,
            campaign,
            today=today,
            customer_id=customer_id,
            in_sale=in_sale[campaign.id, who],
        ) or min_spend_refusal(campaign.min_spend, cart.subtotal, cart.currency)
        in_sale[campaign.id, who] += 1
        if refusal or coupon_terms(coupon, campaign) != terms:
            message = refusal.message if refusal else tr("The coupon's campaign has changed.")
            raise Conflict(tr("Coupon {code}: {reason}", code=terms.code, reason=message))
        holders[terms.coupon_id] = who
    return holders


def _sale_event(
    actor: Actor,
    sale: SaleHeader,
    cart: Cart,
    quoted: Quote,
    redeemed: list[Event],
    payments: list[SettledPayment],
) -> Event:
    return (
        "sale.committed",
        {
            "sale_uuid": sale.uuid,
            "number": sale.number,
            "user": actor.user_name,
            "subtotal": quoted.subtotal,
            "discount_total": quoted.discount_total,
            "total": quoted.total,
            "lines": [
                {
                    "barcode": line.barcode,
                    "quantity": line.quantity,
                    "net": priced.net,
                    "consignor_share": priced.consignor_share,
                }
                for line, priced in zip(cart.lines, quoted.lines, strict=True)
            ],
            "coupons": [
                {key: payload[key] for key in ("code", "redemption_id", "amount")}
                for _, payload in redeemed
            ],
            "payments": [{"method": p.method.value, "amount": p.amount} for p in payments],
        },
    )


def _receipt(
    session: Session,
    actor: Actor,
    sale: SaleHeader,
    cart: Cart,
    quoted: Quote,
    payments: list[SettledPayment],
) -> Receipt:
    """The receipt of the sale just written, from what was written (same as receipt_for)."""
    customer_name = None
    if cart.customer is not None:
        customer_name = session.scalar(select(Customer.name).where(Customer.id == cart.customer.id))
    return Receipt(
        sale_id=sale.id,
        number=sale.number,
        created_at=sale.created_at,
        store_name=actor.store_name,
        currency=actor.currency,
        terminal_name=actor.terminal_name,
        cashier_name=actor.user_name,
        customer_name=customer_name,
        lines=tuple(
            ReceiptLine(
                line.barcode,
                line.name,
                line.quantity,
                line.unit_price,
                priced.gross,
                priced.discount,
                priced.net,
            )
            for line, priced in zip(cart.lines, quoted.lines, strict=True)
        ),
        coupons=tuple(
            ReceiptCoupon(terms.code, amount)
            for terms, amount in zip(cart.coupons, quoted.coupon_discounts, strict=True)
        ),
        payments=tuple(ReceiptPayment(p.method, p.amount, p.tendered, p.change) for p in payments),
        subtotal=quoted.subtotal,
        discount_total=quoted.discount_total,
        total=quoted.total,
        status=SaleStatus.COMPLETED,
        refunded_at=None,
    )


def commit_sale(
    db: Database, actor: Actor, cart: Cart, tenders: list[Tender], today: date | None = None
) -> Receipt:
    """Sell what is in the cart. Raises PosError (and writes nothing) when it cannot."""
    if not cart.lines:
        raise InvalidInput(tr("The sale is empty: scan an item first."))
    quoted = cart.quote()
    payments = settle(quoted.total, tenders, cart.currency)
    lines = list(zip(cart.lines, quoted.lines, strict=True))
    applied = list(zip(cart.coupons, quoted.coupon_discounts, strict=True))
    with db.unit_of_work() as session:
        holders = _recheck_coupons(session, cart, today or date.today())
        customer_id = cart.customer.id if cart.customer else None
        totals = (quoted.subtotal, quoted.discount_total, quoted.total)
        sale = insert_sale(session, actor, customer_id, totals)
        owners = take_items(session, cart.lines)
        moved = insert_lines(session, actor, sale, lines, owners)
        redeemed = redeem_coupons(session, actor, sale, applied, holders)
        insert_payments(session, sale, payments)
        sold = _sale_event(actor, sale, cart, quoted, redeemed, payments)
        record_events(session, actor.terminal_id, [*moved, *redeemed, sold])
        return _receipt(session, actor, sale, cart, quoted, payments)


__all__ = ["SettledPayment", "Tender", "commit_sale", "settle"]
