"""Selling at a till linked to a hub: coupons reserved at the hub before the sale commits (and
refused at another till), a manager's inline approval while the hub is out of reach, and items
held at the hub while they are in the cart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("uvicorn")

import httpx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from posapp.db import Database, open_database
from posapp.models import CouponRedemption, HubCouponHold, HubItemReservation, new_uuid, utcnow
from posapp.services.context import Actor, back_office_actor
from posapp.services.demo import DemoSummary
from sync.hub.clients import add_client
from sync.terminal import setup, sync_now
from tests.core.helpers import available_barcodes, campaign, coupon
from tests.gui.helpers import press, query, rows, scan, settle, type_keys
from tests.gui.hub.linked import close, linked_window, sell_online
from tests.sync.hub_server import RunningHub
from ui.gui.checkout import CheckoutWidget
from ui.gui.hub import items, selling
from ui.gui.main_window import MainWindow
from ui.gui.operations import Operations

pytestmark = pytest.mark.gui

WAIT_MS = 15_000


@pytest.fixture
def once(shop: Database, manager: Actor) -> str:
    """A single-use coupon of the shop, known to the hub."""
    campaign(shop, manager, "Once", max_uses=1)
    code = coupon(shop, manager, "Once")
    sync_now(shop)
    return code


@pytest.fixture
def other_till(tmp_path: Path, hub: RunningHub, hub_db: Database, once: str) -> Iterator[Database]:
    """A second till of the shop, synced (it has the items and the coupon) before any sale."""
    db = open_database(str(tmp_path / "other-till.db"))
    setup(db, hub.url, add_client(hub_db, "other-till"))
    sync_now(db)
    yield db
    db.dispose()


def pay_cash(qtbot: QtBot, checkout: CheckoutWidget) -> None:
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_Return)


def held_in_cart(
    qtbot: QtBot, checkout: CheckoutWidget, till: MainWindow, barcode: str
) -> items.ItemReservations:
    """Scan a one-of-a-kind item; its reservations, once the hub has granted the hold."""
    scan(qtbot, checkout, barcode)
    settle(qtbot, checkout)
    assert till.hub is not None and till.hub.reservations is not None
    reservations = till.hub.reservations
    qtbot.waitUntil(lambda: any(r.made for r in reservations.held.values()), timeout=WAIT_MS)
    return reservations


def left_the_cart(qtbot: QtBot, checkout: CheckoutWidget, reason: str) -> None:
    """The line goes with the hub's reason shown, and the next scan still goes in."""
    qtbot.waitUntil(lambda: rows(checkout) == [], timeout=WAIT_MS)
    assert any(reason in text for text in checkout.refusals.texts())
    assert checkout.scan_entry.hasFocus()


def item_of(db: Database, index: int) -> str:
    return available_barcodes(Path(str(db.engine.url.database)), index + 1)[index]


def test_a_coupon_is_reserved_at_the_hub_and_refused_at_another_till(
    qtbot: QtBot,
    till: MainWindow,
    checkout: CheckoutWidget,
    once: str,
    other_till: Database,
    hub_db: Database,
    ops: Operations,
    demo_path: Path,
) -> None:
    scan(qtbot, checkout, item_of(till.db, 0))
    scan(qtbot, checkout, once)
    pay_cash(qtbot, checkout)
    qtbot.waitUntil(lambda: checkout.sale.receipt is not None, timeout=WAIT_MS)
    [(redemption_id,)] = query(demo_path, "SELECT id FROM coupon_redemptions")

    def redeemed_at_hub() -> bool:  # the sale's push, a second after it
        with hub_db.reading() as session:
            hold = session.get(HubCouponHold, redemption_id)
            used = session.get(CouponRedemption, redemption_id)
            return hold is not None and hold.ended_at is not None and used is not None

    qtbot.waitUntil(redeemed_at_hub, timeout=WAIT_MS)
    close(till, ops)

    second = linked_window(
        qtbot, other_till, ops, back_office_actor(other_till, "Cashier", terminal="T2")
    )
    there = second.checkout
    assert there is not None
    scan(qtbot, there, item_of(other_till, 5))
    scan(qtbot, there, once)  # this till has not synced since: it still looks unused here
    settle(qtbot, there)
    assert len(there.coupons.texts()) == 1
    pay_cash(qtbot, there)
    qtbot.waitUntil(lambda: bool(there.payment.error.text()), timeout=WAIT_MS)
    assert there.payment.error.text().startswith("Coupon ")
    assert there.sale.receipt is None and len(rows(there)) == 1
    assert there.scan_entry.hasFocus()
    close(second, ops)


