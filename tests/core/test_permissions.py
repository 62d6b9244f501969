"""Refunds are a manager's action, whichever face of the app asks."""

import pytest
from sqlalchemy import func, select

from posapp.db import Database
from posapp.models import PaymentMethod, Refund, Sale, SaleStatus
from posapp.services.cart import Cart, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary
from posapp.services.errors import PermissionRefused
from posapp.services.refunds import refund_sale


def test_cashier_cannot_refund_and_nothing_changes(
    demo_db: Database, cashier: Actor, manager: Actor, demo_summary: DemoSummary
) -> None:
    cart = Cart(cashier.currency)
    cart.apply(resolve_scan(demo_db, demo_summary.sample_item))
    receipt = commit_sale(demo_db, cashier, cart, [Tender(PaymentMethod.CARD)])

    with pytest.raises(PermissionRefused, match="Only a manager can refund"):
        refund_sale(demo_db, cashier, receipt.number)

    with demo_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Refund)) == 0
        assert session.scalar(select(Sale.status)) is SaleStatus.COMPLETED
    assert refund_sale(demo_db, manager, receipt.number).status is SaleStatus.REFUNDED
