"""Applying campaign and coupon events from elsewhere: the grow-only ledger of uses by id.

Issued, voided and redeemed coupons go through the batch's Projection (sync.projection); the
rarer events through the ORM."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from posapp.models import (
    Campaign,
    CampaignState,
    Channel,
    Coupon,
    CouponRedemption,
    CouponReversal,
    CouponState,
    DiscountKind,
    Funding,
    utcnow,
)
from posapp.services.coupon_rules import usage
from sync.projection import Applied, CouponRow, Projection
from sync.protocol import WireEvent
from sync.records import (
    NotApplicable,
    as_day,
    campaign_id,
    coupon_by_code,
    insert_ignoring,
    integer,
    text,
)


def campaign_created(session: Session, event: WireEvent) -> None:
    p = event.payload
    if campaign_id(session, p["name"]) is not None:
        return
    session.add(
        Campaign(
            name=p["name"],
            description=p.get("description"),
            kind=DiscountKind(p["kind"]),
            value=p["value"],
            min_spend=p.get("min_spend", 0),
            valid_from=as_day(p.get("valid_from")),
            valid_until=as_day(p.get("valid_until")),
            valid_days=p.get("valid_days"),
            max_uses=p.get("max_uses", 1),
            max_uses_per_customer=p.get("max_uses_per_customer"),
            channel=Channel(p.get("channel", "both")),
            funding=Funding(p.get("funding", "store")),
            reusable_after_refund=p.get("reusable_after_refund", True),
            bounce_back_of_id=campaign_id(session, p.get("bounce_back_of")),
            bounce_back_min_spend=p.get("bounce_back_min_spend", 0),
        )
    )
    session.flush()


def campaign_state(session: Session, event: WireEvent) -> None:
    name = event.payload.get("campaign")
    session.execute(
        update(Campaign)
        .where(Campaign.name == name)
        .values(state=CampaignState(event.payload["state"]))
    )


def coupons_generated(session: Session, event: WireEvent) -> None:
    found = campaign_id(session, event.payload.get("campaign"))
    if found is None:
        raise NotApplicable("unknown campaign")
    now = utcnow()
    insert_ignoring(
        session,
        Coupon,
        [
            {
                "code": code,
                "campaign_id": found,
                "state": CouponState.GENERATED,
                "origin": event.origin,
                "created_at": now,
            }
            for code in event.payload["codes"]
        ],
    )


def coupons_printed(session: Session, event: WireEvent) -> None:
    codes = list(event.payload["codes"])
    ends = as_day(event.payload.get("expires_on"))
    session.execute(
        update(Coupon)
        .where(Coupon.code.in_(codes), Coupon.state == CouponState.GENERATED)
        .values(state=CouponState.PRINTED)
    )
    if ends is not None:
        session.execute(
            update(Coupon)
            .where(Coupon.code.in_(codes), Coupon.expires_on.is_(None))
            .values(expires_on=ends)
        )


def coupon_issued(projection: Projection, event: WireEvent) -> Applied:
    coupon = _coupon(projection, event)
    customer = projection.customer(event.payload.get("customer_card"))
    ends = as_day(event.payload.get("expires_on"))
    if coupon.state in (CouponState.GENERATED, CouponState.PRINTED):
        coupon.state = CouponState.ISSUED
    coupon.issued_at = coupon.issued_at or event.created_at
    coupon.customer_id = customer
    coupon.expires_on = coupon.expires_on or ends
    coupon.changed = True
    return Applied()


def coupon_voided(projection: Projection, event: WireEvent) -> Applied:
    coupon = _coupon(projection, event)
    coupon.state = CouponState.VOIDED
    coupon.changed = True
    return Applied()


def _coupon(projection: Projection, event: WireEvent, *, with_uses: bool = False) -> CouponRow:
    coupon = projection.coupon(text(event.payload["code"], 16), with_uses=with_uses)
    if coupon is None:
        raise NotApplicable("unknown coupon")
    return coupon


def coupon_redeemed(projection: Projection, event: WireEvent) -> Applied:
    """A use joins the grow-only ledger (once per redemption id); the coupon is used up once
    its uses reach the campaign's limit."""
    p = event.payload
    redemption_id = text(p["redemption_id"], 36)
    use = {
        "id": redemption_id,
        "customer_id": projection.customer(p.get("customer_card")),
        "channel": Channel(p.get("channel", "shop")),
        "amount": integer(p.get("amount", 0)),
        "redeemed_at": event.created_at,
    }
    coupon = _coupon(projection, event, with_uses=True)
    max_uses = projection.campaign_max_uses(coupon.campaign_id)
    if not projection.is_used_id(redemption_id):
        projection.add_use(coupon, use)
        if coupon.state is not CouponState.VOIDED and (coupon.uses or 0) >= max_uses:
            coupon.state = CouponState.REDEEMED
            coupon.changed = True
    return Applied(uses=coupon.uses, max_uses=max_uses)


def coupon_reversed(session: Session, event: WireEvent) -> None:
    p = event.payload
    coupon = coupon_by_code(session, event.payload["code"])
    if coupon is None:
        raise NotApplicable("unknown coupon")
    if session.get(CouponRedemption, p["redemption_id"]) is None:
        raise NotApplicable("unknown redemption")
    exists = session.scalar(
        select(CouponReversal.id).where(CouponReversal.redemption_id == p["redemption_id"])
    )
    if exists:
        return
    restores = bool(p.get("restores_use", p.get("reusable", True)))
    session.add(
        CouponReversal(
            id=p.get("reversal_id") or event.id,
            redemption_id=p["redemption_id"],
            restores_use=restores,
            reversed_at=event.created_at,
        )
    )
    session.flush()
    max_uses = session.scalar(select(Campaign.max_uses).where(Campaign.id == coupon.campaign_id))
    if (
        restores
        and coupon.state is CouponState.REDEEMED
        and usage(session, coupon.id) < (max_uses or 1)
    ):
        coupon.state = CouponState.ISSUED
