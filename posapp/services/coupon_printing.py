"""Coupons to print, and recording that they were printed (generated -> printed, reprints kept).

The caller reads a :class:`CouponPrintJob`, writes or hands over the printout, and only then calls
:func:`record_coupons_printed`, which changes the states and writes the events in one transaction.
A printout that failed therefore marks nothing printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from posapp import codes, labels
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Campaign, Coupon, CouponState, DiscountKind, Store
from posapp.services.campaigns import find_campaign
from posapp.services.context import Actor
from posapp.services.coupon_rules import expiry_date
from posapp.services.errors import Conflict, NotFound
from posapp.services.events import record_event

REPRINTABLE = (CouponState.GENERATED, CouponState.PRINTED, CouponState.ISSUED)
EVENT_CHUNK = 1_000  # codes per event


@dataclass(frozen=True)
class CouponLabel:
    code: str
    expires_on: date | None  # None: the validity starts when the coupon is issued


@dataclass(frozen=True)
class CouponPrintJob:
    campaign_id: int
    campaign_name: str
    description: str | None
    kind: DiscountKind
    value: int  # minor units, or basis points for a percentage
    min_spend: int
    valid_days: int | None
    currency: str
    coupons: tuple[CouponLabel, ...]


def _selected(reprint: bool, only_codes: Sequence[str]) -> tuple[list[CouponState], list[str]]:
    wanted = [codes.normalise(code) for code in only_codes]
    if wanted:
        return list(REPRINTABLE), wanted
    return (
        [CouponState.GENERATED, CouponState.PRINTED] if reprint else [CouponState.GENERATED]
    ), []


def _check_codes(found: Sequence[Coupon], wanted: list[str], campaign: Campaign) -> None:
    known = {coupon.code: coupon for coupon in found}
    for code in wanted:
        coupon = known.get(code)
        if coupon is None:
            raise NotFound(
                tr("Coupon {code} is not in campaign {name}.", code=code, name=campaign.name)
            )
        if coupon.state not in REPRINTABLE:
            raise Conflict(
                tr(
                    "Coupon {code} is {state} and cannot be printed.",
                    code=codes.grouped(code),
                    state=labels.coupon_state(coupon.state),
                )
            )


def coupons_to_print(
    db: Database, campaign_ref: str, reprint: bool = False, only_codes: Sequence[str] = ()
) -> CouponPrintJob:
    """The campaign's new (generated) coupons; with ``reprint`` its printed ones too; or the
    listed codes (generated, printed or issued)."""
    with db.reading() as session:
        campaign = find_campaign(session, campaign_ref)
        states, wanted = _selected(reprint, only_codes)
        query = select(Coupon).where(Coupon.campaign_id == campaign.id).order_by(Coupon.id)
        if wanted:
            found = session.scalars(query.where(Coupon.code.in_(wanted))).all()
            _check_codes(found, wanted, campaign)
        else:
            found = session.scalars(query.where(Coupon.state.in_(states))).all()
        if not found:
            raise NotFound(tr("Campaign {name} has no new coupons to print.", name=campaign.name))
        store = session.scalars(select(Store).order_by(Store.id).limit(1)).one()
        return CouponPrintJob(
            campaign.id,
            campaign.name,
            campaign.description,
            campaign.kind,
            campaign.value,
            campaign.min_spend,
            campaign.valid_days,
            store.currency,
            tuple(CouponLabel(c.code, expiry_date(c, campaign)) for c in found),
        )


@dataclass(frozen=True)
class PrintRecord:
    printed: int  # moved from generated to printed
    reprinted: int  # printed again (already printed or issued)


def record_coupons_printed(
    db: Database, actor: Actor, job: CouponPrintJob, output: str
) -> PrintRecord:
    """After the printout was written or handed over: generated -> printed, and the events."""
    wanted = [label.code for label in job.coupons]
    with db.unit_of_work() as session:
        found = session.scalars(select(Coupon).where(Coupon.code.in_(wanted))).all()
        first_time = sorted(c.code for c in found if c.state is CouponState.GENERATED)
        again = sorted(c.code for c in found if c.state is not CouponState.GENERATED)
        for coupon in found:
            if coupon.state is CouponState.GENERATED:
                coupon.state = CouponState.PRINTED
        for event_type, batch in (("coupons.printed", first_time), ("coupons.reprinted", again)):
            for start in range(0, len(batch), EVENT_CHUNK):
                record_event(
                    session,
                    actor.terminal_id,
                    event_type,
                    campaign_id=job.campaign_id,
                    codes=batch[start : start + EVENT_CHUNK],
                    output=output,
                )
        return PrintRecord(len(first_time), len(again))
