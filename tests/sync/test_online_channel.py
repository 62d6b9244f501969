"""The online channel through the hub: item reservations, online sales, an oversold item with
its apology coupon, a silent shop's items withheld, and leased coupon uses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from posapp.db import Database
from posapp.models import (
    Coupon,
    HubClient,
    HubItemReservation,
    Item,
    ItemStatus,
    PaymentMethod,
    SyncConflict,
    new_uuid,
    utcnow,
)
from posapp.services.cart import Cart, resolve_scan
from posapp.services.checkout import Tender
from posapp.services.context import back_office_actor
from sync.checkout import NeedsApproval, sell
from sync.client import HubClient as Client
from sync.client import HubRefused
from sync.hub.clients import add_client
from sync.hub.config import HubConfig
from sync.leases import take_lease
from sync.protocol import ItemReserve
from sync.terminal import client_for, sync_now
from tests.core.helpers import available_barcodes, campaign, coupon
from tests.sync.hub_server import RunningHub


@pytest.fixture
def hub(hub_db: Database) -> Iterator[RunningHub]:
    config = HubConfig(apology_campaign="Sorry", withhold_after_minutes=60)
    with RunningHub(hub_db, config) as running:
        yield running


@pytest.fixture
def online(hub: RunningHub, hub_db: Database) -> Iterator[httpx.Client]:
    token = add_client(hub_db, "web", kind="online")
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as web:
        yield web


def _sell_online(online: httpx.Client, barcode: str) -> httpx.Response:
    return online.post(f"/v1/items/{barcode}/sell", json={"order_ref": new_uuid()})


def _status(db: Database, barcode: str) -> ItemStatus:
    with db.reading() as session:
        return session.scalars(select(Item.status).where(Item.barcode == barcode)).one()


def _item(db: Database) -> str:
    return available_barcodes(db.engine.url.database, 1)[0]  # type: ignore[arg-type]


def test_an_item_in_a_cart_is_held_from_the_web_and_an_online_sale_reaches_the_shop(
    shop: Database, online: httpx.Client
) -> None:
    sync_now(shop)
    first, second = available_barcodes(shop.engine.url.database, 2)  # type: ignore[arg-type]
    with client_for(shop) as hub:
        held = hub.reserve_item(first, ItemReserve(reservation_id=new_uuid()))
        with pytest.raises(HubRefused, match="already used"):  # one id, one item
            hub.reserve_item(second, ItemReserve(reservation_id=held.id))
        answer = _sell_online(online, first)
        assert answer.status_code == 409 and answer.json()["reason"] == "item_reserved"
        hub.release_item(held.id)
    assert (
        online.post(f"/v1/items/{second}/sell", json={"order_ref": new_uuid()}).status_code == 200
    )
    with client_for(shop) as hub, pytest.raises(HubRefused, match="no longer available"):
        hub.reserve_item(second, ItemReserve(reservation_id=new_uuid()))
    sync_now(shop)
    assert _status(shop, second) is ItemStatus.SOLD


def test_a_cart_renews_its_hold_and_a_hold_that_ran_out_is_renewed_only_while_the_item_is_free(
    shop: Database, hub: RunningHub, hub_db: Database, online: httpx.Client
) -> None:
    sync_now(shop)
    first, second = available_barcodes(shop.engine.url.database, 2)  # type: ignore[arg-type]

    def run_out(reservation_id: str) -> None:  # as if the cart had stood for 15 minutes
        with hub_db.unit_of_work() as session:
            session.execute(
                update(HubItemReservation)
                .where(HubItemReservation.id == reservation_id)
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )

    with client_for(shop) as till:
        held = till.reserve_item(first, ItemReserve(reservation_id=new_uuid(), seconds=60))
        renewed = till.reserve_item(first, ItemReserve(reservation_id=held.id, seconds=900))
        assert renewed.id == held.id and renewed.expires_at > held.expires_at
        run_out(held.id)
        again = till.reserve_item(first, ItemReserve(reservation_id=held.id))  # still free
        assert again.expires_at > utcnow().replace(tzinfo=again.expires_at.tzinfo)
        assert _sell_online(online, first).json()["reason"] == "item_reserved"

        other = till.reserve_item(second, ItemReserve(reservation_id=new_uuid()))
        run_out(other.id)
        with Client(hub.url, add_client(hub_db, "till 2")) as till_2:  # takes it meanwhile
            till_2.reserve_item(second, ItemReserve(reservation_id=new_uuid()))
        with pytest.raises(HubRefused, match="in another cart"):
            till.reserve_item(second, ItemReserve(reservation_id=other.id))


def test_an_online_sale_of_an_item_the_offline_shop_sold_is_oversold_with_an_apology(
    shop: Database, hub: RunningHub, online: httpx.Client
) -> None:
    manager = back_office_actor(shop, "Manager")
    campaign(shop, manager, "Sorry")
    sync_now(shop)
    barcode = _item(shop)
    cart = Cart("CNY")
    cart.apply(resolve_scan(shop, barcode))
    port = hub.port
    hub.stop()
    with Client(hub.url, "posapp_unused", attempts=1, timeout=0.5) as dead:
        sell(shop, manager, cart, [Tender(PaymentMethod.CASH, None)], dead)  # the shop is offline
    hub.port = port
    hub.start()
    order = new_uuid()
    answer = online.post(
        f"/v1/items/{barcode}/sell", json={"order_ref": order, "customer_email": "a@example.com"}
    )
    assert answer.status_code == 200  # the hub could not know
    report = sync_now(shop)
    assert report.conflicts == 1
    with shop.reading() as session:
        conflict = session.scalars(select(SyncConflict)).one()
        apology = conflict.detail["apology_code"]
        assert conflict.kind == "oversold" and conflict.detail["order_ref"] == order
        assert session.scalars(select(Coupon).where(Coupon.code == apology)).one() is not None
    assert _status(shop, barcode) is ItemStatus.SOLD  # the shop sale stands


def test_a_silent_shops_items_are_withheld_from_the_web(
    shop: Database, hub_db: Database, online: httpx.Client
) -> None:
    sync_now(shop)
    barcode = _item(shop)
    listed = {i["barcode"] for i in online.get("/v1/items", params={"limit": 5000}).json()["items"]}
    assert barcode in listed
    with hub_db.unit_of_work() as session:
        session.execute(
            update(HubClient)
            .where(HubClient.name == "shop")
            .values(last_seen_at=utcnow() - timedelta(hours=2))
        )
    listed = {i["barcode"] for i in online.get("/v1/items", params={"limit": 5000}).json()["items"]}
    assert barcode not in listed
    answer = _sell_online(online, barcode)
    assert answer.status_code == 409 and answer.json()["reason"] == "item_withheld"
    sync_now(shop)  # the shop is back
    assert (
        online.post(f"/v1/items/{barcode}/sell", json={"order_ref": new_uuid()}).status_code == 200
    )


def test_leased_uses_are_set_aside_for_the_till(shop: Database, online: httpx.Client) -> None:
    manager = back_office_actor(shop, "Manager")
    campaign(shop, manager, "Thrice", max_uses=3)
    code = coupon(shop, manager, "Thrice")
    sync_now(shop)
    with client_for(shop) as hub:
        lease = take_lease(shop, hub, code, 2)
    assert lease.uses == 2
    assert online.post(f"/v1/coupons/{code}/check", json={}).json()["usable"]
    sync_now(shop)  # the shop confirms it has seen that the web knows its coupon
    redeem = {"redemption_id": new_uuid(), "amount": 100, "order_ref": "web-1"}
    assert online.post(f"/v1/coupons/{code}/redeem", json=redeem).status_code == 200
    again = online.post(f"/v1/coupons/{code}/redeem", json=redeem | {"redemption_id": new_uuid()})
    assert again.status_code == 409  # the other two uses are the till's


def test_the_web_uses_a_shops_coupon_only_once_the_shop_knows(
    shop: Database, hub: RunningHub, online: httpx.Client
) -> None:
    """Offline, a shop uses its own coupons on its own word; so the web must wait until the shop
    has seen that the web knows the coupon. Then the shop needs the hub, or a manager."""
    manager = back_office_actor(shop, "Manager")
    campaign(shop, manager, "Shop made", max_uses=1)
    code = coupon(shop, manager, "Shop made")
    sync_now(shop)
    redeem = {"redemption_id": new_uuid(), "amount": 100, "order_ref": "web-2"}
    waiting = online.post(f"/v1/coupons/{code}/redeem", json=redeem)
    assert waiting.status_code == 409 and "confirmed with the shop" in waiting.json()["message"]
    sync_now(shop)
    cart = Cart("CNY")
    cart.apply(resolve_scan(shop, _item(shop)))
    cart.apply(resolve_scan(shop, code))
    dead = Client(hub.url, "posapp_unused", attempts=1, timeout=0.5)
    with dead, pytest.raises(NeedsApproval):  # offline, it is no longer the shop's alone
        sell(shop, manager, cart, [Tender(PaymentMethod.CASH, None)], dead)
    assert online.post(f"/v1/coupons/{code}/redeem", json=redeem).status_code == 200
