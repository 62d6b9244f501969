"""Coupons across tills: reserved at the hub while it answers; offline, only what the till can
prove it holds, or a manager's approval within the offline budget; over-redemptions reported."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from posapp.db import Database
from posapp.models import (
    OfflineRedemption,
    PaymentMethod,
    Sale,
    SyncConflict,
    SyncLink,
)
from posapp.services.cart import Cart, ScanRefused, resolve_scan
from posapp.services.checkout import Tender
from posapp.services.context import Actor, back_office_actor
from posapp.services.errors import Conflict, PermissionRefused
from sync.checkout import NeedsApproval, sell
from sync.client import HubClient
from sync.conflicts import acknowledge, list_conflicts
from sync.terminal import client_for, sync_now
from tests.core.helpers import available_barcodes, campaign, coupon
from tests.sync.hub_server import RunningHub

CASH = [Tender(PaymentMethod.CASH, None)]


def _cart(db: Database, *codes: str) -> Cart:
    cart = Cart("CNY")
    for code in codes:
        outcome = cart.apply(resolve_scan(db, code))
        assert not isinstance(outcome, ScanRefused), outcome
    return cart


def _sales(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Sale)) or 0)


def _item(db: Database, index: int) -> str:
    return available_barcodes(db.engine.url.database, index + 1)[index]  # type: ignore[arg-type]


@pytest.fixture
def dead(hub: RunningHub) -> Iterator[HubClient]:
    """A client for the hub's address with a short timeout, for when the hub is stopped."""
    with HubClient(hub.url, "posapp_unused", attempts=1, timeout=0.5) as client:
        yield client


@pytest.fixture
def both(shop: Database, new_till: Database) -> tuple[Database, Database, str, Actor, Actor]:
    """The shop with a single-use coupon, and a new till that has synced it."""
    manager = back_office_actor(shop, "Manager")
    campaign(shop, manager, "Once", max_uses=1)
    code = coupon(shop, manager, "Once")
    sync_now(shop)
    sync_now(new_till)
    return shop, new_till, code, manager, back_office_actor(new_till, "Manager", terminal="T2")


def test_connected_a_coupon_is_used_once_across_tills(both: tuple) -> None:
    shop, till, code, manager, other = both
    with client_for(shop) as hub:
        sell(shop, manager, _cart(shop, _item(shop, 0), code), CASH, hub)
    # The other till has not synced: it still thinks the coupon is usable, the hub says no.
    cart = _cart(till, _item(till, 5), code)
    before = _sales(till)
    with client_for(till) as hub, pytest.raises(Conflict, match="Coupon"):
        sell(till, other, cart, CASH, hub)
    assert _sales(till) == before


def test_offline_a_till_uses_its_own_coupon_and_records_why(
    both: tuple, hub: RunningHub, dead: HubClient
) -> None:
    shop, _till, code, manager, _other = both
    hub.stop()
    sell(shop, manager, _cart(shop, _item(shop, 0), code), CASH, dead)
    with shop.reading() as session:
        row = session.scalars(select(OfflineRedemption)).one()
        assert row.basis == "own_coupon" and row.code == code
        assert session.get_one(SyncLink, 1).offline_since is not None


def test_offline_another_shops_coupon_needs_a_manager_within_the_budget(
    both: tuple, hub: RunningHub, dead: HubClient
) -> None:
    _shop, till, code, _manager, other = both
    cashier = back_office_actor(till, "Cashier", terminal="T2")
    hub.stop()
    cart = _cart(till, _item(till, 0), code)
    with pytest.raises(NeedsApproval, match="manager"):
        sell(till, cashier, cart, CASH, dead)
    with pytest.raises(PermissionRefused):
        sell(till, cashier, cart, CASH, dead, approver=cashier)
    with till.unit_of_work() as session:
        session.get_one(SyncLink, 1).offline_max_count = 0
    with pytest.raises(Conflict, match="offline budget"):
        sell(till, cashier, cart, CASH, dead, approver=other)
    with till.unit_of_work() as session:
        session.get_one(SyncLink, 1).offline_max_count = 5
    sell(till, cashier, cart, CASH, dead, approver=other)
    with till.reading() as session:
        assert session.scalars(select(OfflineRedemption.basis)).all() == ["approved"]


def test_a_coupon_used_in_two_places_while_partitioned_is_reported_and_both_sales_stand(
    both: tuple, hub: RunningHub, dead: HubClient, hub_db: Database
) -> None:
    shop, till, code, manager, other = both
    port = hub.port
    hub.stop()
    sell(shop, manager, _cart(shop, _item(shop, 0), code), CASH, dead)
    sell(till, other, _cart(till, _item(till, 7), code), CASH, dead, approver=other)
    hub.port = port
    hub.start()
    first = sync_now(shop)
    second = sync_now(till)
    sync_now(shop)
    assert first.conflicts + second.conflicts == 1
    for db in (shop, till):
        with db.reading() as session:
            kinds = session.scalars(select(SyncConflict.kind)).all()
        assert kinds == ["over_redemption"]
        assert _sales(db) >= 1

    # A manager deals with it at one till; the hub and the other till learn it at sync.
    (found,) = list_conflicts(till)
    with pytest.raises(PermissionRefused):
        acknowledge(till, back_office_actor(till, "Cashier", terminal="T2"), found.id)
    assert acknowledge(till, other, found.id).acknowledged_by == "Manager"
    sync_now(till)
    sync_now(shop)
    for db in (shop, till, hub_db):
        (row,) = list_conflicts(db)
        assert row.acknowledged and row.acknowledged_by == "Manager"
