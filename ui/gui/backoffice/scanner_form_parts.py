"""Small pieces the scanner settings forms share: how a prefix or suffix is typed and shown
(control characters as escapes), hint labels and grid rows."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from posapp.i18n import tr

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
_ESCAPES = {"\r": "\\r", "\n": "\\n", "\t": "\\t", "\\": "\\\\"}


def shown_text(value: str) -> str:
    """A prefix or suffix as typed in a field: control characters as \\r, \\n, \\t or \\xHH."""
    return "".join(
        _ESCAPES.get(c, f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c) for c in value
    )


def typed_text(text: str) -> str:
    """The characters a field means: \\r, \\n, \\t, \\\\ and \\xHH read; ValueError otherwise."""
    unescaped = {"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}
    result, index = [], 0
    while index < len(text):
        char = text[index]
        following = text[index + 1 : index + 2]
        if char != "\\":
            result.append(char)
            index += 1
        elif following in unescaped and following:
            result.append(unescaped[following])
            index += 2
        elif following == "x" and _is_hex(text[index + 2 : index + 4]):
            result.append(chr(int(text[index + 2 : index + 4], 16)))
            index += 4
        else:
            raise ValueError(
                tr(
                    "'{typed}' is not understood: write a control character as \\r, \\n, \\t or "
                    "\\x and two hexadecimal digits (\\x03), and a backslash as \\\\.",
                    typed=text,
                )
            )
    return "".join(result)


def _is_hex(text: str) -> bool:
    return len(text) == 2 and all(c in "0123456789abcdefABCDEF" for c in text)


def stop_bits_text(value: float) -> str:
    return f"{value:g}"


def hint_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def grid_row(grid: QGridLayout, row: int, *cells: tuple[str | QWidget, int]) -> None:
    """Put (label text or widget, column span) cells side by side in ``row``."""
    column = 0
    for cell, span in cells:
        widget = QLabel(cell) if isinstance(cell, str) else cell
        grid.addWidget(widget, row, column, 1, span)
        column += span
