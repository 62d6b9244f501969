"""The database layer on a real PostgreSQL server: the migrations bring an empty database to head,
the demo seeds into it, and the till's and back office's work (a sale with a coupon, a refund, a
stock count, a hold) writes what it writes on SQLite. Two tills racing end with one winner."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import posapp.services.checkout as checkout
import posapp.services.refunds as refunds
from posapp.db import Database, open_database, upgrade
from posapp.db.migrate import current_revision, head_revision
from posapp.models import Base, ItemStatus, PaymentMethod, SaleStatus
from posapp.services.cart import Cart, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor, back_office_actor
from posapp.services.count_scan import scan_into_count
from posapp.services.counts import commit_count, start_count
from posapp.services.coupon_rules import RefusalReason
from posapp.services.demo import DemoSummary, seed_demo
from posapp.services.errors import Conflict
from posapp.services.holds import hold_item, list_holds, release_hold
from posapp.services.refunds import refund_sale
from posapp.services.sales_history import sale_receipt
from tests.core.helpers import scan_all, sell
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.postgres

TEMPLATE = "demo_template"
HANGERS = "2000000009025"  # demo stock item in category 'supplies', 25 on hand
FIRST = "first till"


@pytest.fixture(scope="module")
def demo_template(postgres_server: PostgresServer) -> Iterator[DemoSummary]:
    """The demo shop seeded once into a template database; each test gets a copy."""
    db = open_database(postgres_server.create_database(TEMPLATE))
    summary = seed_demo(db)
    db.dispose()  # nobody may be connected to a template while it is copied
    assert summary is not None
    yield summary
    postgres_server.drop_database(TEMPLATE)


@pytest.fixture
def pg_db(postgres_server: PostgresServer, demo_template: DemoSummary) -> Iterator[Database]:
    url = postgres_server.create_database(template=TEMPLATE)
    db = open_database(url)
    yield db
    db.dispose()
    postgres_server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def pg_cashier(pg_db: Database) -> Actor:
    return back_office_actor(pg_db, "Cashier")


@pytest.fixture
def pg_manager(pg_db: Database) -> Actor:
    return back_office_actor(pg_db, "Manager")


def rows(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """What is in the database, read with plain SQL outside the services."""
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def value(db: Database, sql: str, **params: Any) -> Any:
    (row,) = rows(db, sql, **params)
    return row[0]


AVAILABLE = (
    "SELECT barcode FROM items WHERE status = 'available' AND kind = :kind ORDER BY id LIMIT :n"
)
ON_HAND = (
    "SELECT coalesce(sum(m.quantity), 0) FROM stock_movements m"
    " JOIN items i ON i.id = m.item_id WHERE i.barcode = :barcode"
)
EVENTS_PER_TERMINAL = (
    "SELECT t.name, t.last_event_seq, count(e.id), min(e.seq), max(e.seq)"
    " FROM terminals t LEFT JOIN outbox_events e ON e.terminal_uuid = t.uuid"
    " GROUP BY t.name, t.last_event_seq"
)
WAITING_FOR_A_LOCK = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def available(db: Database, count: int, kind: str = "consigned") -> list[str]:
    return [str(barcode) for (barcode,) in rows(db, AVAILABLE, kind=kind, n=count)]


def status_of(db: Database, barcode: str) -> str:
    return str(value(db, "SELECT status FROM items WHERE barcode = :b", b=barcode))


def on_hand(db: Database, barcode: str) -> int:
    return int(value(db, ON_HAND, barcode=barcode))


def assert_outbox_numbered_without_gaps(db: Database) -> None:
    """Each terminal's events are numbered 1..n, n being the terminal's last sequence number."""
    per_terminal = rows(db, EVENTS_PER_TERMINAL)
    assert per_terminal
    for name, last, count, lowest, highest in per_terminal:
        assert count == last, name
        assert count == 0 or (lowest, highest) == (1, count), name


def event_types(db: Database) -> list[str]:
    """Every event's type, in order (tests that look at the order use one terminal)."""
    found = rows(db, "SELECT type FROM outbox_events ORDER BY terminal_uuid, seq")
    return [str(kind) for (kind,) in found]


