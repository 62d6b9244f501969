"""The system's print queues (CUPS: lpstat), for the printer choice. No Qt here.

Handing a job over is printing.system_printer.print_pdf, exactly what the command line does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass

TIMEOUT = 10.0


@dataclass(frozen=True)
class Queues:
    cups: bool  # lp and lpstat are there
    names: tuple[str, ...]
    default: str | None


def uses_cups() -> bool:
    """Linux and macOS print through CUPS; elsewhere Qt's printer dialog is used."""
    return not sys.platform.startswith("win")


def cups_found() -> bool:
    return shutil.which("lp") is not None and shutil.which("lpstat") is not None


def _lpstat(*args: str) -> str:
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return ""
    try:
        done = subprocess.run(
            [lpstat, *args], capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def _names(text: str) -> list[str]:
    return [line.split()[0] for line in text.splitlines() if line.strip()]


def list_queues() -> Queues:
    """The queues CUPS knows (``lpstat -e``, or ``lpstat -p`` on an older CUPS) and its default."""
    if not cups_found():
        return Queues(False, (), None)
    names = _names(_lpstat("-e"))
    if not names:
        names = [
            line.split()[1]
            for line in _lpstat("-p").splitlines()
            if line.startswith("printer ") and len(line.split()) > 1
        ]
    default_line = _lpstat("-d").strip()
    default = default_line.rsplit(":", 1)[-1].strip() if ":" in default_line else None
    return Queues(True, tuple(dict.fromkeys(names)), default or None)
