"""The main window: sign-in, checkout and back office pages, switched from the keyboard.

F9 checkout, F10 back office, Ctrl+L locks the till (back to sign-in; the cart is kept). The
window owns the till's scanners: each page that takes scans becomes the scan target when shown.
On a till linked to a hub it also owns the sync (ui.gui.hub, loaded only then; F12 syncs now).
"""

from __future__ import annotations

import gc
import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from posapp.db import Database
from posapp.i18n import tr
from posapp.scanning.config import ScannerConfig
from posapp.services.context import Actor, sign_in_by_name
from posapp.services.errors import PosError
from ui.gui.checkout import CheckoutWidget
from ui.gui.counts.badge import StockBadge
from ui.gui.hub.linked import has_hub_link
from ui.gui.operations import Operations
from ui.gui.scanning.scanners import Scanners
from ui.gui.signin import SignInWidget
from ui.gui.status_bar import PosStatusBar

if TYPE_CHECKING:
    from ui.gui.backoffice import BackOfficeWidget
    from ui.gui.hub.wiring import HubLink

log = logging.getLogger(__name__)
GIL_SWITCH_INTERVAL_S = 0.0005


class MainWindow(QMainWindow):
    ready = Signal()  # the checkout is on screen and takes scans

    def __init__(
        self,
        db: Database,
        ops: Operations,
        terminal: str | None = None,
        parent: QWidget | None = None,
        scanner_config: ScannerConfig | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.ops, self.terminal = db, ops, terminal
        self.actor: Actor | None = None  # the last one signed in
        self.locked = True
        self.checkout: CheckoutWidget | None = None
        self.back_office: BackOfficeWidget | None = None
        self.hub: HubLink | None = None  # set once the database turns out to be linked
        self.pages = QStackedWidget()
        self.sign_in = SignInWidget(db, ops, terminal)
        self.sign_in.signed_in.connect(self.signed_in)
        self.pages.addWidget(self.sign_in)
        self.setCentralWidget(self.pages)
        self.status = PosStatusBar()
        self.setStatusBar(self.status)
        # reads that may take a tenth of a second (low stock over the whole shop) run on their
        # own worker, so the next scan never waits behind them on the database worker
        self.background_ops = Operations(self)
        self.stock_badge = StockBadge(db, self.background_ops)
        self.stock_badge.clicked.connect(self.show_low_stock)
        self.status.addPermanentWidget(self.stock_badge)
        ops.busy_changed.connect(self.status.set_busy)
        self.scanners = Scanners(scanner_config or ScannerConfig(), self)
        self.scanners.state_changed.connect(self.status.show_scanner)
        self.scanners.hint.connect(self.status.show_hint)
        self.scanners.start()
        self.setWindowTitle(tr("posapp"))
        self._bind_keys()
        self.background_ops.run(
            lambda: has_hub_link(db),
            success=self._hub_checked,
            failure=lambda error: log.warning("cannot read the hub link: %s", error),
        )

    def _bind_keys(self) -> None:
        for keys, action in (
            ("F9", self.show_checkout),
            ("F10", self.show_back_office),
            ("Ctrl+L", self.lock),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(action)

    def _hub_checked(self, linked: bool) -> None:
        if linked and self.hub is None:
            from ui.gui.hub.wiring import HubLink  # sync, httpx, pydantic: linked tills only

            self.hub = HubLink(self)

    # -- signing in and out --------------------------------------------------------------------

    def show_sign_in(self, message: str = "") -> None:
        self.scanners.set_target(None)
        self.pages.setCurrentWidget(self.sign_in)
        self.sign_in.load_users(message, self.actor.user_name if self.actor else None)

    def sign_in_directly(self, user: str, pin: str) -> None:
        """Sign in without the sign-in screen; on failure, show the screen with the reason."""
        db, terminal = self.db, self.terminal
        self.ops.run(
            lambda: sign_in_by_name(db, user, pin, terminal),
            success=self.signed_in,
            failure=self.direct_sign_in_failed,
        )

    def direct_sign_in_failed(self, error: Exception) -> None:
        message = error.message if isinstance(error, PosError) else tr("Signing in failed.")
        self.show_sign_in(message)

    def signed_in(self, actor: Actor) -> None:
        if self.back_office is not None and actor != self.actor:
            self.pages.removeWidget(self.back_office)
            self.back_office.deleteLater()
            self.back_office = None
        self.actor = actor
        self.locked = False
        self.status.show_actor(actor)
        self.stock_badge.refresh()
        self.setWindowTitle(tr("posapp — {store}", store=actor.store_name))
        checkout = self.prepare_checkout(actor.currency)
        checkout.set_actor(actor)
        self.show_checkout()

    def prepare_checkout(self, currency: str) -> CheckoutWidget:
        """Build the checkout screen (once); run_gui does it while the PIN is being checked."""
        if self.checkout is None:
            # The worker hands each scan back through the GIL; a short switch interval keeps it
            # from waiting up to 5 ms (Python's default) for the GUI thread to let it run.
            sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
            # everything loaded so far lives as long as the app: keep the garbage collector's
            # full passes (tens of ms with SQLAlchemy and Qt loaded) from walking it mid-scan
            gc.freeze()
            self.checkout = CheckoutWidget(self.db, self.ops, currency)
            self.checkout.table.painted.connect(self._checkout_painted)
            self.checkout.sale.committed.connect(self.stock_badge.refresh)
            self.pages.addWidget(self.checkout)
            if self.hub is not None:
                self.hub.attach_checkout(self.checkout)
        return self.checkout

    def lock(self) -> None:
        if self.locked or (self.checkout and self.checkout.sale.committing):
            return
        if self.checkout is not None:
            self.checkout.cancel_payment()
        self.locked = True
        self.scanners.set_target(None)
        self.status.show_actor(None)
        self.show_sign_in(tr("Locked. Sign in to go on."))

    # -- pages ---------------------------------------------------------------------------------

    def show_checkout(self) -> None:
        if self.checkout is None or self.locked:
            return
        self.status.show_actor(self.actor)
        self.pages.setCurrentWidget(self.checkout)
        self.scanners.set_target(self.checkout.submit_scan)
        self.checkout.focus_scan()

    def show_back_office(self) -> None:
        if self.actor is None or self.locked:
            return
        if self.back_office is None:
            from ui.gui.backoffice import BackOfficeWidget  # loaded on first use: lean start-up

            self.back_office = BackOfficeWidget(
                self.db, self.ops, self.actor, scanner_config=self.scanners.config
            )
            self.back_office.page_changed.connect(self._route_back_office_scans)
            self.back_office.counts.count_committed.connect(self.stock_badge.refresh)
            self.back_office.scanner.applied.connect(self.scanners.apply)
            self.back_office.scanner.calibrating.connect(self.scanners.pause_wedge)
            if self.hub is not None:
                self.hub.attach_back_office(self.back_office)
            self.pages.addWidget(self.back_office)
        self.pages.setCurrentWidget(self.back_office)
        self._route_back_office_scans()

    def show_low_stock(self) -> None:
        self.show_back_office()
        if self.back_office is not None:
            self.back_office.show_alerts()

    def _route_back_office_scans(self) -> None:
        if self.back_office is not None and self.pages.currentWidget() is self.back_office:
            self.scanners.set_target(self.back_office.scan_target())

    def _checkout_painted(self) -> None:
        if self.checkout is not None and self.pages.currentWidget() is self.checkout:
            self.ready.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scanners.stop()
        if self.hub is not None:
            self.hub.stop()
        super().closeEvent(event)
