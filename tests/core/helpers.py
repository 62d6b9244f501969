"""Small helpers for the core tests: campaigns and coupons in a few words, whole-database
snapshots, and selling through the same services the till uses."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

from posapp.db import Database
from posapp.models import CampaignState, DiscountKind, PaymentMethod
from posapp.services.campaigns import (
    NewCampaign,
    create_campaign,
    generate_coupons,
    issue_coupon,
    set_campaign_state,
)
from posapp.services.cart import Cart, ScanOutcome, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.receipts import Receipt

TEN_OFF = NewCampaign(name="Ten off", kind=DiscountKind.AMOUNT, value=1000)

Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(path: Path) -> Snapshot:
    """Every row of every table, sorted, read with plain sqlite3 (what is really on disk)."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in sorted(tables)
        }
    finally:
        connection.close()


def count(path: Path, sql: str, *params: object) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(sql, params).fetchone()[0])
    finally:
        connection.close()


def one(path: Path, sql: str, *params: object) -> tuple[object, ...]:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute(sql, params).fetchone()
        assert row is not None, sql
        return tuple(row)
    finally:
        connection.close()


def campaign(
    db: Database,
    actor: Actor,
    name: str,
    *,
    state: CampaignState | None = None,
    **changes: object,
) -> str:
    """Create a campaign from TEN_OFF with ``changes``; returns its name."""
    create_campaign(db, actor, replace(TEN_OFF, name=name, **changes))  # type: ignore[arg-type]
    if state is not None:
        set_campaign_state(db, actor, name, state)
    return name


def coupon(
    db: Database,
    actor: Actor,
    campaign_name: str,
    *,
    issued_on: date | None = None,
    card: str | None = None,
    issue: bool = True,
) -> str:
    """One new coupon of the campaign, issued (its validity clock started) unless told not to."""
    (code,) = generate_coupons(db, actor, campaign_name, 1)
    if issue:
        issue_coupon(db, actor, code, customer_card=card, today=issued_on)
    return code


def scan_all(db: Database, cart: Cart, *codes: str, today: date | None = None) -> ScanOutcome:
    """Scan codes in order into ``cart`` like the till does; returns the last outcome."""
    outcome: ScanOutcome | None = None
    for code in codes:
        customer_id = cart.customer.id if cart.customer else None
        outcome = cart.apply(resolve_scan(db, code, today=today, customer_id=customer_id))
    assert outcome is not None
    return outcome


def sell(
    db: Database,
    actor: Actor,
    *codes: str,
    tenders: list[Tender] | None = None,
    today: date | None = None,
) -> Receipt:
    """Scan ``codes`` and pay (cash, exact by default); every scan must be accepted."""
    cart = Cart(actor.currency)
    for code in codes:
        outcome = scan_all(db, cart, code, today=today)
        assert not isinstance(outcome, ScanRefused), outcome
    return commit_sale(db, actor, cart, tenders or [Tender(PaymentMethod.CASH, None)], today=today)


def available_barcodes(path: Path, count_: int, kind: str = "consigned") -> list[str]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT barcode FROM items WHERE status = 'available' AND kind = ? ORDER BY id LIMIT ?",
            (kind, count_),
        ).fetchall()
        return [str(row[0]) for row in rows]
    finally:
        connection.close()


def price_of(path: Path, barcode: str) -> int:
    return int(one(path, "SELECT price FROM items WHERE barcode = ?", barcode)[0])
