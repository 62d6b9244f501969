"""Handing a PDF to the system's print queue (CUPS: lpstat and lp) on Linux and macOS.

The printer is checked first (known to CUPS, not disabled), then the job is handed over with lp.
Anything that goes wrong raises PrintFailed with a plain message, so the caller marks nothing
printed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from posapp.i18n import tr
from printing.output import PrintFailed

TIMEOUT = 30.0


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PrintFailed(
            tr("The print system did not answer: {reason}", reason=str(error))
        ) from None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _check_printer(lpstat: str, printer: str) -> None:
    status = _run([lpstat, "-p", printer])
    if status.returncode != 0:
        raise PrintFailed(
            tr("There is no printer called {printer}; nothing was printed.", printer=printer)
        )
    if "disabled" in status.stdout:
        raise PrintFailed(
            tr(
                "The printer {printer} is stopped or offline ({reason}); nothing was printed.",
                printer=printer,
                reason=_last_line(status.stdout),
            )
        )


def print_pdf(printer: str, data: bytes, title: str) -> None:
    """Queue ``data`` on ``printer``; returns only when the print system accepted the job."""
    lp, lpstat = shutil.which("lp"), shutil.which("lpstat")
    if lp is None or lpstat is None:
        raise PrintFailed(
            tr("No print system found (CUPS: lp). Install it, or save the PDF with --out.")
        )
    _check_printer(lpstat, printer)
    with tempfile.TemporaryDirectory(prefix="posapp-print-") as folder:
        job = Path(folder) / "job.pdf"
        job.write_bytes(data)
        result = _run([lp, "-d", printer, "-t", title, "--", str(job)])
    if result.returncode != 0:
        raise PrintFailed(
            tr(
                "The printer {printer} did not take the job ({reason}); nothing was printed.",
                printer=printer,
                reason=_last_line(result.stderr) or _last_line(result.stdout),
            )
        )