def test_the_migrations_bring_an_empty_database_to_head(postgres_url: str) -> None:
    db = Database(postgres_url)
    try:
        assert db.engine.dialect.name == "postgresql"
        assert current_revision(db) is None
        upgrade(db)
        assert current_revision(db) == head_revision()
        with db.engine.connect() as connection:  # the migrated schema is the models' schema
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        upgrade(db)  # at head already: nothing to do
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()


def test_the_demo_seeds_with_its_events(postgres_url: str) -> None:
    db = open_database(postgres_url)
    try:
        summary = seed_demo(db)
        assert summary is not None and summary.items > 100
        assert value(db, "SELECT count(*) FROM items") == summary.items
        assert value(db, "SELECT count(*) FROM coupons") == summary.coupons
        seeded = event_types(db)
        assert seeded[0] == "store.created"
        assert seeded.count("item.added") == summary.items
        assert_outbox_numbered_without_gaps(db)
    finally:
        db.dispose()


def test_a_sale_with_a_coupon(
    pg_db: Database, pg_cashier: Actor, demo_template: DemoSummary
) -> None:
    first, second = available(pg_db, 2)
    (bag,) = available(pg_db, 1, kind="stock")
    bags = on_hand(pg_db, bag)
    cart = Cart(pg_cashier.currency)
    codes = (demo_template.sample_card, first, second, bag, demo_template.sample_coupon)
    scan_all(pg_db, cart, *codes)
    assert len(cart.lines) == 3 and len(cart.coupons) == 1 and cart.customer is not None

    receipt = commit_sale(pg_db, pg_cashier, cart, [Tender(PaymentMethod.CASH, None)])

    assert receipt.number == "T1-000001"
    assert receipt == sale_receipt(pg_db, receipt.number)
    assert receipt.discount_total > 0 and receipt.customer_name == cart.customer.name
    assert [status_of(pg_db, b) for b in (first, second)] == ["sold", "sold"]
    assert on_hand(pg_db, bag) == bags - 1
    code = demo_template.sample_coupon
    assert value(pg_db, "SELECT state FROM coupons WHERE code = :c", c=code) == "redeemed"
    assert value(pg_db, "SELECT count(*) FROM coupon_redemptions") == 1
    assert value(pg_db, "SELECT sum(net) FROM sale_lines") == receipt.total
    assert value(pg_db, "SELECT sum(amount) FROM payments") == receipt.total
    assert value(pg_db, "SELECT sum(amount) FROM consignor_ledger") == value(
        pg_db, "SELECT sum(consignor_share) FROM sale_lines"
    )
    again = resolve_scan(pg_db, first)
    assert isinstance(again, ScanRefused)
    assert again.refusal.reason is RefusalReason.ITEM_UNAVAILABLE
    used = resolve_scan(pg_db, code)
    assert isinstance(used, ScanRefused) and used.refusal.reason is RefusalReason.USED
    assert event_types(pg_db)[-5:] == ["stock.moved"] * 3 + ["coupon.redeemed", "sale.committed"]
    assert_outbox_numbered_without_gaps(pg_db)


def test_a_refund_puts_the_items_back_and_reverses_the_coupon(
    pg_db: Database, pg_cashier: Actor, pg_manager: Actor, demo_template: DemoSummary
) -> None:
    (item,) = available(pg_db, 1)
    sold = sell(pg_db, pg_cashier, item, demo_template.sample_coupon)

    refunded = refund_sale(pg_db, pg_manager, sold.number, reason="changed mind")

    assert refunded.status is SaleStatus.REFUNDED and refunded.refunded_at is not None
    assert status_of(pg_db, item) == "available"
    assert value(pg_db, "SELECT count(*) FROM coupon_reversals") == 1
    assert value(pg_db, "SELECT count(*) FROM coupon_redemptions") == 1  # never deleted
    assert value(pg_db, "SELECT sum(amount) FROM consignor_ledger") == 0
    with pytest.raises(Conflict, match="already been refunded"):
        refund_sale(pg_db, pg_manager, sold.number)
    assert "sale.refunded" in event_types(pg_db)
    assert_outbox_numbered_without_gaps(pg_db)


