"""Committing a sale: one transaction for the sale, its lines, payments, coupon redemptions, stock
movements, consignor ledger and outbox events. If anything fails, nothing is written."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import money, tr
from posapp.models import (
    Campaign,
    ConsignorLedgerEntry,
    Coupon,
    CouponRedemption,
    CouponState,
    Item,
    ItemKind,
    ItemStatus,
    LedgerKind,
    MovementReason,
    Payment,
    PaymentMethod,
    Sale,
    SaleCoupon,
    SaleLine,
    StockMovement,
    Terminal,
    utcnow,
)
from posapp.services.cart import Cart, CartLine, coupon_terms
from posapp.services.context import Actor
from posapp.services.coupon_rules import min_spend_refusal, refusal_for, usage
from posapp.services.errors import Conflict, InvalidInput
from posapp.services.events import record_event
from posapp.services.pricing import PricedLine, Quote
from posapp.services.receipts import Receipt, receipt_for


@dataclass(frozen=True)
class Tender:
    """What the customer hands over. ``amount`` None means 'the rest of what is due'."""

    method: PaymentMethod
    amount: int | None = None


@dataclass(frozen=True)
class SettledPayment:
    method: PaymentMethod
    amount: int
    tendered: int
    change: int


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


def _next_sale_number(session: Session, terminal_id: int) -> str:
    row = session.execute(
        update(Terminal)
        .where(Terminal.id == terminal_id)
        .values(last_sale_seq=Terminal.last_sale_seq + 1)
        .returning(Terminal.name, Terminal.last_sale_seq)
    ).one()
    return f"{row.name}-{row.last_sale_seq:06d}"


def _take_item(session: Session, line: CartLine) -> None:
    """Mark a one-of-a-kind item sold, only if it is still available (the race guard)."""
    if line.kind is not ItemKind.CONSIGNED:
        return
    taken = session.execute(
        update(Item)
        .where(Item.id == line.item_id, Item.status == ItemStatus.AVAILABLE)
        .values(status=ItemStatus.SOLD, updated_at=utcnow())
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(
            tr(
                "{name} was sold or taken off sale meanwhile; remove it from the sale.",
                name=line.name,
            )
        )


def _recheck_coupons(session: Session, cart: Cart, today: date) -> None:
    """Coupons were checked at the scan; check again inside the transaction that uses them."""
    customer_id = cart.customer.id if cart.customer else None
    in_sale: Counter[tuple[int, int | None]] = Counter()
    for terms in cart.coupons:
        coupon = session.get_one(Coupon, terms.coupon_id)
        campaign = session.get_one(Campaign, coupon.campaign_id)
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


def _write_line(
    session: Session, actor: Actor, sale: Sale, line: CartLine, priced: PricedLine
) -> None:
    _take_item(session, line)
    consignor_id = session.scalar(select(Item.consignor_id).where(Item.id == line.item_id))
    row = SaleLine(
        sale_id=sale.id,
        item_id=line.item_id,
        description=line.name,
        quantity=line.quantity,
        unit_price=line.unit_price,
        gross=priced.gross,
        discount=priced.discount,
        net=priced.net,
        consignor_id=consignor_id,
        split_bp=line.split_bp,
        consignor_share=priced.consignor_share,
    )
    session.add(row)
    session.flush()
    session.add(
        StockMovement(
            item_id=line.item_id,
            quantity=-line.quantity,
            reason=MovementReason.SALE,
            sale_id=sale.id,
            user_id=actor.user_id,
            terminal_id=actor.terminal_id,
        )
    )
    if consignor_id is not None:
        session.add(
            ConsignorLedgerEntry(
                consignor_id=consignor_id,
                kind=LedgerKind.SALE,
                amount=priced.consignor_share,
                sale_line_id=row.id,
            )
        )
    record_event(
        session,
        actor.terminal_id,
        "stock.moved",
        barcode=line.barcode,
        quantity=-line.quantity,
        reason=MovementReason.SALE.value,
        sale_uuid=sale.uuid,
    )


def _redeem(
    session: Session, actor: Actor, sale: Sale, cart: Cart, quoted: Quote
) -> list[dict[str, object]]:
    redeemed = []
    for terms, amount in zip(cart.coupons, quoted.coupon_discounts, strict=True):
        coupon = session.get_one(Coupon, terms.coupon_id)
        redemption = CouponRedemption(
            coupon_id=terms.coupon_id,
            sale_id=sale.id,
            customer_id=sale.customer_id or coupon.customer_id,
            terminal_id=actor.terminal_id,
            amount=amount,
        )
        session.add(redemption)
        session.flush()
        session.add(
            SaleCoupon(
                sale_id=sale.id,
                coupon_id=terms.coupon_id,
                redemption_id=redemption.id,
                amount=amount,
            )
        )
        campaign = session.get_one(Campaign, coupon.campaign_id)
        if usage(session, coupon.id) >= campaign.max_uses:
            coupon.state = CouponState.REDEEMED
        record_event(
            session,
            actor.terminal_id,
            "coupon.redeemed",
            code=terms.code,
            redemption_id=redemption.id,
            sale_uuid=sale.uuid,
            amount=amount,
            channel="shop",
        )
        redeemed.append({"code": terms.code, "redemption_id": redemption.id, "amount": amount})
    return redeemed


def commit_sale(
    db: Database, actor: Actor, cart: Cart, tenders: list[Tender], today: date | None = None
) -> Receipt:
    """Sell what is in the cart. Raises PosError (and writes nothing) when it cannot."""
    if not cart.lines:
        raise InvalidInput(tr("The sale is empty: scan an item first."))
    quoted = cart.quote()
    payments = settle(quoted.total, tenders, cart.currency)
    with db.unit_of_work() as session:
        _recheck_coupons(session, cart, today or date.today())
        sale = Sale(
            number=_next_sale_number(session, actor.terminal_id),
            terminal_id=actor.terminal_id,
            user_id=actor.user_id,
            customer_id=cart.customer.id if cart.customer else None,
            subtotal=quoted.subtotal,
            discount_total=quoted.discount_total,
            total=quoted.total,
            created_at=utcnow(),
        )
        session.add(sale)
        session.flush()
        for line, priced in zip(cart.lines, quoted.lines, strict=True):
            _write_line(session, actor, sale, line, priced)
        coupons = _redeem(session, actor, sale, cart, quoted)
        for payment in payments:
            session.add(
                Payment(
                    sale_id=sale.id,
                    method=payment.method,
                    amount=payment.amount,
                    tendered=payment.tendered,
                    change=payment.change,
                )
            )
        record_event(
            session,
            actor.terminal_id,
            "sale.committed",
            sale_uuid=sale.uuid,
            number=sale.number,
            user=actor.user_name,
            subtotal=quoted.subtotal,
            discount_total=quoted.discount_total,
            total=quoted.total,
            lines=[
                {
                    "barcode": line.barcode,
                    "quantity": line.quantity,
                    "net": priced.net,
                    "consignor_share": priced.consignor_share,
                }
                for line, priced in zip(cart.lines, quoted.lines, strict=True)
            ],
            coupons=coupons,
            payments=[{"method": p.method.value, "amount": p.amount} for p in payments],
        )
        session.flush()
        session.refresh(sale)
        return receipt_for(session, sale)
