"""Fonts for printed PDFs: Helvetica for Latin text, the shipped WenQuanYi Micro Hei for the rest.

The CJK font (Apache-2.0, see fonts/wqy-microhei-LICENSE.txt) is a TrueType collection inside this
package, found through importlib.resources, never a system path. reportlab embeds only the glyphs a
document uses (a subset), so a PDF prints the same on any viewer or printer.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
CJK = "WenQuanYiMicroHei"
CJK_FILE = "wqy-microhei.ttc"


def font_path() -> str:
    return str(resources.files("printing").joinpath("fonts", CJK_FILE))


@cache
def register_cjk_font() -> str:
    """Register the shipped CJK font with reportlab once per process; returns its name."""
    pdfmetrics.registerFont(TTFont(CJK, font_path(), subfontIndex=0))
    return CJK


def _latin_only(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def font_for(text: str, bold: bool = False) -> str:
    """Helvetica when the standard PDF font has every character, else the embedded CJK font."""
    if _latin_only(text):
        return LATIN_BOLD if bold else LATIN
    return register_cjk_font()


def text_width(text: str, size: float, bold: bool = False) -> float:
    return float(pdfmetrics.stringWidth(text, font_for(text, bold), size))


def fit_text(text: str, size: float, room: float, bold: bool = False) -> str:
    """``text`` cut (with an ellipsis) so it is at most ``room`` points wide."""
    if text_width(text, size, bold) <= room:
        return text
    cut = text
    while cut and text_width(cut + "…", size, bold) > room:
        cut = cut[:-1]
    return cut + "…" if cut else ""
