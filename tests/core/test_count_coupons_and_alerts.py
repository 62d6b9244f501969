"""Pre-printed coupons are counted like stock, per campaign; low-stock alerts come straight from
the ledger, so a sale shows on the alert list at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from posapp.db import Database
from posapp.services.context import Actor
from posapp.services.count_report import count_report
from posapp.services.count_scan import scan_codes
from posapp.services.counts import start_count
from posapp.services.errors import InvalidInput, NotFound
from posapp.services.stock import adjust
from posapp.services.stock_alerts import list_alerts, set_threshold
from tests.core.helpers import campaign, count, coupon, sell, snapshot

HANGERS = "2000000009025"  # demo stock item in category 'supplies', 25 on hand


def mark_printed(path: Path, codes: list[str]) -> None:
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "UPDATE coupons SET state = 'printed' WHERE code = ?", [(c,) for c in codes]
        )


def test_printed_coupons_on_hand_are_counted_per_campaign(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    name = campaign(demo_db, manager, "Pre-printed")
    printed = [coupon(demo_db, manager, name, issue=False) for _ in range(3)]
    handed_out = coupon(demo_db, manager, name)
    mark_printed(demo_path, printed)
    count_id = start_count(demo_db, manager, "all")

    results = scan_codes(demo_db, manager, count_id, [printed[0], printed[1].lower(), handed_out,
                                                      printed[0]])  # fmt: skip

    assert [r.kind for r in results] == ["coupon"] * 4
    assert results[3].repeated
    with pytest.raises(InvalidInput, match="A coupon is one of a kind"):
        scan_codes(demo_db, manager, count_id, [printed[2]], quantity=3)
    (counted,) = [c for c in count_report(demo_db, count_id).coupons if c.campaign == name]
    assert (counted.expected, counted.counted, counted.missing, counted.extra) == (3, 3, 1, 1)
    assert counted.missing_codes == (printed[2],)


def test_a_threshold_puts_the_item_on_the_alert_list_as_soon_as_it_sells(
    demo_db: Database, manager: Actor
) -> None:
    set_threshold(demo_db, manager, 24, barcode=HANGERS)
    assert HANGERS not in {a.barcode for a in list_alerts(demo_db)}
    sell(demo_db, manager, HANGERS)
    (alert,) = [a for a in list_alerts(demo_db) if a.barcode == HANGERS]
    assert (alert.on_hand, alert.minimum) == (24, 24)
    set_threshold(demo_db, manager, None, barcode=HANGERS)
    assert HANGERS not in {a.barcode for a in list_alerts(demo_db)}


def test_a_category_alert_watches_the_category_total(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    total = count(
        demo_path,
        "SELECT sum(m.quantity) FROM stock_movements m JOIN items i ON i.id = m.item_id"
        " WHERE i.category = 'supplies'",
    )
    set_threshold(demo_db, manager, total - 1, category="supplies")
    assert "supplies" not in {a.name for a in list_alerts(demo_db) if a.barcode is None}
    sell(demo_db, manager, HANGERS)
    (alert,) = [a for a in list_alerts(demo_db) if a.barcode is None]
    assert (alert.name, alert.on_hand, alert.minimum) == ("supplies", total - 1, total - 1)


def test_a_stock_item_sold_out_is_an_alert_without_a_threshold(
    demo_db: Database, manager: Actor
) -> None:
    assert HANGERS not in {a.barcode for a in list_alerts(demo_db)}
    adjust(demo_db, manager, HANGERS, -25, "used for the window display")
    (alert,) = [a for a in list_alerts(demo_db) if a.barcode == HANGERS]
    assert (alert.on_hand, alert.minimum) == (0, None)


def test_bad_thresholds_change_nothing(demo_db: Database, demo_path: Path, manager: Actor) -> None:
    before = snapshot(demo_path)
    with pytest.raises(InvalidInput):
        set_threshold(demo_db, manager, 3)
    with pytest.raises(InvalidInput):
        set_threshold(demo_db, manager, -1, barcode=HANGERS)
    with pytest.raises(NotFound, match="No items in category hats"):
        set_threshold(demo_db, manager, 3, category="hats")
    assert snapshot(demo_path) == before
