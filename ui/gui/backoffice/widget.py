"""The back-office widget: one page per subject, switched with Ctrl+1..9 (or the tabs).

A page that takes scans (the stock count) has a ``submit_scan(code)`` method; while it is the
current page, ``scan_target()`` returns it and the main window routes the scanners there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.i18n import tr
from posapp.scanning.config import ScannerConfig
from posapp.services.context import Actor
from ui.gui.backoffice.campaigns_page import CampaignsPage
from ui.gui.backoffice.consignors_page import ConsignorsPage
from ui.gui.backoffice.items_page import ItemsPage
from ui.gui.backoffice.sales_page import SalesPage
from ui.gui.backoffice.scanner_page import ScannerPage
from ui.gui.counts.alerts_page import AlertsPage
from ui.gui.counts.page import CountPage
from ui.gui.operations import Operations
from ui.gui.scanning.router import ScanTarget


class BackOfficeWidget(QWidget):
    """Items, consignors, campaigns and coupons, sales history, stock counts, low stock, and
    this till's scanners."""

    page_changed = Signal()  # the current page changed: its scan target may have too

    def __init__(
        self,
        db: Database,
        ops: Operations,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        scanner_config: ScannerConfig | None = None,
    ) -> None:
        super().__init__(parent)
        self.items = ItemsPage(db, ops, actor)
        self.consignors = ConsignorsPage(db, ops, actor)
        self.campaigns = CampaignsPage(db, ops, actor)
        self.sales = SalesPage(db, ops, actor)
        self.counts = CountPage(db, ops, actor)
        self.alerts = AlertsPage(db, ops)
        self.scanner = ScannerPage(scanner_config or ScannerConfig())
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        for page, title in self._titled_pages():
            self.add_page(page, title)
        self.pages.currentChanged.connect(self._page_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def _titled_pages(self) -> list[tuple[QWidget, str]]:
        return [
            (self.items, tr("Items")),
            (self.consignors, tr("Consignors")),
            (self.campaigns, tr("Campaigns and coupons")),
            (self.sales, tr("Sales")),
            (self.counts, tr("Stock count")),
            (self.alerts, tr("Low stock")),
            (self.scanner, tr("Scanner")),
        ]

    def add_page(self, page: QWidget, title: str) -> None:
        """A page on the next tab, shown with the next Ctrl+number (the main window adds the
        Sync page this way on a till linked to a hub)."""
        number = self.pages.count() + 1
        self.pages.addTab(page, tr("{title} (Ctrl+{number})", title=title, number=number))
        shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda index=number - 1: self.show_page(index))

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in at this terminal: every page acts as them from now on."""
        for index in range(self.pages.count()):
            set_actor = getattr(self.pages.widget(index), "set_actor", None)
            if callable(set_actor):
                set_actor(actor)

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._focus_page()

    def show_alerts(self) -> None:
        self.show_page(self.pages.indexOf(self.alerts))

    def scan_target(self) -> ScanTarget | None:
        """Where scans go while this page is shown, if it takes scans."""
        target = getattr(self.pages.currentWidget(), "submit_scan", None)
        return target if callable(target) else None

    def _page_changed(self, _index: int) -> None:
        self._focus_page()
        self.page_changed.emit()

    def _focus_page(self) -> None:
        page = self.pages.currentWidget()
        if page is not None:
            page.setFocus(Qt.FocusReason.ShortcutFocusReason)
