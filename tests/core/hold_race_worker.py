"""A till and a back-office terminal in their own processes, for the hold race test: the till has
the item in its cart, the back office holds it, both at the same moment."""

from __future__ import annotations

import os
from typing import Any

from posapp.db import open_database
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import back_office_actor
from posapp.services.errors import PosError
from posapp.services.holds import hold_item


def run(path: str, role: str, barcodes: list[str], barrier: Any, results: Any) -> None:
    """``role`` 'sell': scan, meet at ``barrier``, commit; 'hold': meet, hold. Puts outcomes."""
    os.environ["POSAPP_LOCALE"] = "en_US"
    db = open_database(path)
    actor = back_office_actor(db, "Cashier", terminal="T2" if role == "sell" else "T3")
    for round_number, barcode in enumerate(barcodes):
        cart = Cart(actor.currency)
        if role == "sell":
            outcome = cart.apply(resolve_scan(db, barcode))
            assert not isinstance(outcome, ScanRefused), outcome
        barrier.wait(timeout=60)
        try:
            if role == "sell":
                commit_sale(db, actor, cart, [Tender(PaymentMethod.CASH, None)])
            else:
                hold_item(db, actor, barcode, note="race")
        except PosError as error:
            results.put((round_number, role, type(error).__name__, error.message))
        else:
            results.put((round_number, role, "done", ""))
    db.dispose()
