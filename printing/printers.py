"""Sending ESC/POS bytes to a receipt printer over the network, a serial port or USB.

A target is ``tcp:HOST[:PORT]`` (port 9100 by default), ``serial:DEVICE[:BAUD]``,
``usb:VENDOR:PRODUCT`` (hex ids) or ``file:PATH``: a device node such as /dev/usb/lp0 (the kernel's
USB printer class driver) written straight through, or a regular file written whole. Before the
job, the printer's paper sensor is asked (DLE EOT 4, python-escpos's paper_status) over the
network and serial links; a printer that is missing, switched off, unreachable or out of paper
raises PrintFailed with a plain message, and nothing is printed.
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

from escpos.escpos import Escpos
from escpos.printer import Network, Serial, Usb
from serial import SerialException

from posapp.i18n import tr
from printing.output import PrintFailed, write_file

NETWORK_TIMEOUT = 5.0
STATUS_TIMEOUT = 1.0  # a printer that does not answer status queries is printed to anyway
NO_PAPER = 0


class _Network(Network):
    """python-escpos's network printer, opened so that a refused connection leaves no socket."""

    def open(self, raise_not_found: bool = True) -> None:
        self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)


def _bad_target(target: str) -> PrintFailed:
    return PrintFailed(
        tr(
            "{target} is not a printer address: use tcp:HOST[:PORT], serial:DEVICE[:BAUD], "
            "usb:VENDOR:PRODUCT or file:PATH.",
            target=target,
        )
    )


def printer_for(target: str) -> Escpos:
    kind, _, rest = target.partition(":")
    parts = rest.split(":") if rest else []
    try:
        if kind == "tcp" and 1 <= len(parts) <= 2 and parts[0]:
            port = int(parts[1]) if len(parts) == 2 else 9100
            return _Network(parts[0], port, timeout=NETWORK_TIMEOUT)
        if kind == "serial" and 1 <= len(parts) <= 2:
            baud = int(parts[1]) if len(parts) == 2 else 9600
            return Serial(parts[0], baudrate=baud)
        if kind == "usb" and len(parts) == 2:
            return Usb(int(parts[0], 16), int(parts[1], 16))
    except ValueError:
        raise _bad_target(target) from None
    raise _bad_target(target)


def _paper_status(printer: Escpos) -> int | None:
    """0 no paper, 1 near the end, 2 plenty; None when the printer does not say (a USB printer
    is not asked: reading its status endpoint can block on printers that never answer)."""
    if isinstance(printer, Network):
        printer.device.settimeout(STATUS_TIMEOUT)
        try:
            return int(printer.paper_status())
        except OSError:  # no answer in time: many network adapters never reply
            return None
        finally:
            printer.device.settimeout(NETWORK_TIMEOUT)
    if isinstance(printer, Serial):
        printer.device.timeout = STATUS_TIMEOUT  # no answer: python-escpos says "plenty"
        try:
            return int(printer.paper_status())
        except (OSError, SerialException):
            return None
    return None


def _send(printer: Escpos, target: str, data: bytes) -> None:
    try:
        printer.open()
        if _paper_status(printer) == NO_PAPER:
            raise PrintFailed(
                tr("The printer {target} is out of paper; nothing was printed.", target=target)
            )
        printer._raw(data)
    finally:
        with contextlib.suppress(Exception):  # closing a printer that never opened
            printer.close()


def send_escpos(target: str, data: bytes) -> None:
    """Open the printer, hand it the whole job and close it; PrintFailed if that cannot be done."""
    kind, _, path = target.partition(":")
    if kind == "file":
        if not path:
            raise _bad_target(target)
        write_file(Path(path), data)
        return
    printer = printer_for(target)
    try:
        _send(printer, target, data)
    except PrintFailed:
        raise
    except Exception as error:  # python-escpos raises its own, OSError, USB and serial errors
        text = str(getattr(error, "msg", None) or error).strip()
        reason = text.splitlines()[-1] if text else type(error).__name__
        raise PrintFailed(
            tr(
                "The printer {target} cannot be reached ({reason}). Check that it is switched "
                "on, connected and has paper; nothing was printed.",
                target=target,
                reason=reason,
            )
        ) from None
