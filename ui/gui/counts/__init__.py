"""Stock counts by scanning, and low stock: the count screen, the alert list and the status-bar
badge."""

from ui.gui.counts.alerts_page import AlertsPage, StockBadge
from ui.gui.counts.page import CountPage

__all__ = ["AlertsPage", "CountPage", "StockBadge"]
