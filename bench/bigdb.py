"""A big posapp database for benchmarks: the demo shop plus many items and coupons.

``ensure_big_database(path, items, coupons)`` builds the file once and reuses it while a sidecar
``<name>.params.json`` says it was built with the same sizes and schema head. The demo shop comes
from posapp's own ``seed_demo``; the bulk rows are written with sqlite3 ``executemany`` in one
transaction, in the same column formats SQLAlchemy uses, so posapp reads them like its own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from stdnum import ean

from posapp import codes
from posapp.db import open_database
from posapp.db.migrate import head_revision
from posapp.services.demo import seed_demo

BUILD_FORMAT = 1  # bump when the generated contents change
STOCK_EVERY = 20  # every 20th bulk item is a store-owned stock item, the rest are consigned
ITEM_PREFIX = "21"  # in-store EAN range not used by the demo (20...: items, 29...: cards)

# name, kind, value, min_spend, max_uses, channel, funding, state, share of the coupons
BULK_CAMPAIGNS = (
    ("Bench ¥10 off", "amount", 1000, 0, 1, "both", "store", "active", 30),
    ("Bench ¥50 off 300", "amount", 5000, 30000, 1, "shop", "shared", "active", 20),
    ("Bench 10%", "percent", 1000, 0, 1, "both", "consignor", "active", 20),
    ("Bench 15% loyalty", "percent", 1500, 10000, 3, "both", "shared", "active", 15),
    ("Bench online 5%", "percent", 500, 0, 1, "online", "store", "active", 10),
    ("Bench paused", "amount", 2000, 0, 1, "both", "store", "paused", 5),
)


def _params_path(path: Path) -> Path:
    return path.with_name(path.name + ".params.json")


def _wanted(items: int, coupons: int) -> dict[str, object]:
    return {"format": BUILD_FORMAT, "items": items, "coupons": coupons, "head": head_revision()}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def ensure_big_database(path: Path, items: int = 100_000, coupons: int = 1_000_000) -> Path:
    """The path of a migrated demo database with ``items`` more items and ``coupons`` coupons."""
    path = Path(path)
    wanted = _wanted(items, coupons)
    sidecar = _params_path(path)
    if path.exists() and sidecar.exists():
        try:
            if json.loads(sidecar.read_text()) == wanted:
                return path
        except ValueError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + f".building-{os.getpid()}")
    _remove_database(building)
    _build(building, items, coupons)
    sidecar.unlink(missing_ok=True)
    _remove_database(path)
    os.replace(building, path)
    sidecar.write_text(json.dumps(wanted))
    return path


def _build(path: Path, items: int, coupons: int) -> None:
    started = time.perf_counter()
    db = open_database(str(path))
    seed_demo(db)
    db.dispose()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN")
        _bulk_items(connection, items)
        _bulk_coupons(connection, coupons)
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    print(
        f"built {path.name}: +{items} items, +{coupons} coupons "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def _ids(connection: sqlite3.Connection, query: str) -> list[int]:
    return [int(row[0]) for row in connection.execute(query)]


def _bulk_items(connection: sqlite3.Connection, count: int) -> None:
    consignors = _ids(connection, "SELECT id FROM consignors ORDER BY id")
    user_id = _ids(connection, "SELECT id FROM users ORDER BY id LIMIT 1")[0]
    terminal_id = _ids(connection, "SELECT id FROM terminals ORDER BY id LIMIT 1")[0]
    first_id = _ids(connection, "SELECT coalesce(max(id), 0) + 1 FROM items")[0]
    now = _stamp(datetime.now(UTC).replace(tzinfo=None))
    today = date.today()
    rows: list[tuple[object, ...]] = []
    movements = []
    for index in range(count):
        item_id = first_id + index
        barcode = _item_barcode(index)
        price = 1000 + (index * 7919) % 200_000
        if index % STOCK_EVERY == STOCK_EVERY - 1:
            rows.append(
                (item_id, barcode, f"Stock good {index}", "stock", price // 10, "supplies",
                 None, None, None, "available", now, now)
            )  # fmt: skip
            quantity = 50
        else:
            intake = (today - timedelta(days=index % 120)).isoformat()
            consignor = consignors[index % len(consignors)]
            rows.append(
                (item_id, barcode, f"Consigned item {index}", "consigned", price, "bench",
                 consignor, 5000 + (index % 5) * 500, intake, "available", now, now)
            )  # fmt: skip
            quantity = 1
        movements.append((item_id, quantity, "intake", user_id, terminal_id, now))
    connection.executemany(
        "INSERT INTO items (id, barcode, name, kind, price, category, consignor_id, split_bp,"
        " intake_date, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    connection.executemany(
        "INSERT INTO stock_movements (item_id, quantity, reason, user_id, terminal_id, created_at)"
        " VALUES (?,?,?,?,?,?)",
        movements,
    )


def _item_barcode(index: int) -> str:
    body = f"{ITEM_PREFIX}{index:010d}"
    return body + str(ean.calc_check_digit(body))


def _bulk_campaigns(connection: sqlite3.Connection) -> list[tuple[int, int]]:
    """Insert the bench campaigns; returns (campaign id, share of the coupons) pairs."""
    now = _stamp(datetime.now(UTC).replace(tzinfo=None))
    made = []
    for name, kind, value, min_spend, uses, channel, funding, state, share in BULK_CAMPAIGNS:
        cursor = connection.execute(
            "INSERT INTO campaigns (name, kind, value, min_spend, valid_days, max_uses, channel,"
            " funding, state, reusable_after_refund, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (name, kind, value, min_spend, 14, uses, channel, funding, state, 1, now),
        )
        assert cursor.lastrowid is not None
        made.append((cursor.lastrowid, share))
    return made


def _fresh_codes(connection: sqlite3.Connection, count: int) -> list[str]:
    taken = {str(row[0]) for row in connection.execute("SELECT code FROM coupons")}
    fresh: set[str] = set()
    while len(fresh) < count:
        fresh.update(codes.new_code() for _ in range(count - len(fresh)))
        fresh -= taken
    return list(fresh)


def _campaign_for_each(campaigns: list[tuple[int, int]], count: int) -> Iterator[int]:
    total_share = sum(share for _, share in campaigns)
    for campaign_id, share in campaigns:
        yield from [campaign_id] * (count * share // total_share)
    remainder = count - sum(count * share // total_share for _, share in campaigns)
    yield from [campaigns[0][0]] * remainder  # exactly ``count`` ids in all


def _bulk_coupons(connection: sqlite3.Connection, count: int) -> None:
    if count <= 0:
        return
    campaigns = _bulk_campaigns(connection)
    started = time.perf_counter()
    fresh = _fresh_codes(connection, count)
    print(f"generated {count} codes in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    now_moment = datetime.now(UTC).replace(tzinfo=None)
    now = _stamp(now_moment)
    expires = (date.today() + timedelta(days=14)).isoformat()
    rows: list[tuple[object, ...]] = []
    assigned = _campaign_for_each(campaigns, count)
    for index, (code, campaign_id) in enumerate(zip(fresh, assigned, strict=True)):
        if index % 3:  # two in three handed out, valid for 14 days; the rest still new
            rows.append((code, campaign_id, "issued", now, expires, now))
        else:
            rows.append((code, campaign_id, "generated", None, None, now))
    connection.executemany(
        "INSERT INTO coupons (code, campaign_id, state, issued_at, expires_on, created_at)"
        " VALUES (?,?,?,?,?,?)",
        rows,
    )


def sample_barcodes(path: Path, count: int, kind: str = "consigned") -> list[str]:
    """Barcodes of available items of ``kind``, spread over the whole table."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT barcode FROM items WHERE status = 'available' AND kind = ?"
            " ORDER BY (id * 2654435761) % 4294967296 LIMIT ?",
            (kind, count),
        ).fetchall()
    return [str(row[0]) for row in rows]


def sample_coupons(path: Path, count: int) -> list[str]:
    """Codes of issued single-use coupons of active shop campaigns without minimum spend."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT c.code FROM coupons c JOIN campaigns k ON k.id = c.campaign_id"
            " WHERE c.state = 'issued' AND k.state = 'active' AND k.channel != 'online'"
            " AND k.min_spend = 0 AND c.customer_id IS NULL"
            " ORDER BY (c.id * 2654435761) % 4294967296 LIMIT ?",
            (count,),
        ).fetchall()
    return [str(row[0]) for row in rows]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/posapp-bench/big.db")
    print(ensure_big_database(target))
