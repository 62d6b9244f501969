"""Printing from the back office: a preview of the PDF the app made, then Print (a system printer:
CUPS ``lp`` on Linux and macOS, Qt's printer elsewhere) or Save PDF."""

from ui.gui.printing.preview import PrintPreview
from ui.gui.printing.request import PrintRequest, receipt_rolls, sheet_layouts, tag_layouts

__all__ = ["PrintPreview", "PrintRequest", "receipt_rolls", "sheet_layouts", "tag_layouts"]