def test_offline_a_manager_allows_another_shops_coupon_inline(
    qtbot: QtBot, hub: RunningHub, other_till: Database, once: str, ops: Operations
) -> None:
    window = linked_window(
        qtbot, other_till, ops, back_office_actor(other_till, "Cashier", terminal="T2")
    )
    there = window.checkout
    assert there is not None
    hub.stop()
    scan(qtbot, there, item_of(other_till, 0))
    scan(qtbot, there, once)
    pay_cash(qtbot, there)
    qtbot.waitUntil(lambda: there.approval is not None and there.approval.isVisible())
    assert there.approval is not None
    assert QApplication.activeModalWidget() is None
    assert "A manager must allow" in there.approval.why.text()
    assert there.approval.pin.hasFocus()
    qtbot.waitUntil(lambda: there.approval.manager.text() == "Manager: Manager")

    press(qtbot, Qt.Key.Key_Escape)  # not now: the cart stays
    assert not there.approval.isVisible()
    assert there.scan_entry.hasFocus() and len(rows(there)) == 1
    assert "cancelled" in there.payment.error.text()

    pay_cash(qtbot, there)
    qtbot.waitUntil(there.approval.isVisible)
    scan(qtbot, there, item_of(other_till, 1))  # a scan meanwhile is never lost: it joins the sale
    settle(qtbot, there)
    assert not there.approval.isVisible() and len(rows(there)) == 2

    pay_cash(qtbot, there)
    qtbot.waitUntil(there.approval.isVisible)
    type_keys(qtbot, "9999")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: there.approval.error.text() == "Wrong PIN.")
    type_keys(qtbot, "1234")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: there.sale.receipt is not None, timeout=WAIT_MS)
    assert not there.approval.isVisible()
    bases = query(
        Path(str(other_till.engine.url.database)),
        "SELECT basis, approved_by IS NOT NULL FROM offline_redemptions",
    )
    assert bases == [("approved", 1)]
    close(window, ops)


def test_an_item_in_the_cart_is_held_at_the_hub_until_its_line_goes(
    qtbot: QtBot,
    checkout: CheckoutWidget,
    till: MainWindow,
    hub_db: Database,
    online: httpx.Client,
    demo_summary: DemoSummary,
) -> None:
    barcode = demo_summary.sample_item
    held_in_cart(qtbot, checkout, till, barcode)
    answer = sell_online(online, barcode)
    assert answer.status_code == 409 and answer.json()["reason"] == "item_reserved"

    press(qtbot, Qt.Key.Key_Delete)  # the line goes, and its reservation with it
    assert rows(checkout) == []

    def released() -> bool:
        with hub_db.reading() as session:
            found = session.scalars(
                select(HubItemReservation).where(HubItemReservation.barcode == barcode)
            ).all()
            return bool(found) and all(r.ended_at is not None for r in found)

    qtbot.waitUntil(released, timeout=WAIT_MS)
    assert sell_online(online, barcode).status_code == 200


