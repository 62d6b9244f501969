"""Checkout benchmark: scan to cart line and durable commit, beside a raw sqlite3 floor.

    /work/venv/bin/python bench/checkout_bench.py [--items N] [--coupons N] [--scans N] [--sales N]

One run measures, on a private copy of the big database (bench/bigdb.py):
1. scan -> resolved cart line through the service (resolve_scan + Cart.apply), items and coupons,
   beside a raw sqlite3 floor doing the same lookups in a read transaction;
2. checkout commit through commit_sale (durable: WAL + synchronous=FULL), beside a raw sqlite3
   floor writing an equivalent row set in one BEGIN IMMEDIATE transaction. Service and floor
   sales alternate, so both see the same disk.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bigdb import ensure_big_database, sample_barcodes, sample_coupons
from posapp.db import Database, open_database
from posapp.db.engine import BUSY_TIMEOUT_MS
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, CouponScanned, ItemScanned, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor, back_office_actor

LINES_PER_SALE = 3
WARM_UP = 30
SCAN_TARGET_MS = 5.0
COMMIT_RATIO_TARGET = 3.0


def percentile(samples_ns: list[int], fraction: float) -> float:
    """The sample at ``fraction`` (nearest rank), in milliseconds."""
    ordered = sorted(samples_ns)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank] / 1e6


def timed(action: Callable[[], object]) -> int:
    started = time.perf_counter_ns()
    action()
    return time.perf_counter_ns() - started


def raw_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def raw_item_lookup(connection: sqlite3.Connection, barcode: str) -> None:
    connection.execute("BEGIN")
    row = connection.execute(
        "SELECT i.id, i.name, i.kind, i.price, i.split_bp, i.status, c.number FROM items i"
        " LEFT JOIN consignors c ON c.id = i.consignor_id WHERE i.barcode = ?",
        (barcode,),
    ).fetchone()
    connection.execute("COMMIT")
    assert row is not None and row[5] == "available"


def raw_coupon_lookup(connection: sqlite3.Connection, code: str) -> None:
    connection.execute("BEGIN")
    row = connection.execute(
        "SELECT c.id, c.state, c.expires_on, k.name, k.kind, k.value, k.min_spend, k.state,"
        " k.channel, k.max_uses, (SELECT count(*) FROM coupon_redemptions r"
        "  LEFT JOIN coupon_reversals v ON v.redemption_id = r.id"
        "  WHERE r.coupon_id = c.id AND v.id IS NULL)"
        " FROM coupons c JOIN campaigns k ON k.id = c.campaign_id WHERE c.code = ?",
        (code,),
    ).fetchone()
    connection.execute("COMMIT")
    assert row is not None and row[10] < row[9]


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _raw_event(
    connection: sqlite3.Connection, terminal_id: int, kind: str, payload: dict[str, object]
) -> None:
    terminal_uuid, seq = connection.execute(
        "UPDATE terminals SET last_event_seq = last_event_seq + 1 WHERE id = ?"
        " RETURNING uuid, last_event_seq",
        (terminal_id,),
    ).fetchone()
    connection.execute(
        "INSERT INTO outbox_events (id, terminal_uuid, seq, type, payload, created_at)"
        " VALUES (?,?,?,?,?,?)",
        (str(uuid4()), terminal_uuid, seq, kind, json.dumps(payload), _now()),
    )


def raw_commit(
    connection: sqlite3.Connection, actor: Actor, barcodes: list[str], code: str
) -> None:
    """What a sale of ``barcodes`` with coupon ``code`` writes, as plain SQL, one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    now, terminal = _now(), actor.terminal_id
    name, seq = connection.execute(
        "UPDATE terminals SET last_sale_seq = last_sale_seq + 1 WHERE id = ?"
        " RETURNING name, last_sale_seq",
        (terminal,),
    ).fetchone()
    sale_uuid, number = str(uuid4()), f"{name}-R{seq:06d}"
    sale_id = connection.execute(
        "INSERT INTO sales (uuid, number, terminal_id, user_id, subtotal, discount_total, total,"
        " status, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (sale_uuid, number, terminal, actor.user_id, 3000, 300, 2700, "completed", now),
    ).lastrowid
    for barcode in barcodes:
        item_id, consignor_id, split = connection.execute(
            "UPDATE items SET status = 'sold', updated_at = ? WHERE barcode = ?"
            " AND status = 'available' RETURNING id, consignor_id, split_bp",
            (now, barcode),
        ).fetchone()
        line_id = connection.execute(
            "INSERT INTO sale_lines (sale_id, item_id, description, quantity, unit_price, gross,"
            " discount, net, consignor_id, split_bp, consignor_share)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (sale_id, item_id, "item", 1, 1000, 1000, 100, 900, consignor_id, split, 540),
        ).lastrowid
        connection.execute(
            "INSERT INTO stock_movements (item_id, quantity, reason, sale_id, user_id,"
            " terminal_id, created_at) VALUES (?,?,?,?,?,?,?)",
            (item_id, -1, "sale", sale_id, actor.user_id, terminal, now),
        )
        connection.execute(
            "INSERT INTO consignor_ledger (consignor_id, kind, amount, sale_line_id, created_at)"
            " VALUES (?,?,?,?,?)",
            (consignor_id, "sale", 540, line_id, now),
        )
        _raw_event(
            connection,
            terminal,
            "stock.moved",
            {"barcode": barcode, "quantity": -1, "reason": "sale", "sale_uuid": sale_uuid},
        )
    coupon_id = connection.execute(
        "UPDATE coupons SET state = 'redeemed' WHERE code = ? RETURNING id", (code,)
    ).fetchone()[0]
    redemption = str(uuid4())
    connection.execute(
        "INSERT INTO coupon_redemptions (id, coupon_id, sale_id, terminal_id, channel, amount,"
        " redeemed_at) VALUES (?,?,?,?,?,?,?)",
        (redemption, coupon_id, sale_id, terminal, "shop", 300, now),
    )
    connection.execute(
        "INSERT INTO sale_coupons (sale_id, coupon_id, redemption_id, amount) VALUES (?,?,?,?)",
        (sale_id, coupon_id, redemption, 300),
    )
    coupon_payload = {"code": code, "redemption_id": redemption, "amount": 300}
    _raw_event(
        connection,
        terminal,
        "coupon.redeemed",
        {**coupon_payload, "sale_uuid": sale_uuid, "channel": "shop"},
    )
    connection.execute(
        "INSERT INTO payments (sale_id, method, amount, tendered, change) VALUES (?,?,?,?,?)",
        (sale_id, "cash", 2700, 3000, 300),
    )
    lines = [{"barcode": b, "quantity": 1, "net": 900, "consignor_share": 540} for b in barcodes]
    _raw_event(
        connection,
        terminal,
        "sale.committed",
        {"sale_uuid": sale_uuid, "number": number, "user": actor.user_name, "subtotal": 3000,
         "discount_total": 300, "total": 2700, "lines": lines, "coupons": [coupon_payload],
         "payments": [{"method": "cash", "amount": 2700}]},
    )  # fmt: skip
    connection.execute("COMMIT")


