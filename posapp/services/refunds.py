"""Refunding a whole sale: items back to stock, coupon redemptions reversed, consignor ledger
credited back, and the sale's bounce-back coupons voided if nobody has used them, in one
transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Campaign,
    ConsignorLedgerEntry,
    Coupon,
    CouponReversal,
    CouponState,
    Item,
    ItemKind,
    ItemStatus,
    LedgerKind,
    MovementReason,
    Refund,
    Role,
    Sale,
    SaleCoupon,
    SaleStatus,
    StockMovement,
    utcnow,
)
from posapp.services import clock
from posapp.services.bounce_back import void_unused_bounce_backs
from posapp.services.context import Actor
from posapp.services.coupon_rules import expiry_date, usage
from posapp.services.errors import Conflict, NotFound, PermissionRefused
from posapp.services.events import record_event
from posapp.services.receipts import Receipt, receipt_for


def find_sale(session: Session, reference: str) -> Sale:
    """A sale by its receipt number (T1-000042) or its database id."""
    reference = reference.strip()
    clauses = [Sale.number == reference.upper()]
    if reference.isdigit():
        clauses.append(Sale.id == int(reference))
    sale = session.scalars(select(Sale).where(or_(*clauses))).first()
    if sale is None:
        raise NotFound(tr("No sale {reference}.", reference=reference))
    return sale


def _restock(session: Session, actor: Actor, sale: Sale, refund: Refund) -> None:
    for line in sale.lines:
        item = session.get_one(Item, line.item_id)
        if item.kind is ItemKind.CONSIGNED:
            session.execute(
                update(Item)
                .where(Item.id == item.id, Item.status == ItemStatus.SOLD)
                .values(status=ItemStatus.AVAILABLE, updated_at=utcnow())
            )
        session.add(
            StockMovement(
                item_id=item.id,
                quantity=line.quantity,
                reason=MovementReason.REFUND,
                sale_id=sale.id,
                refund_id=refund.id,
                user_id=actor.user_id,
                terminal_id=actor.terminal_id,
            )
        )
        if line.consignor_id is not None:
            session.add(
                ConsignorLedgerEntry(
                    consignor_id=line.consignor_id,
                    kind=LedgerKind.REFUND,
                    amount=-line.consignor_share,
                    sale_line_id=line.id,
                    refund_id=refund.id,
                )
            )
        record_event(
            session,
            actor.terminal_id,
            "stock.moved",
            barcode=item.barcode,
            quantity=line.quantity,
            reason=MovementReason.REFUND.value,
            refund_uuid=refund.uuid,
        )


def _reverse_coupons(
    session: Session, actor: Actor, sale: Sale, refund: Refund, today: date
) -> None:
    rows = session.execute(
        select(SaleCoupon, Coupon, Campaign)
        .join(Coupon, Coupon.id == SaleCoupon.coupon_id)
        .join(Campaign, Campaign.id == Coupon.campaign_id)
        .where(SaleCoupon.sale_id == sale.id)
    )
    for applied, coupon, campaign in rows:
        reversal = CouponReversal(
            redemption_id=applied.redemption_id,
            refund_id=refund.id,
            restores_use=campaign.reusable_after_refund,
        )
        session.add(reversal)
        session.flush()
        ends = expiry_date(coupon, campaign)
        still_valid = ends is None or today <= ends
        # a use given back frees the coupon only if its other uses leave room (a use from another
        # till, found at sync, may still count)
        room = usage(session, coupon.id) < campaign.max_uses
        if reversal.restores_use and still_valid and room and coupon.state is CouponState.REDEEMED:
            coupon.state = CouponState.ISSUED
        record_event(
            session,
            actor.terminal_id,
            "coupon.reversed",
            code=coupon.code,
            redemption_id=applied.redemption_id,
            reversal_id=reversal.id,
            restores_use=reversal.restores_use,
            reusable=coupon.state is not CouponState.REDEEMED,
        )


def refund_sale(
    db: Database,
    actor: Actor,
    reference: str,
    reason: str | None = None,
    today: date | None = None,
) -> Receipt:
    """Refund a whole sale, once; a second try says so and changes nothing. Managers only."""
    if actor.role is not Role.MANAGER:
        raise PermissionRefused(tr("Only a manager can refund a sale."))
    with db.unit_of_work() as session:
        sale = find_sale(session, reference)
        if sale.status is SaleStatus.REFUNDED:
            raise Conflict(tr("Sale {number} has already been refunded.", number=sale.number))
        refund = Refund(
            sale_id=sale.id,
            user_id=actor.user_id,
            terminal_id=actor.terminal_id,
            amount=sale.total,
            reason=reason,
        )
        session.add(refund)
        sale.status = SaleStatus.REFUNDED
        session.flush()
        _restock(session, actor, sale, refund)
        _reverse_coupons(session, actor, sale, refund, today or clock.today())
        for code in void_unused_bounce_backs(session, sale.id):
            record_event(
                session,
                actor.terminal_id,
                "coupon.voided",
                code=code,
                reason="refund",
                refund_uuid=refund.uuid,
            )
        record_event(
            session,
            actor.terminal_id,
            "sale.refunded",
            sale_uuid=sale.uuid,
            refund_uuid=refund.uuid,
            number=sale.number,
            amount=sale.total,
            user=actor.user_name,
        )
        session.flush()
        return receipt_for(session, sale)


__all__ = ["find_sale", "refund_sale"]
