"""A shop's database from before a coupon's days started when it is printed (schema 0003): coupons
handed out without a last day get one (from the day they were issued, else first redeemed, else
the upgrade), every other row is kept, and the rules hold at once."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from alembic import command

from posapp.db import Database, open_database
from posapp.db.migrate import _config, current_revision, head_revision
from posapp.services.cart import ScanRefused, resolve_scan
from posapp.services.coupon_rules import RefusalReason
from tests.core.helpers import one, snapshot
from tests.core.old_databases import database_at

ISSUED_ON = date(2026, 3, 2)
REDEEMED_ON = date(2026, 4, 10)


def _legacy_rows(path: Path) -> dict[str, str]:
    """Coupons as 0003 left them: printed, redeemed and issued with no last day (14-day campaign),
    one of a campaign without validity days, and a generated one. Returns role -> code."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT code FROM coupons WHERE campaign_id = 1 AND state = 'generated' ORDER BY id"
        ).fetchall()
        printed, redeemed, issued, plain, new = (str(row[0]) for row in rows[:5])
        connection.execute("UPDATE coupons SET state = 'printed' WHERE code = ?", (printed,))
        connection.execute("UPDATE coupons SET state = 'redeemed' WHERE code = ?", (redeemed,))
        connection.execute(
            "INSERT INTO coupon_redemptions (id, coupon_id, channel, amount, redeemed_at)"
            " SELECT 'r-1', id, 'shop', 2000, ? FROM coupons WHERE code = ?",
            (f"{REDEEMED_ON} 15:00:00.000000", redeemed),
        )
        connection.execute(
            "UPDATE coupons SET state = 'issued', issued_at = ? WHERE code = ?",
            (f"{ISSUED_ON} 09:30:00.000000", issued),
        )
        connection.execute(
            "INSERT INTO campaigns (name, kind, value, min_spend, max_uses, channel, funding,"
            " state, reusable_after_refund, bounce_back_min_spend, created_at)"
            " VALUES ('No days', 'amount', 500, 0, 1, 'both', 'store', 'active', 1, 0, ?)",
            (f"{ISSUED_ON} 09:00:00.000000",),
        )
        connection.execute(
            "UPDATE coupons SET state = 'printed', campaign_id = (SELECT max(id) FROM campaigns)"
            " WHERE code = ?",
            (plain,),
        )
    return {"printed": printed, "redeemed": redeemed, "issued": issued, "plain": plain, "new": new}


def _expiry(path: Path, code: str) -> object:
    return one(path, "SELECT expires_on FROM coupons WHERE code = ?", code)[0]


def test_coupons_handed_out_without_a_last_day_get_one(tmp_path: Path) -> None:
    path = tmp_path / "old-shop.db"
    database_at(path, "0003")
    role = _legacy_rows(path)
    before = snapshot(path)
    upgraded_on = date.today()

    db = open_database(str(path))
    try:
        assert current_revision(db) == head_revision()  # 0004, and any later step
        assert _expiry(path, role["printed"]) == str(upgraded_on + timedelta(days=14))
        assert _expiry(path, role["redeemed"]) == str(REDEEMED_ON + timedelta(days=14))
        assert _expiry(path, role["issued"]) == str(ISSUED_ON + timedelta(days=14))
        assert _expiry(path, role["plain"]) is None  # its campaign sets no days
        assert _expiry(path, role["new"]) is None  # not handed out: its days have not started
        after = snapshot(path)
        changed = {c for c in role.values() if _expiry(path, c) is not None}
        code_at = 1  # coupons: id, code, ...
        for table, rows in before.items():
            if table == "coupons":
                kept_before = [r for r in rows if r[code_at] not in changed]
                width = len(rows[0])  # columns added by later steps (0006: origin) are left out
                kept_after = [r[:width] for r in after[table] if r[code_at] not in changed]
                assert kept_after == kept_before
            elif table != "alembic_version":
                assert after[table] == rows, table

        late = upgraded_on + timedelta(days=15)
        refused = resolve_scan(db, role["printed"], today=late)
        assert isinstance(refused, ScanRefused) and refused.refusal.reason is RefusalReason.EXPIRED
        never = resolve_scan(db, role["new"], today=upgraded_on)
        assert isinstance(never, ScanRefused)
        assert never.refusal.reason is RefusalReason.NOT_HANDED_OUT
    finally:
        db.dispose()


def test_down_to_0003_and_up_again(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    database_at(path, "0003")
    db = Database(f"sqlite:///{path}")
    try:
        command.upgrade(_config(db), "0004")
        command.downgrade(_config(db), "0003")
        assert current_revision(db) == "0003"
        command.upgrade(_config(db), "head")
    finally:
        db.dispose()
