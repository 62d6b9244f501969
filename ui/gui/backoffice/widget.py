"""The back-office widget: one page per subject, switched with Ctrl+1..4 (or the tabs)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from posapp.db import Database
from posapp.i18n import tr
from posapp.services.context import Actor
from ui.gui.backoffice.campaigns_page import CampaignsPage
from ui.gui.backoffice.consignors_page import ConsignorsPage
from ui.gui.backoffice.items_page import ItemsPage
from ui.gui.backoffice.sales_page import SalesPage
from ui.gui.operations import Operations


class BackOfficeWidget(QWidget):
    """Items, consignors, campaigns and coupons, and sales history, each on its own page."""

    def __init__(
        self, db: Database, ops: Operations, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.items = ItemsPage(db, ops, actor)
        self.consignors = ConsignorsPage(db, ops, actor)
        self.campaigns = CampaignsPage(db, ops, actor)
        self.sales = SalesPage(db, ops, actor)
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        titles = (tr("Items"), tr("Consignors"), tr("Campaigns and coupons"), tr("Sales"))
        for number, (page, title) in enumerate(zip(self._pages(), titles, strict=True), start=1):
            self.pages.addTab(page, tr("{title} (Ctrl+{number})", title=title, number=number))
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda index=number - 1: self.show_page(index))
        self.pages.currentChanged.connect(lambda _index: self._focus_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    def set_actor(self, actor: Actor) -> None:
        """Another user signed in at this terminal: every page acts as them from now on."""
        for page in (self.items, self.consignors, self.campaigns, self.sales):
            page.set_actor(actor)

    def _pages(self) -> tuple[QWidget, ...]:
        return (self.items, self.consignors, self.campaigns, self.sales)

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._focus_page()

    def _focus_page(self) -> None:
        page = self.pages.currentWidget()
        if page is not None:
            page.setFocus(Qt.FocusReason.ShortcutFocusReason)
