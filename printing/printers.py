"""Sending ESC/POS bytes to a receipt printer over the network, a serial port or USB.

A target is ``tcp:HOST[:PORT]`` (port 9100 by default), ``serial:DEVICE[:BAUD]`` or
``usb:VENDOR:PRODUCT`` (hex ids). A printer that is missing, switched off or unreachable raises
PrintFailed with a plain message; the caller then marks nothing printed.
"""

from __future__ import annotations

import contextlib
import socket

from escpos.escpos import Escpos
from escpos.printer import Serial, Usb

from posapp.i18n import tr
from printing.output import PrintFailed

NETWORK_TIMEOUT = 5.0


def _bad_target(target: str) -> PrintFailed:
    return PrintFailed(
        tr(
            "{target} is not a printer address: use tcp:HOST[:PORT], serial:DEVICE[:BAUD] or "
            "usb:VENDOR:PRODUCT.",
            target=target,
        )
    )


def printer_for(target: str) -> Escpos:
    """A python-escpos printer for a serial or USB target."""
    kind, _, rest = target.partition(":")
    parts = rest.split(":") if rest else []
    try:
        if kind == "serial" and 1 <= len(parts) <= 2:
            baud = int(parts[1]) if len(parts) == 2 else 9600
            return Serial(parts[0], baudrate=baud)
        if kind == "usb" and len(parts) == 2:
            return Usb(int(parts[0], 16), int(parts[1], 16))
    except ValueError:
        raise _bad_target(target) from None
    raise _bad_target(target)


def _network_address(target: str) -> tuple[str, int] | None:
    kind, _, rest = target.partition(":")
    if kind != "tcp":
        return None
    host, _, port = rest.partition(":")
    if not host or (port and not port.isdigit()):
        raise _bad_target(target)
    return host, int(port or 9100)


def _send(target: str, data: bytes) -> None:
    address = _network_address(target)
    if address is not None:  # a raw TCP socket, as python-escpos's Network does (closed on error)
        with socket.create_connection(address, timeout=NETWORK_TIMEOUT) as connection:
            connection.sendall(data)
        return
    printer = printer_for(target)
    try:
        printer.open()
        printer._raw(data)
    finally:
        with contextlib.suppress(Exception):  # closing a printer that never opened
            printer.close()


def send_escpos(target: str, data: bytes) -> None:
    """Open the printer, hand it the whole job and close it; PrintFailed if that cannot be done."""
    try:
        _send(target, data)
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
