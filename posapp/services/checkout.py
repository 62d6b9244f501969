"""Committing a sale: one transaction for the sale, its lines, payments, coupon redemptions, stock
movements, consignor ledger and outbox events. If anything fails, nothing is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from posapp.db import Database
from posapp.i18n import money, tr
from posapp.models import Campaign, Coupon, Customer, PaymentMethod, SaleStatus
from posapp.services import clock
from posapp.services.bounce_back import SaleCustomer, issue_bounce_backs, qualifying
from posapp.services.cart import Cart, coupon_terms
from posapp.services.context import Actor
from posapp.services.coupon_rules import min_spend_refusal, refusal_for
from posapp.services.errors import Conflict, InvalidInput
from posapp.services.events import record_events
from posapp.services.pricing import Quote
from posapp.services.receipts import (
    Receipt,
    ReceiptBounceBack,
    ReceiptCoupon,
    ReceiptLine,
    ReceiptPayment,
)
from posapp.services.sale_rows import (
    ClearedCoupon,
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


_BOUNCE_BACK = aliased(Campaign)


@dataclass(frozen=True)
class Rechecked:
    holders: dict[int, int | None]  # coupon id -> the customer its redemption counts for
    bounce_backs: list[Campaign]  # campaigns naming a redeemed coupon's campaign (unfiltered)


def _recheck_coupons(session: Session, cart: Cart, today: date) -> Rechecked:
    """Coupons were checked at the scan; check again inside the transaction that uses them.

    The same query brings the campaigns that hand out a bounce-back coupon when one of these
    campaigns is redeemed (outer join: one row per coupon and bounce-back campaign), so a sale
    costs no extra statement to find them."""
    ids = [terms.coupon_id for terms in cart.coupons]
    if len(set(ids)) != len(ids):
        raise Conflict(tr("This coupon is already in this sale."))
    found: dict[int, tuple[Coupon, Campaign]] = {}
    bounce_backs: list[Campaign] = []
    if ids:
        for coupon, campaign, bounce in session.execute(
            select(Coupon, Campaign, _BOUNCE_BACK)
            .join(Campaign, Campaign.id == Coupon.campaign_id)
            .outerjoin(_BOUNCE_BACK, _BOUNCE_BACK.bounce_back_of_id == Campaign.id)
            .where(Coupon.id.in_(ids))
        ):
            found[coupon.id] = (coupon, campaign)
            if bounce is not None:
                bounce_backs.append(bounce)
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
    return Rechecked(holders, bounce_backs)


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


def _customer(session: Session, cart: Cart) -> tuple[SaleCustomer | None, str | None]:
    """The sale's customer as stored (card for the events, name for the receipt)."""
    if cart.customer is None:
        return None, None
    row = session.execute(
        select(Customer.name, Customer.card_code).where(Customer.id == cart.customer.id)
    ).one()
    return SaleCustomer(cart.customer.id, row.card_code), row.name


def _receipt(
    actor: Actor,
    sale: SaleHeader,
    cart: Cart,
    quoted: Quote,
    payments: list[SettledPayment],
    customer_name: str | None,
    bounce_backs: list[ReceiptBounceBack],
) -> Receipt:
    """The receipt of the sale just written, from what was written (same as receipt_for)."""
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
        bounce_backs=tuple(bounce_backs),
    )


def commit_sale(
    db: Database,
    actor: Actor,
    cart: Cart,
    tenders: list[Tender],
    today: date | None = None,
    *,
    cleared: Mapping[int, ClearedCoupon] | None = None,
    also: Callable[[Session], None] | None = None,
) -> Receipt:
    """Sell what is in the cart. Raises PosError (and writes nothing) when it cannot.

    ``cleared``: coupons reserved at the hub (or allowed offline), by coupon id; ``also`` runs
    inside the sale's transaction (sync records how offline uses were allowed)."""
    if not cart.lines:
        raise InvalidInput(tr("The sale is empty: scan an item first."))
    quoted = cart.quote()
    payments = settle(quoted.total, tenders, cart.currency)
    lines = list(zip(cart.lines, quoted.lines, strict=True))
    applied = list(zip(cart.coupons, quoted.coupon_discounts, strict=True))
    day = today or clock.today()
    with db.unit_of_work() as session:
        rechecked = _recheck_coupons(session, cart, day)
        customer, customer_name = _customer(session, cart)
        totals = (quoted.subtotal, quoted.discount_total, quoted.total)
        sale = insert_sale(session, actor, customer.id if customer else None, totals)
        owners = take_items(session, cart.lines)
        moved = insert_lines(session, actor, sale, lines, owners)
        redeemed = redeem_coupons(session, actor, sale, applied, rechecked.holders, cleared)
        insert_payments(session, sale, payments)
        sold = _sale_event(actor, sale, cart, quoted, redeemed, payments)
        handed_out = qualifying(rechecked.bounce_backs, quoted.total, day)
        printed, issued = issue_bounce_backs(session, sale, handed_out, customer, day)
        record_events(session, actor.terminal_id, [*moved, *redeemed, sold, *issued])
        if also is not None:
            also(session)
        return _receipt(actor, sale, cart, quoted, payments, customer_name, printed)


__all__ = ["ClearedCoupon", "SettledPayment", "Tender", "commit_sale", "settle"]
