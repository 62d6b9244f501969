"""The pieces of the sync simulation: tills with flaky links, an online store, random work.

A till's link may be cut (partitioned); its requests may be repeated, reordered, cut short (a
gap) or lose their answer; the hub may restart. Everything a till does goes through the same
services and sync functions the app uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from posapp.db import Database
from posapp.models import (
    Consignor,
    Item,
    ItemKind,
    ItemStatus,
    PaymentMethod,
    SyncLink,
)
from posapp.services.cart import Cart, ScanRefused, resolve_scan
from posapp.services.checkout import Tender
from posapp.services.context import Actor
from posapp.services.count_scan import scan_codes
from posapp.services.counts import commit_count, start_count
from posapp.services.errors import PosError
from posapp.services.refunds import refund_sale
from sync.checkout import sell
from sync.client import HubClient, HubError, HubUnreachable
from sync.protocol import Changes, PushResult, WireEvent
from sync.terminal import sync_now

NOWHERE = "http://127.0.0.1:9"  # nothing listens: a cut link is refused at once
CASH = [Tender(PaymentMethod.CASH, None)]


class ChaosClient(HubClient):
    """A till's client whose requests are repeated, reordered, cut short or lose their answer."""

    def __init__(self, url: str, token: str, rng: random.Random) -> None:
        super().__init__(url, token, attempts=1, timeout=5.0)
        self.rng = rng

    def push(self, events: list[WireEvent], cursor: int | None = None) -> PushResult:
        roll = self.rng.random()
        if events and roll < 0.15:
            super().push(list(reversed(events)))  # reordered
        elif events and roll < 0.3:
            super().push(events[len(events) // 2 :])  # the first half lost: a gap
        result = super().push(events, cursor)
        if self.rng.random() < 0.1:
            super().push(events, cursor)  # repeated
        if self.rng.random() < 0.1:
            raise HubUnreachable("the answer was lost on the way back")
        return result

    def changes(self, after: int, limit: int) -> Changes:
        if self.rng.random() < 0.1:
            super().changes(after, limit)  # repeated
        result = super().changes(after, limit)
        if self.rng.random() < 0.05:
            raise HubUnreachable("the answer was lost on the way back")
        return result


@dataclass
class Till:
    name: str
    db: Database
    token: str
    manager: Actor
    partitioned: bool = False
    receipts: list[str] = field(default_factory=list)

    def client(self, url: str, rng: random.Random, hub_up: bool) -> HubClient:
        if self.partitioned or not hub_up:
            return HubClient(NOWHERE, self.token, attempts=1, timeout=1.0)
        return ChaosClient(url, self.token, rng)

    def available(self, kind: ItemKind = ItemKind.CONSIGNED) -> list[str]:
        with self.db.reading() as session:
            return list(
                session.scalars(
                    select(Item.barcode)
                    .where(Item.status == ItemStatus.AVAILABLE, Item.kind == kind)
                    .order_by(Item.id)
                )
            )


def budget(till: Till, count: int) -> None:
    with till.db.unit_of_work() as session:
        link = session.get_one(SyncLink, 1)
        link.offline_max_count = count
        link.offline_max_value = 10_000_000


@dataclass
class World:
    rng: random.Random
    hub_url: str
    tills: list[Till]
    online: httpx.Client
    coupons: list[str]
    hub_up: bool = True
    tally: dict[str, int] = field(default_factory=dict)

    def note(self, what: str) -> None:
        self.tally[what] = self.tally.get(what, 0) + 1

    # --- what happens ----------------------------------------------------------------------

    def sale(self, till: Till) -> None:
        items = till.available()
        if not items:
            return
        cart = Cart("CNY")
        cart.apply(resolve_scan(till.db, self.rng.choice(items)))
        if self.rng.random() < 0.2:
            stock = till.available(ItemKind.STOCK)
            if stock:
                cart.apply(resolve_scan(till.db, self.rng.choice(stock)))
        if self.rng.random() < 0.6:
            outcome = cart.apply(resolve_scan(till.db, self.rng.choice(self.coupons)))
            if isinstance(outcome, ScanRefused):
                self.note("coupon refused at the scan")
        with till.client(self.hub_url, self.rng, self.hub_up) as hub:
            try:
                receipt = sell(till.db, till.manager, cart, CASH, hub, approver=till.manager)
            except PosError:
                self.note("sale refused")
                return
        till.receipts.append(receipt.number)
        self.note("sale")

    def refund(self, till: Till) -> None:
        if till.receipts:
            number = till.receipts.pop(self.rng.randrange(len(till.receipts)))
            try:
                refund_sale(till.db, till.manager, number)
                self.note("refund")
            except PosError:
                self.note("refund refused")

    def count(self, till: Till) -> None:
        with till.db.reading() as session:
            number = self.rng.choice(list(session.scalars(select(Consignor.number))))
            shelf = list(
                session.scalars(
                    select(Item.barcode)
                    .join(Consignor, Consignor.id == Item.consignor_id)
                    .where(Consignor.number == number, Item.status == ItemStatus.AVAILABLE)
                )
            )
        found = [code for code in shelf if self.rng.random() < 0.85]
        if not found:
            return
        count_id = start_count(till.db, till.manager, f"consignor:{number}")
        scan_codes(till.db, till.manager, count_id, found)
        commit_count(till.db, till.manager, count_id)
        self.note("count")

    def online_sale(self) -> None:
        if not self.hub_up:
            return
        listed = self.online.get("/v1/items", params={"limit": 500}).json()["items"]
        one_of_a_kind = [i["barcode"] for i in listed if i["kind"] == "consigned"]
        if one_of_a_kind:
            answer = self.online.post(
                f"/v1/items/{self.rng.choice(one_of_a_kind)}/sell",
                json={"order_ref": _uuid(self.rng), "customer_email": "web@example.com"},
            )
            assert answer.status_code in (200, 409), answer.text
            self.note(f"online sale {answer.status_code}")

    def online_coupon(self) -> None:
        if not self.hub_up:
            return
        code = self.rng.choice(self.coupons)
        body: dict[str, Any] = {
            "redemption_id": _uuid(self.rng),
            "amount": 500,
            "order_ref": _uuid(self.rng),
        }
        answer = self.online.post(f"/v1/coupons/{code}/redeem", json=body)
        assert answer.status_code in (200, 409), answer.text
        self.note(f"online coupon {answer.status_code}")

    def sync(self, till: Till) -> None:
        with till.client(self.hub_url, self.rng, self.hub_up) as hub:
            try:
                sync_now(till.db, hub)
                self.note("sync")
            except HubError:
                self.note("sync failed")


def _uuid(rng: random.Random) -> str:
    return "%08x-%04x-4%03x-8%03x-%012x" % (  # noqa: UP031 - a uuid from the seeded generator
        rng.getrandbits(32),
        rng.getrandbits(16),
        rng.getrandbits(12),
        rng.getrandbits(12),
        rng.getrandbits(48),
    )
