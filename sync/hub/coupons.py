"""Coupons at the hub: check, reserve before a sale commits, redeem (online), lease (escrow).

A coupon's uses at the hub are its redemptions (less the reversals that gave a use back) plus what
is set aside: unexpired reservations and the unspent uses of unexpired leases. A reservation or a
lease is granted only while that total stays within the campaign's limit, so a coupon is never
used twice by tills that ask the hub first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, aliased

from posapp.i18n import tr
from posapp.models import (
    Campaign,
    Channel,
    Coupon,
    CouponRedemption,
    CouponSeenOnline,
    HubClient,
    HubCouponHold,
    HubOrigin,
    Store,
    new_uuid,
    utcnow,
)
from posapp.services import clock
from posapp.services.coupon_rules import (
    STILL_USED,
    Refusal,
    RefusalReason,
    min_spend_refusal,
    refusal_for,
)
from sync.apply import apply_one
from sync.hub import log
from sync.protocol import (
    CouponCheck,
    CouponLeaseRequest,
    CouponRedeem,
    CouponReserve,
    CouponVerdict,
    HoldOut,
)
from sync.records import customer_id


class CouponRefused(Exception):
    def __init__(self, refusal: Refusal, status: int = 409) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
        self.status = status


@dataclass(frozen=True)
class _Taken:
    """A coupon's uses (the ledger's), and its uses set aside: live reservations and leases."""

    uses: int
    set_aside: int

    def room(self, campaign: Campaign) -> int:
        """Uses left: the campaign's limit less the uses and those set aside."""
        return campaign.max_uses - self.uses - self.set_aside


# Built once: every check, reserve, redeem and lease runs it. The coupon and its campaign, the
# coupon locked (PostgreSQL), its uses, its uses set aside, and the hold asked about (if any),
# in one statement: on PostgreSQL each statement is a round trip. The counts are as fresh as
# the lock: every writing unit of work holds the writers' advisory lock already (posapp.db), so
# no other transaction holds the row.
_ASKED = aliased(HubCouponHold)
_LOCKED = (
    select(
        Coupon,
        Campaign,
        _ASKED,
        select(func.count())
        .select_from(CouponRedemption)
        .where(CouponRedemption.coupon_id == Coupon.id, STILL_USED)
        .correlate(Coupon)
        .scalar_subquery(),
        select(func.coalesce(func.sum(HubCouponHold.uses - HubCouponHold.spent), 0))
        .where(
            HubCouponHold.code == Coupon.code,
            HubCouponHold.ended_at.is_(None),
            HubCouponHold.expires_at > bindparam("now"),
            HubCouponHold.id != bindparam("except_id"),
        )
        .correlate(Coupon)
        .scalar_subquery(),
    )
    .join(Campaign, Campaign.id == Coupon.campaign_id)
    .outerjoin(_ASKED, _ASKED.id == bindparam("except_id"))
    .where(Coupon.code == bindparam("code"))
    .with_for_update(of=Coupon)
)


def _locked(
    session: Session, code: str, now: datetime, except_id: str | None
) -> tuple[Coupon, Campaign, _Taken, HubCouponHold | None]:
    """``except_id``: a hold not to count (the one being renewed, or spent by this use); it
    comes back too, if there is one by that id."""
    found = session.execute(
        _LOCKED, {"code": code, "now": now, "except_id": except_id or ""}
    ).first()
    if found is None:
        raise CouponRefused(
            Refusal(RefusalReason.UNKNOWN_COUPON, tr("Unknown coupon {code}.", code=code)), 404
        )
    coupon, campaign, asked, uses, set_aside = found
    return coupon, campaign, _Taken(int(uses or 0), int(set_aside or 0)), asked


def _in_use_elsewhere() -> Refusal:
    return Refusal(
        RefusalReason.USED,
        tr("This coupon is being used right now at another till or online."),
    )


def _refusal(
    session: Session,
    coupon: Coupon,
    campaign: Campaign,
    taken: _Taken,
    channel: str,
    card: str | None,
    subtotal: int | None,
) -> Refusal | None:
    found = refusal_for(
        session,
        coupon,
        campaign,
        today=clock.today(),
        customer_id=customer_id(session, card),
        channel=Channel(channel),
        uses=taken.uses,
    )
    if found is None and subtotal is not None:
        currency = session.scalar(select(Store.currency).order_by(Store.id).limit(1)) or "CNY"
        found = min_spend_refusal(campaign.min_spend, subtotal, currency)
    return found


def _mark_seen_online(session: Session, code: str) -> CouponSeenOnline:
    seen = session.get(CouponSeenOnline, code)
    if seen is not None:
        return seen
    log.lock_log(session)
    _event, entry = log.hub_event_logged(session, "coupon.seen_online", code=code)
    session.flush()
    seen = CouponSeenOnline(code=code, seen_at=utcnow(), log_id=entry.id)
    session.add(seen)
    return seen


def note_seen_online(session: Session, code: str) -> None:
    """The online channel asked about this coupon (its own transaction: kept when refused)."""
    if session.scalar(select(Coupon.id).where(Coupon.code == code)) is not None:
        _mark_seen_online(session, code)


def _awaiting_its_shop(session: Session, coupon: Coupon, client: HubClient) -> Refusal | None:
    """A coupon a till made may be used offline by that till on its own word until the till has
    seen that the online channel knows it. The online channel waits for that confirmation (the
    till's next sync), so the two can never both use it."""
    seen = _mark_seen_online(session, coupon.code)
    if coupon.origin is None or coupon.origin == log.HUB_ORIGIN:
        return None
    maker = session.scalar(
        select(HubClient)
        .join(HubOrigin, HubOrigin.client_id == HubClient.id)
        .where(HubOrigin.origin == coupon.origin)
    )
    if maker is None or maker.id == client.id:
        return None
    if seen.log_id is not None and maker.confirmed_cursor >= seen.log_id:
        return None
    return Refusal(
        RefusalReason.USED,
        tr(
            "This coupon is being confirmed with the shop that issued it; "
            "try again in a few minutes."
        ),
    )


