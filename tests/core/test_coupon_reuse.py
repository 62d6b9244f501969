"""A refund gives a coupon's use back only when its campaign says so, for multi-use coupons too;
and the migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from posapp.db import Database
from posapp.models import Base
from posapp.services.cart import Cart, CouponScanned, ScanRefused
from posapp.services.context import Actor
from posapp.services.coupon_rules import RefusalReason
from posapp.services.refunds import refund_sale
from tests.core.helpers import available_barcodes, campaign, coupon, scan_all, sell


def _two_use_coupon(db: Database, manager: Actor, reusable: bool) -> str:
    name = campaign(db, manager, f"Twice {reusable}", max_uses=2, reusable_after_refund=reusable)
    return coupon(db, manager, name)


def test_refunded_use_of_a_multi_use_coupon_stays_spent_when_not_reusable(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    code = _two_use_coupon(demo_db, manager, reusable=False)
    first, second, third = available_barcodes(demo_path, 3)
    refund_sale(demo_db, manager, sell(demo_db, cashier, first, code).number)
    sell(demo_db, cashier, second, code)  # the second and last use

    cart = Cart(cashier.currency)
    outcome = scan_all(demo_db, cart, third, code)
    assert isinstance(outcome, ScanRefused)
    assert outcome.refusal.reason is RefusalReason.USED


def test_refunded_use_comes_back_when_reusable(
    demo_db: Database, demo_path: Path, manager: Actor, cashier: Actor
) -> None:
    code = _two_use_coupon(demo_db, manager, reusable=True)
    first, second, third = available_barcodes(demo_path, 3)
    refund_sale(demo_db, manager, sell(demo_db, cashier, first, code).number)
    sell(demo_db, cashier, second, code)

    assert isinstance(scan_all(demo_db, Cart(cashier.currency), third, code), CouponScanned)


def test_migrations_build_the_schema_of_the_models(empty_db: Database) -> None:
    with empty_db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
