"""When a coupon stops being valid, and that the till, the listings and the print job agree.

The rules: a campaign's N days start when a coupon is handed out, i.e. first printed or issued
(from the campaign's first day if that is later; never past its last day); printing then issuing
does not extend them; a coupon only generated is in nobody's hands and is refused at the till.
A live coupon (generated, printed, issued) past its last day lists as expired, by the same test
the till refuses it with."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import CouponState
from posapp.services.campaigns import generate_coupons, issue_coupon, list_coupons, void_coupon
from posapp.services.cart import Cart, CouponScanned, ScanRefused, resolve_scan
from posapp.services.context import Actor
from posapp.services.coupon_printing import coupons_to_print, record_coupons_printed
from posapp.services.coupon_rules import RefusalReason
from posapp.services.demo import DemoSummary
from posapp.services.errors import Conflict
from tests.core.helpers import available_barcodes, campaign, coupon, one, scan_all, sell

DAY = date(2026, 3, 2)


def states(db: Database, name: str, today: date) -> dict[str, CouponState]:
    return {row.code: row.state for row in list_coupons(db, name, today=today)}


def till_says(db: Database, code: str, today: date) -> RefusalReason | None:
    outcome = resolve_scan(db, code, today=today)
    if isinstance(outcome, ScanRefused):
        return outcome.refusal.reason
    assert isinstance(outcome, CouponScanned), outcome
    return None


def print_new(db: Database, actor: Actor, name: str, today: date) -> dict[str, date | None]:
    """Print the campaign's new coupons on ``today``; returns the day each label shows."""
    job = coupons_to_print(db, name, today=today)
    record_coupons_printed(db, actor, job, "sheet.pdf")
    return {label.code: label.expires_on for label in job.coupons}


def test_an_issued_coupon_lists_as_expired_the_day_after_its_last_day(
    demo_db: Database, manager: Actor
) -> None:
    name = campaign(demo_db, manager, "Two weeks", valid_days=14)
    code = coupon(demo_db, manager, name, issued_on=DAY)
    last = DAY + timedelta(days=14)
    assert states(demo_db, name, last) == {code: CouponState.ISSUED}
    assert states(demo_db, name, last + timedelta(days=1)) == {code: CouponState.EXPIRED}
    (row,) = list_coupons(demo_db, name, today=last + timedelta(days=1))
    assert row.expires == last  # the day it ran out is still shown


def test_the_state_filter_uses_the_state_people_see(demo_db: Database, manager: Actor) -> None:
    name = campaign(demo_db, manager, "Filtered", valid_days=10)
    old = coupon(demo_db, manager, name, issued_on=DAY - timedelta(days=30))
    fresh = coupon(demo_db, manager, name, issued_on=DAY)
    (new,) = generate_coupons(demo_db, manager, name, 1)

    def listed(state: CouponState) -> list[str]:
        return [row.code for row in list_coupons(demo_db, name, state=state, today=DAY)]

    assert listed(CouponState.EXPIRED) == [old]
    assert listed(CouponState.ISSUED) == [fresh]
    assert listed(CouponState.GENERATED) == [new]  # never handed out: its days have not started


