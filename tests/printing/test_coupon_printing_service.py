"""The coupon print bookkeeping: what is chosen for a sheet, and what recording it changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from posapp.db import Database
from posapp.models import Coupon, CouponState, OutboxEvent
from posapp.services.campaigns import issue_coupon, void_coupon
from posapp.services.context import Actor
from posapp.services.coupon_printing import coupons_to_print, record_coupons_printed
from posapp.services.errors import Conflict, NotFound


def _states(db: Database, codes: list[str]) -> dict[str, CouponState]:
    with db.reading() as session:
        rows = session.execute(select(Coupon.code, Coupon.state).where(Coupon.code.in_(codes)))
        return {code: state for code, state in rows}


def _events(db: Database, event_type: str) -> list[list[str]]:
    with db.reading() as session:
        found = session.scalars(select(OutboxEvent).where(OutboxEvent.type == event_type))
        return [sorted(event.payload["codes"]) for event in found]


def test_a_coupon_issued_while_the_sheet_printed_stays_issued(
    demo_db: Database, manager: Actor
) -> None:
    job = coupons_to_print(demo_db, "2")
    codes = [label.code for label in job.coupons]
    issue_coupon(demo_db, manager, codes[0])  # another till hands one out meanwhile
    record = record_coupons_printed(demo_db, manager, job, "sheet.pdf")
    assert (record.printed, record.reprinted) == (9, 1)
    states = _states(demo_db, codes)
    assert states.pop(codes[0]) is CouponState.ISSUED
    assert set(states.values()) == {CouponState.PRINTED}
    assert _events(demo_db, "coupons.printed") == [sorted(codes[1:])]
    assert _events(demo_db, "coupons.reprinted") == [[codes[0]]]


def test_choosing_coupons(demo_db: Database, manager: Actor) -> None:
    spring = [label.code for label in coupons_to_print(demo_db, "2").coupons]
    welcome = [label.code for label in coupons_to_print(demo_db, "Welcome ¥20").coupons]
    with pytest.raises(NotFound, match="is not in campaign"):
        coupons_to_print(demo_db, "2", only_codes=[welcome[0]])
    void_coupon(demo_db, manager, spring[0])
    with pytest.raises(Conflict, match="cannot be printed"):
        coupons_to_print(demo_db, "2", only_codes=[spring[0]])
    lower = spring[1].lower()[:4] + "-" + spring[1].lower()[4:]  # typed by a person
    assert [c.code for c in coupons_to_print(demo_db, "2", only_codes=[lower]).coupons] == [
        spring[1]
    ]
    job = coupons_to_print(demo_db, "2")
    record_coupons_printed(demo_db, manager, job, "sheet.pdf")
    with pytest.raises(NotFound, match="no new coupons"):
        coupons_to_print(demo_db, "2")
    assert (
        len(coupons_to_print(demo_db, "2", reprint=True).coupons) == 9
    )  # the voided one stays out
