"""Fonts and the style sheet: large, high-contrast text for a till used all day."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from posapp.i18n import current_locale

BASE_POINT_SIZE = 13
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei")
LATIN_FAMILIES = ("Noto Sans", "DejaVu Sans", "Liberation Sans")
MONO_FAMILIES = ("Noto Sans Mono CJK SC", "DejaVu Sans Mono", "Liberation Mono")

STYLE_SHEET = """
QWidget { color: #1b1f24; }
QMainWindow, QStackedWidget > QWidget { background: #f4f5f7; }
QLineEdit {
    padding: 6px 10px; border: 2px solid #9aa4b1; border-radius: 6px; background: white;
}
QLineEdit:focus { border-color: #1f6feb; }
QTableView {
    background: white; alternate-background-color: #f0f3f7; gridline-color: #dde2e8;
    selection-background-color: #cfe2ff; selection-color: #1b1f24;
}
QHeaderView::section {
    background: #e3e7ec; padding: 6px; border: none; border-right: 1px solid #cdd3da;
    font-weight: bold;
}
QListWidget { background: white; border: 1px solid #cdd3da; }
QFrame#panel { background: white; border: 1px solid #cdd3da; border-radius: 8px; }
QLabel#total { font-weight: bold; color: #0b3d91; }
QLabel#change { font-weight: bold; color: #116329; }
QLabel#error { color: #b42318; font-weight: bold; }
QLabel#hint { color: #4b5563; }
QLabel#keys { color: #374151; background: #e3e7ec; padding: 4px 8px; }
QStatusBar QLabel { padding: 0 10px; }
"""


def first_available(families: tuple[str, ...]) -> str | None:
    installed = set(QFontDatabase.families())
    return next((family for family in families if family in installed), None)


def uses_cjk() -> bool:
    return current_locale().startswith("zh")


def apply_style(app: QApplication) -> None:
    """Pick a font that shows the current language well and install the style sheet."""
    families = CJK_FAMILIES + LATIN_FAMILIES if uses_cjk() else LATIN_FAMILIES + CJK_FAMILIES
    font = QFont(app.font())
    family = first_available(families)
    if family:
        font.setFamily(family)
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(base.pointSizeF(), 1.0) * factor)
    font.setBold(bold)
    return font


def monospace_font(base: QFont) -> QFont:
    font = QFont(base)
    family = first_available(MONO_FAMILIES)
    if family:
        font.setFamily(family)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font
