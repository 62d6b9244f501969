from posapp.db import Database
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, CouponScanned, ItemScanned, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import Actor
from posapp.services.demo import DemoSummary


def test_demo_sale_with_coupon(
    demo_db: Database, cashier: Actor, demo_summary: DemoSummary
) -> None:
    cart = Cart(cashier.currency)
    assert isinstance(cart.apply(resolve_scan(demo_db, demo_summary.sample_item)), ItemScanned)
    assert isinstance(cart.apply(resolve_scan(demo_db, demo_summary.sample_coupon)), CouponScanned)
    receipt = commit_sale(demo_db, cashier, cart, [Tender(PaymentMethod.CASH, None)])
    assert receipt.discount_total == 2000
    assert receipt.total == receipt.subtotal - 2000
    assert receipt.cashier_name == "Cashier"
