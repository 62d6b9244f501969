"""Campaigns and their coupons: create, list, generate, issue, void."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Subquery, case, func, insert, select
from sqlalchemy.orm import Session

from posapp import codes, labels
from posapp.db import Database
from posapp.db.lookup import existing_values
from posapp.i18n import day, tr
from posapp.models import (
    Campaign,
    CampaignState,
    Channel,
    Coupon,
    CouponRedemption,
    CouponState,
    Customer,
    DiscountKind,
    Funding,
    utcnow,
)
from posapp.services import clock
from posapp.services.context import Actor
from posapp.services.coupon_rules import (
    STILL_USED,
    effective_state,
    effective_state_is,
    expiry_date,
    expiry_on_issue,
    has_ended,
)
from posapp.services.errors import Conflict, InvalidInput, NotFound
from posapp.services.events import record_event

MAX_COUPONS_PER_BATCH = 1_000_000
EVENT_CHUNK = 1_000  # codes per coupons.generated event


@dataclass(frozen=True)
class NewCampaign:
    name: str
    kind: DiscountKind
    value: int  # minor units, or basis points when kind is PERCENT
    description: str | None = None
    min_spend: int = 0
    valid_from: date | None = None
    valid_until: date | None = None
    valid_days: int | None = 14
    max_uses: int = 1
    max_uses_per_customer: int | None = None
    channel: Channel = Channel.BOTH
    funding: Funding = Funding.STORE
    reusable_after_refund: bool = True
    # Bounce-back: a sale that redeems a coupon of this campaign (id or name) and pays at least
    # ``bounce_back_min_spend`` is handed one new coupon of the campaign being created.
    bounce_back_of: str | None = None
    bounce_back_min_spend: int = 0


@dataclass(frozen=True)
class CampaignRow:
    id: int
    name: str
    kind: DiscountKind
    value: int
    min_spend: int
    valid_from: date | None
    valid_until: date | None
    valid_days: int | None
    max_uses: int
    max_uses_per_customer: int | None
    channel: Channel
    funding: Funding
    state: CampaignState
    coupons: int
    redeemed: int
    bounce_back_of: str | None = None  # the campaign whose redemption hands these coupons out
    bounce_back_min_spend: int = 0


@dataclass(frozen=True)
class CouponRow:
    id: int
    code: str
    campaign_id: int
    campaign: str
    state: CouponState  # as of the listing's day: a live coupon past its last day is expired
    uses: int
    max_uses: int
    expires: date | None
    customer: str | None
    issued_at: datetime | None


def _validate(new: NewCampaign) -> None:
    if not new.name.strip():
        raise InvalidInput(tr("The campaign needs a name."))
    if new.value <= 0:
        raise InvalidInput(tr("The coupon value must be more than zero."))
    if new.kind is DiscountKind.PERCENT and new.value > 10_000:
        raise InvalidInput(tr("A percentage is at most 100%."))
    if new.min_spend < 0:
        raise InvalidInput(tr("The minimum spend cannot be negative."))
    if new.max_uses < 1:
        raise InvalidInput(tr("A coupon can be used at least once."))
    if new.max_uses_per_customer is not None and new.max_uses_per_customer < 1:
        raise InvalidInput(tr("Uses per customer must be at least 1."))
    if new.valid_days is not None and new.valid_days < 1:
        raise InvalidInput(tr("Validity must be at least one day."))
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        raise InvalidInput(tr("The campaign ends before it starts."))
    if new.bounce_back_min_spend < 0:
        raise InvalidInput(tr("The bounce-back minimum spend cannot be negative."))
    if new.bounce_back_min_spend and not new.bounce_back_of:
        raise InvalidInput(
            tr("A bounce-back minimum spend needs the campaign whose coupons hand it out.")
        )


def campaign_payload(campaign: Campaign, bounce_back_of: str | None) -> dict[str, Any]:
    """The campaign.created event: every rule of the campaign, so a hub or another terminal can
    apply it (campaigns are known by name across databases; ids are local)."""
    return {
        "campaign_id": campaign.id,
        "name": campaign.name,
        "description": campaign.description,
        "kind": campaign.kind.value,
        "value": campaign.value,
        "min_spend": campaign.min_spend,
        "valid_from": campaign.valid_from.isoformat() if campaign.valid_from else None,
        "valid_until": campaign.valid_until.isoformat() if campaign.valid_until else None,
        "valid_days": campaign.valid_days,
        "max_uses": campaign.max_uses,
        "max_uses_per_customer": campaign.max_uses_per_customer,
        "channel": campaign.channel.value,
        "funding": campaign.funding.value,
        "reusable_after_refund": campaign.reusable_after_refund,
        "bounce_back_of_id": campaign.bounce_back_of_id,
        "bounce_back_of": bounce_back_of,
        "bounce_back_min_spend": campaign.bounce_back_min_spend,
    }


def create_campaign(db: Database, actor: Actor, new: NewCampaign) -> int:
    _validate(new)
    with db.unit_of_work() as session:
        if session.scalar(select(Campaign.id).where(Campaign.name == new.name.strip())):
            raise Conflict(tr("There is already a campaign called {name}.", name=new.name))
        trigger = find_campaign(session, new.bounce_back_of) if new.bounce_back_of else None
        campaign = Campaign(
            name=new.name.strip(),
            description=new.description,
            kind=new.kind,
            value=new.value,
            min_spend=new.min_spend,
            valid_from=new.valid_from,
            valid_until=new.valid_until,
            valid_days=new.valid_days,
            max_uses=new.max_uses,
            max_uses_per_customer=new.max_uses_per_customer,
            channel=new.channel,
            funding=new.funding,
            reusable_after_refund=new.reusable_after_refund,
            bounce_back_of_id=trigger.id if trigger else None,
            bounce_back_min_spend=new.bounce_back_min_spend,
        )
        session.add(campaign)
        session.flush()
        record_event(
            session,
            actor.terminal_id,
            "campaign.created",
            **campaign_payload(campaign, trigger.name if trigger else None),
        )
        return campaign.id


def find_campaign(session: Session, reference: str | int) -> Campaign:
    """A campaign by id or by exact name."""
    text = str(reference).strip()
    query = select(Campaign).where(Campaign.name == text)
    if text.isdigit():
        query = select(Campaign).where((Campaign.id == int(text)) | (Campaign.name == text))
    campaign = session.scalars(query).first()
    if campaign is None:
        raise NotFound(tr("No campaign {reference}.", reference=text))
    return campaign


def set_campaign_state(db: Database, actor: Actor, reference: str, state: CampaignState) -> None:
    with db.unit_of_work() as session:
        campaign = find_campaign(session, reference)
        campaign.state = state
        record_event(
            session,
            actor.terminal_id,
            "campaign.state",
            campaign_id=campaign.id,
            campaign=campaign.name,
            state=state.value,
        )


def list_campaigns(db: Database) -> list[CampaignRow]:
    with db.reading() as session:
        counts = (
            select(
                Coupon.campaign_id,
                func.count().label("coupons"),
                func.sum(case((Coupon.state == CouponState.REDEEMED, 1), else_=0)).label(
                    "redeemed"
                ),
            )
            .group_by(Coupon.campaign_id)
            .subquery()
        )
        rows = session.execute(
            select(Campaign, counts.c.coupons, counts.c.redeemed)
            .outerjoin(counts, counts.c.campaign_id == Campaign.id)
            .order_by(Campaign.id)
        ).all()
        names = {c.id: c.name for c, _, _ in rows}
        return [
            CampaignRow(
                c.id,
                c.name,
                c.kind,
                c.value,
                c.min_spend,
                c.valid_from,
                c.valid_until,
                c.valid_days,
                c.max_uses,
                c.max_uses_per_customer,
                c.channel,
                c.funding,
                c.state,
                int(n or 0),
                int(r or 0),
                names.get(c.bounce_back_of_id) if c.bounce_back_of_id else None,
                c.bounce_back_min_spend,
            )
            for c, n, r in rows
        ]


def generate_coupons(db: Database, actor: Actor, campaign_ref: str, count: int) -> list[str]:
    """Create ``count`` new coupons (state generated) in one transaction; returns their codes."""
    if not 1 <= count <= MAX_COUPONS_PER_BATCH:
        raise InvalidInput(
            tr("Generate between 1 and {most} coupons at a time.", most=MAX_COUPONS_PER_BATCH)
        )
    with db.unit_of_work() as session:
        campaign = find_campaign(session, campaign_ref)
        if campaign.state is CampaignState.ENDED:
            raise Conflict(tr("The campaign '{name}' has ended.", name=campaign.name))
        fresh: set[str] = set()
        while len(fresh) < count:
            fresh.update(codes.new_code() for _ in range(count - len(fresh)))
            clashes = existing_values(session, Coupon.code, list(fresh))
            fresh -= clashes
        now = utcnow()
        generated = sorted(fresh)
        session.execute(
            insert(Coupon),
            [
                {
                    "code": code,
                    "campaign_id": campaign.id,
                    "state": CouponState.GENERATED,
                    "created_at": now,
                }
                for code in generated
            ],
        )
        for start in range(0, len(generated), EVENT_CHUNK):
            record_event(
                session,
                actor.terminal_id,
                "coupons.generated",
                campaign_id=campaign.id,
                campaign=campaign.name,
                codes=generated[start : start + EVENT_CHUNK],
            )
        return generated


def _usage_subquery() -> Subquery:
    return (
        select(CouponRedemption.coupon_id, func.count().label("uses"))
        .where(STILL_USED)
        .group_by(CouponRedemption.coupon_id)
        .subquery()
    )


def list_coupons(
    db: Database,
    campaign_ref: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    state: CouponState | None = None,
    newest_first: bool = False,
    today: date | None = None,
) -> list[CouponRow]:
    """Coupons with their uses and their state on ``today`` (default: :func:`clock.today`): a
    coupon whose last day has passed lists as expired, by the same rule the till refuses it with;
    ``state`` filters on that same effective state."""
    on = today or clock.today()
    with db.reading() as session:
        uses = _usage_subquery()
        query = (
            select(Coupon, Campaign, func.coalesce(uses.c.uses, 0), Customer.name)
            .join(Campaign, Campaign.id == Coupon.campaign_id)
            .outerjoin(uses, uses.c.coupon_id == Coupon.id)
            .outerjoin(Customer, Customer.id == Coupon.customer_id)
            .order_by(Coupon.id.desc() if newest_first else Coupon.id)
            .offset(offset)
        )
        if campaign_ref is not None:
            query = query.where(Coupon.campaign_id == find_campaign(session, campaign_ref).id)
        if state is not None:
            query = query.where(effective_state_is(state, on))
        if limit is not None:
            query = query.limit(limit)
        return [
            _coupon_row(coupon, campaign, int(n), customer, on)
            for coupon, campaign, n, customer in session.execute(query)
        ]


def _coupon_row(
    coupon: Coupon, campaign: Campaign, uses: int, customer: str | None, today: date
) -> CouponRow:
    ends = expiry_date(coupon, campaign)
    return CouponRow(
        coupon.id,
        coupon.code,
        campaign.id,
        campaign.name,
        effective_state(coupon.state, ends, today),
        uses,
        campaign.max_uses,
        ends,
        customer,
        coupon.issued_at,
    )


def find_coupon(session: Session, code: str) -> Coupon:
    normal = codes.normalise(code)
    problem = codes.problem_with(normal)
    if problem is codes.CodeProblem.BAD_CHECK:
        raise InvalidInput(tr("{code} is not a valid coupon code: check it for a typo.", code=code))
    coupon = session.scalars(select(Coupon).where(Coupon.code == normal)).first()
    if coupon is None:
        raise NotFound(tr("Unknown coupon {code}.", code=code))
    return coupon


def issue_coupon(
    db: Database,
    actor: Actor,
    code: str,
    customer_card: str | None = None,
    today: date | None = None,
) -> CouponRow:
    """Hand a coupon to a customer (or over the counter). Its validity starts now unless printing
    it already started it (issuing a printed coupon never extends its last day)."""
    on = today or clock.today()
    with db.unit_of_work() as session:
        coupon = find_coupon(session, code)
        campaign = session.get_one(Campaign, coupon.campaign_id)
        _check_issuable(coupon, campaign, on)
        customer = _customer_by_card(session, customer_card) if customer_card else None
        coupon.state = CouponState.ISSUED
        coupon.issued_at = utcnow()
        coupon.customer_id = customer.id if customer else None
        if coupon.expires_on is None:
            coupon.expires_on = expiry_on_issue(campaign, on)
        record_event(
            session,
            actor.terminal_id,
            "coupon.issued",
            code=coupon.code,
            customer_card=customer_card,
            expires_on=str(coupon.expires_on or ""),
        )
        return _coupon_row(coupon, campaign, 0, customer.name if customer else None, on)


def _check_issuable(coupon: Coupon, campaign: Campaign, today: date) -> None:
    if coupon.state not in (CouponState.GENERATED, CouponState.PRINTED):
        raise Conflict(
            tr(
                "Coupon {code} is {state}; only a new coupon can be issued.",
                code=codes.grouped(coupon.code),
                state=labels.coupon_state(coupon.state),
            )
        )
    ends = expiry_date(coupon, campaign)
    if ends is not None and has_ended(ends, today):
        raise Conflict(
            tr(
                "Coupon {code} expired on {date}; it can no longer be issued.",
                code=codes.grouped(coupon.code),
                date=day(ends),
            )
        )


def _customer_by_card(session: Session, card: str) -> Customer:
    customer = session.scalars(select(Customer).where(Customer.card_code == card)).first()
    if customer is None:
        raise NotFound(tr("No customer with card {card}.", card=card))
    return customer


def void_coupon(db: Database, actor: Actor, code: str) -> None:
    with db.unit_of_work() as session:
        coupon = find_coupon(session, code)
        if coupon.state is CouponState.VOIDED:
            raise Conflict(tr("Coupon {code} is already voided.", code=codes.grouped(coupon.code)))
        coupon.state = CouponState.VOIDED
        record_event(session, actor.terminal_id, "coupon.voided", code=coupon.code)
