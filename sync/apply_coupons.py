"""Applying campaign and coupon events from elsewhere: the grow-only ledger of uses by id."""

from __future__ import annotations

from datetime import datetime

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
from sync.protocol import WireEvent
from sync.records import (
    NotApplicable,
    as_day,
    campaign_id,
    coupon_by_code,
    customer_id,
    insert_ignoring,
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


def coupon_issued(session: Session, event: WireEvent) -> None:
    coupon = _coupon(session, event)
    if coupon.state in (CouponState.GENERATED, CouponState.PRINTED):
        coupon.state = CouponState.ISSUED
    coupon.issued_at = coupon.issued_at or event.created_at
    coupon.customer_id = customer_id(session, event.payload.get("customer_card"))
    coupon.expires_on = coupon.expires_on or as_day(event.payload.get("expires_on"))


def coupon_voided(session: Session, event: WireEvent) -> None:
    _coupon(session, event).state = CouponState.VOIDED


def _coupon(session: Session, event: WireEvent) -> Coupon:
    coupon = coupon_by_code(session, event.payload["code"])
    if coupon is None:
        raise NotApplicable("unknown coupon")
    return coupon


def record_use(
    session: Session,
    coupon: Coupon,
    redemption_id: str,
    amount: int,
    channel: Channel,
    at: datetime,
    customer: int | None = None,
) -> bool:
    """Add a use to the grow-only ledger (once per id); True when it was new."""
    if session.get(CouponRedemption, redemption_id) is not None:
        return False
    session.add(
        CouponRedemption(
            id=redemption_id,
            coupon_id=coupon.id,
            customer_id=customer,
            channel=channel,
            amount=amount,
            redeemed_at=at,
        )
    )
    session.flush()
    max_uses = session.scalar(select(Campaign.max_uses).where(Campaign.id == coupon.campaign_id))
    if coupon.state is not CouponState.VOIDED and usage(session, coupon.id) >= (max_uses or 1):
        coupon.state = CouponState.REDEEMED
    return True


def coupon_redeemed(session: Session, event: WireEvent) -> None:
    p = event.payload
    record_use(
        session,
        _coupon(session, event),
        p["redemption_id"],
        p.get("amount", 0),
        Channel(p.get("channel", "shop")),
        event.created_at,
        customer_id(session, p.get("customer_card")),
    )


def coupon_reversed(session: Session, event: WireEvent) -> None:
    p = event.payload
    coupon = _coupon(session, event)
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