def check(session: Session, code: str, body: CouponCheck) -> CouponVerdict:
    coupon, campaign, taken, _none = _locked(session, code, utcnow(), None)
    refusal = _refusal(
        session, coupon, campaign, taken, body.channel, body.customer_card, body.subtotal
    )
    if refusal is None and taken.room(campaign) <= 0:
        refusal = _in_use_elsewhere()
    if body.channel == "online":
        _mark_seen_online(session, code)
    return CouponVerdict(
        code=code,
        usable=refusal is None,
        reason=refusal.reason.value if refusal else None,
        message=refusal.message if refusal else None,
        uses=taken.uses,
        max_uses=campaign.max_uses,
        kind=campaign.kind.value,
        value=campaign.value,
        min_spend=campaign.min_spend,
    )


def _hold_out(hold: HubCouponHold) -> HoldOut:
    return HoldOut(
        id=hold.id,
        code=hold.code,
        kind=hold.kind,
        uses=hold.uses - hold.spent,
        expires_at=hold.expires_at,
    )


def reserve(session: Session, client: HubClient, code: str, body: CouponReserve) -> HoldOut:
    """Set one use aside for ``body.hold_id`` (the sale's redemption id); asking again with the
    same id renews it."""
    now = utcnow()
    coupon, campaign, taken, existing = _locked(session, code, now, body.hold_id)
    if existing is not None and (existing.client_id != client.id or existing.code != code):
        raise CouponRefused(
            Refusal(RefusalReason.USED, tr("This reservation belongs to someone else.")), 409
        )
    refusal = _refusal(session, coupon, campaign, taken, body.channel, body.customer_card, None)
    if (
        refusal is None
        and taken.room(campaign) <= 0
        and session.get(CouponRedemption, body.hold_id) is None  # not this sale's own use
    ):
        refusal = _in_use_elsewhere()
    if refusal is None and body.channel == "online":
        refusal = _awaiting_its_shop(session, coupon, client)
    if refusal is not None:
        raise CouponRefused(refusal)
    expires = now + timedelta(seconds=body.seconds)
    if existing is None:
        existing = HubCouponHold(
            id=body.hold_id,
            code=code,
            client_id=client.id,
            kind="reservation",
            uses=1,
            spent=0,
            expires_at=expires,
        )
        session.add(existing)
    elif existing.ended_at is None:
        existing.expires_at = expires
    session.flush()
    return _hold_out(existing)


def release(session: Session, client: HubClient, hold_id: str) -> None:
    """End a reservation or a lease (its unspent uses go back); releasing twice is harmless."""
    session.execute(
        update(HubCouponHold)
        .where(
            HubCouponHold.id == hold_id,
            HubCouponHold.client_id == client.id,
            HubCouponHold.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )


def redeem(session: Session, client: HubClient, code: str, body: CouponRedeem) -> CouponVerdict:
    """The online channel uses a coupon: checked, written to the ledger and logged for every
    terminal. The same redemption id twice is one use."""
    log.lock_log(session)
    coupon, campaign, taken, _reserved = _locked(session, code, utcnow(), body.redemption_id)
    if session.get(CouponRedemption, body.redemption_id) is None:
        refusal = _refusal(session, coupon, campaign, taken, "online", body.customer_card, None)
        if refusal is None and taken.room(campaign) <= 0:
            refusal = _in_use_elsewhere()
        refusal = refusal or _awaiting_its_shop(session, coupon, client)
        if refusal is not None:
            raise CouponRefused(refusal)
        event = log.hub_event(
            session,
            "coupon.redeemed",
            code=code,
            redemption_id=body.redemption_id,
            amount=body.amount,
            channel="online",
            order_ref=body.order_ref,
            customer_card=body.customer_card,
            client=client.name,
        )
        problem = apply_one(session, event)
        assert problem is None, problem
        session.execute(
            update(HubCouponHold)
            .where(HubCouponHold.id == body.redemption_id, HubCouponHold.ended_at.is_(None))
            .values(ended_at=utcnow(), spent=1)
        )
    return check(session, code, CouponCheck(channel="online"))


def lease(session: Session, client: HubClient, code: str, body: CouponLeaseRequest) -> HoldOut:
    """Set up to ``body.uses`` uses of a multi-use coupon aside for this till to spend offline."""
    now = utcnow()
    coupon, campaign, taken, _none = _locked(session, code, now, None)
    refusal = _refusal(session, coupon, campaign, taken, "shop", None, None)
    room = taken.room(campaign)
    if refusal is None and room <= 0:
        refusal = _in_use_elsewhere()
    if refusal is not None:
        raise CouponRefused(refusal)
    hold = HubCouponHold(
        id=new_uuid(),
        code=code,
        client_id=client.id,
        kind="lease",
        uses=min(body.uses, room),
        spent=0,
        expires_at=now + timedelta(seconds=body.seconds),
    )
    session.add(hold)
    session.flush()
    return _hold_out(hold)


def client_holds(session: Session, client: HubClient) -> list[HoldOut]:
    now = utcnow()
    rows = session.scalars(
        select(HubCouponHold).where(
            HubCouponHold.client_id == client.id,
            HubCouponHold.ended_at.is_(None),
            HubCouponHold.expires_at > now,
        )
    )
    return [_hold_out(hold) for hold in rows]
