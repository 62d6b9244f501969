"""Bounce-back coupons: a campaign can name another campaign (``bounce_back_of``) whose coupons,
redeemed in a sale, hand out one fresh coupon of it for the customer's next visit.

A sale qualifies for bounce-back campaign B when it redeems at least one coupon of the campaign B
names, B is active and not past its last day, and the sale's total (what the customer pays, after
discounts) is at least B's bounce-back minimum spend. Each qualifying B issues exactly one coupon
per sale, however many coupons of the trigger campaign the sale used: issued at the sale's moment
to the sale's customer (or over the counter when there is none), valid as B says from today,
linked to the sale (``issued_with_sale_id``) and printed on its receipt.

A refund of the sale voids its bounce-back coupons that are still unused (a used one stays used:
its discount was given on another sale). Everything runs inside the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert
from sqlalchemy.orm import Session

from posapp import codes
from posapp.db.lookup import existing_values
from posapp.models import Campaign, CampaignState, Coupon, CouponState
from posapp.services.coupon_rules import expiry_on_issue, usage
from posapp.services.receipts import ISSUED_WITH_SALE, ReceiptBounceBack, bounce_back_line
from posapp.services.sale_rows import Event, SaleHeader

_INSERT_COUPONS = insert(Coupon)
UNUSED_STATES = (CouponState.GENERATED, CouponState.PRINTED, CouponState.ISSUED)


@dataclass(frozen=True)
class SaleCustomer:
    id: int
    card_code: str | None


def qualifying(campaigns: Iterable[Campaign], paid: int, today: date) -> list[Campaign]:
    """The bounce-back campaigns (already matched to the sale's redeemed campaigns) that hand a
    coupon out with a sale paying ``paid`` today, each once, by id."""
    chosen: dict[int, Campaign] = {}
    for campaign in campaigns:
        if campaign.state is not CampaignState.ACTIVE:
            continue
        if campaign.valid_until is not None and today > campaign.valid_until:
            continue
        if paid < campaign.bounce_back_min_spend:
            continue
        chosen.setdefault(campaign.id, campaign)
    return [chosen[key] for key in sorted(chosen)]


def _fresh_codes(session: Session, count: int) -> list[str]:
    fresh: set[str] = set()
    while len(fresh) < count:
        fresh.update(codes.new_code() for _ in range(count - len(fresh)))
        fresh -= existing_values(session, Coupon.code, list(fresh))
    return sorted(fresh)


def issue_bounce_backs(
    session: Session,
    sale: SaleHeader,
    campaigns: Sequence[Campaign],
    customer: SaleCustomer | None,
    today: date,
) -> tuple[list[ReceiptBounceBack], list[Event]]:
    """One issued coupon of each campaign (see :func:`qualifying`): one code-clash check and one
    multi-row insert. Returns what the receipt prints and the outbox events."""
    if not campaigns:
        return [], []
    handed = [
        (code, campaign, expiry_on_issue(campaign, today))
        for code, campaign in zip(_fresh_codes(session, len(campaigns)), campaigns, strict=True)
    ]
    session.execute(
        _INSERT_COUPONS,
        [
            {
                "code": code,
                "campaign_id": campaign.id,
                "customer_id": customer.id if customer else None,
                "state": CouponState.ISSUED,
                "issued_at": sale.created_at,
                "expires_on": expires_on,
                "issued_with_sale_id": sale.id,
                "created_at": sale.created_at,
            }
            for code, campaign, expires_on in handed
        ],
    )
    events: list[Event] = []
    for code, campaign, expires_on in handed:
        events.append(("coupons.generated", {"campaign_id": campaign.id, "codes": [code]}))
        issued = {
            "code": code,
            "customer_card": customer.card_code if customer else None,
            "expires_on": str(expires_on or ""),
            "sale_uuid": sale.uuid,
            "bounce_back": True,
        }
        events.append(("coupon.issued", issued))
    printed = [
        bounce_back_line(code, campaign, expires_on) for code, campaign, expires_on in handed
    ]
    return printed, events


def void_unused_bounce_backs(session: Session, sale_id: int) -> list[str]:
    """On a refund: void the sale's bounce-back coupons nobody has used; returns their codes."""
    voided: list[str] = []
    for coupon, _campaign in session.execute(ISSUED_WITH_SALE, {"sale_key": sale_id}):
        if coupon.state in UNUSED_STATES and usage(session, coupon.id) == 0:
            coupon.state = CouponState.VOIDED
            voided.append(coupon.code)
    return voided
