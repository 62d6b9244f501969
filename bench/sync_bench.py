"""Sync benchmark: a new till's first sync, push and pull through the hub, and coupon reserves.

    .venv/bin/python bench/sync_bench.py [--smoke] [--items N] [--coupons N] [--events N]
        [--reserves N] [--busy N] [--busy-pace S] [--no-saturate] [--hub-db URL | --hub-postgres]
        [--cache DIR] [--only PARTS] [--check]

Everything goes over real HTTP on 127.0.0.1 to a hub running in a process of its own (uvicorn
serving sync.hub.app.create_app). The hub's database is a copy of the big database
(bench/bigdb.py: the demo shop plus --items items and --coupons coupons), or with --hub-db an empty
PostgreSQL database that the benchmark migrates and fills with the same rows.

(b) A new, empty till links to the hub and runs its first sync_now: the snapshot of every coupon
    and item, then the log. Target <= 60 s at 1,000,000 coupons and 100,000 items.
(a) Till A, a copy of the big database whose own events the hub already has, makes --events
    outbox events through the services (sales of three items with a coupon, new stock items,
    coupons issued, stock adjustments); push_outbox sends them. Till B, another copy already past
    its snapshot, pulls them with pull_changes. Target push + pull <= 5 s for 10,000 events.
(c) HubClient.reserve_coupon from a till, each on a coupon of its own with a new hold id: p50 and
    p99 with the hub idle, then while --busy other tills (processes) each ring up a sale every
    --busy-pace seconds (default 2 s: 8 tills make 4 sales a second, far more than a shop's
    tills do): the customer's coupon reserved and given back, the sale's events pushed, the log
    pulled. Each till starts at its own random moment within the pace (seeded), as tills ring
    up sales when their customers come, not on a common beat. Target p99 <= 20 ms. Then, for
    information: the same tills in step (all of them ring up a sale in the same instant, every
    --busy-pace seconds: bursts no shop makes), and the tills flat out (no pause at all: the hub
    saturated, every request queued behind the others').
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import socket
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Integer, func, select, update
from stdnum import ean

from bench.bigdb import ensure_big_database, sample_barcodes, sample_coupons
from bench.checkout_bench import percentile
from posapp.db import Database, open_database
from posapp.models import (
    Base,
    Coupon,
    CouponRedemption,
    Item,
    ItemKind,
    OutboxEvent,
    PaymentMethod,
    StockMovement,
    SyncLink,
    utcnow,
)
from posapp.services.campaigns import issue_coupon
from posapp.services.cart import Cart, CouponScanned, ItemScanned, resolve_scan
from posapp.services.catalog import NewItem, add_item
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor, back_office_actor
from posapp.services.stock import adjust
from sync.client import HubClient, HubError
from sync.hub.clients import add_client
from sync.protocol import CouponReserve, WireEvent
from sync.terminal import pull_changes, push_outbox, setup, sync_now

FIRST_SYNC_TARGET_S = 60.0
PUSH_PULL_TARGET_S = 5.0
RESERVE_P99_TARGET_MS = 20.0
WARM_UP = 30  # reserves not counted
SALE_LINES = 3
NEW_ITEM_PREFIX = "23"  # in-store EAN range the big database does not use
BUSY_COUPONS = 20  # each busy terminal reserves and releases these in turn
BUSY_SEED = 6  # the busy tills' first sales: at the same moments in every run


@dataclass(frozen=True)
class Load:
    """How the busy tills ring up sales during (c)."""

    pace: float  # seconds between one till's sales; 0: flat out
    in_step: bool  # all at the same instant, rather than each at its own moment

    @property
    def name(self) -> str:
        return "flat-out" if not self.pace else f"{self.pace:g}{'-in-step' if self.in_step else ''}"

    def describe(self, busy: int) -> str:
        if not self.pace:
            return f"{busy} tills flat out (the hub saturated):"
        together = ", in step" if self.in_step else ""
        return f"{busy} busy tills, a sale every {self.pace:g} s each{together}:"


SNAPSHOT_TABLES = (Coupon, Item, CouponRedemption, StockMovement)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# --- the hub, in a process of its own ------------------------------------------------------------


def _serve(url: str, ports: Any) -> None:
    import uvicorn

    from sync.hub.app import create_app
    from sync.hub.serving import pooled_for_serving, settle_memory

    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say so; without it
    # every answer written in two parts waits ~40 ms for a delayed ACK (Nagle).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(pooled_for_serving(open_database(url))),
        log_level="warning",
        access_log=False,
        lifespan="off",
    )
    settle_memory()
    ports.put(listener.getsockname()[1])
    profile = os.environ.get("POSAPP_HUB_PROFILE")  # a file for cProfile stats of hub pushes
    if not profile:
        uvicorn.Server(config).run(sockets=[listener])
        return
    import cProfile

    from sync.hub import ingest

    profiler = cProfile.Profile()
    push = ingest.push

    def profiled(*args: Any, **kwargs: Any) -> Any:  # one push at a time in (a)
        profiler.enable()
        try:
            return push(*args, **kwargs)
        finally:
            profiler.disable()
            profiler.dump_stats(profile)

    ingest.push = profiled
    uvicorn.Server(config).run(sockets=[listener])


@contextmanager
def running_hub(database_url: str) -> Iterator[str]:
    """The hub's base URL while it runs in another process."""
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    process = context.Process(target=_serve, args=(database_url, ports), daemon=True)
    process.start()
    try:
        port = ports.get(timeout=120)
        deadline = time.monotonic() + 60
        while True:  # listening once a connection gets through
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or not process.is_alive():
                    raise RuntimeError("the hub did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.join(timeout=30)


# --- databases -----------------------------------------------------------------------------------


def fresh_copy(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def fill_postgres(url: str, big: Path) -> None:
    """Migrate the empty PostgreSQL database at ``url`` and COPY every row of ``big`` into it."""
    db = open_database(url)
    try:
        with db.reading() as session:
            if session.scalar(select(func.count()).select_from(Coupon)):
                raise SystemExit(f"--hub-db {url} is not empty: give it an empty database")
        raw = db.engine.raw_connection()
        source = sqlite3.connect(big)
        try:
            cursor = raw.cursor()
            for table in Base.metadata.sorted_tables:
                columns = [column.name for column in table.columns]
                names = ", ".join(f'"{name}"' for name in columns)
                rows = source.execute(f'SELECT {names} FROM "{table.name}"')
                with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                if "id" in columns and isinstance(table.c.id.type, Integer):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'),"
                        f' coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                    )
            raw.commit()
            cursor.execute("ANALYZE")
            raw.commit()
        finally:
            source.close()
            raw.close()
    finally:
        db.dispose()


def link(db: Database, hub_url: str, hub_db: Database, name: str, cursor: int | None) -> None:
    """Link ``db`` to the hub as client ``name``; with a cursor, as a till already past its
    snapshot that pulls from there."""
    setup(db, hub_url, add_client(hub_db, name))
    if cursor is not None:
        with db.unit_of_work() as session:
            session.execute(
                update(SyncLink).values(
                    snapshot_done=True, pull_cursor=cursor, snapshot_cursor=cursor
                )
            )


def count_rows(db: Database, model: Any) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def unsent(db: Database) -> int:
    return count_rows_where(db, OutboxEvent, OutboxEvent.sent_at.is_(None))


def count_rows_where(db: Database, model: Any, *where: Any) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# --- (b) a new till's first sync -----------------------------------------------------------------


def first_sync(hub_url: str, hub_db: Database, work: Path) -> bool:
    path = work / "sync-new-till.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(str(path))
    try:
        link(db, hub_url, hub_db, "new-till", None)
        started = time.perf_counter()
        report = sync_now(db)
        seconds = time.perf_counter() - started
        counts = {model.__tablename__: count_rows(db, model) for model in SNAPSHOT_TABLES}
    finally:
        db.dispose()
    rows = sum(counts.values())
    hub_coupons, hub_items = count_rows(hub_db, Coupon), count_rows(hub_db, Item)
    print("(b) first sync_now of a new, empty till (snapshot, then the log):")
    print(
        f"    {seconds:.1f} s for {rows:,} rows ({rows / seconds:,.0f} rows/s): "
        + ", ".join(f"{name} {n:,}" for name, n in counts.items())
        + f"; pulled {report.pulled} changes"
    )
    same = counts["coupons"] == hub_coupons and counts["items"] == hub_items
    print(f"    hub has {hub_coupons:,} coupons, {hub_items:,} items: {verdict(same)}")
    ok = seconds <= FIRST_SYNC_TARGET_S and same
    print(f"    target <= {FIRST_SYNC_TARGET_S:.0f} s: {verdict(ok)}")
    return ok


# --- (a) push and pull ---------------------------------------------------------------------------


@dataclass
class Material:
    """What till A's services work on, disjoint from what (c) reserves."""

    consigned: list[str]
    stock: list[str]
    sale_coupons: list[str]
    fresh_coupons: list[str]  # generated, not yet issued


def generated_coupons(path: Path, count: int) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT c.code FROM coupons c JOIN campaigns k ON k.id = c.campaign_id"
            " WHERE c.state = 'generated' AND k.state = 'active' ORDER BY c.id LIMIT ?",
            (count,),
        ).fetchall()
    return [str(row[0]) for row in rows]


def sell(db: Database, cashier: Actor, barcodes: list[str], code: str) -> None:
    cart = Cart(cashier.currency)
    for scanned in [*barcodes, code]:
        outcome = cart.apply(resolve_scan(db, scanned))
        assert isinstance(outcome, ItemScanned | CouponScanned), outcome
    commit_sale(db, cashier, cart, [Tender(PaymentMethod.CASH, None)])


def new_barcode(index: int) -> str:
    body = f"{NEW_ITEM_PREFIX}{index:010d}"
    return body + str(ean.calc_check_digit(body))


def make_events(db: Database, target: int, material: Material) -> int:
    """Half the events from sales, a quarter new items, then coupons issued, and adjustments up
    to exactly ``target`` (each made by the services, one transaction each)."""
    manager = back_office_actor(db, "Manager", terminal="SYNC-A")
    cashier = back_office_actor(db, "Cashier", terminal="SYNC-A")
    start = unsent(db)

    def made() -> int:
        return unsent(db) - start

    sales = iter(zip(material.sale_coupons, range(len(material.sale_coupons)), strict=False))
    for code, index in sales:
        if made() >= target // 2:
            break
        sell(db, cashier, material.consigned[index * SALE_LINES : (index + 1) * SALE_LINES], code)
    index = 0
    while made() < target * 3 // 4:
        new = NewItem(new_barcode(index), f"Bench sync item {index}", 1500, ItemKind.STOCK, 10)
        add_item(db, manager, new)
        index += 1
    for code in material.fresh_coupons:
        if made() >= target * 9 // 10:
            break
        issue_coupon(db, manager, code)
    index = 0
    while made() < target:
        adjust(db, manager, material.stock[index % len(material.stock)], 1, "delivery")
        index += 1
    return made()


def push_and_pull(
    hub_url: str, hub_db: Database, big: Path, work: Path, events: int, material: Material
) -> bool:
    till_a = open_database(str(fresh_copy(big, work / "sync-till-a.db")))
    till_b = open_database(str(fresh_copy(big, work / "sync-till-b.db")))
    try:
        link(till_a, hub_url, hub_db, "till-a", 0)
        back_office_actor(till_a, "Manager", terminal="SYNC-A")  # its terminal.added goes first
        with HubClient(hub_url, _token(till_a)) as hub:
            push_outbox(till_a, hub)  # the demo's own events: the hub now knows this till
            head = hub.status().cursor
        link(till_b, hub_url, hub_db, "till-b", head)
        made = make_events(till_a, events, material)
        with HubClient(hub_url, _token(till_a)) as hub:
            started = time.perf_counter()
            pushed, conflicts = push_outbox(till_a, hub)
            push_s = time.perf_counter() - started
        with HubClient(hub_url, _token(till_b)) as hub:
            started = time.perf_counter()
            pulled = pull_changes(till_b, hub)
            pull_s = time.perf_counter() - started
        added = [new_barcode(i) for i in range(events)]
        b_has = count_rows_where(till_b, Item, Item.barcode.in_(added[:5000]))
        a_has = count_rows_where(till_a, Item, Item.barcode.in_(added[:5000]))
    finally:
        till_a.dispose()
        till_b.dispose()
    total = push_s + pull_s
    print(f"(a) {made:,} outbox events made through the services on till A, then:")
    print(
        f"    push_outbox (till A -> hub): {push_s:.2f} s for {pushed:,} events"
        f" ({pushed / push_s:,.0f}/s), {conflicts} conflicts"
    )
    print(
        f"    pull_changes (hub -> till B): {pull_s:.2f} s for {pulled:,} changes"
        f" ({pulled / pull_s:,.0f}/s); till B has {b_has} of till A's {a_has} new items"
    )
    ok = total <= PUSH_PULL_TARGET_S and pushed == made and pulled >= made and b_has == a_has
    print(f"    push + pull: {total:.2f} s   target <= {PUSH_PULL_TARGET_S:.0f} s: {verdict(ok)}")
    return ok


def _token(db: Database) -> str:
    with db.reading() as session:
        found = session.get(SyncLink, 1)
        assert found is not None
        return found.token


# --- (c) coupon reserves while other terminals keep the hub busy ---------------------------------


def busy_terminal(
    hub_url: str,
    token: str,
    stock: list[str],
    codes: list[str],
    cursor: int,
    pace: float,
    offset: float,
    stop: Any,
    done: Any,
) -> None:
    """One till ringing up sales, the first after ``offset`` seconds, then one every ``pace``
    seconds (0: one after another, flat out): the customer's coupon reserved at the hub (and
    given back: the customer kept it), the sale pushed (a stock movement per line and the
    sale), then the log pulled."""
    origin, acked, turn = str(uuid.uuid4()), 0, 0
    with HubClient(hub_url, token, attempts=1) as hub:
        stop.wait(offset)
        while not stop.is_set():
            started = time.monotonic()
            turn += 1
            try:
                hold = str(uuid.uuid4())
                hub.reserve_coupon(codes[turn % len(codes)], CouponReserve(hold_id=hold))
                hub.release_hold(hold)
                sale = str(uuid.uuid4())
                lines = [stock[(turn * SALE_LINES + n) % len(stock)] for n in range(SALE_LINES)]
                payloads: list[tuple[str, dict[str, Any]]] = [
                    ("stock.moved", {"barcode": barcode, "quantity": -1, "reason": "sale"})
                    for barcode in lines
                ]
                payloads.append(
                    ("sale.committed", {"lines": [{"barcode": b, "quantity": 1} for b in lines]})
                )
                events = [
                    WireEvent(
                        id=str(uuid.uuid4()),
                        origin=origin,
                        seq=acked + n,
                        type=kind,
                        payload=payload | {"sale_uuid": sale},
                        created_at=utcnow(),
                    )
                    for n, (kind, payload) in enumerate(payloads, start=1)
                ]
                acked = hub.push(events).acked.get(origin, acked)
                more = True
                while more:
                    page = hub.changes(cursor, 2000)
                    cursor, more = page.next_cursor, page.more
                with done.get_lock():
                    done.value += 1
            except HubError as problem:
                print(f"    busy terminal: {problem}", file=sys.stderr)
            stop.wait(max(0.0, pace - (time.monotonic() - started)))


def time_reserves(hub: HubClient, codes: list[str]) -> list[int]:
    samples = []
    for code in codes:
        body = CouponReserve(hold_id=str(uuid.uuid4()))
        started = time.perf_counter_ns()
        hub.reserve_coupon(code, body)
        samples.append(time.perf_counter_ns() - started)
    return samples[WARM_UP:]


def under_load(
    hub: HubClient,
    hub_db: Database,
    timed: list[str],
    pools: list[str],
    stock: list[str],
    busy: int,
    load: Load,
) -> tuple[list[int], float]:
    """Reserves timed while ``busy`` tills ring up sales (their coupons from ``pools``); the
    samples, and the sales a second the tills made meanwhile."""
    head = hub.status().cursor
    beats = random.Random(BUSY_SEED)
    offsets = [0.0 if load.in_step else beats.uniform(0, load.pace) for _ in range(busy)]
    context = multiprocessing.get_context("spawn")
    stop, done = context.Event(), context.Value("i", 0)
    workers = []
    for n in range(busy):
        token = add_client(hub_db, f"busy-{load.name}-{n + 1}")
        pool = pools[n * BUSY_COUPONS : (n + 1) * BUSY_COUPONS]
        args = (hub.base_url, token, stock, pool, head, load.pace, offsets[n], stop, done)
        workers.append(context.Process(target=busy_terminal, args=args, daemon=True))
    for worker in workers:
        worker.start()
    try:
        while done.value < busy and all(w.is_alive() for w in workers):
            time.sleep(0.05)  # every busy terminal is under way
        before, started = done.value, time.perf_counter()
        samples = time_reserves(hub, timed)
        rate = (done.value - before) / (time.perf_counter() - started)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    return samples, rate


def reserves(
    hub_url: str,
    hub_db: Database,
    codes: list[str],
    counts: tuple[int, int],
    busy: int,
    loads: list[Load],
    stock: list[str],
) -> bool:
    """``counts``: reserves timed with the hub idle, then under each load. ``codes``: a fresh
    coupon for each timed reserve, then BUSY_COUPONS for each busy till. The first of ``loads``
    is the target's; the others are for information."""
    idle, loaded = counts
    pools = codes[len(codes) - busy * BUSY_COUPONS :]
    print("(c) HubClient.reserve_coupon, each a new hold on a coupon of its own:")
    with HubClient(hub_url, add_client(hub_db, "till-c")) as hub:
        quiet = time_reserves(hub, codes[: idle + WARM_UP])
        print(
            f"    {'hub idle:':<50} n={len(quiet):<5} p50 {percentile(quiet, 0.5):6.2f} ms"
            f"   p99 {percentile(quiet, 0.99):6.2f} ms"
        )
        ok = True
        at = idle + WARM_UP
        for phase, load in enumerate(loads):
            timed = codes[at : at + loaded + WARM_UP]
            at += loaded + WARM_UP
            samples, rate = under_load(hub, hub_db, timed, pools, stock, busy, load)
            p99 = percentile(samples, 0.99)
            who = load.describe(busy)
            verdict_text = "for information"
            if phase == 0:
                ok = p99 <= RESERVE_P99_TARGET_MS
                verdict_text = f"target p99 <= {RESERVE_P99_TARGET_MS:.0f} ms: {verdict(ok)}"
            print(
                f"    {who:<50} n={len(samples):<5} p50 {percentile(samples, 0.5):6.2f} ms"
                f"   p99 {p99:6.2f} ms   {verdict_text}"
            )
            print(
                f"    {'':<50} the tills meanwhile: {rate:.1f} sales/s"
                f" (each: coupon reserved and released, {SALE_LINES + 1} events pushed, pull)"
            )
    return ok


# --- main ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="items at the hub")
    parser.add_argument("--coupons", type=int, default=1_000_000, help="coupons at the hub")
    parser.add_argument("--events", type=int, default=10_000, help="events pushed and pulled")
    parser.add_argument("--reserves", type=int, default=1000, help="reserves timed, hub busy")
    parser.add_argument("--idle-reserves", type=int, default=300, help="reserves timed, hub idle")
    parser.add_argument("--busy", type=int, default=8, help="busy terminals during (c)")
    parser.add_argument(
        "--busy-pace",
        type=float,
        default=2.0,
        metavar="S",
        help="each busy till rings up a sale every S seconds (default 2; 0: flat out)",
    )
    parser.add_argument(
        "--no-saturate",
        action="store_true",
        help="skip the runs for information: the busy tills in step, and flat out (the hub"
        " saturated)",
    )
    parser.add_argument(
        "--hub-db",
        metavar="URL",
        help="an empty PostgreSQL database for the hub (postgresql+psycopg://...); it is filled"
        " with the big database's rows. Default: a copy of the big SQLite database",
    )
    parser.add_argument(
        "--hub-postgres",
        action="store_true",
        help="the hub on a throwaway PostgreSQL server that the benchmark starts on 127.0.0.1"
        " (tests/postgres_server.py: the PostgreSQL binaries, fsync off) and stops at the end",
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/posapp-bench"))
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--only", default="bac", help="which parts to run, e.g. 'b' or 'ac' (default: bac)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.items, args.coupons, args.events = 2000, 5000, 300
        args.reserves, args.idle_reserves, args.busy = 60, 30, 2
        args.no_saturate, args.busy_pace = True, 0.2  # busy for its short run
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    big = ensure_big_database(
        args.cache / f"big-{args.items}-{args.coupons}.db", args.items, args.coupons
    )
    sales = args.events // 2 // (SALE_LINES + 2) + 1
    consigned = sample_barcodes(big, sales * SALE_LINES)
    stock = sample_barcodes(big, 200, kind="stock")
    loads = [Load(args.busy_pace, in_step=False)]
    if not args.no_saturate and args.busy_pace:
        loads += [Load(args.busy_pace, in_step=True), Load(0.0, in_step=True)]
    timed = args.idle_reserves + WARM_UP + len(loads) * (args.reserves + WARM_UP)
    wanted = sales + timed + args.busy * BUSY_COUPONS
    coupons = sample_coupons(big, wanted)
    if len(coupons) < wanted or len(consigned) < sales * SALE_LINES or not stock:
        raise SystemExit("the big database is too small for these sizes")
    material = Material(consigned, stock, coupons[:sales], generated_coupons(big, args.events))
    with ExitStack() as stack:
        if args.hub_postgres:
            args.hub_db = stack.enter_context(throwaway_postgres())
        return run(args, big, sales, material, coupons, loads, stock)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """An empty database on a PostgreSQL server of its own, stopped afterwards."""
    from tests.postgres_server import PostgresServer, find_binaries

    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("--hub-postgres: no PostgreSQL server binaries here")
    with PostgresServer(binaries) as server:
        yield server.create_database("bench_hub")


def run(
    args: argparse.Namespace,
    big: Path,
    sales: int,
    material: Material,
    coupons: list[str],
    loads: list[Load],
    stock: list[str],
) -> int:
    if args.hub_db:
        hub_url = args.hub_db
        fill_postgres(hub_url, big)
    else:
        hub_url = str(fresh_copy(big, args.cache / f"sync-hub-{args.items}-{args.coupons}.db"))
    where = "PostgreSQL" if args.hub_db else "SQLite"
    print(
        f"posapp sync benchmark: hub on {where} with {args.items:,} items and"
        f" {args.coupons:,} coupons, over HTTP on 127.0.0.1 (hub in its own process)"
    )
    hub_db = open_database(hub_url)
    try:
        with running_hub(hub_url) as url:
            results = []
            if "b" in args.only:
                results.append(first_sync(url, hub_db, args.cache))
            if "a" in args.only:
                results.append(push_and_pull(url, hub_db, big, args.cache, args.events, material))
            if "c" in args.only:
                results.append(
                    reserves(
                        url,
                        hub_db,
                        coupons[sales:],
                        (args.idle_reserves, args.reserves),
                        args.busy,
                        loads,
                        stock,
                    )
                )
    finally:
        hub_db.dispose()
    return 1 if args.check and not all(results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