def test_a_committed_count_corrects_the_stock(pg_db: Database, pg_manager: Actor) -> None:
    count_id = start_count(pg_db, pg_manager, "category:supplies")
    scan_into_count(pg_db, pg_manager, count_id, HANGERS, quantity=20)
    scanned = scan_into_count(pg_db, pg_manager, count_id, HANGERS, quantity=3)
    assert (scanned.counted, scanned.expected) == (23, 25)

    done = commit_count(pg_db, pg_manager, count_id)

    assert done.corrections >= 1 and done.missing >= 2
    assert on_hand(pg_db, HANGERS) == 23
    assert value(pg_db, "SELECT state FROM count_sessions WHERE id = :i", i=count_id) == (
        "committed"
    )
    assert event_types(pg_db)[-1] == "count.committed"
    assert_outbox_numbered_without_gaps(pg_db)


def test_a_held_item_cannot_be_sold_until_released(
    pg_db: Database, pg_cashier: Actor, demo_template: DemoSummary
) -> None:
    (item,) = available(pg_db, 1)

    held = hold_item(pg_db, pg_cashier, item, customer_card=demo_template.sample_card)

    assert held.status is ItemStatus.RESERVED and status_of(pg_db, item) == "reserved"
    assert [row.barcode for row in list_holds(pg_db)] == [item]
    refused = resolve_scan(pg_db, item)
    assert isinstance(refused, ScanRefused)
    release_hold(pg_db, pg_cashier, item)
    assert status_of(pg_db, item) == "available"
    sell(pg_db, pg_cashier, item)
    assert status_of(pg_db, item) == "sold"
    assert_outbox_numbered_without_gaps(pg_db)


# --- two tills at the same moment -----------------------------------------------------------------


