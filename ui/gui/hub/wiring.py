"""What a till linked to a hub adds to the main window: the network runner, the sync driver, the
status-bar items, F12, coupons cleared and items reserved at the checkout, the Sync page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut

from posapp.i18n import tr
from ui.gui.hub.driver import SyncDriver
from ui.gui.hub.indicator import ConflictBadge, SyncIndicator
from ui.gui.hub.items import ItemReservations
from ui.gui.hub.selling import HubSelling
from ui.gui.operations import NetworkOperations

if TYPE_CHECKING:
    from ui.gui.backoffice import BackOfficeWidget
    from ui.gui.checkout import CheckoutWidget
    from ui.gui.hub.page import SyncPage
    from ui.gui.main_window import MainWindow

SYNC_KEY = "F12"
STOP_WAIT_MS = 5_000


class HubLink(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.net = NetworkOperations(self)
        self.driver = SyncDriver(window.db, self.net, self)
        self.indicator = SyncIndicator()
        self.badge = ConflictBadge()
        window.status.add_sync(self.indicator, self.badge)
        self.driver.changed.connect(self.indicator.show_state)
        self.driver.changed.connect(self.badge.show_state)
        self.driver.changed.connect(lambda _state: window.status.fit_keys())
        self.indicator.clicked.connect(self.driver.sync_now)
        self.badge.clicked.connect(self.show_page)
        shortcut = QShortcut(QKeySequence(SYNC_KEY), window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.driver.sync_now)
        self.reservations: ItemReservations | None = None
        self.page: SyncPage | None = None
        if window.checkout is not None:
            self.attach_checkout(window.checkout)
        if window.back_office is not None:
            self.attach_back_office(window.back_office)
        self.driver.start()

    def attach_checkout(self, checkout: CheckoutWidget) -> None:
        window, driver = self._window, self.driver
        checkout.sale.seller = HubSelling(
            window.db, window.ops, self.net, went_offline=driver.refresh_status
        )
        checkout.sale.committed.connect(lambda _receipt: driver.sync_soon())
        reservations = ItemReservations(
            window.db, self.net, checkout.sale, lambda: driver.online, self
        )
        driver.changed.connect(lambda state: reservations.hub_state(offline=state.offline))
        self.reservations = reservations

    def attach_back_office(self, back_office: BackOfficeWidget) -> None:
        from ui.gui.hub.page import SyncPage

        actor = self._window.actor
        if actor is None:
            return
        self.page = SyncPage(self._window.db, self._window.ops, self.driver, actor)
        back_office.add_page(self.page, tr("Sync"))

    def show_page(self) -> None:
        window = self._window
        window.show_back_office()
        if window.back_office is not None and self.page is not None:
            window.back_office.show_page(window.back_office.pages.indexOf(self.page))

    def stop(self) -> None:
        self.driver.stop()
        self.net.wait_idle(STOP_WAIT_MS)
