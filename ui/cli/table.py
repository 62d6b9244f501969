"""Plain text tables for a monospaced terminal, aligned even with CJK text (two columns a glyph)."""

from __future__ import annotations

from collections.abc import Sequence

from printing.receipt_text import display_width

GAP = "  "


def _pad(text: str, width: int, right: bool) -> str:
    room = " " * (width - display_width(text))
    return room + text if right else text + room


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right_aligned: Sequence[bool]
) -> str:
    """Headers, a rule, then the rows; every column as wide as its widest cell."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [
        GAP.join(_pad(h, w, r) for h, w, r in zip(headers, widths, right_aligned, strict=True)),
        GAP.join("-" * w for w in widths),
    ]
    for row in rows:
        cells = zip(row, widths, right_aligned, strict=True)
        lines.append(GAP.join(_pad(cell, w, r) for cell, w, r in cells))
    return "\n".join(line.rstrip() for line in lines) + "\n"
