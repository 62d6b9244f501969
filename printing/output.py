"""Handing a finished printout over: to a file, written whole or not at all, or straight to a
device (a receipt printer's /dev/usb/lp0, a serial port, a pipe), which must never be replaced."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from posapp.i18n import tr
from posapp.services.errors import PosError


class PrintFailed(PosError):
    """The printout could not be handed over (file not writable, printer missing or offline)."""


def _cannot_write(path: Path, error: OSError) -> PrintFailed:
    return PrintFailed(
        tr("Cannot write {path}: {reason}", path=str(path), reason=error.strerror or error)
    )


def is_device(path: Path) -> bool:
    """``path`` exists and is neither a regular file nor a folder (a device node, a FIFO...)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_device(path: Path, data: bytes) -> None:
    """Hand ``data`` to a device as it is: opened for writing, never created or replaced."""
    try:
        handle = os.open(path, os.O_WRONLY)  # no O_CREAT: a device gone missing is an error
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
    except OSError as error:
        raise _cannot_write(path, error) from None


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a reader never sees half a file, a failure leaves
    whatever was there before. A device (or any path that exists and is not a regular file) is
    written straight through instead, so a printer's device node stays what it is."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise PrintFailed(tr("{path} is a folder; give a file name to print to.", path=str(path)))
    if is_device(path):
        write_device(path, data)
        return
    try:
        handle, temporary = tempfile.mkstemp(prefix=".posapp-", dir=folder)
    except OSError as error:
        raise _cannot_write(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _cannot_write(path, error) from None
