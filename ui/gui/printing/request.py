"""What a page asks the preview to print: how to make the PDF, the layouts to choose from, and
what to record once the printout was handed over (saved, or taken by the printer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from posapp.i18n import tr


@dataclass(frozen=True)
class PrintRequest:
    """``build`` and ``record`` run on the database worker, never on the GUI thread."""

    title: str  # the window's title, and the print job's name
    file_name: str  # suggested when saving
    build: Callable[[str], bytes]  # the PDF for a layout key ("" when there is no choice)
    layouts: tuple[tuple[str, str], ...] = ()  # (key, label); the first is the default
    record: Callable[[str], str] | None = None  # after the hand-over: output -> what to tell


def sheet_layouts() -> tuple[tuple[str, str], ...]:
    return (
        ("a4-3x8", tr("A4, 3 × 8 labels")),
        ("letter-3x10", tr("US Letter, 3 × 10 labels (Avery 5160)")),
    )


def tag_layouts() -> tuple[tuple[str, str], ...]:
    return (
        *sheet_layouts(),
        ("roll-58", tr("58 mm label roll")),
        ("roll-80", tr("80 mm label roll")),
    )


def receipt_rolls() -> tuple[tuple[str, str], ...]:
    return (("80", tr("80 mm roll")), ("58", tr("58 mm roll")))


def file_name(*parts: str) -> str:
    """A file name from words and numbers: 'coupons-Autumn-15.pdf'."""
    words = "-".join(parts)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in words)
    while "--" in safe:
        safe = safe.replace("--", "-")
    return (safe.strip("-") or "printout") + ".pdf"
