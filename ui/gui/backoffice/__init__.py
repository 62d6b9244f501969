"""The back office: items, consignors, campaigns and coupons, sales history with refund."""

from __future__ import annotations

from ui.gui.backoffice.widget import BackOfficeWidget

__all__ = ["BackOfficeWidget"]
