"""A sale with coupons at a linked till: the coupons are cleared with the hub on the network runner
(reserved there, or allowed by the offline rules), then the sale commits on the database worker;
if the commit fails, the hub reservations are given back on the network runner.

A coupon only a manager may allow (the hub is out of reach) comes back as ``needs_approval`` with
the plain reason; the caller asks a manager inline and sells again with ``approver``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from posapp import codes
from posapp.db import Database
from posapp.i18n import tr
from posapp.services.cart import Cart
from posapp.services.checkout import Tender
from posapp.services.context import Actor
from posapp.services.errors import PosError
from posapp.services.receipts import Receipt
from sync.checkout import Clearance, NeedsApproval, clear_coupons, commit_cleared, give_back
from sync.client import HubError
from sync.terminal import client_for
from ui.gui.operations import Operations

log = logging.getLogger(__name__)

CLEAR_TIMEOUT_S = 2.0  # the customer is waiting: a hub slower than this counts as offline


def plain(error: Exception) -> Exception:
    """A hub's refusal in the shape the checkout shows (a PosError's message)."""
    if isinstance(error, HubError):
        return PosError(str(error))
    return error


def approval_reason(error: NeedsApproval) -> str:
    """The reason with the codes in groups, as the cart shows them."""
    grouped = ", ".join(codes.grouped(code) for code in error.codes)
    return tr(
        "The hub cannot be reached. A manager must allow these coupons: {codes}", codes=grouped
    )


class HubSelling:
    def __init__(
        self,
        db: Database,
        ops: Operations,
        net: Operations,
        went_offline: Callable[[], None] | None = None,
    ) -> None:
        self._db, self._ops, self._net = db, ops, net
        self._went_offline = went_offline

    def sell(
        self,
        actor: Actor,
        cart: Cart,
        tenders: list[Tender],
        approver: Actor | None,
        *,
        after: Callable[[], None],
        sold: Callable[[Receipt], None],
        failed: Callable[[Exception], None],
        needs_approval: Callable[[str], None],
    ) -> None:
        """Clear, then commit; exactly one of ``sold``, ``failed`` or ``needs_approval`` follows.
        ``after`` runs on the database worker once the sale is written."""
        db = self._db

        def clear() -> list[Clearance]:
            with client_for(db, attempts=1, timeout=CLEAR_TIMEOUT_S) as hub:
                return clear_coupons(db, cart, hub, approver)

        def cleared(made: list[Clearance]) -> None:
            if any(c.basis != "hub" for c in made) and self._went_offline:
                self._went_offline()

            def commit() -> Receipt:
                receipt = commit_cleared(db, actor, cart, tenders, made, approver)
                after()
                return receipt

            self._ops.run(
                commit, success=sold, failure=lambda error: self._not_written(made, error, failed)
            )

        def not_cleared(error: Exception) -> None:
            if isinstance(error, NeedsApproval):
                if self._went_offline:
                    self._went_offline()
                needs_approval(approval_reason(error))
            else:
                failed(plain(error))

        self._net.run(clear, success=cleared, failure=not_cleared)

    def _not_written(
        self, made: list[Clearance], error: Exception, failed: Callable[[Exception], None]
    ) -> None:
        db = self._db

        def release() -> None:
            with client_for(db, attempts=1, timeout=CLEAR_TIMEOUT_S) as hub:
                give_back(hub, made)

        if any(c.basis == "hub" for c in made):
            self._net.run(release, failure=lambda e: log.warning("give back failed: %s", e))
        failed(error)
