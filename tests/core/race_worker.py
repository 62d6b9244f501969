"""A till in its own process, for the race tests: it scans its basket, waits at the barrier with
the other till, then commits at the same moment and reports what the cashier would see."""

from __future__ import annotations

import os
from typing import Any

from posapp.db import open_database
from posapp.models import PaymentMethod
from posapp.services.cart import Cart, ScanRefused, resolve_scan
from posapp.services.checkout import Tender, commit_sale
from posapp.services.context import back_office_actor
from posapp.services.errors import PosError


def run_till(
    path: str, terminal: str, baskets: list[list[str]], barrier: Any, results: Any
) -> None:
    """For each basket: scan, meet the other till at ``barrier``, commit, put the outcome."""
    os.environ["POSAPP_LOCALE"] = "en_US"
    db = open_database(path)
    actor = back_office_actor(db, "Cashier", terminal=terminal)
    for round_number, basket in enumerate(baskets):
        cart = Cart(actor.currency)
        refused = [o for o in (cart.apply(resolve_scan(db, code)) for code in basket)
                   if isinstance(o, ScanRefused)]  # fmt: skip
        barrier.wait(timeout=60)
        if refused:
            results.put((round_number, terminal, "refused", refused[0].refusal.message))
            continue
        try:
            receipt = commit_sale(db, actor, cart, [Tender(PaymentMethod.CASH, None)])
        except PosError as error:
            results.put((round_number, terminal, type(error).__name__, error.message))
        else:
            results.put((round_number, terminal, "sold", receipt.number))
    db.dispose()
