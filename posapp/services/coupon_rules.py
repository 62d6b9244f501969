"""Is this coupon usable here and now? Every refusal carries the reason in the cashier's words."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from posapp.i18n import day, moment, money, tr
from posapp.models import (
    Campaign,
    CampaignState,
    Channel,
    Coupon,
    CouponRedemption,
    CouponReversal,
    CouponState,
    Terminal,
)


class RefusalReason(enum.Enum):
    EMPTY = "empty"
    UNKNOWN_CODE = "unknown_code"
    BAD_CHECK = "bad_check"
    UNKNOWN_COUPON = "unknown_coupon"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    USED = "used"
    VOIDED = "voided"
    BELOW_MIN_SPEND = "below_min_spend"
    WRONG_CHANNEL = "wrong_channel"
    CUSTOMER_LIMIT = "customer_limit"
    OTHER_CUSTOMER = "other_customer"
    CAMPAIGN_PAUSED = "campaign_paused"
    CAMPAIGN_ENDED = "campaign_ended"
    ALREADY_IN_SALE = "already_in_sale"
    ITEM_UNAVAILABLE = "item_unavailable"


@dataclass(frozen=True)
class Refusal:
    reason: RefusalReason
    message: str


def expiry_date(coupon: Coupon, campaign: Campaign) -> date | None:
    """Last valid day: set when issued, else the campaign's fixed end, else none yet."""
    return coupon.expires_on or campaign.valid_until


def expiry_on_issue(campaign: Campaign, issued_on: date) -> date | None:
    ends = [campaign.valid_until] if campaign.valid_until else []
    if campaign.valid_days:
        ends.append(issued_on + timedelta(days=campaign.valid_days))
    return min(ends) if ends else None


# A redemption counts as a use unless a reversal gave the use back (a refund, where the campaign
# makes refunded coupons reusable). Every query that counts uses filters with this.
STILL_USED = ~(
    select(CouponReversal.id)
    .where(CouponReversal.redemption_id == CouponRedemption.id, CouponReversal.restores_use)
    .exists()
)

_ACTIVE_USES = (  # built once; every scan of a coupon runs it
    select(func.count())
    .select_from(CouponRedemption)
    .where(CouponRedemption.coupon_id == bindparam("coupon_id"), STILL_USED)
)


def usage(session: Session, coupon_id: int) -> int:
    """Uses of a coupon: redemptions minus the reversals that gave a use back."""
    return int(session.scalar(_ACTIVE_USES, {"coupon_id": coupon_id}) or 0)


def customer_usage(session: Session, campaign_id: int, customer_id: int) -> int:
    """Uses of a campaign's coupons by one customer, reversals taken off."""
    active = (
        select(func.count())
        .select_from(CouponRedemption)
        .join(Coupon, Coupon.id == CouponRedemption.coupon_id)
        .where(
            Coupon.campaign_id == campaign_id,
            CouponRedemption.customer_id == customer_id,
            STILL_USED,
        )
    )
    return int(session.scalar(active) or 0)


def _last_use(session: Session, coupon_id: int) -> Refusal:
    row = session.execute(
        select(CouponRedemption.redeemed_at, CouponRedemption.channel, Terminal.name)
        .outerjoin(Terminal, Terminal.id == CouponRedemption.terminal_id)
        .where(CouponRedemption.coupon_id == coupon_id)
        .order_by(CouponRedemption.redeemed_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return Refusal(RefusalReason.USED, tr("This coupon has already been used."))
    where = tr("online") if row.channel is Channel.ONLINE else tr("till {name}", name=row.name)
    return Refusal(
        RefusalReason.USED,
        tr("Already used on {when} at {where}.", when=moment(row.redeemed_at), where=where),
    )


def _campaign_refusal(campaign: Campaign, channel: Channel) -> Refusal | None:
    if campaign.state is CampaignState.ENDED:
        return Refusal(
            RefusalReason.CAMPAIGN_ENDED,
            tr("The campaign '{name}' has ended.", name=campaign.name),
        )
    if campaign.state is CampaignState.PAUSED:
        return Refusal(
            RefusalReason.CAMPAIGN_PAUSED,
            tr("The campaign '{name}' is paused.", name=campaign.name),
        )
    if campaign.channel not in (Channel.BOTH, channel):
        message = (
            tr("This coupon is for the online store only.")
            if campaign.channel is Channel.ONLINE
            else tr("This coupon is for the shop only.")
        )
        return Refusal(RefusalReason.WRONG_CHANNEL, message)
    return None


def _date_refusal(coupon: Coupon, campaign: Campaign, today: date) -> Refusal | None:
    if campaign.valid_from and today < campaign.valid_from:
        return Refusal(
            RefusalReason.NOT_YET_VALID,
            tr("This coupon is valid from {date}.", date=day(campaign.valid_from)),
        )
    ends = expiry_date(coupon, campaign)
    if coupon.state is CouponState.EXPIRED or (ends is not None and today > ends):
        return Refusal(
            RefusalReason.EXPIRED,
            tr("This coupon expired on {date}.", date=day(ends))
            if ends
            else tr("This coupon has expired."),
        )
    return None


def _customer_refusal(
    session: Session, coupon: Coupon, campaign: Campaign, customer_id: int | None, in_sale: int
) -> Refusal | None:
    if coupon.customer_id and customer_id and coupon.customer_id != customer_id:
        return Refusal(RefusalReason.OTHER_CUSTOMER, tr("This coupon belongs to another customer."))
    who = customer_id or coupon.customer_id
    limit = campaign.max_uses_per_customer
    if not who or not limit:
        return None
    if customer_usage(session, campaign.id, who) + in_sale < limit:
        return None
    return customer_limit_refusal(campaign.name, limit)


def customer_limit_refusal(campaign_name: str, limit: int) -> Refusal:
    return Refusal(
        RefusalReason.CUSTOMER_LIMIT,
        tr(
            "This customer has reached the limit of {limit} coupon(s) of '{name}'.",
            limit=limit,
            name=campaign_name,
        ),
    )


def refusal_for(
    session: Session,
    coupon: Coupon,
    campaign: Campaign,
    *,
    today: date,
    customer_id: int | None,
    channel: Channel = Channel.SHOP,
    in_sale: int = 0,
) -> Refusal | None:
    """Why this coupon cannot be used now, or None when it can.

    ``in_sale`` counts other coupons of the same campaign already in this sale for the same
    customer. Minimum spend is checked by :func:`min_spend_refusal` against the cart, since the
    cart changes after the scan."""
    if coupon.state is CouponState.VOIDED:
        return Refusal(RefusalReason.VOIDED, tr("This coupon was voided."))
    found = _campaign_refusal(campaign, channel) or _date_refusal(coupon, campaign, today)
    if found:
        return found
    if coupon.state is CouponState.REDEEMED or usage(session, coupon.id) >= campaign.max_uses:
        return _last_use(session, coupon.id)
    return _customer_refusal(session, coupon, campaign, customer_id, in_sale)


def min_spend_refusal(min_spend: int, subtotal: int, currency: str) -> Refusal | None:
    if subtotal >= min_spend:
        return None
    return Refusal(
        RefusalReason.BELOW_MIN_SPEND,
        tr(
            "Needs a spend of {minimum} or more; this sale is {subtotal}.",
            minimum=money(min_spend, currency),
            subtotal=money(subtotal, currency),
        ),
    )