def service_scan(db: Database, currency: str, code: str, seed_line: str | None) -> int:
    """Time resolve_scan + Cart.apply for ``code`` (a coupon needs a line in the cart first)."""
    cart = Cart(currency)
    if seed_line is not None:
        cart.apply(resolve_scan(db, seed_line))

    def scan() -> None:
        outcome = cart.apply(resolve_scan(db, code))
        assert isinstance(outcome, ItemScanned | CouponScanned), outcome

    return timed(scan)


def service_sale(db: Database, actor: Actor, barcodes: list[str], code: str) -> int:
    cart = Cart(actor.currency)
    for scanned in [*barcodes, code]:
        outcome = cart.apply(resolve_scan(db, scanned))
        assert isinstance(outcome, ItemScanned | CouponScanned), outcome
    return timed(lambda: commit_sale(db, actor, cart, [Tender(PaymentMethod.CASH, None)]))


def chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values) - size + 1, size):
        yield values[start : start + size]


def report(label: str, samples: list[int], floor: list[int] | None = None) -> tuple[float, float]:
    p50, p99 = percentile(samples, 0.50), percentile(samples, 0.99)
    line = f"  {label:<34} n={len(samples):<5} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms"
    if floor is not None:
        line += f"   (floor p50 {percentile(floor, 0.5):.2f} / p99 {percentile(floor, 0.99):.2f})"
    print(line)
    return p50, p99


