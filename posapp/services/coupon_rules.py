"""Is this coupon usable here and now? Every refusal carries the reason in the cashier's words."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select
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
    NOT_HANDED_OUT = "not_handed_out"
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


# States whose validity runs out: once a coupon's last day has passed, it shows (and is refused)
# as expired. A redeemed or voided coupon keeps its state.
LIVE_STATES = (CouponState.GENERATED, CouponState.PRINTED, CouponState.ISSUED)


def expiry_date(coupon: Coupon, campaign: Campaign) -> date | None:
    """Last valid day: set when the coupon was handed out (printed or issued), else the campaign's
    fixed end, else none yet. :func:`expiry_sql` is the same rule for queries."""
    return coupon.expires_on or campaign.valid_until


def expiry_sql() -> ColumnElement[date]:
    """:func:`expiry_date` in SQL (the query joins Coupon and Campaign)."""
    return func.coalesce(Coupon.expires_on, Campaign.valid_until)


def has_ended(ends: date | None, today: date) -> bool:
    """The one expiry test: a coupon is valid up to and including its last day."""
    return ends is not None and today > ends


def effective_state(state: CouponState, ends: date | None, today: date) -> CouponState:
    """The state a person should see: a live coupon past its last day is expired, stored or not."""
    if state in LIVE_STATES and has_ended(ends, today):
        return CouponState.EXPIRED
    return state


def effective_state_is(state: CouponState, today: date) -> ColumnElement[bool]:
    """SQL filter: coupons whose :func:`effective_state` is ``state`` on ``today``."""
    ends = expiry_sql()
    if state is CouponState.EXPIRED:
        return or_(
            Coupon.state == CouponState.EXPIRED,
            and_(Coupon.state.in_(LIVE_STATES), ends.is_not(None), ends < today),
        )
    if state in LIVE_STATES:
        return and_(Coupon.state == state, or_(ends.is_(None), ends >= today))
    return Coupon.state == state


def expiry_on_issue(campaign: Campaign, handed_out_on: date) -> date | None:
    """Last valid day of a coupon handed out (printed or issued, whichever came first) on
    ``handed_out_on``: N days from then (from the campaign's start if that is later), and never
    past the campaign's fixed end."""
    ends = [campaign.valid_until] if campaign.valid_until else []
    if campaign.valid_days:
        starts = max(handed_out_on, campaign.valid_from or handed_out_on)
        ends.append(starts + timedelta(days=campaign.valid_days))
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


def usages(session: Session, coupon_ids: list[int]) -> dict[int, int]:
    """Uses of many coupons at once (those with none are left out)."""
    counted = (
        select(CouponRedemption.coupon_id, func.count())
        .where(CouponRedemption.coupon_id.in_(coupon_ids), STILL_USED)
        .group_by(CouponRedemption.coupon_id)
    )
    return {coupon_id: int(uses) for coupon_id, uses in session.execute(counted)}


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
    if coupon.state is CouponState.EXPIRED or has_ended(ends, today):
        return Refusal(
            RefusalReason.EXPIRED,
            tr("This coupon expired on {date}.", date=day(ends))
            if ends
            else tr("This coupon has expired."),
        )
    return None


def _handed_out_refusal(coupon: Coupon) -> Refusal | None:
    """A coupon only generated (never printed nor issued) is in nobody's hands, and its validity
    has not started: it cannot be used until the back office prints or issues it."""
    if coupon.state is not CouponState.GENERATED:
        return None
    return Refusal(
        RefusalReason.NOT_HANDED_OUT,
        tr(
            "This coupon was never handed out: it has not been printed or issued, "
            "so it cannot be used yet."
        ),
    )


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
    uses: int | None = None,
) -> Refusal | None:
    """Why this coupon cannot be used now, or None when it can.

    ``in_sale`` counts other coupons of the same campaign already in this sale for the same
    customer. ``uses``: the coupon's uses, when the caller has counted them already. Minimum
    spend is checked by :func:`min_spend_refusal` against the cart, since the cart changes
    after the scan."""
    if coupon.state is CouponState.VOIDED:
        return Refusal(RefusalReason.VOIDED, tr("This coupon was voided."))
    found = (
        _campaign_refusal(campaign, channel)
        or _date_refusal(coupon, campaign, today)
        or _handed_out_refusal(coupon)
    )
    if found:
        return found
    if uses is None:
        uses = usage(session, coupon.id)
    if coupon.state is CouponState.REDEEMED or uses >= campaign.max_uses:
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