class HeldOpen:
    """Stops the unit of work of the thread named FIRST just before it commits, at the last call
    it makes to ``module.name``, until ``go_on`` is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> None:
        original = getattr(module, name)
        self.reached, self.go_on = threading.Event(), threading.Event()

        def paused(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if threading.current_thread().name == FIRST:
                self.reached.set()
                self.go_on.wait(timeout=30)
            return result

        monkeypatch.setattr(module, name, paused)


def someone_waits_for_a_lock(db: Database, timeout: float = 10) -> bool:
    """A session of this database is waiting for a lock (polled outside any transaction)."""
    deadline = time.monotonic() + timeout
    with db.engine.connect() as plain:
        connection = plain.execution_options(isolation_level="AUTOCOMMIT")
        while time.monotonic() < deadline:
            if connection.execute(text(WAITING_FOR_A_LOCK)).scalar_one():
                return True
            time.sleep(0.02)
    return False


def race(
    db: Database, held: HeldOpen, first: Callable[[], object], second: Callable[[], object]
) -> tuple[object, object]:
    """``first`` gets as far as its commit and waits there; ``second`` starts and must wait for
    it; then ``first`` commits. Returns what each returned or raised."""
    outcomes: dict[str, object] = {}

    def run(action: Callable[[], object]) -> None:
        try:
            outcomes[threading.current_thread().name] = action()
        except Exception as error:
            outcomes[threading.current_thread().name] = error

    one = threading.Thread(target=run, args=(first,), name=FIRST)
    two = threading.Thread(target=run, args=(second,), name="second till")
    one.start()
    try:
        assert held.reached.wait(timeout=30), outcomes
        two.start()
        waited = someone_waits_for_a_lock(db)
    finally:
        held.go_on.set()
        one.join(timeout=30)
        if two.ident is not None:
            two.join(timeout=30)
    assert waited, "the second till did not wait for the first one's commit"
    return outcomes[FIRST], outcomes["second till"]


def cart_of(db: Database, actor: Actor, *codes: str) -> Cart:
    cart = Cart(actor.currency)
    scan_all(db, cart, *codes)
    return cart


def checkout_of(db: Database, actor: Actor, cart: Cart) -> Callable[[], object]:
    return lambda: commit_sale(db, actor, cart, [Tender(PaymentMethod.CASH, None)])


@pytest.fixture
def two_tills(pg_db: Database) -> tuple[Actor, Actor]:
    return back_office_actor(pg_db, "Cashier", terminal="T2"), back_office_actor(
        pg_db, "王芳", terminal="T3"
    )


def test_two_tills_selling_the_same_item_end_with_one_sale(
    pg_db: Database, two_tills: tuple[Actor, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    tills = two_tills
    (item,) = available(pg_db, 1)
    carts = [cart_of(pg_db, till, item) for till in tills]
    held = HeldOpen(monkeypatch, checkout, "record_events")

    first_sale, second_sale = (checkout_of(pg_db, t, c) for t, c in zip(tills, carts, strict=True))
    won, lost = race(pg_db, held, first_sale, second_sale)

    assert not isinstance(won, Exception), won
    assert isinstance(lost, Conflict), lost
    name = value(pg_db, "SELECT name FROM items WHERE barcode = :b", b=item)
    assert lost.message == f"{name} was sold or taken off sale meanwhile; remove it from the sale."
    assert value(pg_db, "SELECT count(*) FROM sales") == 1
    assert value(pg_db, "SELECT count(*) FROM stock_movements WHERE reason = 'sale'") == 1
    assert status_of(pg_db, item) == "sold"
    assert_outbox_numbered_without_gaps(pg_db)


def test_two_tills_redeeming_one_single_use_coupon_end_with_one_redemption(
    pg_db: Database,
    two_tills: tuple[Actor, Actor],
    demo_template: DemoSummary,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tills = two_tills
    first, second = available(pg_db, 2)
    code = demo_template.sample_coupon
    carts = [
        cart_of(pg_db, till, item, code) for till, item in zip(tills, (first, second), strict=True)
    ]
    held = HeldOpen(monkeypatch, checkout, "record_events")

    first_sale, second_sale = (checkout_of(pg_db, t, c) for t, c in zip(tills, carts, strict=True))
    won, lost = race(pg_db, held, first_sale, second_sale)

    assert not isinstance(won, Exception), won
    assert isinstance(lost, Conflict), lost
    assert lost.message.startswith(f"Coupon {code}: Already used on ")
    assert lost.message.endswith(" at till T2.")
    assert value(pg_db, "SELECT count(*) FROM coupon_redemptions") == 1
    assert value(pg_db, "SELECT count(*) FROM sales") == 1
    assert status_of(pg_db, second) == "available"
    assert_outbox_numbered_without_gaps(pg_db)


def test_two_managers_refunding_one_sale_refund_it_once(
    pg_db: Database, pg_cashier: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    (item,) = available(pg_db, 1)
    sold = sell(pg_db, pg_cashier, item)
    managers = [back_office_actor(pg_db, "Manager", terminal=name) for name in ("T2", "T3")]
    held = HeldOpen(monkeypatch, refunds, "receipt_for")

    done, refused = race(
        pg_db,
        held,
        lambda: refund_sale(pg_db, managers[0], sold.number),
        lambda: refund_sale(pg_db, managers[1], sold.number),
    )

    assert not isinstance(done, Exception), done
    assert isinstance(refused, Conflict), refused
    assert refused.message == f"Sale {sold.number} has already been refunded."
    assert value(pg_db, "SELECT count(*) FROM refunds") == 1
    assert value(pg_db, "SELECT count(*) FROM stock_movements WHERE reason = 'refund'") == 1
    assert_outbox_numbered_without_gaps(pg_db)