def measure_scans(db: Database, path: Path, currency: str, count: int) -> dict[str, float]:
    items = sample_barcodes(path, count + WARM_UP)
    coupons = sample_coupons(path, count + WARM_UP)
    if len(items) < count + WARM_UP or len(coupons) < count + WARM_UP:
        raise SystemExit("not enough items or coupons in the database for --scans")
    raw = raw_connection(path)
    results: dict[str, list[int]] = {"item": [], "coupon": [], "raw item": [], "raw coupon": []}
    for index, (barcode, code) in enumerate(zip(items, coupons, strict=True)):
        item_ns = service_scan(db, currency, barcode, None)
        coupon_ns = service_scan(db, currency, code, barcode)
        raw_item_ns = timed(lambda b=barcode: raw_item_lookup(raw, b))  # type: ignore[misc]
        raw_coupon_ns = timed(lambda c=code: raw_coupon_lookup(raw, c))  # type: ignore[misc]
        if index >= WARM_UP:
            results["item"].append(item_ns)
            results["coupon"].append(coupon_ns)
            results["raw item"].append(raw_item_ns)
            results["raw coupon"].append(raw_coupon_ns)
    raw.close()
    print("Scan to resolved cart line (resolve_scan + Cart.apply):")
    _, item_p99 = report("item tag", results["item"], results["raw item"])
    _, coupon_p99 = report("coupon", results["coupon"], results["raw coupon"])
    return {"item": item_p99, "coupon": coupon_p99}


def measure_commits(db: Database, path: Path, actor: Actor, sales: int) -> float:
    total = sales + WARM_UP // 3
    barcodes = sample_barcodes(path, 2 * total * LINES_PER_SALE)  # scanning changed nothing
    coupons = sample_coupons(path, 2 * total)
    if len(barcodes) < 2 * total * LINES_PER_SALE or len(coupons) < 2 * total:
        raise SystemExit("not enough items or coupons in the database for --sales")
    raw = raw_connection(path)
    service_ns: list[int] = []
    floor_ns: list[int] = []
    baskets = list(chunks(barcodes, LINES_PER_SALE))
    for index in range(total):
        service_time = service_sale(db, actor, baskets[2 * index], coupons[2 * index])
        floor_time = timed(
            lambda i=index: raw_commit(raw, actor, baskets[2 * i + 1], coupons[2 * i + 1])  # type: ignore[misc]
        )
        if index >= WARM_UP // 3:
            service_ns.append(service_time)
            floor_ns.append(floor_time)
    raw.close()
    print(f"Checkout commit, {LINES_PER_SALE} items + 1 coupon, durable (WAL, synchronous=FULL):")
    _, service_p99 = report("commit_sale", service_ns)
    _, floor_p99 = report("raw sqlite3 floor, same writes", floor_ns)
    ratio = service_p99 / floor_p99
    median_ratio = statistics.median(service_ns) / statistics.median(floor_ns)
    print(f"  p99 ratio service / floor: {ratio:.2f}x   (median ratio {median_ratio:.2f}x)")
    return ratio


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--coupons", type=int, default=1_000_000)
    parser.add_argument("--scans", type=int, default=1000, help="measured scans of each kind")
    parser.add_argument("--sales", type=int, default=500, help="measured sales of each kind")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/posapp-bench"))
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    big = ensure_big_database(
        args.cache / f"big-{args.items}-{args.coupons}.db", args.items, args.coupons
    )
    work = args.cache / f"run-{args.items}-{args.coupons}.db"
    for suffix in ("-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(big, work)
    db = open_database(str(work))
    actor = back_office_actor(db, "Cashier")
    print(f"posapp checkout benchmark: {args.items} items, {args.coupons} coupons ({work})")
    scan_p99 = measure_scans(db, work, actor.currency, args.scans)
    ratio = measure_commits(db, work, actor, args.sales)
    db.dispose()
    scans_ok = max(scan_p99.values()) <= SCAN_TARGET_MS
    commit_ok = ratio <= COMMIT_RATIO_TARGET
    verdict = {True: "met", False: "MISSED"}
    print(
        f"Targets: scan p99 <= {SCAN_TARGET_MS} ms: {verdict[scans_ok]};"
        f" commit p99 <= {COMMIT_RATIO_TARGET}x floor: {verdict[commit_ok]}"
    )
    return 0 if (scans_ok and commit_ok) or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
