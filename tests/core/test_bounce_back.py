"""Bounce-back coupons: a sale that redeems a coupon of the trigger campaign and pays enough gets
exactly one new coupon of the bounce-back campaign, issued in the same transaction with its
events and put on the receipt; a refund voids it unless it has been used."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.models import CampaignState, CouponState, DiscountKind
from posapp.services.campaigns import list_campaigns
from posapp.services.context import Actor
from posapp.services.errors import InvalidInput, NotFound
from posapp.services.refunds import refund_sale
from posapp.services.sales_history import sale_receipt
from tests.core.helpers import available_barcodes, campaign, count, coupon, one, price_of, sell

TODAY = date(2026, 12, 1)


def payloads(path: Path, event_type: str) -> list[dict[str, object]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT payload FROM outbox_events WHERE type = ? ORDER BY seq", (event_type,)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def coupons_of(path: Path, name: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT c.code, c.state, c.customer_id, c.expires_on, c.issued_with_sale_id"
            " FROM coupons c JOIN campaigns k ON k.id = c.campaign_id WHERE k.name = ?"
            " ORDER BY c.id",
            (name,),
        ).fetchall()


def bounce_back_setup(db: Database, manager: Actor, min_spend: int = 0) -> tuple[str, str]:
    """A trigger campaign (10 off) and its bounce-back (20% off, valid 30 days)."""
    trigger = campaign(db, manager, "Spring ten")
    bounce = campaign(
        db,
        manager,
        "Come back soon",
        kind=DiscountKind.PERCENT,
        value=2000,
        valid_days=30,
        bounce_back_of=trigger,
        bounce_back_min_spend=min_spend,
    )
    return trigger, bounce


def test_a_qualifying_sale_issues_exactly_one_bounce_back_coupon(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    trigger, bounce = bounce_back_setup(demo_db, manager, min_spend=100)
    first, second = available_barcodes(demo_path, 2)
    codes = [coupon(demo_db, manager, trigger), coupon(demo_db, manager, trigger)]
    events_before = count(demo_path, "SELECT count(*) FROM outbox_events")

    receipt = sell(demo_db, cashier, first, second, *codes, today=TODAY)

    (printed,) = receipt.bounce_backs  # two trigger coupons, still one bounce-back
    assert (printed.campaign_name, printed.kind, printed.value) == (
        bounce,
        DiscountKind.PERCENT,
        2000,
    )
    assert printed.expires_on == TODAY + timedelta(days=30)
    assert coupons_of(demo_path, bounce) == [
        (printed.code, "issued", None, str(TODAY + timedelta(days=30)), receipt.sale_id)
    ]
    generated = payloads(demo_path, "coupons.generated")[-1]
    issued = payloads(demo_path, "coupon.issued")[-1]
    assert generated["codes"] == [printed.code]
    assert issued == {
        "code": printed.code,
        "customer_card": None,
        "expires_on": str(TODAY + timedelta(days=30)),
        "sale_uuid": payloads(demo_path, "sale.committed")[-1]["sale_uuid"],
        "bounce_back": True,
    }
    # stock.moved x2, coupon.redeemed x2, sale.committed, coupons.generated, coupon.issued
    assert count(demo_path, "SELECT count(*) FROM outbox_events") == events_before + 7
    assert sale_receipt(demo_db, receipt.number).bounce_backs == receipt.bounce_backs


def test_sales_that_do_not_qualify_issue_none(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    trigger, bounce = bounce_back_setup(demo_db, manager)
    other = campaign(demo_db, manager, "Unrelated")
    cheap, dear, third, fourth = available_barcodes(demo_path, 4)
    # no coupon at all; a coupon of another campaign
    assert sell(demo_db, cashier, cheap, today=TODAY).bounce_backs == ()
    assert sell(demo_db, cashier, dear, coupon(demo_db, manager, other)).bounce_backs == ()
    # the bounce-back campaign paused
    campaign(demo_db, manager, "Paused back", bounce_back_of=trigger, state=CampaignState.PAUSED)
    # past its last day
    campaign(demo_db, manager, "Over", bounce_back_of=trigger, valid_until=TODAY, valid_days=None)
    later_day = TODAY + timedelta(days=1)
    later = sell(demo_db, cashier, fourth, coupon(demo_db, manager, trigger), today=later_day)
    assert [b.campaign_name for b in later.bounce_backs] == [bounce]
    # below the minimum paid (after discounts): one short misses, exactly enough qualifies
    paid = price_of(demo_path, third) - 1000
    campaign(
        demo_db, manager, "Big spenders", bounce_back_of=trigger, bounce_back_min_spend=paid + 1
    )
    campaign(demo_db, manager, "Exactly", bounce_back_of=trigger, bounce_back_min_spend=paid)
    receipt = sell(demo_db, cashier, third, coupon(demo_db, manager, trigger), today=later_day)
    assert [b.campaign_name for b in receipt.bounce_backs] == [bounce, "Exactly"]
    assert len(coupons_of(demo_path, "Exactly")) == 1
    for name in ("Paused back", "Big spenders", "Over"):
        assert coupons_of(demo_path, name) == []


def test_the_bounce_back_goes_to_the_sales_customer(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    trigger, bounce = bounce_back_setup(demo_db, manager)
    card = str(one(demo_path, "SELECT card_code FROM customers ORDER BY id LIMIT 1")[0])
    customer_id = one(demo_path, "SELECT id FROM customers WHERE card_code = ?", card)[0]
    (item,) = available_barcodes(demo_path, 1)
    receipt = sell(demo_db, cashier, card, item, coupon(demo_db, manager, trigger), today=TODAY)
    assert len(receipt.bounce_backs) == 1
    assert coupons_of(demo_path, bounce)[0][2] == customer_id
    assert payloads(demo_path, "coupon.issued")[-1]["customer_card"] == card


def test_a_refund_voids_the_unused_bounce_back(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    trigger, bounce = bounce_back_setup(demo_db, manager)
    (item,) = available_barcodes(demo_path, 1)
    receipt = sell(demo_db, cashier, item, coupon(demo_db, manager, trigger), today=TODAY)
    (printed,) = receipt.bounce_backs

    refunded = refund_sale(demo_db, manager, receipt.number, today=TODAY)

    assert refunded.bounce_backs == ()  # a reprint no longer offers it
    assert coupons_of(demo_path, bounce)[0][1] == CouponState.VOIDED.value
    (refund_uuid,) = one(demo_path, "SELECT uuid FROM refunds WHERE sale_id = ?", receipt.sale_id)
    assert payloads(demo_path, "coupon.voided")[-1] == {
        "code": printed.code,
        "reason": "refund",
        "refund_uuid": refund_uuid,
    }


def test_a_refund_leaves_a_used_bounce_back_alone(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    trigger, bounce = bounce_back_setup(demo_db, manager)
    first, second = available_barcodes(demo_path, 2)
    receipt = sell(demo_db, cashier, first, coupon(demo_db, manager, trigger), today=TODAY)
    (printed,) = receipt.bounce_backs
    sell(demo_db, cashier, second, printed.code, today=TODAY)
    voided_before = len(payloads(demo_path, "coupon.voided"))

    refund_sale(demo_db, manager, receipt.number, today=TODAY)

    assert coupons_of(demo_path, bounce)[0][1] == CouponState.REDEEMED.value
    assert len(payloads(demo_path, "coupon.voided")) == voided_before


def test_campaign_rows_name_the_trigger_and_bad_settings_are_refused(
    demo_db: Database, manager: Actor
) -> None:
    trigger, bounce = bounce_back_setup(demo_db, manager, min_spend=5000)
    rows = {row.name: row for row in list_campaigns(demo_db)}
    assert (rows[bounce].bounce_back_of, rows[bounce].bounce_back_min_spend) == (trigger, 5000)
    assert rows[trigger].bounce_back_of is None
    with pytest.raises(NotFound):
        campaign(demo_db, manager, "Dangling", bounce_back_of="No such campaign")
    with pytest.raises(InvalidInput):
        campaign(demo_db, manager, "Min without trigger", bounce_back_min_spend=100)
    with pytest.raises(InvalidInput):
        campaign(demo_db, manager, "Negative", bounce_back_of=trigger, bounce_back_min_spend=-1)
