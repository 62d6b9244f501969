"""Seeding the demo is a state change like any other: every row it writes has its event."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from posapp.services.demo import CONSIGNORS, CUSTOMERS, DEMO_COUPONS_PER_CAMPAIGN, STAFF


def outbox(path: Path) -> list[tuple[int, str, dict[str, Any]]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT seq, type, payload FROM outbox_events ORDER BY seq")
        return [(int(seq), str(kind), json.loads(str(payload))) for seq, kind, payload in rows]


def column(path: Path, sql: str) -> list[Any]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute(sql)]


def test_the_demo_writes_an_event_for_everything_it_creates(demo_path: Path) -> None:
    events = outbox(demo_path)
    assert [seq for seq, _, _ in events] == list(range(1, len(events) + 1))  # no gaps
    kinds = Counter(kind for _, kind, _ in events)
    assert kinds["store.created"] == 1 and kinds["terminal.added"] == 1
    assert kinds["user.added"] == len(STAFF)
    assert kinds["consignor.added"] == len(CONSIGNORS)
    assert kinds["customer.added"] == len(CUSTOMERS)
    assert kinds["item.added"] == column(demo_path, "SELECT count(*) FROM items")[0]
    assert kinds["campaign.created"] == 2
    payloads = [payload for _, _, payload in events]
    assert not any("pin" in key for payload in payloads for key in payload)  # never a PIN


def test_every_demo_coupon_has_its_events(demo_path: Path) -> None:
    events = outbox(demo_path)
    generated = Counter(
        code
        for _, kind, payload in events
        if kind == "coupons.generated"
        for code in payload["codes"]
    )
    issued = {payload["code"]: payload for _, kind, payload in events if kind == "coupon.issued"}
    all_codes = column(demo_path, "SELECT code FROM coupons")
    assert len(all_codes) == 2 * DEMO_COUPONS_PER_CAMPAIGN
    assert generated == Counter(all_codes)  # each coupon generated once
    with sqlite3.connect(demo_path) as connection:
        handed = connection.execute(
            "SELECT c.code, c.expires_on, k.card_code FROM coupons c"
            " LEFT JOIN customers k ON k.id = c.customer_id WHERE c.state = 'issued'"
        ).fetchall()
    assert len(handed) == DEMO_COUPONS_PER_CAMPAIGN  # half of each campaign
    assert {code: (p["expires_on"], p["customer_card"]) for code, p in issued.items()} == {
        code: (expires_on, card) for code, expires_on, card in handed
    }
    terminal = set(column(demo_path, "SELECT DISTINCT terminal_uuid FROM outbox_events"))
    assert terminal == set(column(demo_path, "SELECT uuid FROM terminals"))
