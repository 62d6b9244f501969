"""Coupons to print, and recording that they were printed (generated -> printed, reprints kept).

The caller reads a :class:`CouponPrintJob`, writes or hands over the printout, and only then calls
:func:`record_coupons_printed`, which changes the states and writes the events in one transaction.
A printout that failed therefore marks nothing printed.

Printing hands a coupon out: for a campaign valid N days, its N days start on the day the job is
read (``printed_on``), the sheet shows that last day, and recording the printout stores exactly the
date on the sheet (issuing the coupon later keeps it). Coupons already past their last day are not
printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp import codes, labels
from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Campaign, Coupon, CouponState, DiscountKind, Store
from posapp.services import clock
from posapp.services.campaigns import find_campaign
from posapp.services.context import Actor
from posapp.services.coupon_rules import effective_state, expiry_date, expiry_on_issue
from posapp.services.errors import Conflict, NotFound
from posapp.services.events import record_event

REPRINTABLE = (CouponState.GENERATED, CouponState.PRINTED, CouponState.ISSUED)
EVENT_CHUNK = 1_000  # codes per event


@dataclass(frozen=True)
class CouponLabel:
    code: str
    expires_on: date | None  # last valid day (None: the campaign sets no end)


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
    printed_on: date | None = None  # the day the new coupons' validity starts


def _selected(reprint: bool, only_codes: Sequence[str]) -> tuple[list[CouponState], list[str]]:
    wanted = [codes.normalise(code) for code in only_codes]
    if wanted:
        return list(REPRINTABLE), wanted
    return (
        [CouponState.GENERATED, CouponState.PRINTED] if reprint else [CouponState.GENERATED]
    ), []


def _check_codes(
    found: Sequence[Coupon], wanted: list[str], campaign: Campaign, today: date
) -> None:
    known = {coupon.code: coupon for coupon in found}
    for code in wanted:
        coupon = known.get(code)
        if coupon is None:
            raise NotFound(
                tr("Coupon {code} is not in campaign {name}.", code=code, name=campaign.name)
            )
        state = effective_state(coupon.state, expiry_date(coupon, campaign), today)
        if state not in REPRINTABLE:
            raise Conflict(
                tr(
                    "Coupon {code} is {state} and cannot be printed.",
                    code=codes.grouped(code),
                    state=labels.coupon_state(state),
                )
            )


def label_for(coupon: Coupon, campaign: Campaign, printed_on: date) -> CouponLabel:
    """The coupon as its label shows it: a new coupon's validity starts on ``printed_on``."""
    if coupon.state is CouponState.GENERATED and coupon.expires_on is None:
        return CouponLabel(coupon.code, expiry_on_issue(campaign, printed_on))
    return CouponLabel(coupon.code, expiry_date(coupon, campaign))


def coupons_to_print(
    db: Database,
    campaign_ref: str,
    reprint: bool = False,
    only_codes: Sequence[str] = (),
    today: date | None = None,
) -> CouponPrintJob:
    """The campaign's new (generated) coupons; with ``reprint`` its printed ones too; or the
    listed codes (generated, printed or issued). Expired coupons are left out (named: refused)."""
    on = today or clock.today()
    with db.reading() as session:
        campaign = find_campaign(session, campaign_ref)
        states, wanted = _selected(reprint, only_codes)
        query = select(Coupon).where(Coupon.campaign_id == campaign.id).order_by(Coupon.id)
        if wanted:
            found = session.scalars(query.where(Coupon.code.in_(wanted))).all()
            _check_codes(found, wanted, campaign, on)
        else:
            found = [
                coupon
                for coupon in session.scalars(query.where(Coupon.state.in_(states)))
                if effective_state(coupon.state, expiry_date(coupon, campaign), on) in states
            ]
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
            tuple(label_for(c, campaign, on) for c in found),
            on,
        )


@dataclass(frozen=True)
class PrintRecord:
    printed: int  # moved from generated to printed
    reprinted: int  # printed again (already printed or issued)


def record_coupons_printed(
    db: Database, actor: Actor, job: CouponPrintJob, output: str
) -> PrintRecord:
    """After the printout was written or handed over: generated -> printed, each new coupon's
    last day set to the one on its label, and the events."""
    on_sheet = {label.code: label.expires_on for label in job.coupons}
    with db.unit_of_work() as session:
        found = session.scalars(select(Coupon).where(Coupon.code.in_(list(on_sheet)))).all()
        first_time: dict[date | None, list[str]] = {}
        again = sorted(c.code for c in found if c.state is not CouponState.GENERATED)
        for coupon in found:
            if coupon.state is CouponState.GENERATED:
                coupon.state = CouponState.PRINTED
                if coupon.expires_on is None:
                    coupon.expires_on = on_sheet[coupon.code]
                first_time.setdefault(coupon.expires_on, []).append(coupon.code)
        for expires_on, batch in first_time.items():
            _record(session, actor, job, "coupons.printed", sorted(batch), output, expires_on)
        _record(session, actor, job, "coupons.reprinted", again, output)
        return PrintRecord(sum(len(batch) for batch in first_time.values()), len(again))


def _record(
    session: Session,
    actor: Actor,
    job: CouponPrintJob,
    event_type: str,
    batch: list[str],
    output: str,
    expires_on: date | None = None,
) -> None:
    extra = {} if event_type == "coupons.reprinted" else {"expires_on": str(expires_on or "")}
    for start in range(0, len(batch), EVENT_CHUNK):
        record_event(
            session,
            actor.terminal_id,
            event_type,
            campaign_id=job.campaign_id,
            campaign=job.campaign_name,
            codes=batch[start : start + EVENT_CHUNK],
            output=output,
            **extra,
        )
