"""Handing a finished printout over: to a file, written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from posapp.i18n import tr
from posapp.services.errors import PosError


class PrintFailed(PosError):
    """The printout could not be handed over (file not writable, printer missing or offline)."""


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a reader never sees half a file, a failure leaves
    whatever was there before."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise PrintFailed(tr("{path} is a folder; give a file name to print to.", path=str(path)))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".posapp-", dir=folder)
    except OSError as error:
        raise PrintFailed(
            tr("Cannot write {path}: {reason}", path=str(path), reason=error.strerror or error)
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise PrintFailed(
            tr("Cannot write {path}: {reason}", path=str(path), reason=error.strerror or error)
        ) from None