def test_a_cart_left_standing_renews_its_hold_and_loses_an_item_taken_once_the_hold_ran_out(
    qtbot: QtBot,
    checkout: CheckoutWidget,
    till: MainWindow,
    hub_db: Database,
    online: httpx.Client,
    demo_summary: DemoSummary,
) -> None:
    barcode = demo_summary.sample_item
    reservations = held_in_cart(qtbot, checkout, till, barcode)
    assert reservations.renewal.isActive()
    assert reservations.renewal.interval() < items.HOLD_S * 1000 // 2

    def hold_ends() -> datetime:
        with hub_db.reading() as session:
            return session.scalars(
                select(HubItemReservation.expires_at).where(HubItemReservation.barcode == barcode)
            ).one()

    def run_out() -> None:
        with hub_db.unit_of_work() as session:
            session.execute(
                update(HubItemReservation)
                .where(HubItemReservation.barcode == barcode)
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )

    run_out()  # as if ten minutes had gone by; the item was still free
    reservations.renew()
    qtbot.waitUntil(lambda: hold_ends() > utcnow() + timedelta(minutes=14), timeout=WAIT_MS)
    assert sell_online(online, barcode).json()["reason"] == "item_reserved"

    run_out()  # and this time the web put it in a checkout before the till renewed
    taken = online.post(f"/v1/items/{barcode}/reserve", json={"reservation_id": new_uuid()})
    assert taken.status_code == 200
    reservations.renew()
    left_the_cart(qtbot, checkout, "in another cart")


def test_an_item_scanned_while_the_hub_was_away_is_held_once_it_answers_again(
    qtbot: QtBot,
    checkout: CheckoutWidget,
    till: MainWindow,
    hub: RunningHub,
    online: httpx.Client,
    demo_summary: DemoSummary,
) -> None:
    barcode = demo_summary.sample_item
    hub.stop()
    press(qtbot, Qt.Key.Key_F12)  # the till learns the hub is away
    assert till.hub is not None and till.hub.reservations is not None
    driver, reservations = till.hub.driver, till.hub.reservations
    qtbot.waitUntil(lambda: not driver.online, timeout=WAIT_MS)
    scan(qtbot, checkout, barcode)
    settle(qtbot, checkout)
    assert rows(checkout) != [] and reservations.held == {}  # sold offline if need be

    hub.start()  # the same address
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: any(r.made for r in reservations.held.values()), timeout=WAIT_MS)
    answer = sell_online(online, barcode)
    assert answer.status_code == 409 and answer.json()["reason"] == "item_reserved"
    assert checkout.scan_entry.hasFocus()


def test_an_item_sold_online_meanwhile_leaves_the_cart_with_the_reason(
    qtbot: QtBot, checkout: CheckoutWidget, online: httpx.Client, demo_summary: DemoSummary
) -> None:
    barcode = demo_summary.sample_item
    assert sell_online(online, barcode).status_code == 200  # the till has not synced since
    scan(qtbot, checkout, barcode)
    settle(qtbot, checkout)
    left_the_cart(qtbot, checkout, "no longer available")


def test_a_scan_made_while_the_coupons_are_cleared_goes_to_the_next_sale(
    qtbot: QtBot,
    checkout: CheckoutWidget,
    till: MainWindow,
    once: str,
    monkeypatch: pytest.MonkeyPatch,
    demo_path: Path,
) -> None:
    gate = threading.Event()
    real_clear = selling.clear_coupons

    def slow_clear(*args: Any, **kwargs: Any) -> Any:
        gate.wait(WAIT_MS / 1000)
        return real_clear(*args, **kwargs)

    monkeypatch.setattr(selling, "clear_coupons", slow_clear)
    first, second = item_of(till.db, 0), item_of(till.db, 1)
    scan(qtbot, checkout, first)
    scan(qtbot, checkout, once)
    pay_cash(qtbot, checkout)
    assert checkout.sale.committing
    scan(qtbot, checkout, second)
    qtbot.wait(200)  # resolved by now, and held back: it is not part of the sale being paid
    assert [row[1] for row in rows(checkout)] == [first]
    gate.set()
    qtbot.waitUntil(lambda: [row[1] for row in rows(checkout)] == [second], timeout=WAIT_MS)
    sold = query(demo_path, "SELECT barcode FROM sale_lines JOIN items ON items.id = item_id")
    assert sold == [(first,)]
