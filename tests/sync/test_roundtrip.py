"""A shop and a new till agree through a real hub over HTTP on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from posapp.db import Database
from posapp.models import Coupon, CouponState, HubLogEntry, Item, ItemKind, ItemStatus, OutboxEvent
from posapp.services.cart import Cart, ScanRefused, resolve_scan
from posapp.services.context import back_office_actor, sign_in_by_name
from posapp.services.coupon_rules import RefusalReason
from sync.client import HubClient, HubUnreachable
from sync.hub.clients import add_client, revoke_client
from sync.terminal import status, sync_now
from tests.core.helpers import campaign, coupon, sell
from tests.sync.hub_server import RunningHub


def _count(db: Database, model: type, *where: object) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _refusal(db: Database, code: str) -> RefusalReason | None:
    outcome = Cart("CNY").apply(resolve_scan(db, code))
    return outcome.refusal.reason if isinstance(outcome, ScanRefused) else None


def test_a_new_till_gets_the_shop_and_sees_its_sales(shop: Database, new_till: Database) -> None:
    manager = back_office_actor(shop, "Manager")
    campaign(shop, manager, "Spring", max_uses=1)
    code = coupon(shop, manager, "Spring")
    first = sync_now(shop)
    assert first.pushed == _count(shop, OutboxEvent) and first.conflicts == 0

    sync_now(new_till)
    # The new till has the shop, its staff (same PINs), its items and its coupons.
    actor = sign_in_by_name(new_till, "Cashier", "0000", terminal="T9")
    assert actor.store_name == manager.store_name
    assert _count(new_till, Item) == _count(shop, Item)
    assert _count(new_till, Coupon) == _count(shop, Coupon)
    with shop.reading() as session:
        on_sale = select(Item.barcode).where(
            Item.status == ItemStatus.AVAILABLE, Item.kind == ItemKind.CONSIGNED
        )
        item = session.scalars(on_sale).first()
    assert item is not None and _refusal(new_till, code) is None

    sell(shop, manager, item, code)
    sync_now(shop)
    sync_now(new_till)
    assert _refusal(new_till, item) is RefusalReason.ITEM_UNAVAILABLE
    assert _refusal(new_till, code) is RefusalReason.USED
    with new_till.reading() as session:
        state = session.scalar(select(Coupon.state).where(Coupon.code == code))
    assert state is CouponState.REDEEMED
    assert status(shop).waiting == 0


def test_a_wrong_or_revoked_token_gets_401_and_changes_nothing(
    shop: Database, hub: RunningHub, hub_db: Database
) -> None:
    for token in ("", "posapp_not-a-real-token"):
        answer = httpx.post(
            f"{hub.url}/v1/push",
            json={"events": []},
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
        assert answer.status_code == 401
    token = add_client(hub_db, "old-till")
    revoke_client(hub_db, "old-till")
    answer = httpx.post(
        f"{hub.url}/v1/push", json={"events": []}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 401
    assert _count(hub_db, HubLogEntry) == 0


def test_a_repeated_push_applies_nothing_twice(shop: Database, hub_db: Database) -> None:
    from sync.terminal import _outbox_batch, client_for

    with shop.reading() as session:
        batch = _outbox_batch(session)
    with client_for(shop) as hub:
        once = hub.push(batch)
        again = hub.push(batch)  # the answer to the first was 'lost'
        reordered = hub.push(list(reversed(batch)))
    assert once.applied == len(batch) and once.duplicates == 0
    assert again.applied == 0 and again.duplicates == len(batch)
    assert reordered.applied == 0
    assert _count(hub_db, HubLogEntry) == len(batch)
    report = sync_now(shop)  # the terminal never marked them: it sends them again, harmlessly
    assert report.conflicts == 0
    assert _count(hub_db, HubLogEntry) == _count(shop, OutboxEvent)


def test_a_gap_waits_for_the_missing_events(shop: Database, hub_db: Database) -> None:
    from sync.terminal import _outbox_batch, client_for

    with shop.reading() as session:
        batch = _outbox_batch(session)
    with client_for(shop) as hub:
        result = hub.push(batch[5:])  # the first five were lost on the way
        assert result.applied == 0
        result = hub.push(batch)
    assert result.applied == len(batch)


def test_a_dead_hub_is_reported_in_plain_words_and_the_outbox_waits(
    shop: Database, hub: RunningHub
) -> None:
    hub.stop()
    dead = HubClient(hub.url, "posapp_x", attempts=2, max_wait=0.05)
    with dead, pytest.raises(HubUnreachable, match="Cannot reach the hub"):
        sync_now(shop, dead)
    now = status(shop)
    assert now.last_error and "Cannot reach the hub" in now.last_error
    assert now.waiting == _count(shop, OutboxEvent) and now.offline_since is not None


def _refuse_price(db: Database, price: int) -> None:
    """Make the database refuse an item at this price (a stand-in for whatever a database may
    refuse that the payload checks let through)."""
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                f"CREATE TRIGGER refuse_price BEFORE INSERT ON items WHEN NEW.price = {price}"
                " BEGIN SELECT RAISE(ABORT, 'price refused'); END"
            )
        else:
            connection.exec_driver_sql(
                f"ALTER TABLE items ADD CONSTRAINT refuse_price CHECK (price <> {price})"
            )


def test_a_row_the_database_refuses_costs_only_its_own_event(
    shop: Database, hub_db: Database, new_till: Database
) -> None:
    """A push's rows (and a pulled page's) are written together; when the database refuses one,
    the hub (or till) applies them again event by event: only the event at fault is refused,
    recorded as not applied, and the events around it are in."""
    import uuid

    from posapp.models import SyncConflict, utcnow
    from sync.protocol import WireEvent
    from sync.terminal import client_for

    sync_now(new_till)  # its snapshot done: what follows comes to it as changes
    _refuse_price(hub_db, 666)
    origin = str(uuid.uuid4())
    item = {"name": "Scarf", "kind": "consigned", "price": 1500, "quantity": 1}
    payloads = [
        ("item.added", item | {"barcode": "2300000000017"}),
        ("item.added", item | {"barcode": "2300000000024", "price": 666}),
        ("item.added", item | {"barcode": "2300000000031"}),
        ("stock.moved", {"barcode": "2300000000017", "quantity": -1, "reason": "sale"}),
    ]
    events = [
        WireEvent(
            id=str(uuid.uuid4()),
            origin=origin,
            seq=seq,
            type=kind,
            payload=payload,
            created_at=utcnow(),
        )
        for seq, (kind, payload) in enumerate(payloads, start=1)
    ]
    with client_for(shop) as hub:
        result = hub.push(events)
    assert result.applied == 4 and result.acked == {origin: 4}
    assert [c.kind for c in result.conflicts] == ["not_applied"]
    with hub_db.reading() as session:
        states = dict(
            session.execute(
                select(Item.barcode, Item.status).where(Item.barcode.like("23000000000%"))
            ).all()
        )
        refused = session.scalars(select(SyncConflict.subject)).all()
    assert states == {"2300000000017": ItemStatus.SOLD, "2300000000031": ItemStatus.AVAILABLE}
    assert refused == ["2300000000024"]
    assert _count(hub_db, HubLogEntry, HubLogEntry.origin == origin) == 4

    _refuse_price(new_till, 1500)  # the pulling till refuses the other two
    sync_now(new_till)
    with new_till.reading() as session:
        found = session.scalars(select(Item.barcode).where(Item.barcode.like("23000000000%")))
        own = session.scalars(
            select(SyncConflict.subject).where(SyncConflict.kind == "not_applied")
        ).all()
    assert found.all() == ["2300000000024"]
    assert sorted(own) == ["2300000000024", "item.added", "item.added", "stock.moved"]
