"""Where an unexpected error's details go: a log file in the user's log folder, never the screen."""

from __future__ import annotations

import logging
from pathlib import Path

from platformdirs import user_log_dir

log = logging.getLogger("posapp.cli")


def log_path() -> Path:
    return Path(user_log_dir("posapp", appauthor=False)) / "posapp.log"


def record_crash(error: BaseException) -> Path | None:
    """Append the error and its traceback to the log; returns the file, or None if unwritable."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    try:
        log.error("unexpected error: %s", error, exc_info=error)
    finally:
        log.removeHandler(handler)
        handler.close()
    return path