def test_redeemed_and_voided_coupons_keep_their_state_after_the_last_day(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    name = campaign(demo_db, manager, "Spent", valid_days=7)
    used = coupon(demo_db, manager, name, issued_on=DAY)
    voided = coupon(demo_db, manager, name, issued_on=DAY)
    (item,) = available_barcodes(demo_path, 1)
    sell(demo_db, cashier, item, used, today=DAY)
    void_coupon(demo_db, manager, voided)
    later = DAY + timedelta(days=30)
    assert states(demo_db, name, later) == {
        used: CouponState.REDEEMED,
        voided: CouponState.VOIDED,
    }


def test_a_fixed_end_campaign_expires_its_new_coupons_too(
    demo_db: Database, manager: Actor
) -> None:
    name = campaign(demo_db, manager, "March", valid_until=DAY, valid_days=None)
    (new,) = generate_coupons(demo_db, manager, name, 1)
    handed = coupon(demo_db, manager, name, issued_on=DAY)
    after = DAY + timedelta(days=1)
    assert states(demo_db, name, DAY) == {new: CouponState.GENERATED, handed: CouponState.ISSUED}
    assert states(demo_db, name, after) == {new: CouponState.EXPIRED, handed: CouponState.EXPIRED}
    with pytest.raises(Conflict, match="expired on"):
        issue_coupon(demo_db, manager, new, today=after)


def test_listing_and_till_never_disagree_about_expiry(demo_db: Database, manager: Actor) -> None:
    """Every coupon, on every day around its end: listed expired exactly when the till says so."""
    days = campaign(demo_db, manager, "Days", valid_days=5)
    fixed = campaign(demo_db, manager, "Fixed", valid_until=DAY + timedelta(days=3))
    for offset in (-8, -5, -1, 0):
        coupon(demo_db, manager, days, issued_on=DAY + timedelta(days=offset))
        coupon(demo_db, manager, fixed, issued_on=DAY + timedelta(days=offset))
    print_new_day = DAY - timedelta(days=4)
    generate_coupons(demo_db, manager, days, 2)
    print_new(demo_db, manager, days, print_new_day)
    generate_coupons(demo_db, manager, fixed, 2)  # left generated
    for offset in range(-2, 8):
        today = DAY + timedelta(days=offset)
        for row in list_coupons(demo_db, today=today):
            if row.campaign not in (days, fixed):
                continue
            expired_at_till = till_says(demo_db, row.code, today) is RefusalReason.EXPIRED
            assert (row.state is CouponState.EXPIRED) == expired_at_till, (row, today)


def test_printing_starts_the_days_and_issuing_later_keeps_them(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    name = campaign(demo_db, manager, "Printed first", valid_days=14)
    (code,) = generate_coupons(demo_db, manager, name, 1)
    shown = print_new(demo_db, manager, name, DAY)
    last = DAY + timedelta(days=14)
    assert shown == {code: last}  # the sheet says the stored day
    assert one(demo_path, "SELECT expires_on FROM coupons WHERE code = ?", code) == (
        last.isoformat(),
    )
    issued = issue_coupon(demo_db, manager, code, today=DAY + timedelta(days=10))
    assert issued.expires == last  # not DAY + 24
    assert till_says(demo_db, code, last) is None
    assert till_says(demo_db, code, last + timedelta(days=1)) is RefusalReason.EXPIRED


def test_the_sheet_and_the_record_agree_even_when_recorded_the_next_day(
    demo_db: Database, manager: Actor
) -> None:
    name = campaign(demo_db, manager, "Late record", valid_days=3)
    generate_coupons(demo_db, manager, name, 3)
    job = coupons_to_print(demo_db, name, today=DAY)  # read before midnight, recorded after
    record_coupons_printed(demo_db, manager, job, "sheet.pdf")
    on_sheet = {label.code: label.expires_on for label in job.coupons}
    assert {row.code: row.expires for row in list_coupons(demo_db, name)} == on_sheet
    assert set(on_sheet.values()) == {DAY + timedelta(days=3)}
    reprint = coupons_to_print(demo_db, name, reprint=True, today=DAY + timedelta(days=2))
    assert {label.code: label.expires_on for label in reprint.coupons} == on_sheet


def test_expired_coupons_are_not_printed(demo_db: Database, manager: Actor) -> None:
    name = campaign(demo_db, manager, "Short", valid_days=2)
    (code,) = generate_coupons(demo_db, manager, name, 1)
    print_new(demo_db, manager, name, DAY)
    later = DAY + timedelta(days=3)
    with pytest.raises(Conflict, match="is expired and cannot be printed"):
        coupons_to_print(demo_db, name, only_codes=[code], today=later)
    assert coupons_to_print(demo_db, name, reprint=True, today=DAY).coupons
    with pytest.raises(Exception, match="no new coupons"):
        coupons_to_print(demo_db, name, reprint=True, today=later)


def test_issuing_starts_the_days_of_a_coupon_never_printed(
    demo_db: Database, manager: Actor
) -> None:
    name = campaign(demo_db, manager, "Issued first", valid_days=14)
    (code,) = generate_coupons(demo_db, manager, name, 1)
    assert issue_coupon(demo_db, manager, code, today=DAY).expires == DAY + timedelta(days=14)


def test_days_start_no_earlier_than_the_campaign_and_end_no_later(
    demo_db: Database, manager: Actor
) -> None:
    starts, ends = DAY + timedelta(days=10), DAY + timedelta(days=30)
    name = campaign(demo_db, manager, "Next month", valid_from=starts, valid_until=ends)
    generate_coupons(demo_db, manager, name, 1)
    assert set(print_new(demo_db, manager, name, DAY).values()) == {starts + timedelta(days=14)}
    late = coupon(demo_db, manager, name, issued_on=ends - timedelta(days=2))
    (row,) = [r for r in list_coupons(demo_db, name) if r.code == late]
    assert row.expires == ends


def test_a_coupon_never_handed_out_is_refused_until_printed(
    demo_db: Database, manager: Actor, demo_summary: DemoSummary
) -> None:
    name = campaign(demo_db, manager, "Not yet out", valid_days=14)
    (code,) = generate_coupons(demo_db, manager, name, 1)
    cart = Cart(manager.currency)
    scan_all(demo_db, cart, demo_summary.sample_item, today=DAY)
    refused = scan_all(demo_db, cart, code, today=DAY + timedelta(days=400))
    assert isinstance(refused, ScanRefused)
    assert refused.refusal.reason is RefusalReason.NOT_HANDED_OUT
    print_new(demo_db, manager, name, DAY)
    assert isinstance(scan_all(demo_db, cart, code, today=DAY), CouponScanned)
