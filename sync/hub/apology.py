"""Apology coupons: an online customer whose item a shop had already sold gets one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp import codes
from posapp.models import Campaign, CampaignState, Coupon, CouponState, HubOnlineSale, utcnow
from posapp.services import clock
from posapp.services.coupon_rules import expiry_on_issue
from sync.hub import log


def issue_apology(session: Session, sale: HubOnlineSale, campaign_name: str | None) -> str | None:
    """A new coupon of the apology campaign, issued to the online customer (the code is given to
    the online store in the conflict); None when no active apology campaign is set."""
    if not campaign_name:
        return None
    campaign = session.scalars(select(Campaign).where(Campaign.name == campaign_name)).first()
    if campaign is None or campaign.state is not CampaignState.ACTIVE:
        return None
    code = codes.new_code()
    while session.scalar(select(Coupon.id).where(Coupon.code == code)) is not None:
        code = codes.new_code()
    ends = expiry_on_issue(campaign, clock.today())
    session.add(
        Coupon(
            code=code,
            campaign_id=campaign.id,
            state=CouponState.ISSUED,
            issued_at=utcnow(),
            expires_on=ends,
            origin=log.HUB_ORIGIN,
        )
    )
    log.hub_event(session, "coupons.generated", campaign=campaign.name, codes=[code])
    log.hub_event(
        session,
        "coupon.issued",
        code=code,
        customer_card=None,
        expires_on=ends.isoformat() if ends else "",
        order_ref=sale.id,
    )
    return code
